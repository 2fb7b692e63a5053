/* Exception and interrupt handling (traps.c, irq.c). */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/regs.h>

/* Called from entry.S only. */
void do_exception(struct cpu_regs *regs);
void do_interrupt(struct cpu_regs *regs);

/* Print every register in regs plus the control registers. */
void show_registers(const struct cpu_regs *regs);
/* Debug key 'D': int1 in ring 0 with a non-canonical rsp, the state in
 * which a guest's MOV SS + syscall delivers a #DB on real hardware. */
void raise_hypervisor_db_on_bad_stack(void);
/* Print the frame-pointer chain starting at rbp. */
void show_backtrace(uint64_t rip, uint64_t rbp);

#endif /* ASM_TRAPS_H */
