/*
 * Interrupt routing (irq.c): ISA IRQs on vectors 0x20-0x2f, through the
 * I/O APIC when there is one (else the 8259 PICs), every line masked until
 * a handler is registered for it; the local APIC timer on its own vector.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/regs.h>

#define IRQ_VECTOR_BASE 0x20
#define NR_LEGACY_IRQS  16
#define GSI_VECTOR_BASE 0x30            /* + gsi: lines routed for domains */

typedef void (*irq_handler_fn)(unsigned int irq, struct cpu_regs *regs);

/* Remap and mask the PICs, then choose APIC or PIC mode (needs the MADT:
 * after acpi_init()). */
void irq_init(void);
/* Install handler for a legacy IRQ line and unmask it. */
void irq_register(unsigned int irq, irq_handler_fn handler);
/* Called on each local APIC timer interrupt, before its EOI. */
void irq_set_timer_handler(void (*fn)(struct cpu_regs *regs));
/* Is gsi the hypervisor's own: ISA IRQ 0 (timer), 2 (cascade) or a line
 * it registered a handler for (serial, keyboard)? */
bool irq_gsi_is_hypervisors(uint32_t gsi);
/* If gsi carries an ISA IRQ: true, and its trigger and polarity (MADT). */
bool irq_isa_signal(uint32_t gsi, bool *level, bool *active_low);
/* True when the I/O APIC delivers the ISA IRQs. */
bool irq_apic_mode(void);

#endif /* ASM_IRQ_H */
