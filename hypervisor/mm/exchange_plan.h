/*
 * XENMEM_exchange's arithmetic (exchange_plan.c, pure): whether a request
 * is well-formed, and how it splits into chunks.
 */
#ifndef EXCHANGE_PLAN_H
#define EXCHANGE_PLAN_H

#include "lib.h"
#include <public/memory.h>

struct exchange_plan {
    unsigned int in_chunk_order;     /* input extents per chunk: 2^this */
    unsigned int out_chunk_order;    /* output extents per chunk: 2^this */
    uint64_t first_chunk, nr_chunks; /* chunks [first_chunk, nr_chunks) remain */
    uint64_t frames_per_chunk;
};

/* 0 and *p, or Xen 4.17's answer, -EINVAL: an order past max_order, the
 * sizes, the domains or nr_exchanged. A request with nothing left is
 * valid (first_chunk == nr_chunks). */
int exchange_plan(const struct xen_memory_exchange *x, unsigned int max_order,
                  struct exchange_plan *p);

#endif /* EXCHANGE_PLAN_H */
