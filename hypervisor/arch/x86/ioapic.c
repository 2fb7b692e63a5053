/*
 * ioapic.c: the I/O APICs the MADT lists.
 *
 * Each is checked before use: its version register must read back a sane
 * redirection-entry count (a missing chip reads all ones). Every input of
 * every answering chip is masked at init; ioapic_route_isa() then opens one
 * input for one ISA IRQ, with the polarity and trigger the MADT's override
 * gives (ISA's own, high and edge, without one), delivered as a fixed
 * interrupt to one CPU by physical APIC id. ioapic_route_gsi() does the
 * same for any GSI a domain's pirq names (pirq_glue.c), left masked;
 * ioapic_mask_gsi() masks and unmasks it, touching only the mask bit.
 * A vector is written into an entry only after its IDT gate is closed
 * (arch_close_softint_gate: DPL 0, the hypervisor's stub), so no vector a
 * device can raise is one a guest's int n enters directly.
 */
#include "iomem_host.h"
#include "console.h"
#include "directmap.h"
#include <asm/apic.h>
#include <asm/desc.h>

#define IOREGSEL       0x00
#define IOWIN          0x10
#define IOAPIC_VER     0x01
#define IOAPIC_REDIR   0x10                      /* + 2 * input: low, high */

#define REDIR_ACTIVE_LOW  (1u << 13)
#define REDIR_LEVEL       (1u << 15)
#define REDIR_MASKED      (1u << 16)

struct ioapic {
    volatile uint32_t *mmio;                     /* NULL: did not answer */
    uint32_t gsi_base;
    unsigned int nr_inputs;
};

static struct ioapic chips[MADT_MAX_IOAPICS];

static uint32_t io_read(const struct ioapic *c, uint32_t reg)
{
    c->mmio[IOREGSEL / 4] = reg;
    return c->mmio[IOWIN / 4];
}

static void io_write(const struct ioapic *c, uint32_t reg, uint32_t v)
{
    c->mmio[IOREGSEL / 4] = reg;
    c->mmio[IOWIN / 4] = v;
}

static void mask_all(const struct ioapic *c)
{
    for (unsigned int i = 0; i < c->nr_inputs; i++) {
        io_write(c, IOAPIC_REDIR + 2 * i, REDIR_MASKED);
        io_write(c, IOAPIC_REDIR + 2 * i + 1, 0);
    }
}

/* Map and check one chip; false (and left unused) if it does not answer. */
static bool probe(struct ioapic *c, const struct madt_ioapic *m)
{
    uint32_t ver;

    if (!phys_is_mapped(m->address, PAGE_SIZE))
        return false;
    c->mmio = phys_to_virt(m->address);
    iomem_host_deny(m->address, PAGE_SIZE, "an I/O APIC");
    ver = io_read(c, IOAPIC_VER);
    if (ver == UINT32_MAX || (ver & 0xff) < 0x10) {  /* 82093AA is 0x11 */
        c->mmio = NULL;
        return false;
    }
    c->nr_inputs = ((ver >> 16) & 0xff) + 1;
    c->gsi_base = m->gsi_base;
    return true;
}

unsigned int ioapic_init(const struct acpi_madt_info *madt)
{
    unsigned int found = 0;

    for (unsigned int i = 0; i < madt->nr_ioapics; i++) {
        struct ioapic *c = &chips[i];
        if (!probe(c, &madt->ioapics[i])) {
            log_warn("I/O APIC %u at %#x does not answer; ignored\n", i,
                     madt->ioapics[i].address);
            continue;
        }
        mask_all(c);
        log_info("I/O APIC %u at %#x: %u inputs for GSIs %u-%u\n", i,
                 madt->ioapics[i].address, c->nr_inputs, c->gsi_base,
                 c->gsi_base + c->nr_inputs - 1);
        found++;
    }
    return found;
}

static const struct ioapic *chip_for(uint32_t gsi)
{
    for (unsigned int i = 0; i < MADT_MAX_IOAPICS; i++) {
        const struct ioapic *c = &chips[i];
        if (c->mmio && gsi >= c->gsi_base && gsi - c->gsi_base < c->nr_inputs)
            return c;
    }
    return NULL;
}

bool ioapic_route_isa(const struct acpi_madt_info *madt, unsigned int irq,
                      uint8_t vector, uint32_t dest)
{
    const struct madt_isa_irq *isa;
    const struct ioapic *c;
    uint32_t low, input;

    if (irq >= MADT_ISA_IRQS)
        return false;
    isa = &madt->isa[irq];
    c = chip_for(isa->gsi);
    if (!c)
        return false;
    input = isa->gsi - c->gsi_base;
    arch_close_softint_gate(vector);
    low = vector | (isa->active_low ? REDIR_ACTIVE_LOW : 0) | (isa->level ? REDIR_LEVEL : 0);
    io_write(c, IOAPIC_REDIR + 2 * input + 1, dest << 24);
    io_write(c, IOAPIC_REDIR + 2 * input, low);
    return true;
}

unsigned int ioapic_nr_gsis(void)
{
    unsigned int nr = 0;

    for (unsigned int i = 0; i < MADT_MAX_IOAPICS; i++)
        if (chips[i].mmio)
            nr = MAX(nr, chips[i].gsi_base + chips[i].nr_inputs);
    return nr;
}

bool ioapic_route_gsi(uint32_t gsi, uint8_t vector, uint32_t dest, bool level,
                      bool active_low)
{
    const struct ioapic *c = chip_for(gsi);
    uint32_t input;

    if (!c)
        return false;
    input = gsi - c->gsi_base;
    arch_close_softint_gate(vector);
    io_write(c, IOAPIC_REDIR + 2 * input, REDIR_MASKED);   /* masked while it changes */
    io_write(c, IOAPIC_REDIR + 2 * input + 1, dest << 24);
    io_write(c, IOAPIC_REDIR + 2 * input, vector | REDIR_MASKED |
             (active_low ? REDIR_ACTIVE_LOW : 0) | (level ? REDIR_LEVEL : 0));
    return true;
}

void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
    const struct ioapic *c = chip_for(gsi);
    uint32_t reg, low;

    if (!c)
        return;
    reg = IOAPIC_REDIR + 2 * (gsi - c->gsi_base);
    low = io_read(c, reg);
    io_write(c, reg, masked ? low | REDIR_MASKED : low & ~REDIR_MASKED);
}
