/*
 * irq.c: interrupts from the legacy PICs.
 *
 * The PICs are remapped away from the exception vectors (0x20-0x2f) and all
 * lines are masked except the cascade and those with a handler. Spurious
 * IRQ 7 and 15 (a line that dropped before the CPU acknowledged it) are
 * recognised by the in-service register and get no end-of-interrupt for
 * their own PIC, as the 8259 requires. The local APIC and I/O APIC come in
 * a later issue.
 */
#include "console.h"
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/traps.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define OCW3_READ_ISR 0x0b

static irq_handler_fn handlers[NR_LEGACY_IRQS];
static uint16_t irq_mask = 0xfffb;               /* all but the cascade (IRQ 2) */
static unsigned long spurious_count;

static void pic_write_mask(void)
{
    outb(PIC1_DATA, (uint8_t)irq_mask);
    outb(PIC2_DATA, (uint8_t)(irq_mask >> 8));
}

void irq_init(void)
{
    outb(PIC1_CMD, 0x11);                        /* ICW1: init, ICW4 follows */
    io_delay();
    outb(PIC2_CMD, 0x11);
    io_delay();
    outb(PIC1_DATA, IRQ_VECTOR_BASE);            /* ICW2: vector base */
    outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
    outb(PIC1_DATA, 0x04);                       /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);                       /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    io_delay();
    pic_write_mask();
}

void irq_register(unsigned int irq, irq_handler_fn handler)
{
    if (irq >= NR_LEGACY_IRQS)
        return;
    handlers[irq] = handler;
    irq_mask = (uint16_t)(irq_mask & ~(1u << irq));
    pic_write_mask();
}

static bool in_service(uint16_t cmd_port, unsigned int line)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port) & (1u << line);
}

/* True (and the right EOIs sent) if this was a spurious IRQ 7 or 15. */
static bool spurious(unsigned int irq)
{
    if (irq == 7 && !in_service(PIC1_CMD, 7))
        return true;
    if (irq == 15 && !in_service(PIC2_CMD, 7)) {
        outb(PIC1_CMD, PIC_EOI);                 /* the master did see IRQ 2 */
        return true;
    }
    return false;
}

static void end_of_interrupt(unsigned int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

void do_interrupt(struct cpu_regs *regs)
{
    unsigned int vector = (unsigned int)regs->vector;
    unsigned int irq = vector - IRQ_VECTOR_BASE;

    if (vector < IRQ_VECTOR_BASE || irq >= NR_LEGACY_IRQS) {
        log_warn("unexpected interrupt vector %u ignored\n", vector);
        return;
    }
    if (spurious(irq)) {
        if (++spurious_count == 1)
            log_debug("spurious IRQ %u\n", irq);
        return;
    }
    if (handlers[irq])
        handlers[irq](irq, regs);
    else
        log_warn("IRQ %u with no handler\n", irq);
    end_of_interrupt(irq);
}
