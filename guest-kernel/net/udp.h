/*
 * Tern guest kernel, network: UDP datagrams over IPv4 (RFC 768).
 */
#ifndef GUEST_NET_UDP_H
#define GUEST_NET_UDP_H

#include <stddef.h>
#include <stdint.h>
#include "net/net_bytes.h"

#define UDP_HLEN 8

/* A parsed datagram; data points into the caller's buffer. */
struct udp_datagram {
    uint16_t sport, dport;
    int checksummed;           /* 0: the sender sent no checksum (allowed in IPv4) */
    const uint8_t *data;
    size_t data_len;
};

/* Parses an IPv4 payload of len bytes sent from src to dst (host order;
 * they enter the checksum's pseudo-header). Refuses: fewer than 8 bytes,
 * a length field below 8 (NET_BAD_LENGTH) or beyond len (NET_TRUNCATED),
 * a non-zero checksum that is wrong, port 0 at either end
 * (NET_BAD_ADDRESS). Bytes past the length field are ignored. */
enum net_status udp_parse(uint32_t src, uint32_t dst, const uint8_t *buf, size_t len,
                          struct udp_datagram *out);

/* Writes the datagram d (d->data may overlap buf + 8: it is moved) from
 * src to dst into buf, always with its checksum; returns its length, or 0
 * if cap is too small or it would exceed 65535 - 20 bytes. */
size_t udp_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst,
                 const struct udp_datagram *d);

#endif /* GUEST_NET_UDP_H */
