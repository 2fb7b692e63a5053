/*
 * Tern guest kernel: the ioport-probe role, an attack on the hypervisor's
 * own devices through port I/O (issue 10, hole 5).
 *
 * With virtual IOPL 1 (any PV domain may set it, as on Xen) it reads and
 * writes the ports the hypervisor drives: COM1 (the hypervisor's console)
 * scratch register and then its modem control register's loopback bit,
 * which would turn the hypervisor's own output into debug keys; the PIC
 * masks, the PIT and the keyboard controller; then the reset commands of
 * the keyboard controller (0xfe to 0x64) and of the PCI reset control
 * (0x06 to 0xcf9). An unprivileged domain must see all ones in PCI
 * configuration space too; domain 0 reads 00:00.0's vendor/device there
 * but must not change the host bridge's cache line size register.
 *
 * Each refused check prints "ioport-probe: FAIL: ..."; at the end one line
 * says how many checks held. The domain then goes on with its other
 * roles, so a scenario also sees that the machine stayed up and that the
 * hypervisor's serial output (which a loopback would swallow) went on.
 */
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/portio.h"
#include "demo/roles.h"
#include <public/physdev.h>
#include "xen/hypercall.h"

#define COM1_MCR       0x3fc
#define COM1_SCR       0x3ff
#define MCR_LOOPBACK   0x10
#define KBC_STATUS     0x64
#define KBC_RESET      0xfe
#define PCI_RESET      0xcf9
#define PCI_HARD_RESET 0x06
#define PCI_HEADER     0x0c          /* byte 0: cache line size */

struct probe {
    unsigned int checks, failed;
};

static void expect(struct probe *p, const char *what, uint32_t got, uint32_t want)
{
    p->checks++;
    if (got == want)
        return;
    p->failed++;
    printk("ioport-probe: FAIL: %s: %#x, expected %#x\n", what, got, want);
}

/* Reads of the hypervisor's devices, and the scratch register round trip. */
static void probe_reads(struct probe *p)
{
    port_outb(COM1_SCR, 0x5a);
    expect(p, "COM1 scratch after writing 0x5a", port_inb(COM1_SCR), 0xff);
    expect(p, "PIC1 mask 0x21", port_inb(0x21), 0xff);
    expect(p, "PIC2 mask 0xa1", port_inb(0xa1), 0xff);
    expect(p, "PIT channel 0 0x40", port_inb(0x40), 0xff);
    expect(p, "keyboard controller status 0x64", port_inb(KBC_STATUS), 0xff);
    expect(p, "inl 0x3f8 (COM1)", port_inl(0x3f8), 0xffffffffU);
}

/* Writes that would take the machine from the hypervisor if they landed. */
static void probe_writes(struct probe *p)
{
    port_outb(COM1_MCR, MCR_LOOPBACK);
    expect(p, "COM1 modem control after setting loopback", port_inb(COM1_MCR), 0xff);
    port_outb(KBC_STATUS, KBC_RESET);
    port_outb(PCI_RESET, PCI_HARD_RESET);
    expect(p, "PCI reset control 0xcf9", port_inb(PCI_RESET), 0xff);
}

/* Domain 0 reads PCI configuration space but may not write the host
 * bridge's; any other domain sees none of it. */
static void probe_pci(struct probe *p, bool privileged)
{
    uint32_t id = pci_conf_read32(pci_conf_addr(0, 0, 0, 0));
    uint32_t hdr = pci_conf_addr(0, 0, 0, PCI_HEADER);
    uint8_t old;

    if (!privileged) {
        expect(p, "00:00.0 vendor/device from an unprivileged domain", id, 0xffffffffU);
        return;
    }
    p->checks++;
    if (id == 0xffffffffU) {
        p->failed++;
        printk("ioport-probe: FAIL: domain 0 reads all ones at 00:00.0\n");
    }
    old = pci_conf_read8(hdr, 0);
    pci_conf_write8(hdr, 0, (uint8_t)(old ^ 0x10));
    expect(p, "host bridge cache line size after a write", pci_conf_read8(hdr, 0), old);
}

bool ioport_probe_run(void)
{
    char buf[8];
    struct physdev_set_iopl io = { .iopl = 1 };
    struct probe p = { 0, 0 };
    long rc;

    if (!cmdline_option("ioport-probe", buf, sizeof(buf)))
        return false;
    rc = HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
    if (rc) {
        printk("ioport-probe: FAIL: physdev_op(set_iopl, 1) = %ld\n", rc);
        return true;
    }
    probe_reads(&p);
    probe_writes(&p);
    probe_pci(&p, start_info.flags & SIF_PRIVILEGED);
    io.iopl = 0;
    HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
    printk("ioport-probe: %u of %u checks held%s\n", p.checks - p.failed, p.checks,
           p.failed ? "" : ": every port of the hypervisor's denied");
    return true;
}
