/*
 * multicall_loop.h: the loop of a multicall (pure; multicall_batch.h says
 * the rules it enforces, Xen 4.17's).
 *
 * Why a header: the hypervisor's ops (multicall.c) are a constant table of
 * small functions; with the loop inlined into its caller the compiler
 * turns every ops-> call into the function's body, and a multicall entry
 * costs what its copies and its hypercall cost, not six indirect calls.
 * The unit test runs this same code through mc_run (multicall_batch.c).
 *
 * Invariants: every step runs at least one entry before it may be cut, so
 * a batch always progresses; an entry's result is written back before the
 * next entry is read; a continued batch names exactly the entries not yet
 * done (an entry continued on its own counts as not done); the flag that
 * refuses nesting is set for the whole step and cleared on every way out.
 */
#ifndef MULTICALL_LOOP_H
#define MULTICALL_LOOP_H

#include "multicall_batch.h"
#include "err.h"
#include "guest_address.h"

#define MC_ENTRY_SIZE sizeof(struct multicall_entry)
#define MC_INLINE     static inline __attribute__((always_inline))

MC_INLINE enum mc_disposition mc_disposition(uint64_t op, bool kernel_mode)
{
    if (op == __HYPERVISOR_iret)
        return MC_EXIT;
    return kernel_mode ? MC_CONTINUE : MC_PREEMPT;
}

/* Whether to end the step before entry i of it (i > 0), elapsed_ns after
 * the step began. Xen cuts on a pending softirq or event; the tick cannot
 * interrupt a hypercall here, so time and a count stand in for it: with
 * the count, a tick that falls inside a long batch finds a cut soon,
 * whatever the speed of the machine. */
MC_INLINE bool mc_should_cut(uint32_t i, uint64_t elapsed_ns, bool must_yield)
{
    return must_yield || i % MC_CUT_ENTRIES == 0 || elapsed_ns >= MC_CUT_NS;
}

/* next holds the step's own (calls, nr_calls) while it runs, resume
 * false; ending the step before entry i turns it into the continuation. */
MC_INLINE int64_t mc_resume_at(struct mc_next *next, uint32_t i)
{
    if (i < next->nr_calls) {
        next->calls += (uint64_t)i * MC_ENTRY_SIZE;
        next->nr_calls -= i;
        next->resume = true;
    }
    return 0;
}

/* Entry i of the array at calls. An array that runs off the guest's half
 * of the address space, or wraps past its top, is unreadable there (Xen
 * would read on at address 0 after a wrap: no guest means that). */
MC_INLINE int mc_read_entry(const struct mc_ops *ops, void *ctx, bool whole, uint64_t calls,
                            uint32_t i, struct multicall_entry *e)
{
    uint64_t va = calls + (uint64_t)i * MC_ENTRY_SIZE;

    if (!whole && (range_wraps(calls, ((uint64_t)i + 1) * MC_ENTRY_SIZE) ||
                   !guest_range_ok(va, MC_ENTRY_SIZE)))
        return -EFAULT;
    return ops->read(ctx, va, e);
}

/* The whole array checked once: then every entry in it is a guest range
 * too, and mc_read_entry need not check each (it does when this fails, so
 * the entries before the first bad one still run). */
MC_INLINE bool mc_array_ok(uint64_t calls, uint32_t nr_calls)
{
    uint64_t len = (uint64_t)nr_calls * MC_ENTRY_SIZE;

    return !range_wraps(calls, len) && guest_range_ok(calls, len);
}

MC_INLINE int mc_write_result(const struct mc_ops *ops, void *ctx, uint64_t va,
                              const struct multicall_entry *e)
{
    return ops->write(ctx, va + offsetof(struct multicall_entry, result), &e->result,
                      sizeof(e->result));
}

/* After entry i ran: write its answer back and say whether the step goes
 * on (true) or ends with *rc (and next, if the batch resumes). */
MC_INLINE bool mc_answer_entry(const struct mc_ops *ops, void *ctx,
                               const struct multicall_entry *e, bool continued, uint32_t i,
                               int64_t *rc, struct mc_next *next)
{
    uint64_t va = next->calls + (uint64_t)i * MC_ENTRY_SIZE;
    enum mc_disposition disp = mc_disposition(e->op, ops->kernel_mode(ctx));

    if (disp == MC_EXIT) {
        mc_write_result(ops, ctx, va, e);     /* best effort: the guest has moved on */
        *rc = (int32_t)e->result;             /* Xen 4.17 keeps it in an int */
    } else if (mc_write_result(ops, ctx, va, e)) {
        *rc = -EFAULT;
    } else if (continued) {                  /* this entry again, with its new args */
        *rc = ops->write(ctx, va, e, MC_ENTRY_SIZE) ? -EFAULT : mc_resume_at(next, i);
    } else if (disp == MC_PREEMPT) {
        *rc = mc_resume_at(next, i + 1);
    } else {
        return true;
    }
    return false;
}

/* The time the step has run before entry i, read only every
 * MC_CLOCK_EVERY entries (0 in between: no cut for time there). */
MC_INLINE uint64_t mc_step_elapsed(const struct mc_ops *ops, void *ctx, uint32_t i,
                                   uint64_t start)
{
    return i % MC_CLOCK_EVERY ? 0 : ops->now_ns(ctx) - start;
}

MC_INLINE int64_t mc_run_entries(const struct mc_ops *ops, void *ctx, struct mc_next *next)
{
    uint64_t start = next->nr_calls > 1 ? ops->now_ns(ctx) : 0;
    bool whole = mc_array_ok(next->calls, next->nr_calls);
    struct multicall_entry e;
    int64_t rc = 0;
    bool continued;

    if (!guest_address_ok(next->calls))
        return -EFAULT;
    for (uint32_t i = 0; i < next->nr_calls; i++) {
        if (i && mc_should_cut(i, mc_step_elapsed(ops, ctx, i, start), ops->must_yield(ctx)))
            return mc_resume_at(next, i);
        if (mc_read_entry(ops, ctx, whole, next->calls, i, &e))
            return -EFAULT;
        continued = ops->call(ctx, &e);
        if (!mc_answer_entry(ops, ctx, &e, continued, i, &rc, next))
            return rc;
    }
    return 0;
}

/* mc_run (multicall_batch.h) with ops the compiler can see through. */
MC_INLINE int64_t mc_run_inline(const struct mc_ops *ops, void *ctx, bool *active,
                                uint64_t calls, uint32_t nr_calls, struct mc_next *next)
{
    int64_t rc;

    *next = (struct mc_next){ false, calls, nr_calls };
    if (*active)
        return -EINVAL;                       /* nested: the outer batch goes on */
    *active = true;
    rc = mc_run_entries(ops, ctx, next);
    *active = false;
    return rc;
}

#endif /* MULTICALL_LOOP_H */
