/*
 * pic.c: the two 8259 PICs.
 *
 * They are always remapped away from the exception vectors (a PC powers up
 * with the master on vectors 8-15, on top of #DF..#PF) and start fully
 * masked. In APIC mode they stay masked for good; otherwise irq.c unmasks
 * the lines it has handlers for. The cascade line (IRQ 2) is open whenever
 * a slave line is. Spurious IRQ 7 and 15 (a line that dropped before the
 * CPU acknowledged it) are told by the in-service register and get no
 * end-of-interrupt from their own PIC, as the 8259 requires.
 */
#include <asm/apic.h>
#include <asm/io.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define OCW3_READ_ISR 0x0b

static uint16_t irq_mask = 0xffff;

static void pic_write_mask(void)
{
    outb(PIC1_DATA, (uint8_t)irq_mask);
    outb(PIC2_DATA, (uint8_t)(irq_mask >> 8));
}

void pic_init(uint8_t vector_base)
{
    outb(PIC1_DATA, 0xff);                       /* quiet while reprogrammed */
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, 0x11);                        /* ICW1: init, ICW4 follows */
    io_delay();
    outb(PIC2_CMD, 0x11);
    io_delay();
    outb(PIC1_DATA, vector_base);                /* ICW2: vector base */
    outb(PIC2_DATA, (uint8_t)(vector_base + 8));
    outb(PIC1_DATA, 0x04);                       /* ICW3: slave on IRQ 2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01);                       /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    io_delay();
    irq_mask = 0xffff;
    pic_write_mask();
}

void pic_unmask(unsigned int irq)
{
    if (irq >= 16)
        return;
    irq_mask = (uint16_t)(irq_mask & ~(1u << irq));
    if (irq >= 8)
        irq_mask = (uint16_t)(irq_mask & ~(1u << 2));
    pic_write_mask();
}

void pic_mask_all(void)
{
    irq_mask = 0xffff;
    pic_write_mask();
}

static bool in_service(uint16_t cmd_port, unsigned int line)
{
    outb(cmd_port, OCW3_READ_ISR);
    return inb(cmd_port) & (1u << line);
}

bool pic_spurious(unsigned int irq)
{
    if (irq == 7 && !in_service(PIC1_CMD, 7))
        return true;
    if (irq == 15 && !in_service(PIC2_CMD, 7)) {
        outb(PIC1_CMD, PIC_EOI);                 /* the master did see IRQ 2 */
        return true;
    }
    return false;
}

void pic_eoi(unsigned int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}
