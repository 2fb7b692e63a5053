/*
 * exchange_plan.c: the checks XENMEM_exchange makes before touching a
 * frame, in Xen's order (xen/common/memory.c memory_exchange), and the
 * chunking. Pure.
 *  1. an extent order above max_order: -EINVAL (Xen 4.17 answers an order
 *     of 13 so, guest test memory_exchange; newer Xen says -EPERM);
 *  2. nr_exchanged past in.nr_extents, in and out naming other domains,
 *     a list whose frame count overflows, or in and out counting different
 *     frames: -EINVAL;
 *  3. a chunk is 2^max(in, out order) frames: 2^(out - in) input extents
 *     for one output extent, or one input for 2^(in - out) outputs (rule
 *     2 makes in.nr_extents a whole number of chunks); work resumes at the
 *     chunk nr_exchanged falls in, as Xen rounds it down.
 */
#include "exchange_plan.h"
#include "err.h"

static bool overflows(uint64_t n, unsigned int order)
{
    return (UINT64_MAX >> order) < n;
}

int exchange_plan(const struct xen_memory_exchange *x, unsigned int max_order,
                  struct exchange_plan *p)
{
    const struct xen_memory_reservation *in = &x->in, *out = &x->out;

    if (MAX(in->extent_order, out->extent_order) > max_order)
        return -EINVAL;
    if (x->nr_exchanged > in->nr_extents || in->domid != out->domid ||
        overflows(in->nr_extents, in->extent_order) ||
        overflows(out->nr_extents, out->extent_order) ||
        (in->nr_extents << in->extent_order) != (out->nr_extents << out->extent_order))
        return -EINVAL;
    p->in_chunk_order = in->extent_order < out->extent_order ?
                        out->extent_order - in->extent_order : 0;
    p->out_chunk_order = in->extent_order > out->extent_order ?
                         in->extent_order - out->extent_order : 0;
    p->first_chunk = x->nr_exchanged >> p->in_chunk_order;
    p->nr_chunks = in->nr_extents >> p->in_chunk_order;
    p->frames_per_chunk = 1ULL << MAX(in->extent_order, out->extent_order);
    return 0;
}
