/*
 * Tern guest kernel: the e1000 driver (see e1000.h); what registers and
 * descriptors mean is drivers/e1000_hw.c's, pure and tested.
 *
 * Invariants:
 *  1. No loop waits without a bound: each has a deadline on the guest's
 *     clock and a poll count (in case the clock stands still).
 *  2. A descriptor the card writes is copied once, then decoded; a frame
 *     is copied out of its buffer only up to the length the decoder
 *     accepted (never beyond the 2 KiB buffer).
 *  3. The card learns only machine addresses of pages this domain owns
 *     and keeps (pfns[]); e1000_stop() resets the card before any of them
 *     is freed.
 */
#include "drivers/e1000.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/portio.h"
#include "kernel/time.h"
#include "xen/hypercall.h"
#include <public/errno.h>
#include <public/physdev.h>

/* BAR0 goes at L4 slot 72, which nothing else in the kernel uses. Its
 * entries carry no PCD/PWT: Tern refuses cache attributes in a guest's
 * entries (Xen allows them to a domain with I/O resources). The window is
 * uncached anyway: the firmware's MTRRs make the PCI hole uncachable, and
 * an MTRR UC type wins over the PAT's write-back. */
#define E1000_VA        0x0000240000000000UL
#define MAX_POLLS       50000000UL
#define RESET_TIMEOUT_NS (10 * NS_PER_MS)

#define PCI_COMMAND_MEM    (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)

static inline void barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static uint32_t rd(struct e1000 *nic, uint32_t reg)
{
    return *(volatile uint32_t *)(nic->regs + reg);
}

static void wr(struct e1000 *nic, uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(nic->regs + reg) = v;
}

/* ---- PCI configuration space ---- */

