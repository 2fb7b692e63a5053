/*
 * Tern guest kernel, network: Ethernet II parsing and building. Pure.
 *
 * What a parsed frame is guaranteed to be: at least the 14-byte header and
 * at most 1514 bytes; an EtherType (>= 0x0600) that is not a VLAN tag; a
 * source address that is a single station's (group bit clear). The
 * payload may hold trailing padding: the protocol above knows its length.
 */
#include "kernel/lib.h"
#include "net/eth.h"

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static enum net_status eth_check_type(uint16_t type)
{
    if (type < 0x0600)
        return NET_BAD_TYPE;    /* an 802.3 length: LLC/SNAP is not spoken */
    if (type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ)
        return NET_BAD_TYPE;    /* tagged frames are not expected here */
    return NET_OK;
}

enum net_status eth_parse(const uint8_t *buf, size_t len, struct eth_frame *out)
{
    enum net_status st;

    if (len < ETH_HLEN)
        return NET_SHORT;
    if (len > ETH_FRAME_MAX)
        return NET_TRUNCATED;
    out->type = net_get16(buf + 12);
    st = eth_check_type(out->type);
    if (st != NET_OK)
        return st;
    if (net_mac_is_group(buf + ETH_ALEN))
        return NET_BAD_ADDRESS;
    memcpy(out->dst, buf, ETH_ALEN);
    memcpy(out->src, buf + ETH_ALEN, ETH_ALEN);
    out->payload = buf + ETH_HLEN;
    out->payload_len = len - ETH_HLEN;
    return NET_OK;
}

size_t eth_build(uint8_t *buf, size_t cap, const uint8_t *dst, const uint8_t *src,
                 uint16_t type)
{
    if (cap < ETH_HLEN)
        return 0;
    memcpy(buf, dst, ETH_ALEN);
    memcpy(buf + ETH_ALEN, src, ETH_ALEN);
    net_put16(buf + 12, type);
    return ETH_HLEN;
}

size_t eth_pad(uint8_t *buf, size_t len, size_t cap)
{
    size_t want = len < ETH_FRAME_MIN ? ETH_FRAME_MIN : len;

    if (want > cap)
        want = cap;
    if (want > len)
        memset(buf + len, 0, want - len);
    return want > len ? want : len;
}
