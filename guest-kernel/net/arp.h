/*
 * Tern guest kernel, network: ARP (RFC 826) for IPv4 over Ethernet only.
 */
#ifndef GUEST_NET_ARP_H
#define GUEST_NET_ARP_H

#include <stddef.h>
#include <stdint.h>
#include "net/net_bytes.h"

#define ARP_LEN        28      /* the IPv4-over-Ethernet packet */
#define ARP_HTYPE_ETH  1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

/* A parsed ARP packet; addresses in host order. */
struct arp_packet {
    uint16_t op;               /* ARP_OP_REQUEST or ARP_OP_REPLY */
    uint8_t sha[6];            /* sender hardware address */
    uint32_t spa;              /* sender protocol (IPv4) address */
    uint8_t tha[6];            /* target hardware address */
    uint32_t tpa;              /* target protocol address */
};

/* Parses an Ethernet payload (trailing padding allowed). Refuses: fewer
 * than 28 bytes, hardware type not Ethernet or protocol not IPv4
 * (NET_BAD_TYPE), address lengths not 6 and 4 (NET_BAD_LENGTH), an opcode
 * other than request/reply (NET_BAD_FIELD), a group sender MAC or a
 * broadcast/multicast sender IP (NET_BAD_ADDRESS). */
enum net_status arp_parse(const uint8_t *buf, size_t len, struct arp_packet *out);

/* Writes p as a 28-byte ARP packet; returns 28, or 0 if cap is too small. */
size_t arp_build(uint8_t *buf, size_t cap, const struct arp_packet *p);

/* The reply to request req for my_mac/my_ip (a request is answered only
 * when it asks for my_ip: false otherwise, *reply untouched). */
int arp_make_reply(const struct arp_packet *req, const uint8_t *my_mac, uint32_t my_ip,
                   struct arp_packet *reply);

#endif /* GUEST_NET_ARP_H */
