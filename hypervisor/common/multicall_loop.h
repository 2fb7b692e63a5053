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

/* How many whole entries from calls (a guest address) lie in the guest's
 * half: each half's guest addresses are contiguous (guest_address.h), the
 * lower half's ending at 2^47, the upper half's at 2^64 (an array that
 * wraps past the top is not the guest's: Xen would read on at address 0,
 * which no guest means). Entry i's 64 bytes pass guest_range_ok exactly
 * when i is below this, so the loop checks a bound, not every entry. */
MC_INLINE uint64_t mc_entries_in_range(uint64_t calls)
{
    uint64_t room = calls >= HV_VIRT_END ? 0 - calls : (1ULL << 47) - calls;

    return room / MC_ENTRY_SIZE;
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
        *rc = ops->write(ctx, va, e, MC_ENTRY_USED) ? -EFAULT : mc_resume_at(next, i);
    } else if (disp == MC_PREEMPT) {
        *rc = mc_resume_at(next, i + 1);
    } else {
        return true;
    }
    return false;
}

/* mc_should_cut before entry i (i > 0) as the loop asks it: must_yield
 * every time, the clock (and the count, whose multiples are the clock's)
 * only before every MC_CLOCK_EVERY-th entry. */
_Static_assert(MC_CUT_ENTRIES % MC_CLOCK_EVERY == 0, "a count cut falls on a clock read");
MC_INLINE bool mc_cut_before(const struct mc_ops *ops, void *ctx, uint32_t i, uint64_t start)
{
    if (ops->must_yield(ctx))
        return true;
    return i % MC_CLOCK_EVERY == 0 && mc_should_cut(i, ops->now_ns(ctx) - start, false);
}

/* The entries past the guest's half are never read: the step ends with
 * -EFAULT where the first of them would run. */
MC_INLINE int64_t mc_run_entries(const struct mc_ops *ops, void *ctx, struct mc_next *next)
{
    uint64_t start, in_range;
    struct multicall_entry e;
    int64_t rc = 0;
    bool continued;
    uint32_t n;

    if (!guest_address_ok(next->calls))
        return -EFAULT;
    start = next->nr_calls > 1 ? ops->now_ns(ctx) : 0;
    in_range = mc_entries_in_range(next->calls);
    n = in_range < next->nr_calls ? (uint32_t)in_range : next->nr_calls;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t va = next->calls + (uint64_t)i * MC_ENTRY_SIZE;

        if (i && mc_cut_before(ops, ctx, i, start))
            return mc_resume_at(next, i);
        if (ops->read(ctx, va, &e))
            return -EFAULT;
        continued = ops->call(ctx, &e);
        if (!mc_answer_entry(ops, ctx, &e, continued, i, &rc, next))
            return rc;
    }
    return n < next->nr_calls ? -EFAULT : 0;
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
