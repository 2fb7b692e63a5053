/*
 * guest_io.c: a guest's port I/O, as ioport.c routes it.
 *
 * What the hypervisor itself drives on this machine is read from the
 * drivers at each access (the console UART, the screen, the ACPI power
 * ports), so the policy follows them without an init order to get right.
 *
 * PCI configuration: the domain's 0xcf8 latch lives in struct domain and
 * never reaches the hardware as the domain wrote it; for a 0xcfc-0xcff
 * access the hypervisor writes the real 0xcf8 itself (pci_cf8_hw) and
 * then does the data access. This runs from the #GP handler, an interrupt
 * gate, on the only CPU: nothing else can touch 0xcf8 in between. A write
 * first reads the function's class code the same way (read-only in
 * hardware, so the domain cannot disguise a function).
 */
#include "acpi_tables.h"
#include "iocap.h"
#include "ioport.h"
#include "power.h"
#include "screen.h"
#include "serial.h"
#include "timer.h"
#include <asm/guest_io.h>
#include <asm/io.h>

static uint16_t io_port_of(const struct acpi_gas *g)
{
    return g->space_id == ACPI_GAS_SYSTEM_IO && g->address <= UINT16_MAX
               ? (uint16_t)g->address : 0;
}

static void hv_ports(struct ioport_owned *o)
{
    const struct acpi_power_info *ai = acpi_power_info();

    memset(o, 0, sizeof(*o));
    o->serial_base = serial_io_base();
    o->vga_text = screen_is_vga_text();
    o->display = screen_in_use();
    if (ai && ai->has_fadt) {
        o->pm1a_cnt = ai->fadt.pm1a_cnt;
        o->pm1b_cnt = ai->fadt.pm1b_cnt;
        if (ai->fadt.has_reset)
            o->reset_port = io_port_of(&ai->fadt.reset_reg);
    }
}

static uint32_t port_in(unsigned int port, unsigned int size)
{
    uint16_t p = (uint16_t)port;

    if (size == 1)
        return inb(p);
    return size == 2 ? inw(p) : inl(p);
}

static void port_out(unsigned int port, unsigned int size, uint32_t val)
{
    uint16_t p = (uint16_t)port;

    if (size == 1)
        outb(p, (uint8_t)val);
    else if (size == 2)
        outw(p, (uint16_t)val);
    else
        outl(p, val);
}

/* Point the real 0xcf8 at dword register reg of the latched function. */
static void select_config(const struct domain *d, unsigned int reg)
{
    outl(PCI_CONF_ADDR_PORT, pci_cf8_hw(d->pci_cf8, reg));
}

static uint32_t config_read(const struct domain *d, unsigned int port, unsigned int size)
{
    if (!pci_cfg_read_ok(d->privileged, d->pci_cf8))
        return ioport_all_ones(size);
    select_config(d, d->pci_cf8 & 0xff);
    return port_in(port, size);
}

static void config_write(const struct domain *d, unsigned int port, unsigned int size,
                         uint32_t val)
{
    struct ioport_owned o;
    uint32_t class_reg;

    if (!pci_cfg_read_ok(d->privileged, d->pci_cf8))
        return;
    select_config(d, PCI_CLASS_REG);
    class_reg = inl(PCI_CONF_DATA_PORT);
    hv_ports(&o);
    if (!pci_cfg_write_ok(&o, d->privileged, d->pci_cf8, class_reg))
        return;
    select_config(d, d->pci_cf8 & 0xff);
    port_out(port, size, val);
}

/* ioport.c's routing, and for a real port the domain's own grant too
 * (iocap.c): today the grant repeats the policy for domain 0; it is what
 * driver domains will be given their devices' ports through. */
static enum ioport_route route(const struct domain *d, unsigned int port, unsigned int size)
{
    struct ioport_owned o;
    enum ioport_route r;

    hv_ports(&o);
    r = ioport_route(&o, d->privileged, port, size);
    if (r == IOPORT_DIRECT && !iocap_ports_ok(d->iocap, port, size))
        return IOPORT_DENY;
    return r;
}

/* Range by range, not port by port: asking ioport_hv_owned for each of
 * the 65,536 ports cost 9 M instructions of domain 0's build. */
void guest_io_grant_hardware_domain(struct domain *d)
{
    struct port_range kept[IOPORT_HV_RANGES_MAX];
    struct ioport_owned o;
    unsigned int n;

    hv_ports(&o);
    n = ioport_hv_ranges(&o, kept);
    iocap_permit_ports(d->iocap, 0, IOCAP_PORTS - 1);
    for (unsigned int i = 0; i < n; i++)
        iocap_deny_ports(d->iocap, kept[i].first, kept[i].last);
    iocap_deny_ports(d->iocap, PCI_CONF_ADDR_PORT, PCI_CONF_DATA_PORT + 3);
}

/* The CMOS register the domain's latch names, without the latch's bit 7
 * (NMI disable: the hypervisor's). Interrupts are off here, so nothing of
 * the hypervisor's runs between the index and the data access. */
static void cmos_select(const struct domain *d)
{
    outb(RTC_INDEX_PORT, (uint8_t)(d->cmos_index & 0x7f));
}

uint32_t guest_io_read(struct domain *d, unsigned int port, unsigned int size)
{
    switch (route(d, port, size)) {
    case IOPORT_DIRECT:   return port_in(port, size);
    case IOPORT_PCI_ADDR: return d->pci_cf8;
    case IOPORT_PCI_DATA: return config_read(d, port, size);
    case IOPORT_RTC_INDEX: return d->cmos_index;
    case IOPORT_RTC_DATA: cmos_select(d); return inb(RTC_DATA_PORT);
    case IOPORT_PIT2:     return vpit2_read(&d->vpit2, port, now_ns());
    default:              return ioport_all_ones(size);
    }
}

void guest_io_write(struct domain *d, unsigned int port, unsigned int size, uint32_t val)
{
    switch (route(d, port, size)) {
    case IOPORT_DIRECT:   port_out(port, size, val); break;
    case IOPORT_PCI_ADDR: d->pci_cf8 = val; break;
    case IOPORT_PCI_DATA: config_write(d, port, size, val); break;
    case IOPORT_RTC_INDEX: d->cmos_index = (uint8_t)val; break;
    case IOPORT_RTC_DATA: cmos_select(d); outb(RTC_DATA_PORT, (uint8_t)val); break;
    case IOPORT_PIT2:     vpit2_write(&d->vpit2, port, (uint8_t)val, now_ns()); break;
    default:              break;
    }
}
