/*
 * Tern guest kernel: one direction of a shared byte ring, as the PV
 * console (public/io/console.h) and xenstore (public/io/xs_wire.h) pages
 * hold them: a power-of-two array and two free-running 32-bit indices,
 * the consumer's and the producer's, each written by one side only. Pure:
 * no hypercall, no notification; the caller maps the page and signals.
 *
 * Invariants: each shared index is read exactly once per call (the other
 * side may change it at any moment, so a second read could disagree with
 * the check); a call refuses indices with prod - cons above the ring's
 * size (the other side lied: the caller disconnects it) and then neither
 * moves nor copies anything; bytes are copied before the index that
 * releases them is written, with a full barrier between.
 */
#ifndef GUEST_BYTE_RING_H
#define GUEST_BYTE_RING_H

#include <stdbool.h>
#include <stdint.h>

struct byte_ring {
    volatile char *buf;
    uint32_t size;                      /* a power of two */
    volatile uint32_t *cons, *prod;
};

/* What one call saw: the indices as read once, the bytes it moved, and
 * whether prod - cons exceeded the size. */
struct ring_io {
    uint32_t cons, prod;
    uint32_t moved;
    bool lying;
};

/* After a read that moved bytes: may the producer be waiting for room?
 * It may if it filled the ring up to the consumer index this read
 * started from; prod is read again here, after the read released the
 * bytes, so a producer that filled the ring while we were reading (and
 * then blocked) is seen, and one that had not yet looked sees the room we
 * made: either way no wake-up is lost. Otherwise no notification is due
 * (one per read would wake the other side for nothing). */
bool ring_was_full(const struct byte_ring *r, struct ring_io io);

/* Consumer: copies up to max bytes into dst and advances *cons by them. */
struct ring_io byte_ring_read(const struct byte_ring *r, char *dst, uint32_t max);

/* Producer: puts up to len bytes of src where there is room and advances
 * *prod by them. */
struct ring_io byte_ring_write(const struct byte_ring *r, const char *src, uint32_t len);

#endif /* GUEST_BYTE_RING_H */
