/*
 * Tern guest kernel, network: the checksum a frontend left to its backend
 * (see csum_fill.h).
 *
 * Invariants: nothing is read or written outside frame[0, len); the
 * IPv4 header is believed only as far as it is consistent (version 4, a
 * header length of 20..60 bytes inside the total length, the total length
 * inside the frame); a fragment is refused (its checksum covers bytes this
 * frame does not hold); the checksum is computed over the pseudo-header
 * and the whole TCP/UDP part with the field taken as 0, so what the
 * frontend left in it (Linux leaves the pseudo-header's sum) never counts.
 * A UDP sum of 0 is sent as 0xffff (RFC 768: 0 means "no checksum").
 */
#include <stdbool.h>
#include "net/csum_fill.h"
#include "net/inet_csum.h"

#define ETH_HLEN     14
#define ETH_P_IPV4   0x0800
#define IPV4_MIN     20
#define IP_TCP       6
#define IP_UDP       17
#define IP_FRAG_MASK 0x3fff    /* more-fragments flag and offset */

/* The TCP/UDP checksum field's offset in its header and that header's
 * least length; false for another protocol. */
static bool l4_layout(uint8_t proto, uint32_t *field, uint32_t *hlen)
{
    if (proto == IP_TCP) {
        *field = 16;
        *hlen = 20;
        return true;
    }
    if (proto == IP_UDP) {
        *field = 6;
        *hlen = 8;
        return true;
    }
    return false;
}

/* The IPv4 header at ip (room bytes there): its header length into
 * *ihl and total length into *total, checked. */
static enum net_status ipv4_lengths(const uint8_t *ip, uint32_t room, uint32_t *ihl,
                                    uint32_t *total)
{
    if (room < IPV4_MIN)
        return NET_SHORT;
    if (ip[0] >> 4 != 4)
        return NET_BAD_VERSION;
    *ihl = (ip[0] & 15u) * 4u;
    *total = net_get16(ip + 2);
    if (*ihl < IPV4_MIN || *ihl > *total)
        return NET_BAD_LENGTH;
    if (*total > room)
        return NET_TRUNCATED;
    if (net_get16(ip + 6) & IP_FRAG_MASK)
        return NET_FRAGMENT;
    return NET_OK;
}

enum net_status net_csum_fill(uint8_t *frame, uint32_t len)
{
    uint8_t *ip = frame + ETH_HLEN, *l4;
    uint32_t ihl, total, field, hlen, l4len, sum;
    enum net_status st;
    uint16_t csum;

    if (len < ETH_HLEN)
        return NET_SHORT;
    if (net_get16(frame + 12) != ETH_P_IPV4)
        return NET_BAD_TYPE;
    st = ipv4_lengths(ip, len - ETH_HLEN, &ihl, &total);
    if (st != NET_OK)
        return st;
    if (!l4_layout(ip[9], &field, &hlen))
        return NET_BAD_TYPE;
    l4 = ip + ihl;
    l4len = total - ihl;
    if (l4len < hlen)
        return NET_TRUNCATED;
    net_put16(l4 + field, 0);
    sum = inet_pseudo_sum(net_get32(ip + 12), net_get32(ip + 16), ip[9], (uint16_t)l4len);
    csum = inet_fold(inet_sum(l4, l4len, sum));
    net_put16(l4 + field, csum == 0 && ip[9] == IP_UDP ? 0xffff : csum);
    return NET_OK;
}
