/*
 * memory_exchange.c: XENMEM_exchange (11), as Xen's memory_exchange: a PV
 * domain trades frames of its own for new ones, which Linux uses to get
 * machine-contiguous memory below 4 GiB (xen_create_contiguous_region, its
 * swiotlb). The request's checks and chunking are exchange_plan.c's;
 * public/memory.h states the interface. Here:
 *  1. only the caller's own frames (DOMID_SELF or its id); naming another
 *     domain is -EPERM (Xen lets a privileged caller act for others),
 *     naming none -ESRCH;
 *  2. orders up to MAX_ORDER for every domain (Xen may allow a privileged
 *     one more): a chunk is at most 512 frames, checked pairwise for
 *     duplicates in a static buffer (one CPU, hypercalls never nest);
 *  3. a chunk is checked whole before anything changes: every input frame
 *     the domain's and unused (what domain_free_frame demands), none
 *     listed twice; then all its output extents are allocated (none kept
 *     on -ENOMEM); only then are the inputs freed and the outputs given,
 *     their M2P entries set to the pfns `out` lists (a list entry that
 *     cannot be read leaves the M2P invalid, where Xen ignores the fault)
 *     and their MFNs written back; the domain's size never changes;
 *  4. nr_exchanged goes back to the guest on every return after the
 *     request was read, counting whole chunks only (a chunk whose MFNs
 *     could not be written back is done but not counted, -EFAULT, as on
 *     Xen); after WORK_BUDGET frames the call continues itself.
 */
#include "err.h"
#include "exchange_plan.h"
#include "hypercall.h"
#include "memory_op.h"
#include "memory_setup.h"
#include "vcpu_copy.h"
#include <public/memory.h>
#include <asm/paging.h>

#define MAX_ORDER    9
#define MAX_CHUNK    (1u << MAX_ORDER)
#define WORK_BUDGET  512                     /* frames per call */

struct exchange {
    struct vcpu *v;
    uint64_t arg, limit;
    struct xen_memory_exchange x;
    struct exchange_plan p;
};

/* Rule 2: one chunk's input frames and output extents (first frames). */
static uint64_t chunk_in[MAX_CHUNK];
static int64_t chunk_out[MAX_CHUNK];

/* nr_exchanged, back to the guest: rc, or -EFAULT. */
static int64_t report(struct exchange *e, uint64_t nr_exchanged, int64_t rc)
{
    e->x.nr_exchanged = nr_exchanged;
    if (vcpu_copy_to(e->v, e->arg + offsetof(struct xen_memory_exchange, nr_exchanged),
                      &e->x.nr_exchanged, sizeof(e->x.nr_exchanged)))
        return -EFAULT;
    return rc;
}

static bool unused_frame(const struct domain *d, uint64_t mfn)
{
    const struct page_info *pg = mfn < ftable.nr ? &ftable.pages[mfn] : NULL;

    return pg && pg->owner == d->id && !pg->count && !pg->type_count &&
           !(pg->flags & PGF_shared);
}

static bool listed(uint64_t mfn, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        if (chunk_in[i] == mfn)
            return true;
    return false;
}

/* Rule 3, first half: chunk c's input frames into chunk_in. 0, -EFAULT, -EINVAL. */
static int read_inputs(struct exchange *e, uint64_t c)
{
    uint64_t per = 1ULL << e->p.in_chunk_order, n = 1ULL << e->x.in.extent_order, gmfn;
    unsigned int got = 0;

    for (uint64_t j = 0; j < per; j++) {
        if (vcpu_copy_from(e->v, &gmfn, e->x.in.extent_start + (c * per + j) * 8, 8))
            return -EFAULT;
        for (uint64_t k = 0; k < n; k++) {
            if (gmfn + k < gmfn || !unused_frame(e->v->domain, gmfn + k) || listed(gmfn + k, got))
                return -EINVAL;
            chunk_in[got++] = gmfn + k;
        }
    }
    return 0;
}

