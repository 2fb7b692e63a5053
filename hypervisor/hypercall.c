/*
 * hypercall.c: the hypercall table. Only dispatch lives here: the index is
 * bounds-checked, empty slots answer -ENOSYS, and each handler gets the
 * calling vCPU and the argument registers.
 */
#include "hypercall.h"
#include "err.h"

static const hypercall_fn hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table]  = do_set_trap_table,
    [__HYPERVISOR_sched_op_compat] = do_sched_op_compat,
    [__HYPERVISOR_memory_op]       = do_memory_op,
    [__HYPERVISOR_xen_version]     = do_xen_version,
    [__HYPERVISOR_console_io]      = do_console_io,
    [__HYPERVISOR_vm_assist]       = do_vm_assist,
    [__HYPERVISOR_sched_op]        = do_sched_op,
};

hypercall_fn hypercall_lookup(uint64_t nr)
{
    return nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;
}

void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
    const struct hypercall_args args = {
        regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8,
    };
    hypercall_fn fn = hypercall_lookup(regs->rax);

    regs->rax = (uint64_t)(fn ? fn(v, &args) : -ENOSYS);
}
