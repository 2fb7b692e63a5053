/*
 * Tern guest kernel, network: UDP parsing and building. Pure.
 *
 * A parsed datagram's length field lies between 8 and the bytes the IP
 * layer delivered, its checksum (over the pseudo-header, the header and
 * the data) is right or absent (0, as IPv4 allows), and neither port is
 * 0. A datagram built here always carries a checksum; a sum of 0 is sent
 * as 0xffff, since 0 means "none".
 */
#include "kernel/lib.h"
#include "net/inet_csum.h"
#include "net/ipv4.h"
#include "net/udp.h"

static enum net_status udp_check_sum(uint32_t src, uint32_t dst, const uint8_t *buf,
                                     uint16_t ulen)
{
    uint32_t acc;

    if (net_get16(buf + 6) == 0)
        return NET_OK;
    acc = inet_pseudo_sum(src, dst, IPV4_PROTO_UDP, ulen);
    return inet_fold(inet_sum(buf, ulen, acc)) == 0 ? NET_OK : NET_BAD_CHECKSUM;
}

enum net_status udp_parse(uint32_t src, uint32_t dst, const uint8_t *buf, size_t len,
                          struct udp_datagram *out)
{
    uint16_t ulen;
    enum net_status st;

    if (len < UDP_HLEN)
        return NET_SHORT;
    ulen = net_get16(buf + 4);
    if (ulen < UDP_HLEN)
        return NET_BAD_LENGTH;
    if (ulen > len)
        return NET_TRUNCATED;
    st = udp_check_sum(src, dst, buf, ulen);
    if (st != NET_OK)
        return st;
    out->sport = net_get16(buf);
    out->dport = net_get16(buf + 2);
    if (out->sport == 0 || out->dport == 0)
        return NET_BAD_ADDRESS;
    out->checksummed = net_get16(buf + 6) != 0;
    out->data = buf + UDP_HLEN;
    out->data_len = ulen - UDP_HLEN;
    return NET_OK;
}

size_t udp_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst,
                 const struct udp_datagram *d)
{
    size_t len = UDP_HLEN + d->data_len;
    uint16_t sum;

    if (d->data_len > 0xffff - IPV4_HLEN - UDP_HLEN || len > cap)
        return 0;
    memmove(buf + UDP_HLEN, d->data, d->data_len);
    net_put16(buf, d->sport);
    net_put16(buf + 2, d->dport);
    net_put16(buf + 4, (uint16_t)len);
    net_put16(buf + 6, 0);
    sum = inet_fold(inet_sum(buf, len, inet_pseudo_sum(src, dst, IPV4_PROTO_UDP,
                                                         (uint16_t)len)));
    net_put16(buf + 6, sum == 0 ? 0xffff : sum);
    return len;
}