long e1000_enable_ports(void)
{
    struct physdev_set_iopl io = { .iopl = 1 };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static uint32_t cfg_read(const struct e1000 *nic, unsigned int reg)
{
    return pci_conf_read32(pci_conf_addr(nic->bus, nic->dev, nic->fn, reg));
}

static void cfg_write(const struct e1000 *nic, unsigned int reg, uint32_t v)
{
    port_outl(PCI_CONF_ADDR, pci_conf_addr(nic->bus, nic->dev, nic->fn, reg));
    port_outl(PCI_CONF_DATA, v);
}

/* Is the function at nic's bus/dev/fn an 8254x with a usable BAR0? */
static int probe_function(struct e1000 *nic)
{
    uint32_t id = cfg_read(nic, 0x00);

    if (!e1000_device_supported((uint16_t)id, (uint16_t)(id >> 16)))
        return 0;
    nic->device_id = (uint16_t)(id >> 16);
    return pci_bar_decode(cfg_read(nic, 0x10), cfg_read(nic, 0x14), &nic->bar0);
}

/* Functions to look at in a device: 8 if its header says multi-function. */
static unsigned int device_functions(struct e1000 *nic)
{
    nic->fn = 0;
    if ((uint16_t)cfg_read(nic, 0x00) == 0xffff)
        return 0;
    return (cfg_read(nic, 0x0c) >> 16) & 0x80 ? 8 : 1;
}

int e1000_find(struct e1000 *nic)
{
    memset(nic, 0, sizeof(*nic));
    for (nic->bus = 0; nic->bus < 256; nic->bus++)
        for (nic->dev = 0; nic->dev < 32; nic->dev++) {
            unsigned int fns = device_functions(nic);

            for (nic->fn = 0; nic->fn < fns; nic->fn++)
                if (probe_function(nic))
                    return 0;
        }
    return -XEN_ENODEV;
}

/* ---- BAR0 ---- */

int e1000_map(struct e1000 *nic)
{
    uint64_t mfn = nic->bar0.base >> PAGE_SHIFT;
    uint32_t cmd;

    for (uint64_t i = 0; i < E1000_REGS_USED / PAGE_SIZE; i++) {
        long rc = as_map(&kernel_space, E1000_VA + i * PAGE_SIZE,
                         mfn_pte(mfn + i, PTE_PAGE_RW));

        if (rc) {
            while (i--)
                as_map(&kernel_space, E1000_VA + i * PAGE_SIZE, 0);
            return (int)rc;
        }
    }
    nic->regs = (volatile uint8_t *)E1000_VA;
    cmd = cfg_read(nic, 0x04) & 0xffff;      /* status half: write-1-to-clear, left 0 */
    cfg_write(nic, 0x04, cmd | PCI_COMMAND_MEM | PCI_COMMAND_MASTER);
    return 0;
}

static void unmap(struct e1000 *nic)
{
    if (!nic->regs)
        return;
    for (uint64_t i = 0; i < E1000_REGS_USED / PAGE_SIZE; i++)
        as_map(&kernel_space, E1000_VA + i * PAGE_SIZE, 0);
    nic->regs = NULL;
}

/* ---- interrupts ---- */

unsigned int e1000_irq_line(const struct e1000 *nic)
{
    return cfg_read(nic, 0x3c) & 0xff;
}

void e1000_irq_enable(struct e1000 *nic, uint32_t mask)
{
    wr(nic, E1000_IMC, ~mask);
    if (mask)
        wr(nic, E1000_IMS, mask);
}

uint32_t e1000_irq_ack(struct e1000 *nic)
{
    return rd(nic, E1000_ICR);
}

void e1000_irq_raise(struct e1000 *nic, uint32_t causes)
{
    wr(nic, E1000_ICS, causes);
}

/* ---- start and stop ---- */

/* Waits until (register & mask) == want; false after timeout_ns. */
static bool reg_wait(struct e1000 *nic, uint32_t reg, uint32_t mask, uint32_t want,
                     uint64_t timeout_ns)
{
    uint64_t deadline = time_now_ns() + timeout_ns;

    for (unsigned long polls = 0; polls < MAX_POLLS; polls++) {
        if ((rd(nic, reg) & mask) == want)
            return true;
        if (time_now_ns() > deadline)
            break;
    }
    return (rd(nic, reg) & mask) == want;
}

static int reset(struct e1000 *nic)
{
    wr(nic, E1000_IMC, 0xffffffffu);
    wr(nic, E1000_RCTL, 0);
    wr(nic, E1000_TCTL, 0);
    wr(nic, E1000_CTRL, rd(nic, E1000_CTRL) | E1000_CTRL_RST);
    if (!reg_wait(nic, E1000_CTRL, E1000_CTRL_RST, 0, RESET_TIMEOUT_NS))
        return -XEN_ETIMEDOUT;
    wr(nic, E1000_IMC, 0xffffffffu);         /* the reset unmasked nothing, but be sure */
    (void)rd(nic, E1000_ICR);
    return 0;
}

/* One zeroed page for the card; its virtual address, or NULL. */
static void *card_page(struct e1000 *nic, uint64_t *maddr)
{
    long pfn;

    if (nic->nr_pfns == E1000_PAGES)
        return NULL;
    pfn = page_alloc();
    if (pfn < 0)
        return NULL;
    nic->pfns[nic->nr_pfns++] = pfn;
    *maddr = pfn_to_mfn((uint64_t)pfn) << PAGE_SHIFT;
    return pfn_to_virt((uint64_t)pfn);
}

/* Two 2 KiB buffers a page, for n descriptors. */
static int buffers(struct e1000 *nic, uint8_t **buf, uint64_t *maddr, unsigned int n)
{
    for (unsigned int i = 0; i < n; i += 2) {
        uint8_t *p = card_page(nic, &maddr[i]);

        if (!p)
            return -XEN_ENOMEM;
        buf[i] = p;
        buf[i + 1] = p + E1000_RX_BUF_SIZE;
        maddr[i + 1] = maddr[i] + E1000_RX_BUF_SIZE;
    }
    return 0;
}

static int rings(struct e1000 *nic)
{
    uint64_t rx_ring = 0, tx_ring = 0;

    nic->rx_ring = card_page(nic, &rx_ring);
    nic->tx_ring = card_page(nic, &tx_ring);
    if (!nic->rx_ring || !nic->tx_ring ||
        buffers(nic, nic->rx_buf, nic->rx_maddr, E1000_RX_DESCS) ||
        buffers(nic, nic->tx_buf, nic->tx_maddr, E1000_TX_DESCS))
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < E1000_RX_DESCS; i++)
        nic->rx_ring[i].addr = nic->rx_maddr[i];
    wr(nic, E1000_RDBAL, (uint32_t)rx_ring);
    wr(nic, E1000_RDBAH, (uint32_t)(rx_ring >> 32));
    wr(nic, E1000_RDLEN, E1000_RX_DESCS * sizeof(struct e1000_rx_desc));
    wr(nic, E1000_TDBAL, (uint32_t)tx_ring);
    wr(nic, E1000_TDBAH, (uint32_t)(tx_ring >> 32));
    wr(nic, E1000_TDLEN, E1000_TX_DESCS * sizeof(struct e1000_tx_desc));
    return 0;
}

