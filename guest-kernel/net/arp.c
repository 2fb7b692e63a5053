/*
 * Tern guest kernel, network: ARP parsing and building. Pure.
 *
 * A parsed packet is an IPv4-over-Ethernet request or reply whose sender
 * is a single station (never a group MAC, never a broadcast or multicast
 * IP): an ARP cache fed only from parsed packets never learns a group
 * address as a neighbour.
 */
#include "kernel/lib.h"
#include "net/arp.h"
#include "net/eth.h"

static enum net_status arp_check_header(const uint8_t *buf)
{
    if (net_get16(buf) != ARP_HTYPE_ETH || net_get16(buf + 2) != ETH_TYPE_IPV4)
        return NET_BAD_TYPE;
    if (buf[4] != ETH_ALEN || buf[5] != 4)
        return NET_BAD_LENGTH;
    return NET_OK;
}

enum net_status arp_parse(const uint8_t *buf, size_t len, struct arp_packet *out)
{
    enum net_status st;

    if (len < ARP_LEN)
        return NET_SHORT;
    st = arp_check_header(buf);
    if (st != NET_OK)
        return st;
    out->op = net_get16(buf + 6);
    if (out->op != ARP_OP_REQUEST && out->op != ARP_OP_REPLY)
        return NET_BAD_FIELD;
    memcpy(out->sha, buf + 8, ETH_ALEN);
    out->spa = net_get32(buf + 14);
    memcpy(out->tha, buf + 18, ETH_ALEN);
    out->tpa = net_get32(buf + 24);
    if (net_mac_is_group(out->sha) || net_ipv4_is_group(out->spa))
        return NET_BAD_ADDRESS;
    return NET_OK;
}

size_t arp_build(uint8_t *buf, size_t cap, const struct arp_packet *p)
{
    if (cap < ARP_LEN)
        return 0;
    net_put16(buf, ARP_HTYPE_ETH);
    net_put16(buf + 2, ETH_TYPE_IPV4);
    buf[4] = ETH_ALEN;
    buf[5] = 4;
    net_put16(buf + 6, p->op);
    memcpy(buf + 8, p->sha, ETH_ALEN);
    net_put32(buf + 14, p->spa);
    memcpy(buf + 18, p->tha, ETH_ALEN);
    net_put32(buf + 24, p->tpa);
    return ARP_LEN;
}

int arp_make_reply(const struct arp_packet *req, const uint8_t *my_mac, uint32_t my_ip,
                   struct arp_packet *reply)
{
    if (req->op != ARP_OP_REQUEST || req->tpa != my_ip)
        return 0;
    reply->op = ARP_OP_REPLY;
    memcpy(reply->sha, my_mac, ETH_ALEN);
    reply->spa = my_ip;
    memcpy(reply->tha, req->sha, ETH_ALEN);
    reply->tpa = req->spa;
    return 1;
}
