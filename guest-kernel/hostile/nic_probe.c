/*
 * Tern guest kernel: the nic-probe role, an unprivileged domain reaching
 * for the network card domain 0 drives. With virtual IOPL 1 (which any PV
 * domain may have) it scans PCI configuration space with the e1000
 * driver's own scan, which must find nothing (the hypervisor answers all
 * ones to an unprivileged domain), reads 00:00.0's ID directly (all
 * ones), and tries to map the card's registers, the frames of BAR0 at the
 * address given (as domain 0 printed it), writable and read-only: both
 * must be refused with -EPERM, as Xen refuses a domain without I/O memory
 * permission (page_types rule 11: only a privileged domain maps I/O
 * memory). It also writes 0 to every bus-0 device's command register
 * and BAR0: dropped by the hypervisor, or domain 0's nic-check fails.
 * Nor may it take the card's interrupt: map_pirq of its GSI (for itself
 * or for domain 0), setup_gsi and unmap_pirq are -EPERM (only a
 * privileged domain maps GSIs, as on Xen), bind_pirq of a pirq it has
 * not mapped -EPERM, eoi of it -EINVAL.
 *
 * Each check that does not hold prints "nic-probe: FAIL: ..."; one line
 * at the end says how many held.
 */
#include "demo/roles.h"
#include "drivers/e1000.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/portio.h"
#include "xen/hypercall.h"
#include "xen/pirq.h"
#include <public/errno.h>
#include <public/physdev.h>

#define PROBE_VA 0x0000250000000000UL      /* L4 slot 74: nothing else */

struct probe {
    unsigned int checks, failed;
};

static void expect(struct probe *p, bool held, const char *what, long got)
{
    p->checks++;
    if (held)
        return;
    p->failed++;
    printk("nic-probe: FAIL: %s (got %ld)\n", what, got);
}

/* Hex digits (an optional 0x first) into *out; false on anything else. */
static bool parse_hex(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    if (!*s || strlen(s) > 16)
        return false;
    for (; *s; s++) {
        unsigned int d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
                       : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 16;

        if (d == 16)
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static void probe_config(struct probe *p)
{
    static struct e1000 nic;
    int rc = e1000_find(&nic);
    uint32_t id = pci_conf_read32(pci_conf_addr(0, 0, 0, 0));

    expect(p, rc == -XEN_ENODEV, "the PCI scan found a card", rc);
    expect(p, id == 0xffffffffu, "00:00.0's ID is not all ones", (long)id);
}

/* Blind writes: every bus-0 device's command register and BAR0 to 0. If
 * one landed, the card would stop decoding its registers (or answer
 * elsewhere) and domain 0's nic-check would fail. */
static void probe_writes(struct probe *p)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        port_outl(PCI_CONF_ADDR, pci_conf_addr(0, dev, 0, 0x04));
        port_outl(PCI_CONF_DATA, 0);
        port_outl(PCI_CONF_ADDR, pci_conf_addr(0, dev, 0, 0x10));
        port_outl(PCI_CONF_DATA, 0);
    }
    (void)p;           /* held if domain 0 still reaches the card: its log says */
}

static void probe_map(struct probe *p, uint64_t bar)
{
    uint64_t mfn = bar >> PAGE_SHIFT;
    long rw = as_map(&kernel_space, PROBE_VA, mfn_pte(mfn, PTE_PAGE_RW));
    long ro = as_map(&kernel_space, PROBE_VA + PAGE_SIZE, mfn_pte(mfn, PTE_PAGE_RO));

    /* Exactly Xen's answer (no iomem permission): refused for that
     * reason, not for a bit or a table the entry got wrong. */
    expect(p, rw == -XEN_EPERM, "BAR0 mapped writable, or refused for another reason", rw);
    expect(p, ro == -XEN_EPERM, "BAR0 mapped read-only, or refused for another reason", ro);
    printk("nic-probe: mapping BAR0 %#lx: %ld writable, %ld read-only\n", bar, rw, ro);
}

static long map_for(domid_t dom, int32_t gsi)
{
    struct physdev_map_pirq m = {
        .domid = dom, .type = MAP_PIRQ_TYPE_GSI, .index = gsi, .pirq = -1,
    };

    return HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);
}

/* The card's interrupt (QEMU's pc: GSI 10 or 11; both tried). */
static void probe_irq(struct probe *p)
{
    struct physdev_setup_gsi sg = { .gsi = 11, .triggering = 1, .polarity = 0 };
    struct physdev_unmap_pirq um = { .domid = DOMID_SELF, .pirq = 16 };
    struct evtchn_bind_pirq b = { .pirq = 16, .flags = 0 };
    long rc;

    for (int32_t gsi = 10; gsi <= 11; gsi++) {
        rc = map_for(DOMID_SELF, gsi);
        expect(p, rc == -XEN_EPERM, "map_pirq of a GSI for itself not -EPERM", rc);
        rc = map_for(0, gsi);
        expect(p, rc == -XEN_EPERM, "map_pirq of a GSI for domain 0 not -EPERM", rc);
    }
    rc = HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &sg);
    expect(p, rc == -XEN_EPERM, "setup_gsi not -EPERM", rc);
    rc = HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &um);
    expect(p, rc == -XEN_EPERM, "unmap_pirq not -EPERM", rc);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);
    expect(p, rc == -XEN_EPERM, "bind_pirq of an unmapped pirq not -EPERM", rc);
    rc = gk_pirq_eoi(16);
    expect(p, rc == -XEN_EINVAL, "eoi of an unmapped pirq not -EINVAL", rc);
}

bool nic_probe_run(void)
{
    char buf[24];
    struct probe p = { 0, 0 };
    uint64_t bar;
    long rc;

    if (!cmdline_option("nic-probe", buf, sizeof(buf)))
        return false;
    if (!parse_hex(buf, &bar) || (bar & (PAGE_SIZE - 1))) {
        printk("nic-probe: FAIL: nic-probe=%s is not a page-aligned hex address\n", buf);
        return true;
    }
    rc = e1000_enable_ports();
    expect(&p, rc == 0, "physdev_op(set_iopl, 1) refused", rc);
    probe_config(&p);
    probe_writes(&p);
    probe_map(&p, bar);
    probe_irq(&p);
    printk("nic-probe: %u of %u checks held: the card is out of reach\n",
           p.checks - p.failed, p.checks);
    return true;
}
