/*
 * Tern guest kernel: the e1000's pure decisions (see e1000_hw.h). Nothing
 * here touches the card: drivers/e1000.c reads a register or copies a
 * descriptor once and asks these functions what it means.
 *
 * Invariants the driver relies on:
 *  1. A BAR accepted here is a memory window with an assigned,
 *     page-aligned base: it can be mapped frame by frame.
 *  2. A receive descriptor is a packet only when the card has finished it
 *     (DD), it is the frame's last (EOP: one frame never spans buffers
 *     here, as RCTL refuses long packets), no receive error is set, and
 *     its length is 1..E1000_RX_BUF_SIZE: the driver never copies more
 *     than the buffer holds, whatever the card wrote.
 *  3. A tx ring keeps one descriptor empty, so tail == clean is "empty"
 *     and never "full".
 */
#include "drivers/e1000_hw.h"

#define PCI_VENDOR_INTEL 0x8086

/* 8254x parts with legacy descriptors; QEMU's e1000 is the 82540EM
 * (100e), e1000-82544gc the 82544GC (100c), e1000-82545em 100f. */
static const uint16_t e1000_ids[] = {
    0x1004, 0x100c, 0x100d, 0x100e, 0x100f, 0x1010, 0x1011, 0x1012, 0x1013,
    0x1015, 0x1016, 0x1017, 0x1018, 0x1019, 0x101d, 0x101e, 0x1026, 0x1027,
    0x1028, 0x1075, 0x1076, 0x1077, 0x1078, 0x1079, 0x107a, 0x107b, 0x107c,
};

bool e1000_device_supported(uint16_t vendor, uint16_t device)
{
    if (vendor != PCI_VENDOR_INTEL)
        return false;
    for (unsigned int i = 0; i < sizeof(e1000_ids) / sizeof(e1000_ids[0]); i++)
        if (e1000_ids[i] == device)
            return true;
    return false;
}

bool pci_bar_decode(uint32_t lo, uint32_t hi, struct pci_bar *out)
{
    uint32_t type = (lo >> 1) & 3;

    if (lo & 1)
        return false;                   /* an I/O BAR */
    if (type != 0 && type != 2)
        return false;                   /* 1: below 1 MiB (obsolete), 3: reserved */
    out->is64 = type == 2;
    out->prefetch = lo & 8;
    out->base = (uint64_t)(lo & ~0xfu) | (out->is64 ? (uint64_t)hi << 32 : 0);
    return out->base != 0 && (out->base & 0xfff) == 0;
}

void e1000_status_decode(uint32_t status, struct e1000_link *out)
{
    static const unsigned int speeds[4] = { 10, 100, 1000, 1000 };

    out->up = status & E1000_STATUS_LU;
    out->full_duplex = status & E1000_STATUS_FD;
    out->mbps = speeds[(status >> 6) & 3];
}

bool e1000_mac_decode(uint32_t ral, uint32_t rah, uint8_t mac[6])
{
    for (unsigned int i = 0; i < 4; i++)
        mac[i] = (uint8_t)(ral >> (8 * i));
    mac[4] = (uint8_t)rah;
    mac[5] = (uint8_t)(rah >> 8);
    if (!(rah & E1000_RAH_AV) || (mac[0] & 1))
        return false;
    return (ral | (rah & 0xffff)) != 0;
}

uint32_t e1000_ctrl_link_up(uint32_t ctrl)
{
    ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
    return ctrl & ~(E1000_CTRL_LRST | E1000_CTRL_RST | E1000_CTRL_PHY_RST);
}

uint32_t e1000_rctl(void)
{
    const uint32_t en = 1u << 1, bam = 1u << 15, secrc = 1u << 26;

    return en | bam | secrc;            /* BSIZE 00 + BSEX 0: 2048 bytes */
}

uint32_t e1000_tctl(void)
{
    const uint32_t en = 1u << 1, psp = 1u << 3;

    return en | psp | 0x0fu << 4 | 0x40u << 12;     /* CT 15, COLD 64 */
}

uint32_t e1000_tipg(void)
{
    return 10u | 8u << 10 | 6u << 20;   /* IPGT, IPGR1, IPGR2 (IEEE 802.3) */
}

bool e1000_ring_size_ok(uint32_t n)
{
    return n >= 8 && n <= 256 && n % 8 == 0;
}

uint32_t e1000_tx_free(uint32_t tail, uint32_t clean, uint32_t n)
{
    uint32_t used = tail >= clean ? tail - clean : tail + n - clean;

    return n - 1 - used;
}

enum e1000_rx_verdict e1000_rx_decode(const struct e1000_rx_desc *d, uint16_t *len)
{
    if (!(d->status & E1000_RXD_STAT_DD))
        return E1000_RX_EMPTY;
    if (!(d->status & E1000_RXD_STAT_EOP) || (d->errors & E1000_RXD_ERR_MASK))
        return E1000_RX_BAD;
    if (d->length == 0 || d->length > E1000_RX_BUF_SIZE)
        return E1000_RX_BAD;
    *len = d->length;
    return E1000_RX_PACKET;
}

void e1000_tx_fill(struct e1000_tx_desc *d, uint64_t maddr, uint16_t len)
{
    d->addr = maddr;
    d->length = len;
    d->cso = 0;
    d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
    d->status = 0;
    d->css = 0;
    d->special = 0;
}
