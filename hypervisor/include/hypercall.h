/*
 * Hypercall dispatch (hypercall.c) and the handlers' common shape.
 *
 * Every handler takes the calling vCPU explicitly and the five argument
 * registers (rdi, rsi, rdx, r10, r8) as untrusted numbers; it returns the
 * value for rax: 0 or a positive result, or a negative Xen errno.
 */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include "domain.h"
#include "guest_memory.h"
#include <asm/regs.h>

#define NR_HYPERCALLS 64

struct hypercall_args {
    uint64_t a1, a2, a3, a4, a5;
    struct cpu_regs *regs;       /* the guest frame, for iret only */
};

typedef int64_t (*hypercall_fn)(struct vcpu *v, const struct hypercall_args *a);

/* The handler for nr, or NULL (the guest then gets -ENOSYS). */
hypercall_fn hypercall_lookup(uint64_t nr);
/* Run hypercall nr for v, as from the guest's syscall or a multicall
 * entry: its handler's result, or -ENOSYS for a number with none. */
int64_t hypercall_call(struct vcpu *v, uint64_t nr, const struct hypercall_args *a);
/* The table behind hypercall_lookup, read directly by do_hypercall. */
extern const hypercall_fn hypercall_table[NR_HYPERCALLS];
/* The slow ends of do_hypercall (hypercall.c): a number with no handler,
 * and the restart of a continued call. */
int64_t hypercall_unknown(struct vcpu *v, uint64_t nr);
void hypercall_apply_continuation(struct vcpu *v, struct cpu_regs *regs, uint64_t nr);

/* Decode regs, dispatch, put the result in regs->rax. Inline: it is the
 * body of every hypercall's entry (guest_entry.c). */
static inline void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
    const struct hypercall_args args = {
        regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs,
    };
    uint64_t nr = regs->rax;
    hypercall_fn fn = nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;

    v->bounce_depth = 0;                     /* the guest is not in a fault storm */
    regs->rax = (uint64_t)(fn ? fn(v, &args) : hypercall_unknown(v, nr));
    if (unlikely(v->continuation))
        hypercall_apply_continuation(v, regs, nr);
}

/*
 * Ask for the current hypercall to be restarted with new arguments: the
 * guest's rip is moved back onto its syscall, so the call resumes where it
 * left off after the hypervisor has had a chance to take interrupts. The
 * handler's return value is then ignored.
 */
void hypercall_continue(struct vcpu *v, const struct hypercall_args *next);

/* The handlers, one per line of hypercalls.def. */
#define HYPERCALL(nr, fn) int64_t fn(struct vcpu *v, const struct hypercall_args *a);
#include "hypercalls.def"

#endif /* HYPERCALL_H */
