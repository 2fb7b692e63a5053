/*
 * The loop of a multicall and its decisions (multicall_batch.c, pure).
 *
 * The runner (multicall_loop.h) reads, runs and answers the entries of one
 * multicall step through struct mc_ops, which the hypervisor backs with
 * guest memory and the hypercall table (multicall.c) and the unit test with
 * fakes. What it
 * decides, as Xen 4.17's do_multicall does:
 *  - a multicall inside a multicall is refused (-EINVAL);
 *  - calls must be a guest address, even for 0 entries (-EFAULT);
 *  - entry i is read just before it runs; an unreadable one ends the batch
 *    with -EFAULT, and so does a result that cannot be written back;
 *  - an iret ends the batch, returning what the iret returned (XSA-213),
 *    cut to an int as Xen's do_multicall does (the guest resumes with the
 *    frame's rax sign-extended from its low 32 bits; its entry holds all);
 *    any other entry after which the guest is no longer in kernel mode
 *    ends the step, and the batch continues at the next entry;
 *  - an entry that asked for its own continuation is written back (its
 *    new arguments; all but args[5], MC_ENTRY_USED) and the batch
 *    continues at that same entry;
 *  - between two entries, never before the first of a step, the step ends
 *    when something else must run (mc_should_cut), and the batch continues
 *    at the entry not yet run; must_yield is asked before every entry (as
 *    Xen's hypercall_preempt_check), the clock only before every
 *    MC_CLOCK_EVERY-th (each entry is bounded by its own hypercall's
 *    preemption, so a step overruns MC_CUT_NS by at most that many
 *    entries, and the others pay no clock read).
 * A continuation is returned in struct mc_next; the caller turns it into a
 * hypercall continuation of the multicall.
 */
#ifndef MULTICALL_BATCH_H
#define MULTICALL_BATCH_H

#include "lib.h"
#include <public/xen.h>

#define MC_CUT_ENTRIES 128             /* at most this many entries a step */
#define MC_CUT_NS      1000000ULL      /* or 1 ms, the hypervisor's tick */
#define MC_CLOCK_EVERY 8               /* the clock read before every 8th entry */

/* What of an entry is read and written back: op, result and args[0..4].
 * No hypercall takes a sixth argument (Xen's x86-64 ABI passes five), so
 * args[5] is never read: the hypervisor lends its slot to the call, and
 * a continued entry is written back without it (the guest's stays). */
#define MC_ENTRY_USED  offsetof(struct multicall_entry, args[5])

struct mc_ops {
    /* Copy the entry at va in, its first MC_ENTRY_USED bytes: 0, or
     * -EFAULT. The runner calls read and write only for ranges inside the
     * entry it checked (guest_range_ok), so they need not check the range
     * again. */
    int (*read)(void *ctx, uint64_t va, struct multicall_entry *e);
    /* Copy len bytes out to va: 0, or -EFAULT. */
    int (*write)(void *ctx, uint64_t va, const void *src, size_t len);
    /* Run e's hypercall and set e->result. True when the call asked to be
     * continued: e->args then hold its new arguments. */
    bool (*call)(void *ctx, struct multicall_entry *e);
    /* Whether the guest still runs in kernel mode. */
    bool (*kernel_mode)(void *ctx);
    /* Whether something else must run before another entry: the vCPU
     * blocked or yielded, a domain stopped, an event is deliverable. */
    bool (*must_yield)(void *ctx);
    uint64_t (*now_ns)(void *ctx);
};

/* Where the batch goes on: calls and nr_calls mean something only when
 * resume is set. */
struct mc_next {
    bool resume;
    uint64_t calls;                    /* the first entry not done */
    uint32_t nr_calls;                 /* entries left from there */
};

/* What follows a call: the next entry, the end of the batch (iret), or
 * the end of the step (the guest left kernel mode). */
enum mc_disposition {
    MC_CONTINUE,
    MC_EXIT,
    MC_PREEMPT,
};

/*
 * Run one step of the multicall (calls, nr_calls) with *active as the
 * vCPU's "inside a multicall" flag. Returns the multicall's result; when
 * next->resume is set, the batch is to continue from next->calls. This is
 * multicall_loop.h's mc_run_inline behind a call, for callers whose ops
 * are not known at compile time (the unit test's fakes).
 */
int64_t mc_run(const struct mc_ops *ops, void *ctx, bool *active, uint64_t calls,
               uint32_t nr_calls, struct mc_next *next);

#endif /* MULTICALL_BATCH_H */
