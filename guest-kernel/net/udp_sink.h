/*
 * Tern guest kernel, network: the byte counter behind the UDP throughput
 * benchmark (make bench). A sink counts the payload bytes of every
 * datagram sent to its port; a datagram whose payload is exactly
 * UDP_SINK_QUERY is not counted but answered with the totals so far:
 * UDP_SINK_ANSWER, then the bytes (8, big-endian) and the datagrams (4).
 * The sender asks before and after its stream, so the figure is what
 * arrived, never what was sent: a dropped datagram is simply not counted.
 * tools/bench.py runs the same protocol on the host (the NIC rows).
 * Pure: no I/O; every length is checked before a byte is read.
 */
#ifndef GUEST_NET_UDP_SINK_H
#define GUEST_NET_UDP_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_SINK_PORT       9            /* "discard" */
#define UDP_SINK_QUERY      "tern-sink?"
#define UDP_SINK_ANSWER     "tern-sink="
#define UDP_SINK_TAG_LEN    10
#define UDP_SINK_REPLY_LEN  (UDP_SINK_TAG_LEN + 12)

struct udp_sink {
    uint64_t bytes;
    uint32_t datagrams;
};

/* A datagram's payload arrived at the sink: true if it is a query (the
 * caller answers with udp_sink_reply), false if it was counted. */
bool udp_sink_take(struct udp_sink *s, const uint8_t *data, size_t len);

/* The answer to a query into buf; its length, or 0 if cap is too small. */
size_t udp_sink_reply(const struct udp_sink *s, uint8_t *buf, size_t cap);

/* Is data[0..len) an answer? Its totals into *out. */
bool udp_sink_parse_reply(const uint8_t *data, size_t len, struct udp_sink *out);

#endif /* GUEST_NET_UDP_SINK_H */
