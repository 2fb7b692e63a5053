/*
 * multicall_batch.c: the multicall loop (multicall_loop.h) behind a call,
 * for ops known only at run time: the unit test's fakes
 * (tests/unit/test_multicall_batch.c), which so test the very loop the
 * hypervisor inlines into do_multicall (multicall.c).
 *
 * Invariants: none of its own; it is mc_run_inline, unchanged.
 */
#include "multicall_loop.h"

int64_t mc_run(const struct mc_ops *ops, void *ctx, bool *active, uint64_t calls,
               uint32_t nr_calls, struct mc_next *next)
{
    return mc_run_inline(ops, ctx, active, calls, nr_calls, next);
}
