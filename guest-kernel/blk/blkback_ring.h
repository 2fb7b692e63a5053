/*
 * Tern guest kernel: blkback's end of a frontend's block ring
 * (public/io/blkif.h, public/io/ring.h), pure: no hypercall, no event.
 * The glue maps the ring page, sends the notifications and disconnects a
 * frontend whose ring lies.
 *
 * Consuming: blkback_ring_pending() reads req_prod once and answers how
 * many requests may be taken now, or that the frontend lied (req_prod
 * more than the ring's size past the responses given); the glue then
 * takes that many with blkback_ring_take(), each copied out of its slot
 * once, and never touches the slot again until it answers. Answering:
 * blkback_ring_respond() fills the next response slot, blkback_ring_push()
 * publishes them and says whether to notify. Before blocking,
 * blkback_ring_final_check() asks for an event at the next request and
 * looks once more, so no request is missed.
 */
#ifndef GUEST_BLKBACK_RING_H
#define GUEST_BLKBACK_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/blkif.h>

/* The backend's private view of one ring. */
struct blkback_ring {
    volatile struct blkif_sring *sring;   /* the frontend's page, mapped */
    RING_IDX req_cons;       /* next request to take */
    RING_IDX rsp_prod_pvt;   /* next response slot (published by push) */
    RING_IDX rsp_published;  /* the rsp_prod we last wrote (the shared
                                copy is the frontend's to scribble on) */
};

/* A lying ring: the caller must disconnect the frontend. */
#define BLKBACK_RING_LIED UINT32_MAX

/* Starts consuming a fresh ring (all indices 0, as the frontend set). */
void blkback_ring_init(struct blkback_ring *r, volatile struct blkif_sring *sring);

/* Requests that may be taken now (0..BLKIF_RING_SIZE), after reading
 * req_prod once; BLKBACK_RING_LIED if it claims more than the ring holds. */
uint32_t blkback_ring_pending(struct blkback_ring *r);

/* Copies the request at req_cons into *req (one read of the slot) and
 * advances req_cons. Only after blkback_ring_pending() gave a count > 0;
 * false (nothing taken) if BLKIF_RING_SIZE requests are already taken and
 * unanswered: the next slot still holds one of them. */
bool blkback_ring_take(struct blkback_ring *r, struct blkif_request *req);

/* Writes a response into the next response slot (not yet published).
 * False (nothing written) if every taken request was already answered. */
bool blkback_ring_respond(struct blkback_ring *r, uint64_t id, uint8_t op, int16_t status);

/* Publishes the responses written; true if the frontend must be notified. */
bool blkback_ring_push(struct blkback_ring *r);

/* Nothing pending: sets req_event so the next request notifies us, then
 * looks again. Returns blkback_ring_pending()'s answer. */
uint32_t blkback_ring_final_check(struct blkback_ring *r);

#endif /* GUEST_BLKBACK_RING_H */
