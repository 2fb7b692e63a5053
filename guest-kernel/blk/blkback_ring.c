/*
 * Tern guest kernel: blkback's end of a block ring (see blkback_ring.h).
 *
 * Invariants: req_prod is read exactly once per decision, and the count
 * given is computed from that one copy; a frontend whose req_prod is more
 * than BLKIF_RING_SIZE past rsp_prod_pvt is refused (it would make us read
 * slots that hold requests we have not answered yet, or loop for ever);
 * a request is copied out of its slot whole before anyone looks at it,
 * after a barrier that orders it after the req_prod read; responses are
 * written before rsp_prod publishes them; the backend never answers more
 * requests than it took (rsp_prod_pvt never passes req_cons).
 */
#include "blk/blkback_ring.h"
#include "kernel/lib.h"

static RING_IDX read_once(const volatile RING_IDX *p)
{
    return *p;
}

void blkback_ring_init(struct blkback_ring *r, volatile struct blkif_sring *sring)
{
    r->sring = sring;
    r->req_cons = 0;
    r->rsp_prod_pvt = 0;
    r->rsp_published = 0;
}

uint32_t blkback_ring_pending(struct blkback_ring *r)
{
    RING_IDX prod = read_once(&r->sring->req_prod);
    uint32_t claimed = xen_ring_distance(prod, r->rsp_prod_pvt);   /* unanswered, says the frontend */
    uint32_t unanswered = xen_ring_distance(r->req_cons, r->rsp_prod_pvt);

    if (xen_ring_req_prod_lies(prod, r->rsp_prod_pvt, BLKIF_RING_SIZE))
        return BLKBACK_RING_LIED;
    if (claimed < unanswered)                   /* req_prod went back */
        return BLKBACK_RING_LIED;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* slots after req_prod */
    return claimed - unanswered;
}

bool blkback_ring_take(struct blkback_ring *r, struct blkif_request *req)
{
    uint32_t slot = xen_ring_slot(r->req_cons, BLKIF_RING_SIZE);

    if (xen_ring_distance(r->req_cons, r->rsp_prod_pvt) >= BLKIF_RING_SIZE)
        return false;

    memcpy(req, (const void *)&r->sring->ring[slot].req, sizeof(*req));
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* copied before the slot is reused */
    r->req_cons++;
    return true;
}

bool blkback_ring_respond(struct blkback_ring *r, uint64_t id, uint8_t op, int16_t status)
{
    uint32_t slot = xen_ring_slot(r->rsp_prod_pvt, BLKIF_RING_SIZE);
    struct blkif_response rsp = { .id = id, .operation = op, .status = status };

    if (r->rsp_prod_pvt == r->req_cons)
        return false;
    memcpy((void *)&r->sring->ring[slot].rsp, &rsp, sizeof(rsp));
    r->rsp_prod_pvt++;
    return true;
}

bool blkback_ring_push(struct blkback_ring *r)
{
    RING_IDX old = r->rsp_published, new = r->rsp_prod_pvt;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* responses before rsp_prod */
    r->sring->rsp_prod = new;
    r->rsp_published = new;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* rsp_prod before rsp_event */
    return xen_ring_need_notify(new, old, read_once(&r->sring->rsp_event));
}

uint32_t blkback_ring_final_check(struct blkback_ring *r)
{
    r->sring->req_event = r->req_cons + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* req_event before req_prod */
    return blkback_ring_pending(r);
}
