/*
 * The shared request/response ring of Xen's split drivers (block, network,
 * ...): one page granted by the frontend to the backend. Layout and rules
 * are Xen's (xen/include/public/io/ring.h), written as plain structures and
 * small functions instead of Xen's generator macros. Permission is granted,
 * free of charge, to use, copy, modify and distribute this header for any
 * purpose (MIT licence).
 *
 * The page starts with a 64-byte header, then the ring's entries:
 *
 *   offset  field       written by   meaning
 *   0       req_prod    frontend     requests produced (free-running)
 *   4       req_event   backend      "notify me when req_prod passes this"
 *   8       rsp_prod    backend      responses produced (free-running)
 *   12      rsp_event   frontend     "notify me when rsp_prod passes this"
 *   16      pad[48]     nobody       (Xen once kept private fields here)
 *   64      ring[]      both         union of one request and one response
 *
 * A request slot is reused for its response: the backend answers in the
 * slot of a request it has consumed. The number of entries is the largest
 * power of two that fits in the rest of the page: (4096 - 64) / entry
 * size, rounded down (32 for the block protocol's 112-byte entries).
 * Indices are free-running 32-bit counters; an index's slot is
 * index & (size - 1), and differences are taken modulo 2^32.
 *
 * Rules every side must keep, because the other side is untrusted:
 *  1. Read each of the other side's indices once per decision and act on
 *     that copy (it may change at any time).
 *  2. Copy an entry out of the ring before checking it, and never read it
 *     again: the other side may rewrite it in the meantime.
 *  3. A backend refuses req_prod - rsp_prod_pvt > ring size (the frontend
 *     claims more requests than there are slots not holding an unanswered
 *     request): that frontend lies about its ring and is disconnected.
 *  4. Entries are written before the index that publishes them (a write
 *     barrier between), and read after the index (a read barrier).
 */
#ifndef PUBLIC_IO_RING_H
#define PUBLIC_IO_RING_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t RING_IDX;

#define XEN_RING_PAGE_SIZE   4096u
#define XEN_RING_HEADER_SIZE 64u

/* The header every shared ring page starts with (see the table above). */
struct xen_sring_header {
    RING_IDX req_prod, req_event;
    RING_IDX rsp_prod, rsp_event;
    uint8_t pad[48];
};

_Static_assert(sizeof(struct xen_sring_header) == XEN_RING_HEADER_SIZE,
               "ring header is 64 bytes");

/* The largest power of two not above n (0 for 0). */
static inline uint32_t xen_ring_round_down_pow2(uint32_t n)
{
    uint32_t p = 1;

    if (n == 0)
        return 0;
    while (p <= n / 2)
        p *= 2;
    return p;
}

/* Entries in a one-page ring whose entries are entry_size bytes. */
static inline uint32_t xen_ring_entries(uint32_t entry_size)
{
    return xen_ring_round_down_pow2((XEN_RING_PAGE_SIZE - XEN_RING_HEADER_SIZE) /
                                    entry_size);
}

/* The slot of a free-running index in a ring of size entries (a power of 2). */
static inline uint32_t xen_ring_slot(RING_IDX idx, uint32_t size)
{
    return idx & (size - 1);
}

/* How far prod is ahead of cons, modulo 2^32. */
static inline uint32_t xen_ring_distance(RING_IDX prod, RING_IDX cons)
{
    return (uint32_t)(prod - cons);
}

/* Backend, rule 3: does req_prod claim more requests than the ring holds,
 * counting those consumed but not yet answered (rsp_prod_pvt)? */
static inline bool xen_ring_req_prod_lies(RING_IDX req_prod, RING_IDX rsp_prod_pvt,
                                          uint32_t size)
{
    return xen_ring_distance(req_prod, rsp_prod_pvt) > size;
}

/* After publishing new_prod (the old value was old_prod), must the other
 * side be notified? Yes when its event index lies in (old_prod, new_prod]. */
static inline bool xen_ring_need_notify(RING_IDX new_prod, RING_IDX old_prod, RING_IDX event)
{
    return xen_ring_distance(new_prod, event) < xen_ring_distance(new_prod, old_prod);
}

#endif /* PUBLIC_IO_RING_H */