/* Rule 3: chunk c's output extents, all or none (their first frames). */
static int alloc_outputs(struct exchange *e, int64_t *first, uint64_t per)
{
    uint64_t n = 1ULL << e->x.out.extent_order;

    for (uint64_t j = 0; j < per; j++) {
        first[j] = domain_alloc_extent(e->v->domain, e->x.out.extent_order, e->limit);
        if (first[j] >= 0)
            continue;
        while (j--)
            for (uint64_t k = 0; k < n; k++)
                domain_free_frame(e->v->domain, (uint64_t)first[j] + k);
        return -ENOMEM;
    }
    return 0;
}

/* Rule 3, second half: the outputs get their pfns; their MFNs go back. */
static int give_outputs(struct exchange *e, uint64_t c, const int64_t *first, uint64_t per)
{
    uint64_t n = 1ULL << e->x.out.extent_order, gpfn, slot;
    int rc = 0;

    for (uint64_t j = 0; j < per; j++) {
        slot = e->x.out.extent_start + (c * per + j) * 8;
        if (vcpu_copy_from(e->v, &gpfn, slot, 8))
            gpfn = M2P_INVALID;
        for (uint64_t k = 0; k < n; k++)
            m2p_set((uint64_t)first[j] + k, gpfn == M2P_INVALID ? M2P_INVALID : gpfn + k);
        if (vcpu_copy_to(e->v, slot, &first[j], 8))
            rc = -EFAULT;
    }
    return rc;
}

static int one_chunk(struct exchange *e, uint64_t c)
{
    uint64_t per_out = 1ULL << e->p.out_chunk_order;
    int rc = read_inputs(e, c);

    if (rc || (rc = alloc_outputs(e, chunk_out, per_out)))
        return rc;
    for (uint64_t i = 0; i < e->p.frames_per_chunk; i++)
        domain_free_frame(e->v->domain, chunk_in[i]);   /* unused (checked): cannot fail */
    return give_outputs(e, c, chunk_out, per_out);
}

/* Rule 1, and the lists within guest addresses: 0 or Xen's error. */
static int64_t check_request(struct exchange *e)
{
    const struct domain *d = e->v->domain;
    uint64_t bits = e->x.out.mem_flags & XENMEMF_address_bits_mask;

    if (e->x.in.nr_extents > (1ULL << 40) || e->x.out.nr_extents > (1ULL << 40) ||
        !guest_range_ok(e->x.in.extent_start, e->x.in.nr_extents * 8) ||
        !guest_range_ok(e->x.out.extent_start, e->x.out.nr_extents * 8))
        return -EFAULT;
    if (e->x.in.domid != DOMID_SELF && e->x.in.domid != d->id)
        return domain_by_id(e->x.in.domid) ? -EPERM : -ESRCH;
    e->limit = machine_frames.nr_frames;
    if (bits > PAGE_SHIFT && bits - PAGE_SHIFT < 64)
        e->limit = MIN(e->limit, 1ULL << (bits - PAGE_SHIFT));
    return 0;
}

/* The chunks left, WORK_BUDGET frames at a time (rule 4). */
static int64_t run_chunks(struct exchange *e)
{
    uint64_t work = 0;
    int rc;

    for (uint64_t c = e->p.first_chunk; c < e->p.nr_chunks; c++) {
        if (c != e->p.first_chunk && work + e->p.frames_per_chunk > WORK_BUDGET) {
            const struct hypercall_args next = { XENMEM_exchange, e->arg, 0, 0, 0, NULL };
            int64_t r = report(e, c << e->p.in_chunk_order, 0);
            if (r == 0)
                hypercall_continue(e->v, &next);
            return r;
        }
        rc = one_chunk(e, c);
        if (rc)
            return report(e, c << e->p.in_chunk_order, rc);
        work += e->p.frames_per_chunk;
    }
    return report(e, e->x.in.nr_extents, 0);
}

int64_t memory_exchange(struct vcpu *v, uint64_t arg)
{
    struct exchange e = { .v = v, .arg = arg };
    int64_t rc;

    if (vcpu_copy_from(v, &e.x, arg, sizeof(e.x)))
        return -EFAULT;
    rc = exchange_plan(&e.x, MAX_ORDER, &e.p);
    if (!rc)
        rc = check_request(&e);
    if (rc)
        return report(&e, e.x.nr_exchanged, rc);
    return run_chunks(&e);
}
