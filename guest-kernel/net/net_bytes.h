/*
 * Tern guest kernel, network: big-endian (network order) loads and stores,
 * byte by byte, so that no packet field is ever read through a misaligned
 * or type-punned pointer, and the status every parser answers.
 */
#ifndef GUEST_NET_BYTES_H
#define GUEST_NET_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* Why a parser refused a packet (NET_OK: it did not). One value per rule,
 * so that a test can tell which rule fired. */
enum net_status {
    NET_OK = 0,
    NET_SHORT,          /* fewer bytes than the header (or a length) needs */
    NET_BAD_TYPE,       /* EtherType, ARP hardware/protocol, ICMP type */
    NET_BAD_VERSION,    /* IPv4 version field */
    NET_BAD_LENGTH,     /* a length field below its header, or address lengths */
    NET_TRUNCATED,      /* a length field beyond the bytes there are */
    NET_BAD_CHECKSUM,
    NET_FRAGMENT,       /* an IPv4 fragment (not reassembled: refused) */
    NET_OPTIONS,        /* IPv4 options (not supported: refused) */
    NET_BAD_ADDRESS,    /* a group or broadcast address as a source; port 0 */
    NET_BAD_FIELD,      /* a reserved bit set, TTL 0, ICMP code, ARP opcode */
    NET_NO_ROOM,        /* a builder's buffer is too small */
};

static inline uint16_t net_get16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t net_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void net_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void net_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An IPv4 address (host order) that may never be a packet's source:
 * limited broadcast 255.255.255.255 or multicast 224.0.0.0/4. */
static inline int net_ipv4_is_group(uint32_t addr)
{
    return addr == 0xffffffffu || (addr >> 28) == 0xe;
}

/* A MAC address with the group bit (multicast or broadcast). */
static inline int net_mac_is_group(const uint8_t *mac)
{
    return mac[0] & 1;
}

#endif /* GUEST_NET_BYTES_H */
