/*
 * The local APIC (lapic.c), the I/O APICs (ioapic.c) and the 8259 PICs
 * (pic.c): the interrupt controllers irq.c drives.
 *
 * Vectors: 0x20-0x2f carry ISA IRQs 0-15 whichever controller delivers
 * them; the local APIC's own interrupts sit at the top, where the APIC's
 * priority classes put them above every device.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "acpi_madt.h"

#define LAPIC_TIMER_VECTOR    0xf0
#define LAPIC_ERROR_VECTOR    0xfe
#define LAPIC_SPURIOUS_VECTOR 0xff   /* low four bits set: old APICs need it */

/* ---- local APIC (xAPIC MMIO; x2APIC MSRs are never used) ---------------- */

/* Find, enable and quieten this CPU's local APIC at the MADT's address
 * (the IA32_APIC_BASE MSR has the last word). ext_int: leave LINT0 open
 * for the 8259 (virtual-wire mode), else masked. False if there is none. */
bool lapic_init(const struct acpi_madt_info *madt, bool ext_int);
bool lapic_present(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Read and clear the error status register. */
uint32_t lapic_read_error(void);

#define LAPIC_TIMER_DIVIDE 16        /* the timer counts bus clocks / 16 */

/* Timer: stop it, or count down from count (one shot or repeating). */
void lapic_timer_stop(void);
void lapic_timer_start(uint32_t count, bool periodic);
void lapic_timer_free_run(void);          /* masked, from UINT32_MAX */
uint32_t lapic_timer_current(void);

/* ---- I/O APICs ------------------------------------------------------------ */

/* Check each I/O APIC of the MADT answers, and mask all its inputs.
 * Returns how many answered. */
unsigned int ioapic_init(const struct acpi_madt_info *madt);
/* Route ISA IRQ irq (through the MADT's overrides) to vector on the CPU
 * with APIC id dest, unmasked. False if no I/O APIC has its GSI. */
bool ioapic_route_isa(const struct acpi_madt_info *madt, unsigned int irq,
                      uint8_t vector, uint32_t dest);
/* GSIs [0, n) the answering I/O APICs have inputs for (0: none). */
unsigned int ioapic_nr_gsis(void);
/* Route gsi to vector on APIC id dest with the given trigger and
 * polarity, left MASKED. False if no I/O APIC has it. */
bool ioapic_route_gsi(uint32_t gsi, uint8_t vector, uint32_t dest, bool level,
                      bool active_low);
/* Mask or unmask gsi's input (its routing unchanged). */
void ioapic_mask_gsi(uint32_t gsi, bool masked);

/* ---- 8259 PICs ------------------------------------------------------------ */

/* Remap both PICs to vector_base..vector_base+15, all lines masked. */
void pic_init(uint8_t vector_base);
void pic_unmask(unsigned int irq);
void pic_mask_all(void);
void pic_eoi(unsigned int irq);
/* True (and the EOIs the 8259 needs sent) if IRQ 7 or 15 was spurious. */
bool pic_spurious(unsigned int irq);

#endif /* ASM_APIC_H */
