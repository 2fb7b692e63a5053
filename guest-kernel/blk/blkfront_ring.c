/*
 * Tern guest kernel: blkfront's end of a block ring (see blkfront_ring.h).
 * Invariants: never more than BLKIF_RING_SIZE requests unanswered (a put
 * on a full ring is refused); a request is written whole before req_prod
 * publishes it; rsp_prod is read once per decision and a value more than
 * the requests published past rsp_cons (or behind it) is a lie, reported
 * and never followed; a response is copied out of its slot before the
 * slot may be reused.
 */
#include "blk/blkfront_ring.h"
#include "kernel/lib.h"

void blkfront_ring_init(struct blkfront_ring *r, volatile struct blkif_sring *sring)
{
    sring->req_prod = 0;
    sring->rsp_prod = 0;
    sring->req_event = 1;
    sring->rsp_event = 1;
    r->sring = sring;
    r->req_prod_pvt = 0;
    r->req_published = 0;
    r->rsp_cons = 0;
}

uint32_t blkfront_ring_free(const struct blkfront_ring *r)
{
    return BLKIF_RING_SIZE - xen_ring_distance(r->req_prod_pvt, r->rsp_cons);
}

bool blkfront_ring_put(struct blkfront_ring *r, const struct blkif_request *req)
{
    uint32_t slot = xen_ring_slot(r->req_prod_pvt, BLKIF_RING_SIZE);

    if (blkfront_ring_free(r) == 0)
        return false;
    memcpy((void *)&r->sring->ring[slot].req, req, sizeof(*req));
    r->req_prod_pvt++;
    return true;
}

bool blkfront_ring_push(struct blkfront_ring *r)
{
    RING_IDX old = r->req_published, new = r->req_prod_pvt;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* requests before req_prod */
    r->sring->req_prod = new;
    r->req_published = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* req_prod before req_event */
    return xen_ring_need_notify(new, old, r->sring->req_event);
}

enum blkfront_take blkfront_ring_take(struct blkfront_ring *r, struct blkif_response *rsp)
{
    RING_IDX prod = r->sring->rsp_prod;
    uint32_t slot = xen_ring_slot(r->rsp_cons, BLKIF_RING_SIZE);

    if (xen_ring_distance(prod, r->rsp_cons) > xen_ring_distance(r->req_published, r->rsp_cons))
        return BLKFRONT_LIED;
    if (prod == r->rsp_cons)
        return BLKFRONT_NONE;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the slot after rsp_prod */
    memcpy(rsp, (const void *)&r->sring->ring[slot].rsp, sizeof(*rsp));
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* copied before it is reused */
    r->rsp_cons++;
    return BLKFRONT_TOOK;
}

bool blkfront_ring_final_check(struct blkfront_ring *r)
{
    r->sring->rsp_event = r->rsp_cons + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* rsp_event before rsp_prod */
    return r->sring->rsp_prod != r->rsp_cons;
}
