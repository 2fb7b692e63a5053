/*
 * softint.c: a guest's `int n`, the rules (pure: the image and
 * tests/unit/test_softint.c compile the same source).
 *
 * Rules:
 *  1. int n enters the guest's handler for n only when one is registered
 *     and its trap-table DPL admits the guest's mode: at least 1 from guest
 *     kernel mode (it counts as ring 1), 3 from guest user mode (Xen's
 *     permit_softint), except int $0x80, which needs a handler only (Xen
 *     4.17's entry_int80 bounces to any registered handler whatever its
 *     DPL; trap_softint shows it on Xen). Otherwise the guest takes #GP with the error code
 *     the CPU gives for a gate whose DPL refuses the int: (n << 3) | 2
 *     (IDT bit set, not external), and RIP at the int instruction.
 *  2. Which vectors get a DPL 3 gate in the hypervisor's IDT, so that int n
 *     reaches a per-vector stub directly instead of raising #GP: only those
 *     the hypervisor never takes an exception or a hardware interrupt on.
 *     Never 0-31 (exceptions; int3 and into have their own DPL 3 gates),
 *     never the ISA IRQ vectors 0x20-0x2f (the 8259s deliver there, and
 *     send spurious IRQs 7 and 15 even when masked), never the local
 *     APIC's timer, error and spurious vectors. The GSI vectors a domain
 *     may route (GSI_VECTOR_BASE + gsi) start open and are closed for
 *     good before the I/O APIC is first programmed with one (desc.c,
 *     ioapic.c), so a guest's int n can never run the hypervisor's
 *     interrupt handler, whatever was routed.
 */
#include "softint.h"
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq.h>

_Static_assert(IRQ_VECTOR_BASE >= 32 && IRQ_VECTOR_BASE + NR_LEGACY_IRQS >= SOFTINT_FIRST_STUB,
               "an open vector has a softint stub and is no exception");

bool softint_permitted(const struct trap_info *t, unsigned int vector, bool kernel_mode)
{
    unsigned int dpl = t->flags & TI_DPL_MASK;

    if (!t->address)
        return false;
    return vector == SOFTINT_INT80 || dpl >= (kernel_mode ? 1u : 3u);
}

uint64_t softint_gp_error(unsigned int vector)
{
    return ((uint64_t)(vector & 0xff) << 3) | 2;
}

bool softint_gate_open_at_boot(unsigned int vector)
{
    if (vector < IRQ_VECTOR_BASE + NR_LEGACY_IRQS || vector > 0xff)
        return false;                /* exceptions, ISA IRQs */
    return vector != LAPIC_TIMER_VECTOR && vector != LAPIC_ERROR_VECTOR &&
           vector != LAPIC_SPURIOUS_VECTOR;
}
