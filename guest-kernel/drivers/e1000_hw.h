/*
 * Tern guest kernel: the Intel 8254x ("e1000") network controller's
 * registers and descriptors, and the driver's pure decisions about them
 * (e1000_hw.c, unit-tested): which PCI functions are 8254x cards, what a
 * BAR, the STATUS register and the receive-address registers say, the
 * control words the driver writes, the descriptor rings' arithmetic and
 * what a receive descriptor the card wrote back means. Values are from
 * Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual" (8254x), legacy descriptors only.
 */
#ifndef GUEST_E1000_HW_H
#define GUEST_E1000_HW_H

#include <stdbool.h>
#include <stdint.h>

/* ---- registers (byte offsets into BAR0) ---- */
#define E1000_CTRL    0x0000
#define E1000_STATUS  0x0008
#define E1000_ICR     0x00c0     /* interrupt cause, cleared by reading */
#define E1000_ICS     0x00c8     /* interrupt cause set (raises the causes written) */
#define E1000_IMS     0x00d0     /* interrupt mask set */
#define E1000_IMC     0x00d8     /* interrupt mask clear */
#define E1000_RCTL    0x0100
#define E1000_TCTL    0x0400
#define E1000_TIPG    0x0410
#define E1000_RDBAL   0x2800
#define E1000_RDBAH   0x2804
#define E1000_RDLEN   0x2808
#define E1000_RDH     0x2810
#define E1000_RDT     0x2818
#define E1000_TDBAL   0x3800
#define E1000_TDBAH   0x3804
#define E1000_TDLEN   0x3808
#define E1000_TDH     0x3810
#define E1000_TDT     0x3818
#define E1000_MTA     0x5200     /* 128 dwords of multicast table */
#define E1000_RAL0    0x5400
#define E1000_RAH0    0x5404
#define E1000_REGS_USED 0x6000   /* every register above lies below this */

/* ICR/ICS/IMS/IMC cause bits. */
#define E1000_INT_TXDW      (1u << 0)   /* a transmit descriptor written back */
#define E1000_INT_LSC       (1u << 2)   /* link status change */
#define E1000_INT_RXDMT0    (1u << 4)   /* receive descriptors running low */
#define E1000_INT_RXO       (1u << 6)   /* receiver overrun */
#define E1000_INT_RXT0      (1u << 7)   /* a frame received */

#define E1000_CTRL_FD       (1u << 0)
#define E1000_CTRL_LRST     (1u << 3)
#define E1000_CTRL_ASDE     (1u << 5)
#define E1000_CTRL_SLU      (1u << 6)
#define E1000_CTRL_RST      (1u << 26)
#define E1000_CTRL_PHY_RST  (1u << 31)

#define E1000_STATUS_FD     (1u << 0)
#define E1000_STATUS_LU     (1u << 1)

#define E1000_RAH_AV        (1u << 31)

/* ---- descriptors (16 bytes, in memory the card reads and writes by DMA) ---- */
struct e1000_rx_desc {
    uint64_t addr;        /* buffer, machine address (driver) */
    uint16_t length;      /* bytes received (card) */
    uint16_t csum;
    uint8_t status;       /* E1000_RXD_STAT_* (card) */
    uint8_t errors;       /* E1000_RXD_ERR_* (card) */
    uint16_t special;
};

struct e1000_tx_desc {
    uint64_t addr;        /* buffer, machine address */
    uint16_t length;
    uint8_t cso;
    uint8_t cmd;          /* E1000_TXD_CMD_* */
    uint8_t status;       /* E1000_TXD_STAT_DD once sent (card) */
    uint8_t css;
    uint16_t special;
};

_Static_assert(sizeof(struct e1000_rx_desc) == 16, "rx descriptor is 16 bytes");
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "tx descriptor is 16 bytes");

#define E1000_RXD_STAT_DD   (1u << 0)
#define E1000_RXD_STAT_EOP  (1u << 1)
#define E1000_RXD_ERR_MASK  0x97u    /* CE SE SEQ (bits 0-2), CXE (4), RXE (7); TCPE/IPE are offloads */
#define E1000_TXD_CMD_EOP   (1u << 0)
#define E1000_TXD_CMD_IFCS  (1u << 1)
#define E1000_TXD_CMD_RS    (1u << 3)
#define E1000_TXD_STAT_DD   (1u << 0)

#define E1000_RX_BUF_SIZE   2048u    /* RCTL.BSIZE 00: two buffers a page */

/* ---- PCI ---- */

/* Is vendor:device an 8254x this driver speaks to (legacy descriptors)? */
bool e1000_device_supported(uint16_t vendor, uint16_t device);

struct pci_bar {
    uint64_t base;        /* bus address of the window */
    bool is64;            /* takes this BAR and the next */
    bool prefetch;
};

/* Decodes a memory BAR from its dword(s) (hi: the next BAR's, used only
 * for a 64-bit BAR). False for an I/O BAR, a reserved type, an unassigned
 * base (0) or a base not page-aligned. */
bool pci_bar_decode(uint32_t lo, uint32_t hi, struct pci_bar *out);

/* ---- registers decoded and composed ---- */

struct e1000_link {
    bool up;
    bool full_duplex;
    unsigned int mbps;    /* 10, 100 or 1000 */
};

void e1000_status_decode(uint32_t status, struct e1000_link *out);

/* The station address from RAL0/RAH0: false unless marked valid (AV) and
 * an individual, non-zero address. */
bool e1000_mac_decode(uint32_t ral, uint32_t rah, uint8_t mac[6]);

/* CTRL after reset: link up, speed detected, no resets pending. */
uint32_t e1000_ctrl_link_up(uint32_t ctrl);

/* RCTL: receiver on, broadcasts accepted, CRC stripped, 2 KiB buffers,
 * no long packets (over 1522 bytes refused by the card), no promiscuity. */
uint32_t e1000_rctl(void);

/* TCTL: transmitter on, short packets padded, collision threshold and
 * distance for full duplex; TIPG for copper. */
uint32_t e1000_tctl(void);
uint32_t e1000_tipg(void);

/* ---- rings ---- */

/* A ring of n descriptors the card accepts and one page holds: a
 * multiple of 8 (the length register counts 128-byte units), 8..256. */
bool e1000_ring_size_ok(uint32_t n);

static inline uint32_t e1000_ring_next(uint32_t i, uint32_t n)
{
    return i + 1 == n ? 0 : i + 1;
}

/* Descriptors the driver may still fill in a tx ring whose next free slot
 * is tail and whose oldest unfinished one is clean (one always stays
 * empty, so that tail == clean means "nothing pending"). */
uint32_t e1000_tx_free(uint32_t tail, uint32_t clean, uint32_t n);

/* What a receive descriptor, copied once out of the ring, says. */
enum e1000_rx_verdict {
    E1000_RX_EMPTY,       /* DD clear: the card has not written it yet */
    E1000_RX_PACKET,      /* a whole good frame of *len bytes */
    E1000_RX_BAD,         /* written, but an error, a frame spanning
                             several buffers (not EOP), 0 bytes or more
                             than the buffer: to be dropped */
};

enum e1000_rx_verdict e1000_rx_decode(const struct e1000_rx_desc *d, uint16_t *len);

/* A tx descriptor for one whole frame of len bytes at machine address maddr. */
void e1000_tx_fill(struct e1000_tx_desc *d, uint64_t maddr, uint16_t len);

#endif /* GUEST_E1000_HW_H */
