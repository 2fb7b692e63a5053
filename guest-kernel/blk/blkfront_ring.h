/*
 * Tern guest kernel: blkfront's end of a block ring (public/io/blkif.h,
 * public/io/ring.h), pure: no hypercall, no event. The glue grants the
 * page, sends the notifications and closes a device whose backend lies.
 *
 * Producing: blkfront_ring_free() says how many requests fit (the ring
 * holds BLKIF_RING_SIZE unanswered ones), blkfront_ring_put() writes one
 * into its slot, blkfront_ring_push() publishes them and says whether to
 * notify. Consuming: blkfront_ring_take() reads rsp_prod once and copies
 * one response out; a backend that claims more responses than requests
 * were pushed is a liar. blkfront_ring_final_check() asks for an event at
 * the next response before the glue blocks.
 */
#ifndef GUEST_BLKFRONT_RING_H
#define GUEST_BLKFRONT_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/blkif.h>

struct blkfront_ring {
    volatile struct blkif_sring *sring;   /* our page, granted to the backend */
    RING_IDX req_prod_pvt;                /* next request slot */
    RING_IDX req_published;               /* the req_prod we last wrote */
    RING_IDX rsp_cons;                    /* next response to take */
};

enum blkfront_take { BLKFRONT_NONE, BLKFRONT_TOOK, BLKFRONT_LIED };

/* Sets up a fresh ring in sring (indices 0, event indices 1). */
void blkfront_ring_init(struct blkfront_ring *r, volatile struct blkif_sring *sring);

/* Requests that may be put now (0..BLKIF_RING_SIZE). */
uint32_t blkfront_ring_free(const struct blkfront_ring *r);

/* Writes req into the next slot (not yet published); false when full. */
bool blkfront_ring_put(struct blkfront_ring *r, const struct blkif_request *req);

/* Publishes the requests put; true if the backend must be notified. */
bool blkfront_ring_push(struct blkfront_ring *r);

/* The next response into *rsp, if the backend has published one. */
enum blkfront_take blkfront_ring_take(struct blkfront_ring *r, struct blkif_response *rsp);

/* Sets rsp_event so the next response notifies us, then looks again:
 * true if a response is already there. */
bool blkfront_ring_final_check(struct blkfront_ring *r);

#endif /* GUEST_BLKFRONT_RING_H */
