/*
 * Context switch (context.c): the vCPU state outside the guest frame
 * (segment bases and selectors, FPU, debug registers, CR3, GDT), saved and
 * loaded when the CPU moves between vCPUs.
 */
#ifndef ASM_CONTEXT_H
#define ASM_CONTEXT_H

#include "domain.h"
#include <asm/regs.h>

/* Context switch (context.c): the state outside the guest frame. */
void arch_vcpu_init_fpu(struct vcpu *v);
void arch_save_vcpu(struct vcpu *v, const struct cpu_regs *frame);
void arch_load_vcpu(struct vcpu *v, struct cpu_regs *frame);
/* Drop to ring 3 into the frame already loaded for v. */
void arch_enter_first(struct vcpu *v) __noreturn;

#endif /* ASM_CONTEXT_H */
