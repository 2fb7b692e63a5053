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
    [__HYPERVISOR_mmu_update]      = do_mmu_update,
    [__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
    [__HYPERVISOR_update_va_mapping_otherdomain] = do_update_va_mapping_otherdomain,
    [__HYPERVISOR_mmuext_op]       = do_mmuext_op,
    [__HYPERVISOR_set_callbacks]   = do_set_callbacks,
    [__HYPERVISOR_callback_op]     = do_callback_op,
    [__HYPERVISOR_nmi_op]          = do_nmi_op,
    [__HYPERVISOR_stack_switch]    = do_stack_switch,
    [__HYPERVISOR_fpu_taskswitch]  = do_fpu_taskswitch,
    [__HYPERVISOR_set_segment_base] = do_set_segment_base,
    [__HYPERVISOR_set_debugreg]    = do_set_debugreg,
    [__HYPERVISOR_get_debugreg]    = do_get_debugreg,
    [__HYPERVISOR_physdev_op]      = do_physdev_op,
    [__HYPERVISOR_iret]            = do_iret,
    [__HYPERVISOR_set_gdt]         = do_set_gdt,
    [__HYPERVISOR_update_descriptor] = do_update_descriptor,
    [__HYPERVISOR_event_channel_op] = do_event_channel_op,
    [__HYPERVISOR_event_channel_op_compat] = do_event_channel_op_compat,
    [__HYPERVISOR_vcpu_op]         = do_vcpu_op,
    [__HYPERVISOR_set_timer_op]    = do_set_timer_op,
    [__HYPERVISOR_domctl]          = do_domctl,
    [__HYPERVISOR_sysctl]          = do_sysctl,
};

hypercall_fn hypercall_lookup(uint64_t nr)
{
    return nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;
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
static void apply_continuation(struct vcpu *v, struct cpu_regs *regs, uint64_t nr)
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

void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
    const struct hypercall_args args = {
        regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs,
    };
    uint64_t nr = regs->rax;
    hypercall_fn fn = hypercall_lookup(nr);

    v->bounce_depth = 0;                     /* the guest is not in a fault storm */
    regs->rax = (uint64_t)(fn ? fn(v, &args) : -ENOSYS);
    if (v->continuation)
        apply_continuation(v, regs, nr);
}
