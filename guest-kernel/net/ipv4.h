/*
 * Tern guest kernel, network: IPv4 headers (RFC 791), without options and
 * without fragments.
 */
#ifndef GUEST_NET_IPV4_H
#define GUEST_NET_IPV4_H

#include <stddef.h>
#include <stdint.h>
#include "net/net_bytes.h"

#define IPV4_HLEN        20
#define IPV4_PROTO_ICMP  1
#define IPV4_PROTO_UDP   17
#define IPV4_DEFAULT_TTL 64

/* A parsed header; addresses in host order; payload points into the
 * caller's buffer and ends where the header's total length says. */
struct ipv4_packet {
    uint8_t tos, ttl, proto;
    uint16_t id;
    uint32_t src, dst;
    const uint8_t *payload;
    size_t payload_len;
};

/* Parses buf[0..len) (an Ethernet payload: padding past the total length
 * is allowed and dropped). Refuses: fewer than 20 bytes (NET_SHORT),
 * version not 4, IHL below 5 (NET_BAD_LENGTH) or above (NET_OPTIONS), a
 * total length below the header (NET_BAD_LENGTH) or beyond len
 * (NET_TRUNCATED), a bad header checksum, the reserved flag or TTL 0
 * (NET_BAD_FIELD), a fragment (MF set or an offset: NET_FRAGMENT), a
 * broadcast or multicast source (NET_BAD_ADDRESS). */
enum net_status ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_packet *out);

/* Writes a 20-byte header for p (payload_len bytes to follow; DF set,
 * checksum computed) into buf; returns 20, or 0 if cap is too small or
 * the packet would exceed 65535 bytes. */
size_t ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_packet *p);

#endif /* GUEST_NET_IPV4_H */
