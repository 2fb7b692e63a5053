/*
 * memory_reservation.c: a PV domain growing and shrinking its memory:
 * memory_op increase_reservation (0), decrease_reservation (1) and
 * populate_physmap (6).
 *
 * Rules, as on Xen for a 64-bit PV guest:
 *  - the extent array is checked as a whole range of guest addresses before
 *    any element is touched (the XSA-212 lesson);
 *  - a domain never holds more than max_pages: an extent that would pass it
 *    ends the batch, and the call returns the number of extents done;
 *  - increase returns the new MFNs; populate takes pfns, returns MFNs and
 *    sets their M2P entries; decrease takes MFNs and frees frames that are
 *    no longer mapped or typed (a frame still in use ends the batch);
 *  - extents are 2^order frames, naturally aligned, order <= MAX_ORDER;
 *    mem_flags' address bits limit where frames come from;
 *  - the shared_info page (the hypervisor's, shared) can be given back
 *    only as Xen allows it: the guest loses it, the hypervisor keeps it
 *    until the domain's teardown (release_shared_page, page_types.c rule 8);
 *  - long batches continue through the start index in cmd's upper bits,
 *    after a bounded amount of work (WORK_BUDGET frames allocated and
 *    zeroed, or freed, at O(1) each), never a bounded number of extents:
 *    an order-9 extent is 512 frames to zero.
 */
#include "err.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "memory_op.h"
#include "vcpu_copy.h"
#include <public/memory.h>
#include <asm/paging.h>

#define MAX_ORDER     9                     /* 2 MiB extents, as Xen's domU limit */
#define WORK_BUDGET   512                   /* frames per hypercall: 2 MiB zeroed */

struct reservation_op {
    unsigned int cmd;
    struct xen_memory_reservation r;
    uint64_t start;                          /* first extent to process */
    uint64_t limit;                          /* machine frames must be below */
};

/* 0 and the request, -EFAULT if it cannot be read, or 1 when the batch
 * cannot start: then, as on Xen, the call reports 0 extents done rather
 * than an error (a bad array, order or domain). */
static int64_t read_reservation(struct vcpu *v, uint64_t arg, struct reservation_op *op)
{
    uint64_t bytes;

    if (vcpu_copy_from(v, &op->r, arg, sizeof(op->r)))
        return -EFAULT;
    if (op->r.domid != DOMID_SELF && op->r.domid != v->domain->id)
        return 1;                            /* one domain each: no other to change */
    if (op->r.extent_order > MAX_ORDER || op->start > op->r.nr_extents)
        return 1;
    bytes = op->r.nr_extents * sizeof(uint64_t);
    if (op->r.nr_extents > (1ULL << 40) || !guest_range_ok(op->r.extent_start, bytes))
        return 1;
    op->limit = machine_frames.nr_frames;
    if ((op->r.mem_flags & XENMEMF_address_bits_mask) > PAGE_SHIFT)
        op->limit = MIN(op->limit, 1ULL << ((op->r.mem_flags & XENMEMF_address_bits_mask) -
                                            PAGE_SHIFT));
    return 0;
}

/* Free an extent of n frames from first, all or none. */
static int give_back(struct domain *d, uint64_t first, uint64_t n)
{
    if (n == 1 && first < ftable.nr && (ftable.pages[first].flags & PGF_shared))
        return release_shared_page(&ftable, first, d->id);   /* not RAM: nr_pages stays */
    for (uint64_t k = 0; k < n; k++) {
        const struct page_info *pg = first + k < ftable.nr ? &ftable.pages[first + k] : NULL;
        if (!pg || pg->owner != d->id || pg->count || pg->type_count)
            return -EINVAL;
    }
    for (uint64_t k = 0; k < n; k++)
        if (domain_free_frame(d, first + k))
            return -EINVAL;
    d->nr_pages -= n;
    return 0;
}

/* One extent: 0, or a reason to stop the batch. */
static int one_extent(struct vcpu *v, struct reservation_op *op, uint64_t i)
{
    struct domain *d = v->domain;
    uint64_t slot = op->r.extent_start + i * sizeof(uint64_t), n = 1ULL << op->r.extent_order;
    uint64_t in = 0;
    int64_t mfn;

    if (op->cmd != XENMEM_increase_reservation && vcpu_copy_from(v, &in, slot, sizeof(in)))
        return -EFAULT;
    if (op->cmd == XENMEM_decrease_reservation)
        return give_back(d, in, n);
    if (d->nr_pages + n > d->max_pages)
        return -ENOMEM;
    mfn = domain_alloc_extent(d, op->r.extent_order, op->limit);
    if (mfn < 0)
        return -ENOMEM;
    d->nr_pages += n;
    for (uint64_t k = 0; k < n && op->cmd == XENMEM_populate_physmap; k++)
        m2p_set((uint64_t)mfn + k, in + k);
    return vcpu_copy_to(v, slot, &mfn, sizeof(mfn));
}

/* Whether extent i may start in this call, having done `work` frames:
 * the first always does; later ones while the budget lasts (and while i
 * can be encoded in a continuation). */
static bool within_budget(const struct reservation_op *op, uint64_t i, uint64_t work)
{
    uint64_t n = 1ULL << op->r.extent_order;

    return i == op->start || work + n <= WORK_BUDGET ||
           (i << MEMOP_EXTENT_SHIFT) >> MEMOP_EXTENT_SHIFT != i;
}

int64_t memory_reservation(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    struct reservation_op op = { .cmd = (unsigned int)(cmd & MEMOP_CMD_MASK),
                                 .start = cmd >> MEMOP_EXTENT_SHIFT };
    int64_t rc = read_reservation(v, arg, &op);
    uint64_t work = 0;

    if (rc)
        return rc < 0 ? rc : (int64_t)op.start;
    for (uint64_t i = op.start; i < op.r.nr_extents; i++) {
        if (!within_budget(&op, i, work)) {
            const struct hypercall_args next = {
                op.cmd | (i << MEMOP_EXTENT_SHIFT), arg, 0, 0, 0, NULL };
            hypercall_continue(v, &next);
            return 0;
        }
        if (one_extent(v, &op, i))
            return (int64_t)i;               /* extents done: the batch stops here */
        work += 1ULL << op.r.extent_order;
    }
    return (int64_t)op.r.nr_extents;
}
