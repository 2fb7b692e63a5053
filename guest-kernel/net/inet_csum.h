/*
 * Tern guest kernel, network: the Internet checksum (RFC 1071), the one's
 * complement sum of 16-bit big-endian words, used by IPv4, ICMP and UDP.
 */
#ifndef GUEST_NET_INET_CSUM_H
#define GUEST_NET_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes at p to the running sum acc (an odd last byte counts as
 * the high half of a word padded with zero). Sums can be chained: every
 * chunk but the last must have an even length. */
uint32_t inet_sum(const uint8_t *p, size_t len, uint32_t acc);

/* The checksum field's value for a finished sum: the one's complement of
 * the sum folded to 16 bits. A region whose sum includes a correct
 * checksum field gives 0 here. */
uint16_t inet_fold(uint32_t acc);

/* The UDP/TCP pseudo-header's sum (source, destination, protocol, length). */
uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif /* GUEST_NET_INET_CSUM_H */
