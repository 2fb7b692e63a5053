/*
 * Tern guest kernel, xenstore: gathering whole messages out of a byte
 * stream and queueing whole messages into one. Both ends of a xenstore
 * ring use it: the daemon gathers requests and queues replies and watch
 * events, the client (xenbus) does the opposite. Pure: the caller moves
 * the bytes to and from the ring (byte_ring.h).
 *
 * Invariants: a message is handed on only when its header and all of its
 * len payload bytes are in; a header announcing len > XENSTORE_PAYLOAD_MAX
 * is a protocol error, reported before any payload byte is accepted (the
 * peer is then disconnected: nothing it sends after is parsed); the output
 * queue never holds a partial message it could not finish, so a reader
 * never sees a message cut short.
 */
#ifndef XS_FRAME_H
#define XS_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/xs_wire.h>

#define XS_MSG_MAX ((uint32_t)sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* A message being gathered. */
struct xs_frame {
    uint32_t have;                       /* bytes in so far */
    union {
        struct xsd_sockmsg hdr;
        uint8_t bytes[XS_MSG_MAX];
    } m;
};

enum xs_frame_state { XS_FRAME_MORE, XS_FRAME_DONE, XS_FRAME_TOO_LONG };

/* Takes from src[0..n) what the current message still needs; *used says
 * how many. DONE: f->m holds a whole message (header + hdr.len bytes);
 * call xs_frame_reset before the next. TOO_LONG: the header announced more
 * than XENSTORE_PAYLOAD_MAX. */
enum xs_frame_state xs_frame_feed(struct xs_frame *f, const char *src, uint32_t n,
                                  uint32_t *used);
void xs_frame_reset(struct xs_frame *f);
/* Bytes the current message still needs: the rest of its header, then the
 * rest of its payload (0 when DONE or TOO_LONG). A reader that takes no
 * more than this from a ring never takes a byte of the next message. */
uint32_t xs_frame_need(const struct xs_frame *f);
/* Has the header announced more than XENSTORE_PAYLOAD_MAX? */
bool xs_frame_too_long(const struct xs_frame *f);

/* A reply's outcome: 0 for a normal reply, -XEN_Exxx for an XS_ERROR
 * reply naming that error (-XEN_EINVAL for a name Xen does not send). */
int xs_frame_error(const struct xs_frame *f);

/* Bytes waiting to go out, whole messages only. */
#define XS_OUTQ_SIZE (4 * XS_MSG_MAX)
struct xs_outq {
    uint32_t head, len;                  /* a circular window over buf */
    char buf[XS_OUTQ_SIZE];
};

/* Queues header + payload as one message; false (nothing queued) when it
 * does not fit whole or is longer than XENSTORE_PAYLOAD_MAX. */
bool xs_outq_put(struct xs_outq *q, const struct xsd_sockmsg *hdr, const void *payload);
uint32_t xs_outq_room(const struct xs_outq *q);
/* The longest run of queued bytes that is contiguous in buf. */
const char *xs_outq_peek(const struct xs_outq *q, uint32_t *n);
/* Drops the first n queued bytes (they went out). */
void xs_outq_drop(struct xs_outq *q, uint32_t n);

#endif /* XS_FRAME_H */
