/*
 * Tern guest kernel, network: ICMP echo parsing and building. Pure.
 *
 * A parsed message is an echo request or reply, code 0, whose checksum
 * over the whole message is right. Everything else ICMP carries
 * (unreachables, redirects, ...) is refused: this stack never acts on it.
 */
#include "kernel/lib.h"
#include "net/icmp.h"
#include "net/inet_csum.h"

enum net_status icmp_echo_parse(const uint8_t *buf, size_t len, struct icmp_echo *out)
{
    if (len < ICMP_HLEN)
        return NET_SHORT;
    if (inet_fold(inet_sum(buf, len, 0)) != 0)
        return NET_BAD_CHECKSUM;
    if (buf[0] != ICMP_ECHO_REQUEST && buf[0] != ICMP_ECHO_REPLY)
        return NET_BAD_TYPE;
    if (buf[1] != 0)
        return NET_BAD_FIELD;
    out->type = buf[0];
    out->id = net_get16(buf + 4);
    out->seq = net_get16(buf + 6);
    out->data = buf + ICMP_HLEN;
    out->data_len = len - ICMP_HLEN;
    return NET_OK;
}

size_t icmp_echo_build(uint8_t *buf, size_t cap, const struct icmp_echo *e)
{
    size_t len = ICMP_HLEN + e->data_len;

    if (e->data_len > cap || cap - e->data_len < ICMP_HLEN)
        return 0;
    memmove(buf + ICMP_HLEN, e->data, e->data_len);
    buf[0] = e->type;
    buf[1] = 0;
    net_put16(buf + 2, 0);
    net_put16(buf + 4, e->id);
    net_put16(buf + 6, e->seq);
    net_put16(buf + 2, inet_fold(inet_sum(buf, len, 0)));
    return len;
}