_Static_assert(E1000_RX_DESCS * sizeof(struct e1000_rx_desc) <= PAGE_SIZE, "rx ring: one page");
_Static_assert(E1000_TX_DESCS * sizeof(struct e1000_tx_desc) <= PAGE_SIZE, "tx ring: one page");

static void enable(struct e1000 *nic)
{
    for (uint32_t i = 0; i < 128; i++)
        wr(nic, E1000_MTA + 4 * i, 0);
    wr(nic, E1000_RDH, 0);
    wr(nic, E1000_RDT, E1000_RX_DESCS - 1);  /* all but one buffer to the card */
    wr(nic, E1000_TDH, 0);
    wr(nic, E1000_TDT, 0);
    nic->rx_next = nic->tx_tail = nic->tx_clean = 0;
    wr(nic, E1000_TIPG, e1000_tipg());
    wr(nic, E1000_TCTL, e1000_tctl());
    wr(nic, E1000_RCTL, e1000_rctl());
    nic->running = 1;
}

int e1000_start(struct e1000 *nic)
{
    int rc = reset(nic);

    if (rc)
        return rc;
    if (!e1000_mac_decode(rd(nic, E1000_RAL0), rd(nic, E1000_RAH0), nic->mac))
        return -XEN_EIO;
    wr(nic, E1000_CTRL, e1000_ctrl_link_up(rd(nic, E1000_CTRL)));
    rc = rings(nic);
    if (rc)
        return rc;
    enable(nic);
    return 0;
}

int e1000_link_wait(struct e1000 *nic, uint64_t timeout_ns, struct e1000_link *link)
{
    bool up = reg_wait(nic, E1000_STATUS, E1000_STATUS_LU, E1000_STATUS_LU, timeout_ns);

    e1000_status_decode(rd(nic, E1000_STATUS), link);
    return up ? 0 : -XEN_ETIMEDOUT;
}

void e1000_promiscuous(struct e1000 *nic)
{
    const uint32_t upe = 1u << 3, mpe = 1u << 4;

    if (nic->running)
        wr(nic, E1000_RCTL, e1000_rctl() | upe | mpe);
}

void e1000_stop(struct e1000 *nic)
{
    if (nic->regs) {
        (void)reset(nic);                    /* DMA off, whatever the card's state */
        cfg_write(nic, 0x04, cfg_read(nic, 0x04) & 0xffff & ~PCI_COMMAND_MASTER);
        nic->running = 0;
    }
    unmap(nic);
    while (nic->nr_pfns)
        page_free((uint64_t)nic->pfns[--nic->nr_pfns]);
    nic->rx_ring = NULL;
    nic->tx_ring = NULL;
}

