/*
 * ioport.c: which real I/O ports a domain may reach. Pure.
 *
 * The hypervisor keeps for itself every port it drives, on every machine:
 *   0x20-0x21, 0xa0-0xa1  the 8259 PICs (pic.c), and 0x4d0-0x4d1, their
 *                         trigger modes (ELCR): interrupts are the
 *                         hypervisor's;
 *   0x40-0x43, 0x61       the PIT and port B, its channel 2 gate (pit.c,
 *                         tick.c, the clock calibration); a byte at 0x42,
 *                         0x43 or 0x61 reaches the domain's own virtual
 *                         channel 2 (vpit2.c), as on Xen, for every domain;
 *   0x60, 0x64            the i8042 keyboard controller (i8042.c: debug
 *                         keys; power.c: its reset command);
 *   0x70-0x71             the CMOS/RTC index and data (tick.c reads the
 *                         RTC; a domain's index would race it): mediated
 *                         as Xen does, never direct: every domain has an
 *                         index latch of its own (byte at 0x70); a
 *                         privileged domain's byte at 0x71 reaches the
 *                         register its latch names (without the latch's
 *                         NMI-disable bit, guest_io.c);
 *   0x92, 0xf0            fast A20/INIT (bit 0 resets the CPU) and IGNNE#,
 *                         as Xen denies them;
 *   0xcf8-0xcff           PCI configuration: mediated (ioport_route), never
 *                         direct; 0xcf9 is the PCI reset control;
 * and, depending on how it was set up (struct ioport_owned):
 *   the console UART (its io base .. +7, com1=), the VGA CRTC index/data
 *   0x3d4-0x3d5 when the console writes the VGA text screen, the ACPI PM1a
 *   and PM1b control ports (2 each) and an ACPI reset register in I/O
 *   space (power.c).
 * Port 0x80, which io_delay() writes, stays open: it is a POST-code port
 * the hypervisor writes only to wait and never reads.
 *
 * Invariants: an access is direct only for a privileged domain and only
 * when none of its bytes is kept; no access that ends past port 0xffff
 * is direct; a 0xcf8 latch and a CMOS index are never ports; configuration writes to the
 * functions the hypervisor relies on are refused (pci_cfg_write_ok).
 */
#include "ioport.h"
#include "vpit2.h"

#define PORT_LIMIT      0x10000u
#define PCI_CONF_END    0xd00u      /* one past the data window */
#define CF8_ENABLE      0x80000000u
#define CF8_REG_MASK    0xfcu
#define VGA_CRTC_INDEX  0x3d4
#define UART_PORTS      8
#define PM1_CNT_PORTS   2

#define CLASS_DISPLAY       0x03
#define CLASS_BRIDGE        0x06
#define SUBCLASS_HOST       0x00
#define SUBCLASS_ISA        0x01
#define SUBCLASS_OTHER      0x80

static const struct port_range always_kept[] = {
    { 0x20, 0x21 }, { 0x40, 0x43 }, { 0x60, 0x61 }, { 0x64, 0x64 },
    { 0x70, 0x71 }, { 0x92, 0x92 }, { 0xa0, 0xa1 }, { 0xf0, 0xf0 },
    { 0x4d0, 0x4d1 }, { PCI_CONF_ADDR_PORT, PCI_CONF_END - 1 },
};

/* Is port in [base, base + n), with base 0 meaning "none"? */
static bool in_block(unsigned int port, uint16_t base, unsigned int n)
{
    return base != 0 && port >= base && port - base < n;
}

static bool configured(const struct ioport_owned *o, unsigned int port)
{
    return in_block(port, o->serial_base, UART_PORTS) ||
           (o->vga_text && in_block(port, VGA_CRTC_INDEX, 2)) ||
           in_block(port, o->pm1a_cnt, PM1_CNT_PORTS) ||
           in_block(port, o->pm1b_cnt, PM1_CNT_PORTS) ||
           in_block(port, o->reset_port, 1);
}

bool ioport_hv_owned(const struct ioport_owned *o, unsigned int port)
{
    for (size_t i = 0; i < ARRAY_SIZE(always_kept); i++)
        if (port >= always_kept[i].first && port <= always_kept[i].last)
            return true;
    return configured(o, port);
}

/* Appends [base, base + n - 1] when the block is configured (base != 0). */
static unsigned int add_block(struct port_range *out, unsigned int i, uint16_t base,
                              unsigned int n)
{
    if (base == 0)
        return i;
    out[i] = (struct port_range){ base, (uint16_t)MIN(base + n - 1, PORT_LIMIT - 1) };
    return i + 1;
}

