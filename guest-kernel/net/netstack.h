/*
 * Tern guest kernel: a minimal IPv4 stack over netfront: Ethernet, ARP
 * (requests for our address answered, an ARP cache with a timeout,
 * net/arp_cache.c), IPv4 with one static address, ICMP echo (requests
 * answered; our own requests and their round trips), a UDP echo
 * service on port NETSTACK_ECHO_PORT and a UDP byte counter on
 * UDP_SINK_PORT (net/udp_sink.c, the throughput benchmark's far end),
 * and a client for both. Every frame received is parsed by
 * the pure net/ modules; what fails a check is counted and ignored.
 */
#ifndef GUEST_NET_NETSTACK_H
#define GUEST_NET_NETSTACK_H

#include <stdbool.h>
#include <stdint.h>
#include "net/arp_cache.h"
#include "net/netfront.h"
#include "net/udp_sink.h"

#define NETSTACK_ECHO_PORT 7
#define NETSTACK_PING_ID   0x5446
#define NETSTACK_UDP_PORT  40007          /* our own client's source port */
#define NETSTACK_UDP_MAX   1472           /* payload of a full Ethernet frame */

struct netstack {
    struct netfront nf;
    uint32_t ip;
    struct arp_cache arp;
    uint16_t want_seq;              /* the echo reply we wait for (0: none) */
    bool got_reply;
    uint32_t want_udp;              /* the echoed datagram we wait for (0: none) */
    bool got_udp;
    bool want_count, got_count;     /* a sink's answer we wait for, and it */
    struct udp_sink count;
    struct udp_sink sink;           /* what our own sink has counted */
    uint32_t pings_answered, udp_echoed, ignored;
};

/* netfront up, address ip (0: the vif's own ip= from its backend). */
int netstack_up(struct netstack *s, uint32_t ip);
/* Handles what arrived; waits for an event until deadline_ns first. */
void netstack_poll(struct netstack *s, uint64_t deadline_ns);
/* One echo request to dst, waiting at most timeout_ns: 0 with the
 * round trip in *rtt_ns, or -XEN_ETIMEDOUT (the ARP resolution counts in
 * the first one). */
int netstack_ping(struct netstack *s, uint32_t dst, uint16_t seq, uint64_t timeout_ns,
                  uint64_t *rtt_ns);
/* One datagram (tag in its first 4 bytes, len bytes in all, at most
 * NETSTACK_UDP_MAX) to dst:port from NETSTACK_UDP_PORT, waiting at most timeout_ns
 * for the same bytes back: 0 with the round trip in *rtt_ns, or
 * -XEN_ETIMEDOUT. */
int netstack_udp_echo(struct netstack *s, uint32_t dst, uint16_t port, uint32_t tag,
                      size_t len, uint64_t timeout_ns, uint64_t *rtt_ns);
/* Sends one datagram of len bytes (at most NETSTACK_UDP_MAX) to
 * dst:port without waiting for anything back (dst resolved first, at most
 * timeout_ns). 0, -XEN_EINVAL, -XEN_ETIMEDOUT (no ARP answer, or the tx
 * ring stayed full). */
int netstack_udp_send(struct netstack *s, uint32_t dst, uint16_t port, size_t len,
                      uint64_t timeout_ns);
/* Waits until the backend has answered every frame we sent, at most
 * timeout_ns: 0 or -XEN_ETIMEDOUT. */
int netstack_tx_drain(struct netstack *s, uint64_t timeout_ns);
/* Asks the sink at dst:port for its totals (udp_sink.h), waiting at most
 * timeout_ns: 0 with them in *out, or -XEN_ETIMEDOUT. */
int netstack_sink_count(struct netstack *s, uint32_t dst, uint16_t port, uint64_t timeout_ns,
                        struct udp_sink *out);
void netstack_down(struct netstack *s);

#endif /* GUEST_NET_NETSTACK_H */
