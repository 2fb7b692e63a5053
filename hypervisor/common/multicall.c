/*
 * multicall.c: multicall (#13), several hypercalls in one.
 *
 * The loop and its rules are multicall_loop.h's; this file backs them
 * with the calling vCPU: an entry is read with one rep movsq of its 56
 * used bytes (guest_copy_words) and answered with one store
 * (guest_store_u64), each falling back to vcpu_copy.h's walk; each entry
 * runs through the same table as a direct hypercall (hypercall_table),
 * and the step ends early when the scheduler wants the CPU or an event
 * can be delivered. The ops are a constant table of static functions and
 * the loop is inlined here, so the compiler calls none of them through a
 * pointer: the per-entry cost is the copies and the hypercall.
 *
 * Invariants: entries are read and answered through the guest's own
 * virtual addresses, directly while its kernel root is the one in CR3
 * (the runner checked the range, mc_entries_in_range; a fault takes the
 * instruction's exception-table fixup) and through the checked walk
 * otherwise or after a fault; no translation is kept from one access to
 * the next, so an entry that remaps the array or loads another root is
 * seen by the next access (the one thing kept is the vcpu_info pointer,
 * taken again after a vcpu_op, the call that moves it); a continuation an
 * entry asked for never reaches the guest's registers (it is moved into
 * the entry, and the multicall is continued instead); args[5] is never
 * read nor written back, so the regs pointer in its slot never leaks.
 */
#include "err.h"
#include "hypercall.h"
#include "multicall_loop.h"
#include "sched.h"
#include "timer.h"
#include "vcpu_copy.h"
#include <asm/guest_traps.h>

struct mc_vcpu {
    struct vcpu *v;
    struct cpu_regs *regs;               /* the guest frame, for an iret entry */
    const struct vcpu_info *vi;          /* v's, for must_yield (see mc_call) */
};

/* Entries are read and answered as the one-call copies do (vcpu_copy.h),
 * without their range check: the runner checked the entry's range
 * (struct mc_ops). Direct, with one rep movsq, while the kernel root is
 * loaded; the walk otherwise or on a fault. */
MC_INLINE int mc_read(void *ctx, uint64_t va, struct multicall_entry *e)
{
    const struct mc_vcpu *m = ctx;

    if (read_cr3() == m->v->cr3 &&
        guest_copy_words((uint64_t *)e, (const uint64_t *)va, MC_ENTRY_USED / 8) == 0)
        return 0;
    return vcpu_copy_from_walk(m->v, e, va, MC_ENTRY_USED);
}

/* A result is one store (len is a constant once inlined): it writes all
 * or, faulting, nothing, wherever the page ends. A continued entry is
 * copied direct only within one page, for the same all-or-nothing. */
MC_INLINE int mc_write(void *ctx, uint64_t va, const void *src, size_t len)
{
    const struct mc_vcpu *m = ctx;
    bool direct = read_cr3() == m->v->cr3;

    if (len == sizeof(uint64_t)) {
        if (direct && guest_store_u64((uint64_t *)va, *(const uint64_t *)src) == 0)
            return 0;
    } else if (direct && (va & (PAGE_SIZE - 1)) + len <= PAGE_SIZE &&
               guest_copy_raw((void *)va, src, len) == 0) {
        return 0;
    }
    return vcpu_copy_to_walk(m->v, va, src, len);
}

/* The entry as the handler sees it: its five arguments are already a
 * struct hypercall_args in place, whose last field (regs) borrows the
 * unused sixth argument's slot for the call. This saves copying the
 * arguments out for every entry. */
union mc_call_view {
    struct multicall_entry e;
    struct {
        uint64_t op, result;
        struct hypercall_args a;
    } h;
};
_Static_assert(offsetof(union mc_call_view, h.a) == offsetof(struct multicall_entry, args) &&
               offsetof(struct hypercall_args, regs) == 5 * sizeof(uint64_t) &&
               sizeof(struct hypercall_args) == sizeof(((struct multicall_entry *)0)->args),
               "hypercall_args overlays a multicall entry's six arguments");

/* Run e through the hypercall table, as a direct hypercall. args[5] is
 * never read nor written back (MC_ENTRY_USED): regs takes its slot and
 * the guest never sees it. An entry that asked to be continued gets its
 * continuation's arguments. VCPUOP_register_vcpu_info is the one call
 * that moves v's vcpu_info, so after a vcpu_op must_yield's pointer is
 * taken again. */
MC_INLINE bool mc_call(void *ctx, struct multicall_entry *e)
{
    struct mc_vcpu *m = ctx;
    union mc_call_view *c = (union mc_call_view *)e;
    hypercall_fn fn = e->op < NR_HYPERCALLS ? hypercall_table[e->op] : NULL;

    c->h.a.regs = m->regs;
    e->result = (uint64_t)(fn ? fn(m->v, &c->h.a) : hypercall_unknown(m->v, e->op));
    if (unlikely(e->op == __HYPERVISOR_vcpu_op))
        m->vi = vcpu_info_of(m->v);
    if (!m->v->continuation)
        return false;
    m->v->continuation = false;
    memcpy(e->args, m->v->continuation_args, sizeof(m->v->continuation_args));
    return true;
}

MC_INLINE bool mc_kernel_mode(void *ctx)
{
    const struct mc_vcpu *m = ctx;

    return m->v->kernel_mode;
}

/* As Xen's hypercall_preempt_check: the scheduler has work (a block, a
 * yield, a shutdown, a pause) or an event is deliverable. Two byte tests
 * when nothing is: sched_exit_work and the vcpu_info's upcall_pending,
 * through the pointer the step keeps (mc_call). */
MC_INLINE bool mc_must_yield(void *ctx)
{
    const struct mc_vcpu *m = ctx;

    return !sched_current_goes_on() ||
           (m->vi->evtchn_upcall_pending && !m->vi->evtchn_upcall_mask);
}

MC_INLINE uint64_t mc_now(void *ctx)
{
    (void)ctx;
    return now_ns();
}

static const struct mc_ops mc_vcpu_ops = {
    mc_read, mc_write, mc_call, mc_kernel_mode, mc_must_yield, mc_now,
};

int64_t do_multicall(struct vcpu *v, const struct hypercall_args *a)
{
    struct mc_vcpu m = { .v = v, .regs = a->regs, .vi = vcpu_info_of(v) };
    struct mc_next next;
    int64_t rc;

    rc = mc_run_inline(&mc_vcpu_ops, &m, &v->in_multicall, a->a1, (uint32_t)a->a2, &next);
    if (next.resume) {
        const struct hypercall_args again = { next.calls, next.nr_calls, 0, 0, 0, NULL };
        hypercall_continue(v, &again);
    }
    return rc;
}
