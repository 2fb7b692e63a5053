/*
 * hypercall.c: the hypercall table. Only dispatch lives here: the index is
 * bounds-checked, empty slots answer -ENOSYS, and each handler gets the
 * calling vCPU and the argument registers. Which numbers have a handler is
 * said once, in hypercalls.def.
 */
#include "hypercall.h"
#include "err.h"
#include "unimpl.h"

/* [__HYPERVISOR_<name>] = do_<name>, for each line of hypercalls.def. */
const hypercall_fn hypercall_table[NR_HYPERCALLS] = {
#define HYPERCALL(nr, fn) [nr] = fn,
#include "hypercalls.def"
};

hypercall_fn hypercall_lookup(uint64_t nr)
{
    return nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;
}

int64_t hypercall_unknown(struct vcpu *v, uint64_t nr)
{
    return unimpl_enosys(v->domain, UNIMPL_HYPERCALL, nr);
}

int64_t hypercall_call(struct vcpu *v, uint64_t nr, const struct hypercall_args *a)
{
    hypercall_fn fn = hypercall_lookup(nr);

    return fn ? fn(v, a) : hypercall_unknown(v, nr);
}

void hypercall_continue(struct vcpu *v, const struct hypercall_args *next)
{
    v->continuation = true;
    v->continuation_args[0] = next->a1;
    v->continuation_args[1] = next->a2;
    v->continuation_args[2] = next->a3;
    v->continuation_args[3] = next->a4;
    v->continuation_args[4] = next->a5;
}

/* Back onto the 2-byte syscall with the same number and the new arguments. */
void hypercall_apply_continuation(struct vcpu *v, struct cpu_regs *regs, uint64_t nr)
{
    v->continuation = false;
    regs->rip -= 2;
    regs->rax = nr;
    regs->rdi = v->continuation_args[0];
    regs->rsi = v->continuation_args[1];
    regs->rdx = v->continuation_args[2];
    regs->r10 = v->continuation_args[3];
    regs->r8 = v->continuation_args[4];
}
