/* Emulation of faulting guest instructions (arch/x86/emulate.c). */
#ifndef EMULATE_H
#define EMULATE_H

#include "domain.h"
#include <asm/regs.h>

/* A #GP from the guest: an allowed int n, or a privileged instruction Xen
 * emulates for PV guests. True if handled (regs updated, maybe a trap
 * bounced); false if the guest should get the #GP. */
bool emulate_gp(struct vcpu *v, struct cpu_regs *regs);
/* A #UD: Xen's forced-emulation prefix before cpuid. True if handled. */
bool emulate_invalid_op(struct vcpu *v, struct cpu_regs *regs);
/* The instruction at the guest's rip, decoded; false if unreadable. */
struct insn;
bool emulate_fetch(struct vcpu *v, const struct cpu_regs *regs, struct insn *in);
/* A write #PF of the guest kernel on a read-only mapping of one of its L1
 * tables: the store emulated as a validated
 * entry update (ptwr.c), as Xen does. True if handled. */
bool emulate_ptwr(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2, uint64_t ec);
/* The CPUID a guest sees (also used for the forced-emulation path). */
void guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif /* EMULATE_H */
