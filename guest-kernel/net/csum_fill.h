/*
 * Tern guest kernel, network: the checksum a frontend left to its backend.
 *
 * A frontend marks a packet NETTXF_csum_blank when it left the TCP or UDP
 * checksum for the backend to fill, as Linux's netfront does for every
 * TCP segment and UDP datagram (its NETIF_F_IP_CSUM cannot be negotiated
 * off). Xen's netback fills it before the packet goes anywhere; a packet
 * it cannot fill it drops. netback (backend/netback_ring.c) does the same
 * with net_csum_fill().
 */
#ifndef GUEST_NET_CSUM_FILL_H
#define GUEST_NET_CSUM_FILL_H

#include <stdint.h>
#include "net/net_bytes.h"

/* frame (len bytes, an Ethernet frame) carrying IPv4 and TCP or UDP: its
 * checksum computed afresh (whatever the field held) and written. Else
 * the frame is untouched and the status says why: NET_SHORT, NET_BAD_TYPE
 * (not IPv4 and not TCP/UDP), NET_BAD_VERSION, NET_BAD_LENGTH (header
 * length), NET_TRUNCATED (IPv4 length beyond the frame, or the TCP/UDP
 * header beyond the IPv4 payload), NET_FRAGMENT. */
enum net_status net_csum_fill(uint8_t *frame, uint32_t len);

#endif /* GUEST_NET_CSUM_FILL_H */
