/*
 * The ring 0 / ring 3 boundary (guest_entry.c, entry.S): the syscall MSRs,
 * the frame at the top of the hypervisor stack that holds the guest's
 * registers whenever the hypervisor runs on its behalf, and the way back.
 */
#ifndef ASM_GUEST_H
#define ASM_GUEST_H

#include "domain.h"
#include <asm/regs.h>

/* Program STAR/LSTAR/CSTAR/SFMASK and EFER.SCE. */
void arch_init_syscall(void);
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

/* Entry points (entry.S, hypercall_fast.S). */
void syscall_entry(void);
void syscall32_entry(void);
void enter_guest(struct cpu_regs *frame) __noreturn;
void do_guest_syscall(struct cpu_regs *regs);
void do_guest_hypercall(struct cpu_regs *regs);
/* hypercall_fast.S's slow exit (guest_entry.c). */
struct vcpu;
void hypercall_exit_slow(struct vcpu *v, struct cpu_regs *regs, uint64_t nr);
void exit_check_selectors(struct cpu_regs *frame);
void do_guest_syscall32(struct cpu_regs *regs);

#endif /* ASM_GUEST_H */
