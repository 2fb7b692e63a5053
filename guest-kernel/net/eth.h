/*
 * Tern guest kernel, network: Ethernet II frames (no FCS: neither a NIC's
 * receive path nor the PV protocol hands it over).
 */
#ifndef GUEST_NET_ETH_H
#define GUEST_NET_ETH_H

#include <stddef.h>
#include <stdint.h>
#include "net/net_bytes.h"

#define ETH_ALEN       6
#define ETH_HLEN       14
#define ETH_DATA_MAX   1500                      /* the MTU */
#define ETH_FRAME_MAX  (ETH_HLEN + ETH_DATA_MAX) /* 1514 */
#define ETH_FRAME_MIN  60                        /* what a sender pads to */

#define ETH_TYPE_IPV4  0x0800
#define ETH_TYPE_ARP   0x0806
#define ETH_TYPE_VLAN  0x8100
#define ETH_TYPE_QINQ  0x88a8

extern const uint8_t eth_broadcast[ETH_ALEN];

/* A parsed frame; payload points into the caller's buffer. */
struct eth_frame {
    uint8_t dst[ETH_ALEN], src[ETH_ALEN];
    uint16_t type;
    const uint8_t *payload;
    size_t payload_len;
};

/* Parses buf[0..len). Refuses: fewer than 14 bytes, more than 1514 (NET_
 * TRUNCATED: larger than the MTU allows), an IEEE 802.3 length instead of
 * an EtherType (below 0x0600), VLAN tags (not supported), a group source
 * address. */
enum net_status eth_parse(const uint8_t *buf, size_t len, struct eth_frame *out);

/* Writes a 14-byte header into buf (cap bytes); returns 14, or 0 if cap
 * is too small. */
size_t eth_build(uint8_t *buf, size_t cap, const uint8_t *dst, const uint8_t *src,
                 uint16_t type);

/* Pads a frame of len bytes with zeros to the 60-byte minimum (within
 * cap); returns the new length. */
size_t eth_pad(uint8_t *buf, size_t len, size_t cap);

#endif /* GUEST_NET_ETH_H */
