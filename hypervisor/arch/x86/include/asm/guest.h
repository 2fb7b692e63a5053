/*
 * Running guests on this CPU (guest_entry.c): the syscall MSRs, entering a
 * vCPU in ring 3, and the frame at the top of the hypervisor stack that
 * holds the guest's registers whenever the hypervisor runs on its behalf.
 */
#ifndef ASM_GUEST_H
#define ASM_GUEST_H

#include "domain.h"
#include <asm/regs.h>

/* Program STAR/LSTAR/CSTAR/SFMASK and EFER.SCE. */
void arch_init_syscall(void);
/* Context switch (context.c): the state outside the guest frame. */
void arch_vcpu_init_fpu(struct vcpu *v);
void arch_save_vcpu(struct vcpu *v, const struct cpu_regs *frame);
void arch_load_vcpu(struct vcpu *v, struct cpu_regs *frame);
/* Drop to ring 3 into the frame already loaded for v. */
void arch_enter_first(struct vcpu *v) __noreturn;
/* Bounce an event upcall to v's event callback. */
void bounce_event(struct vcpu *v, struct cpu_regs *regs);
/* An event upcall is pending and not masked in v's vcpu_info. */
bool vcpu_upcall_deliverable(struct vcpu *v);
/*
 * The last step before returning to ring 3 from any entry (hypercall,
 * exception, interrupt): the scheduler's say (schedule(): reap stopped
 * domains, switch vCPUs if the slice is over or the current one blocked,
 * idle if nothing can run), then a pending event upcall. frame is the
 * guest frame at the top of the hypervisor stack.
 */
void exit_to_guest(struct cpu_regs *frame);
/* Back to the hypervisor's own page tables (no guest slots mapped). */
void arch_switch_to_idle(void);
/* The guest frame at the top of the hypervisor stack. */
struct cpu_regs *guest_frame(void);
/* True if regs came from ring 3, i.e. from a guest. */
static inline bool regs_from_guest(const struct cpu_regs *regs)
{
    return (regs->cs & 3) == 3;
}

/* Trap virtualization (guest_traps.c). */
struct vcpu_info *vcpu_info_of(struct vcpu *v);
/* Switch between guest kernel and guest user mode: CR3 and GS bases. */
void toggle_guest_mode(struct vcpu *v);
/* Bounce vector to the guest's handler (or crash the domain if it has none
 * or the frame cannot be written). */
void deliver_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                  bool has_error, uint64_t error);
/* An exception from ring 3 while a guest runs. */
void do_guest_exception(struct cpu_regs *regs);
/* A #DB from ring 3, with the CPU's DR6 as it was. */
void do_guest_debug(struct cpu_regs *regs, uint64_t dr6);
/* entry.S: the frame about to be returned to has a non-canonical RIP. */
void guest_return_rip_noncanonical(struct cpu_regs *regs);
/* A syscall executed in guest user mode (compat: from 32-bit code). */
void guest_user_syscall(struct vcpu *v, struct cpu_regs *regs, bool compat);

/* Entry points (entry.S). */
void syscall_entry(void);
void syscall32_entry(void);
void enter_guest(struct cpu_regs *frame) __noreturn;
void do_guest_syscall(struct cpu_regs *regs);

#endif /* ASM_GUEST_H */
