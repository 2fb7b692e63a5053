/*
 * irq.c: interrupts, whichever controller delivers them.
 *
 * The 8259 PICs are always remapped to vectors 0x20-0x2f and masked first
 * (pic.c). Then one of two modes is chosen, once:
 *  - APIC mode, when the CPU has a local APIC and an I/O APIC answers: ISA
 *    IRQs are routed through the I/O APIC (ioapic.c) to the same vectors,
 *    the PICs stay masked for good and LINT0 is masked, so they cannot
 *    deliver anything, not even a spurious IRQ 7;
 *  - PIC mode otherwise: the PICs deliver the ISA IRQs, and a local APIC,
 *    if there is one, is put in virtual-wire mode (LINT0 ExtINT) so that
 *    its timer still works.
 * Vectors: 0x20-0x2f ISA IRQs 0-15, GSI_VECTOR_BASE + gsi for the GSIs
 * domains map as pirqs (APIC mode only; pirq_glue.c routes and masks
 * them, and acts before the EOI here), LAPIC_TIMER_VECTOR, LAPIC_ERROR_VECTOR,
 * and LAPIC_SPURIOUS_VECTOR, which is counted and gets no EOI (the APIC
 * raised it without setting an in-service bit). Every other interrupt gets
 * its end-of-interrupt from the controller that delivered it.
 */
#include "acpi_madt.h"
#include "console.h"
#include "pirq_glue.h"
#include "sched.h"
#include <asm/guest.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/irq.h>
#include <asm/traps.h>

static irq_handler_fn handlers[NR_LEGACY_IRQS];
static void (*timer_handler)(struct cpu_regs *regs);
static const struct acpi_madt_info *madt;
static bool apic_mode;
static unsigned long spurious_count, apic_errors;

bool irq_apic_mode(void)
{
    return apic_mode;
}

static void choose_mode(void)
{
    bool from_firmware, have_ioapic;

    madt = acpi_madt(&from_firmware);
    have_ioapic = cpu_caps.apic && ioapic_init(madt) > 0;
    apic_mode = lapic_init(madt, !have_ioapic) && have_ioapic;
    if (apic_mode)
        log_info("interrupts: ISA IRQs through the I/O APIC to local APIC %u; "
                 "8259 PICs masked\n", lapic_id());
    else
        log_info("interrupts: ISA IRQs through the 8259 PICs (%s)%s\n",
                 !lapic_present() ? "no usable local APIC" : "no usable I/O APIC",
                 lapic_present() ? "; local APIC in virtual-wire mode" : "");
}

void irq_init(void)
{
    pic_init(IRQ_VECTOR_BASE);
    choose_mode();
}

void irq_register(unsigned int irq, irq_handler_fn handler)
{
    if (irq >= NR_LEGACY_IRQS)
        return;
    handlers[irq] = handler;
    if (!apic_mode)
        pic_unmask(irq);
    else if (!ioapic_route_isa(madt, irq, (uint8_t)(IRQ_VECTOR_BASE + irq), lapic_id()))
        log_warn("IRQ %u: GSI %u is on no I/O APIC; the line stays off\n", irq,
                 madt->isa[irq].gsi);
}

bool irq_gsi_is_hypervisors(uint32_t gsi)
{
    for (unsigned int irq = 0; irq < NR_LEGACY_IRQS; irq++)
        if (madt && madt->isa[irq].gsi == gsi && (irq == 0 || irq == 2 || handlers[irq]))
            return true;                 /* the timer, the cascade, a line in use */
    return false;
}

bool irq_isa_signal(uint32_t gsi, bool *level, bool *active_low)
{
    for (unsigned int irq = 0; irq < NR_LEGACY_IRQS; irq++)
        if (madt && madt->isa[irq].gsi == gsi) {
            *level = madt->isa[irq].level;
            *active_low = madt->isa[irq].active_low;
            return true;
        }
    return false;
}

void irq_set_timer_handler(void (*fn)(struct cpu_regs *regs))
{
    timer_handler = fn;
}

static void legacy_irq(unsigned int irq, struct cpu_regs *regs)
{
    if (!apic_mode && pic_spurious(irq)) {
        if (++spurious_count == 1)
            log_debug("spurious IRQ %u\n", irq);
        return;
    }
    if (handlers[irq])
        handlers[irq](irq, regs);
    else
        log_warn("IRQ %u with no handler\n", irq);
    if (apic_mode)
        lapic_eoi();
    else
        pic_eoi(irq);
}

static void apic_error(void)
{
    uint32_t esr = lapic_read_error();

    if (++apic_errors <= 10)
        log_warn("local APIC error, status %#x\n", esr);
    lapic_eoi();
}

void do_interrupt(struct cpu_regs *regs)
{
    unsigned int vector = (unsigned int)regs->vector;

    cpu_clear_ac();
    if (vector >= IRQ_VECTOR_BASE && vector < IRQ_VECTOR_BASE + NR_LEGACY_IRQS) {
        legacy_irq(vector - IRQ_VECTOR_BASE, regs);
    } else if (apic_mode && vector >= GSI_VECTOR_BASE &&
               vector < GSI_VECTOR_BASE + PIRQ_MAX_GSIS) {
        pirq_interrupt(vector - GSI_VECTOR_BASE);  /* masks a level line first */
        lapic_eoi();
    } else if (vector == LAPIC_TIMER_VECTOR) {
        if (timer_handler)
            timer_handler(regs);
        lapic_eoi();
    } else if (vector == LAPIC_SPURIOUS_VECTOR) {
        if (++spurious_count == 1)
            log_debug("spurious local APIC interrupt\n");
    } else if (vector == LAPIC_ERROR_VECTOR) {
        apic_error();
    } else {
        log_warn("unexpected interrupt vector %u ignored\n", vector);
    }
    if (regs_from_guest(regs) && current_domain())
        exit_to_guest(regs);                 /* the slice may be over; events */
}
