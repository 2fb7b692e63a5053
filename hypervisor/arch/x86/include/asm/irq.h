/*
 * Legacy interrupt routing (irq.c): the two 8259 PICs remapped to vectors
 * 0x20-0x2f, every line masked until a handler is registered for it.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <asm/regs.h>

#define IRQ_VECTOR_BASE 0x20
#define NR_LEGACY_IRQS  16

typedef void (*irq_handler_fn)(unsigned int irq, struct cpu_regs *regs);

void irq_init(void);
/* Install handler for a legacy IRQ line and unmask it. */
void irq_register(unsigned int irq, irq_handler_fn handler);

#endif /* ASM_IRQ_H */