unsigned int ioport_hv_ranges(const struct ioport_owned *o, struct port_range *out)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(always_kept); i++)
        out[i] = always_kept[i];
    i = add_block(out, i, o->serial_base, UART_PORTS);
    i = add_block(out, i, o->vga_text ? VGA_CRTC_INDEX : 0, 2);
    i = add_block(out, i, o->pm1a_cnt, PM1_CNT_PORTS);
    i = add_block(out, i, o->pm1b_cnt, PM1_CNT_PORTS);
    return add_block(out, i, o->reset_port, 1);
}

/* Does [port, end) overlap / lie within [first, last)? */
static bool overlaps(unsigned int port, unsigned int end, unsigned int first,
                     unsigned int last)
{
    return port < last && end > first;
}

static bool within(unsigned int port, unsigned int end, unsigned int first,
                   unsigned int last)
{
    return port >= first && end <= last;
}

/* 0x70-0x71: byte accesses only (a wider one is refused whole). */
static enum ioport_route rtc_route(bool privileged, unsigned int port, unsigned int size)
{
    if (size != 1)
        return IOPORT_DENY;
    if (port == RTC_INDEX_PORT)
        return IOPORT_RTC_INDEX;
    return privileged ? IOPORT_RTC_DATA : IOPORT_DENY;
}

/* 0xcf8-0xcff: the latch as a dword, the data window, or nothing. */
static enum ioport_route pci_route(bool privileged, unsigned int port, unsigned int end)
{
    if (port == PCI_CONF_ADDR_PORT && end - port == 4)
        return IOPORT_PCI_ADDR;
    if (privileged && within(port, end, PCI_CONF_DATA_PORT, PCI_CONF_END))
        return IOPORT_PCI_DATA;
    return IOPORT_DENY;
}

enum ioport_route ioport_route(const struct ioport_owned *o, bool privileged,
                               unsigned int port, unsigned int size)
{
    unsigned int end = port + size;

    if ((size != 1 && size != 2 && size != 4) || port >= PORT_LIMIT || end > PORT_LIMIT)
        return IOPORT_DENY;
    if (overlaps(port, end, PCI_CONF_ADDR_PORT, PCI_CONF_END))
        return pci_route(privileged, port, end);
    if (overlaps(port, end, RTC_INDEX_PORT, RTC_DATA_PORT + 1))
        return rtc_route(privileged, port, size);
    if (vpit2_port(port, size))
        return IOPORT_PIT2;
    if (!privileged)
        return IOPORT_DENY;
    for (unsigned int p = port; p < end; p++)
        if (ioport_hv_owned(o, p))
            return IOPORT_DENY;
    return IOPORT_DIRECT;
}

bool ioport_iopl_ok(bool kernel_mode, bool architectural_iopl, unsigned int viopl)
{
    unsigned int cpl = kernel_mode ? (architectural_iopl ? 0 : 1) : 3;

    return cpl <= viopl;
}

uint32_t ioport_all_ones(unsigned int size)
{
    return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

void pci_cf8_decode(uint32_t latch, struct pci_cf8 *out)
{
    out->enabled = latch & CF8_ENABLE;
    out->bus = (uint8_t)(latch >> 16);
    out->dev = (uint8_t)((latch >> 11) & 0x1f);
    out->fn = (uint8_t)((latch >> 8) & 7);
    out->reg = (uint8_t)(latch & CF8_REG_MASK);
}

/* Encoded again from the decoded fields, so that nothing else of the
 * domain's value reaches the hardware. */
uint32_t pci_cf8_hw(uint32_t latch, unsigned int reg)
{
    struct pci_cf8 a;

    pci_cf8_decode(latch, &a);
    return (a.enabled ? CF8_ENABLE : 0) | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
           (uint32_t)a.fn << 8 | (reg & CF8_REG_MASK);
}

bool pci_cfg_read_ok(bool privileged, uint32_t latch)
{
    return privileged && (latch & CF8_ENABLE);
}

/* A function the hypervisor relies on (see ioport.h)? */
static bool class_kept(const struct ioport_owned *o, uint32_t class_reg)
{
    unsigned int base = class_reg >> 24, sub = (class_reg >> 16) & 0xff;

    if (base == CLASS_BRIDGE)
        return sub == SUBCLASS_HOST || sub == SUBCLASS_ISA || sub == SUBCLASS_OTHER;
    return base == CLASS_DISPLAY && o->display;
}

bool pci_cfg_write_ok(const struct ioport_owned *o, bool privileged, uint32_t latch,
                      uint32_t class_reg)
{
    return pci_cfg_read_ok(privileged, latch) && !class_kept(o, class_reg);
}
