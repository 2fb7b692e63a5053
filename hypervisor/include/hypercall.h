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
/* Decode regs, dispatch, put the result in regs->rax. */
void do_hypercall(struct vcpu *v, struct cpu_regs *regs);

/*
 * Ask for the current hypercall to be restarted with new arguments: the
 * guest's rip is moved back onto its syscall, so the call resumes where it
 * left off after the hypervisor has had a chance to take interrupts. The
 * handler's return value is then ignored.
 */
void hypercall_continue(struct vcpu *v, const struct hypercall_args *next);

/* The guest address space of v, for copy_from_guest and friends. */
void vcpu_guest_space(const struct vcpu *v, struct guest_space *gs);

int64_t do_console_io(struct vcpu *v, const struct hypercall_args *a);
int64_t do_xen_version(struct vcpu *v, const struct hypercall_args *a);
int64_t do_sched_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_sched_op_compat(struct vcpu *v, const struct hypercall_args *a);
int64_t do_vm_assist(struct vcpu *v, const struct hypercall_args *a);
int64_t do_memory_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_trap_table(struct vcpu *v, const struct hypercall_args *a);
int64_t do_mmu_update(struct vcpu *v, const struct hypercall_args *a);
int64_t do_update_va_mapping(struct vcpu *v, const struct hypercall_args *a);
int64_t do_update_va_mapping_otherdomain(struct vcpu *v, const struct hypercall_args *a);
int64_t do_mmuext_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_callbacks(struct vcpu *v, const struct hypercall_args *a);
int64_t do_callback_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_nmi_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_stack_switch(struct vcpu *v, const struct hypercall_args *a);
int64_t do_fpu_taskswitch(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_segment_base(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_debugreg(struct vcpu *v, const struct hypercall_args *a);
int64_t do_get_debugreg(struct vcpu *v, const struct hypercall_args *a);
int64_t do_physdev_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_iret(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_gdt(struct vcpu *v, const struct hypercall_args *a);
int64_t do_update_descriptor(struct vcpu *v, const struct hypercall_args *a);
int64_t do_event_channel_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_event_channel_op_compat(struct vcpu *v, const struct hypercall_args *a);
int64_t do_vcpu_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_set_timer_op(struct vcpu *v, const struct hypercall_args *a);
int64_t do_domctl(struct vcpu *v, const struct hypercall_args *a);
int64_t do_sysctl(struct vcpu *v, const struct hypercall_args *a);

#endif /* HYPERCALL_H */
