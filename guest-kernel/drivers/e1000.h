/*
 * Tern guest kernel: the e1000 (Intel 8254x) driver for domain 0: the
 * card found through PCI configuration space (ports 0xcf8/0xcfc, which
 * the hypervisor mediates: only a privileged domain reads a device), its
 * registers mapped from BAR0 (a privileged domain may map I/O memory that
 * is not RAM), descriptor rings and buffers in the domain's own pages
 * given to the card by MACHINE address (a PV domain knows its mfns; there
 * is no IOMMU), transmit and receive by polling with deadlines. Interrupts
 * stay masked (event channels for them come later).
 *
 * Every call that waits has a deadline and says when it passed
 * (-XEN_ETIMEDOUT); none loops for ever on what the card does or not.
 * e1000_stop() turns the card's DMA off before its pages are freed: a
 * card left running would write received frames into pages the domain
 * no longer owns.
 */
#ifndef GUEST_E1000_H
#define GUEST_E1000_H

#include <stddef.h>
#include <stdint.h>
#include "drivers/e1000_hw.h"

#define E1000_RX_DESCS  32      /* 2 KiB buffers: 16 pages */
#define E1000_TX_DESCS  8       /* 2 KiB buffers: 4 pages */
#define E1000_PAGES     (2 + E1000_RX_DESCS / 2 + E1000_TX_DESCS / 2)

struct e1000 {
    unsigned int bus, dev, fn;  /* where e1000_find found it */
    uint16_t device_id;
    struct pci_bar bar0;
    volatile uint8_t *regs;     /* BAR0 mapped (E1000_REGS_USED bytes), or NULL */
    uint8_t mac[6];
    volatile struct e1000_rx_desc *rx_ring;
    volatile struct e1000_tx_desc *tx_ring;
    uint8_t *rx_buf[E1000_RX_DESCS];
    uint8_t *tx_buf[E1000_TX_DESCS];
    uint64_t rx_maddr[E1000_RX_DESCS], tx_maddr[E1000_TX_DESCS];
    long pfns[E1000_PAGES];     /* every page given to the card */
    unsigned int nr_pfns;
    uint32_t rx_next;           /* the next descriptor the card fills */
    uint32_t tx_tail, tx_clean; /* next free, oldest unfinished */
    uint32_t rx_dropped;        /* descriptors refused by e1000_rx_decode */
    int running;                /* DMA on (rings given to the card) */
};

/* Virtual IOPL 1 (physdev_op set_iopl): port I/O for the PCI scan. */
long e1000_enable_ports(void);

/* Scans PCI configuration space for an 8254x with a memory BAR0; fills
 * where it is. 0, or -XEN_ENODEV (none; an unprivileged domain reads all
 * ones everywhere, so it finds none). */
int e1000_find(struct e1000 *nic);

/* Maps BAR0's first E1000_REGS_USED bytes at a fixed address of
 * the kernel's space and turns on memory decoding and bus mastering. 0,
 * or the hypervisor's error for the mapping. */
int e1000_map(struct e1000 *nic);

/* Resets the card, reads its MAC, gives it the rings, turns on receive
 * and transmit with interrupts masked. 0, -XEN_EIO (no valid MAC),
 * -XEN_ENOMEM, -XEN_ETIMEDOUT (reset never ended). */
int e1000_start(struct e1000 *nic);

/* Unicast and multicast promiscuity on (RCTL.UPE, MPE): a bridge port
 * takes frames for every station behind it, not only the card's MAC. */
void e1000_promiscuous(struct e1000 *nic);
/* Waits until STATUS shows the link up, at most timeout_ns; the last
 * state read into *link. 0 or -XEN_ETIMEDOUT. */
int e1000_link_wait(struct e1000 *nic, uint64_t timeout_ns, struct e1000_link *link);

/* Sends one frame of 14..1514 bytes (the card pads it to 60) and waits
 * until the card has taken it. 0, -XEN_EINVAL, -XEN_ETIMEDOUT. */
int e1000_send(struct e1000 *nic, const void *frame, size_t len, uint64_t timeout_ns);

/* The next good frame received, copied into buf (at most cap bytes; a
 * longer frame is dropped). Its length, or -XEN_ETIMEDOUT. */
long e1000_recv(struct e1000 *nic, void *buf, size_t cap, uint64_t timeout_ns);

/* The card's interrupt line from configuration space (0x3c): on a PC
 * with an I/O APIC, the GSI; 0xff: none. */
unsigned int e1000_irq_line(const struct e1000 *nic);
/* Unmask the causes in mask (E1000_INT_*) on the card; 0 masks them all. */
void e1000_irq_enable(struct e1000 *nic, uint32_t mask);
/* Read (and so clear) the pending causes: the card drops its line. */
uint32_t e1000_irq_ack(struct e1000 *nic);
/* Raise causes by hand (ICS), as if they had happened: for tests. */
void e1000_irq_raise(struct e1000 *nic, uint32_t causes);

/* Receive and transmit off, the card reset, bus mastering off, BAR0
 * unmapped, every page back to the allocator. Safe on a half-started nic. */
void e1000_stop(struct e1000 *nic);

#endif /* GUEST_E1000_H */
