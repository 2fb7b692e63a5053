/*
 * Trap virtualization (guest_traps.c): a guest's exceptions, user-mode
 * syscalls and event upcalls bounced to the handlers it registered.
 */
#ifndef ASM_GUEST_TRAPS_H
#define ASM_GUEST_TRAPS_H

#include "domain.h"
#include <asm/regs.h>

/* v's vcpu_info, through the direct map (no guest walk). */
static inline struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
    return evtchn_vcpu_info(&v->domain->evtchn, v->id);
}
/* An event upcall is pending and not masked in v's vcpu_info: inline, as
 * the exit and multicall's per-entry check ask it on their fast paths. */
static inline bool vcpu_upcall_deliverable(struct vcpu *v)
{
    const struct vcpu_info *vi = vcpu_info_of(v);

    return vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}
/* Switch between guest kernel and guest user mode: CR3 and GS bases. */
void toggle_guest_mode(struct vcpu *v);
/* Bounce vector to the guest's handler (or crash the domain if it has none
 * or the frame cannot be written). */
void deliver_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                  bool has_error, uint64_t error);
/* An exception from ring 3 while a guest runs. */
void do_guest_exception(struct cpu_regs *regs);
/* A guest's int n through a DPL 3 gate (softint_fast.S's C path). */
void do_guest_softint(struct cpu_regs *regs);
/* A #DB from ring 3, with the CPU's DR6 as it was. */
void do_guest_debug(struct cpu_regs *regs, uint64_t dr6);
/* entry.S: the frame about to be returned to has a non-canonical RIP. */
void guest_return_rip_noncanonical(struct cpu_regs *regs);
/* A syscall executed in guest user mode (compat: from 32-bit code). */
void guest_user_syscall(struct vcpu *v, struct cpu_regs *regs, bool compat);
/* Bounce an event upcall to v's event callback. */
void bounce_event(struct vcpu *v, struct cpu_regs *regs);

#endif /* ASM_GUEST_TRAPS_H */
