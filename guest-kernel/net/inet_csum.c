/*
 * Tern guest kernel, network: the Internet checksum (RFC 1071). The sum is
 * kept in 32 bits and folded at the end; a packet of at most 65535 bytes
 * adds at most 32768 words of 0xffff, which cannot overflow 32 bits
 * (inet_sum folds every 32 Ki words anyway, so any length is safe).
 */
#include "net/inet_csum.h"

static uint32_t fold_once(uint32_t acc)
{
    return (acc & 0xffffu) + (acc >> 16);
}

uint32_t inet_sum(const uint8_t *p, size_t len, uint32_t acc)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        acc += (uint32_t)p[i] << 8 | p[i + 1];
        if ((i & 0xffff) == 0xfffe)
            acc = fold_once(acc);
    }
    if (len & 1)
        acc += (uint32_t)p[len - 1] << 8;
    return fold_once(acc);
}

uint16_t inet_fold(uint32_t acc)
{
    acc = fold_once(acc);
    acc = fold_once(acc);
    return (uint16_t)~acc;
}

uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint32_t acc = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);

    return fold_once(acc + proto + len);
}