/* ---- transmit and receive ---- */

/* Takes back the tx descriptors the card has finished. */
static void tx_reclaim(struct e1000 *nic)
{
    while (nic->tx_clean != nic->tx_tail &&
           (nic->tx_ring[nic->tx_clean].status & E1000_TXD_STAT_DD))
        nic->tx_clean = e1000_ring_next(nic->tx_clean, E1000_TX_DESCS);
}

/* Waits until the tx descriptor at slot is done (DD); false after the deadline. */
static bool tx_wait(struct e1000 *nic, uint32_t slot, uint64_t deadline)
{
    for (unsigned long polls = 0; polls < MAX_POLLS; polls++) {
        if (nic->tx_ring[slot].status & E1000_TXD_STAT_DD)
            return true;
        if (time_now_ns() > deadline)
            break;
    }
    return nic->tx_ring[slot].status & E1000_TXD_STAT_DD;
}

int e1000_send(struct e1000 *nic, const void *frame, size_t len, uint64_t timeout_ns)
{
    uint64_t deadline = time_now_ns() + timeout_ns;
    uint32_t slot = nic->tx_tail;
    struct e1000_tx_desc d;

    if (!nic->running || len < 14 || len > 1514)
        return -XEN_EINVAL;
    tx_reclaim(nic);
    if (e1000_tx_free(nic->tx_tail, nic->tx_clean, E1000_TX_DESCS) == 0 &&
        !tx_wait(nic, nic->tx_clean, deadline))
        return -XEN_ETIMEDOUT;
    tx_reclaim(nic);
    memcpy(nic->tx_buf[slot], frame, len);
    e1000_tx_fill(&d, nic->tx_maddr[slot], (uint16_t)len);
    nic->tx_ring[slot] = d;
    barrier();                               /* descriptor before the tail (x86: stores in order) */
    nic->tx_tail = e1000_ring_next(slot, E1000_TX_DESCS);
    wr(nic, E1000_TDT, nic->tx_tail);
    return tx_wait(nic, slot, deadline) ? 0 : -XEN_ETIMEDOUT;
}

/* Gives the descriptor at rx_next back to the card and moves on. */
static void rx_give_back(struct e1000 *nic)
{
    uint32_t slot = nic->rx_next;

    nic->rx_ring[slot].status = 0;
    barrier();
    wr(nic, E1000_RDT, slot);                /* the one empty slot moves to here */
    nic->rx_next = e1000_ring_next(slot, E1000_RX_DESCS);
}

/* One look at rx_next: a frame's length (copied into buf), 0 for nothing
 * yet, -1 for a descriptor dropped. */
static long rx_poll(struct e1000 *nic, void *buf, size_t cap)
{
    struct e1000_rx_desc d = nic->rx_ring[nic->rx_next];
    uint16_t len = 0;
    enum e1000_rx_verdict v;

    barrier();                               /* the descriptor before its buffer */
    v = e1000_rx_decode(&d, &len);
    if (v == E1000_RX_EMPTY)
        return 0;
    if (v == E1000_RX_PACKET && len <= cap)
        memcpy(buf, nic->rx_buf[nic->rx_next], len);
    else
        nic->rx_dropped++;
    rx_give_back(nic);
    return v == E1000_RX_PACKET && len <= cap ? (long)len : -1;
}

long e1000_recv(struct e1000 *nic, void *buf, size_t cap, uint64_t timeout_ns)
{
    uint64_t deadline = time_now_ns() + timeout_ns;

    if (!nic->running)
        return -XEN_EINVAL;
    for (unsigned long polls = 0; polls < MAX_POLLS; polls++) {
        long n = rx_poll(nic, buf, cap);

        if (n > 0)
            return n;
        if (n == 0 && time_now_ns() > deadline)
            break;
    }
    return -XEN_ETIMEDOUT;
}
