/*
 * Tern guest kernel, network: ICMP echo request and reply (RFC 792), the
 * only ICMP messages spoken.
 */
#ifndef GUEST_NET_ICMP_H
#define GUEST_NET_ICMP_H

#include <stddef.h>
#include <stdint.h>
#include "net/net_bytes.h"

#define ICMP_HLEN          8
#define ICMP_ECHO_REPLY    0
#define ICMP_ECHO_REQUEST  8

/* A parsed echo message; data points into the caller's buffer. */
struct icmp_echo {
    uint8_t type;              /* ICMP_ECHO_REQUEST or ICMP_ECHO_REPLY */
    uint16_t id, seq;
    const uint8_t *data;
    size_t data_len;
};

/* Parses an IPv4 payload of exactly len bytes. Refuses: fewer than 8
 * bytes, a bad checksum (over all len bytes), a type other than echo
 * request/reply (NET_BAD_TYPE), a code other than 0 (NET_BAD_FIELD). */
enum net_status icmp_echo_parse(const uint8_t *buf, size_t len, struct icmp_echo *out);

/* Writes the echo message e (with e->data_len bytes of e->data, which may
 * overlap buf + 8: it is moved, not copied) into buf, checksum computed;
 * returns its length, or 0 if cap is too small. */
size_t icmp_echo_build(uint8_t *buf, size_t cap, const struct icmp_echo *e);

#endif /* GUEST_NET_ICMP_H */
