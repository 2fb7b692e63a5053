/*
 * Tern guest kernel, network: the forwarding table of a learning Ethernet
 * bridge (IEEE 802.1D's filtering database, as Linux's bridge keeps it),
 * pure: no packet is moved here, only decided where it goes. Domain 0's
 * netback (backend/netback.c) joins its vifs and the physical NIC with it.
 *
 * Rules: a frame's source address is learnt on the port it came in by,
 * unless it is a group address (multicast or broadcast: never a station);
 * an entry not refreshed for BRIDGE_AGE_NS is forgotten; a unicast
 * destination known on another port goes only there, one known on the
 * port it came in by goes nowhere (the station already heard it), and
 * anything else (a group address, an unknown or aged station) is flooded
 * to every other port. A port that goes away takes its entries with it.
 * A pinned entry (a vif's configured MAC, which netback enforces as the
 * source of everything that vif sends) never ages, never gives way and
 * never moves: a frame from elsewhere claiming that address is not
 * learnt, so nobody can draw a vif's traffic to another port.
 */
#ifndef GUEST_NET_BRIDGE_H
#define GUEST_NET_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#define BRIDGE_ENTRIES 64
#define BRIDGE_AGE_NS  (300ull * 1000000000ull)   /* Linux's default ageing time */
#define BRIDGE_FLOOD   (-1)                      /* to every port but the input */
#define BRIDGE_DROP    (-2)                      /* to no port */

struct bridge_entry {
    uint8_t mac[6];
    bool used;
    bool pinned;
    int port;
    uint64_t seen_ns;
};

struct bridge {
    struct bridge_entry e[BRIDGE_ENTRIES];
};

void bridge_init(struct bridge *b);

/* A frame from src came in by port at now_ns: learn it (group addresses
 * and addresses pinned elsewhere are not). When the table is full, the
 * oldest unpinned entry gives way. */
void bridge_learn(struct bridge *b, const uint8_t *src, int port, uint64_t now_ns);

/* mac lives on port for good (until the port goes): false when the
 * address is a group address, pinned elsewhere, or the table is full of
 * pinned entries. */
bool bridge_pin(struct bridge *b, const uint8_t *mac, int port);

/* Where a frame for dst that came in by in_port goes: a port number,
 * BRIDGE_FLOOD or BRIDGE_DROP. */
int bridge_lookup(const struct bridge *b, const uint8_t *dst, int in_port, uint64_t now_ns);

/* A port went away: every entry learnt on it goes. */
void bridge_forget_port(struct bridge *b, int port);

#endif /* GUEST_NET_BRIDGE_H */
