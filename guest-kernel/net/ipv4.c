/*
 * Tern guest kernel, network: IPv4 header parsing and building. Pure.
 *
 * A parsed packet is a whole datagram (no fragment: they are refused, not
 * reassembled) with a plain 20-byte header (options refused), a correct
 * header checksum, a total length within the bytes received, a TTL above
 * 0, and a source that is a single host. The payload is exactly the
 * datagram's: link-layer padding after it is cut off.
 */
#include "net/inet_csum.h"
#include "net/ipv4.h"

#define IPV4_FLAG_RESERVED 0x8000
#define IPV4_FLAG_DF       0x4000
#define IPV4_FLAG_MF       0x2000
#define IPV4_OFFSET_MASK   0x1fff

/* Version, header length and total length against the len bytes there are. */
static enum net_status ipv4_check_lengths(const uint8_t *buf, size_t len)
{
    unsigned ihl = buf[0] & 0xfu;
    size_t total = net_get16(buf + 2);

    if (buf[0] >> 4 != 4)
        return NET_BAD_VERSION;
    if (ihl < 5)
        return NET_BAD_LENGTH;
    if (ihl > 5)
        return NET_OPTIONS;
    if (total < IPV4_HLEN)
        return NET_BAD_LENGTH;
    if (total > len)
        return NET_TRUNCATED;
    return NET_OK;
}

static enum net_status ipv4_check_fields(const uint8_t *buf)
{
    uint16_t frag = net_get16(buf + 6);

    if (frag & IPV4_FLAG_RESERVED)
        return NET_BAD_FIELD;
    if ((frag & IPV4_FLAG_MF) || (frag & IPV4_OFFSET_MASK))
        return NET_FRAGMENT;
    if (buf[8] == 0)
        return NET_BAD_FIELD;
    if (net_ipv4_is_group(net_get32(buf + 12)))
        return NET_BAD_ADDRESS;
    return NET_OK;
}

enum net_status ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_packet *out)
{
    enum net_status st;

    if (len < IPV4_HLEN)
        return NET_SHORT;
    st = ipv4_check_lengths(buf, len);
    if (st != NET_OK)
        return st;
    if (inet_fold(inet_sum(buf, IPV4_HLEN, 0)) != 0)
        return NET_BAD_CHECKSUM;
    st = ipv4_check_fields(buf);
    if (st != NET_OK)
        return st;
    out->tos = buf[1];
    out->id = net_get16(buf + 4);
    out->ttl = buf[8];
    out->proto = buf[9];
    out->src = net_get32(buf + 12);
    out->dst = net_get32(buf + 16);
    out->payload = buf + IPV4_HLEN;
    out->payload_len = (size_t)net_get16(buf + 2) - IPV4_HLEN;
    return NET_OK;
}

size_t ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_packet *p)
{
    if (cap < IPV4_HLEN || p->payload_len > 0xffff - IPV4_HLEN)
        return 0;
    buf[0] = 0x45;
    buf[1] = p->tos;
    net_put16(buf + 2, (uint16_t)(IPV4_HLEN + p->payload_len));
    net_put16(buf + 4, p->id);
    net_put16(buf + 6, IPV4_FLAG_DF);
    buf[8] = p->ttl;
    buf[9] = p->proto;
    net_put16(buf + 10, 0);
    net_put32(buf + 12, p->src);
    net_put32(buf + 16, p->dst);
    net_put16(buf + 10, inet_fold(inet_sum(buf, IPV4_HLEN, 0)));
    return IPV4_HLEN;
}
