/*
 * Tern guest kernel: bus-master DMA for the ATA driver (see ata.h,
 * ata_prd.h). The PCI IDE controller (class 01, subclass 01) in legacy
 * mode drives the channels at 0x1f0/0x170; its BAR4 holds the bus-master
 * registers, 8 per channel. A command: the buffer's machine frames into
 * the PRD table (pure rules: ata_prd.c), the table's machine address to
 * the engine, the READ/WRITE DMA command to the drive, start, poll the
 * drive's status and the engine's until both are done, stop.
 *
 * Invariants: the engine is only started on a table every entry of
 * which passed ata_prd_add (so the device writes only the caller's
 * buffer); it is stopped after every command, whatever happened; every
 * wait is bounded as in ata.c. The table is one static array (commands
 * run one at a time: domain 0's kernel is single-threaded).
 */
#include "drivers/ata.h"
#include "drivers/ata_prd.h"
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "kernel/portio.h"
#include "kernel/time.h"

#define PCI_CLASS_REG    0x08
#define PCI_COMMAND      0x04
#define PCI_BAR4         0x20
#define PCI_CMD_IO       0x01
#define PCI_CMD_MASTER   0x04
#define CLASS_IDE        0x0101      /* class 01 (storage), subclass 01 (IDE) */
#define PROGIF_NATIVE    0x05        /* either channel in PCI native mode */
#define DMA_TIMEOUT_NS   (5 * NS_PER_S)
#define DMA_MAX_POLLS    20000000UL
#define CHUNK_SECTORS    256u

static struct ata_prd prd[ATA_PRD_MAX] __attribute__((aligned(4096)));
uint64_t ata_dma_wait_ticks;

/* bus 0 dev/fn of the IDE controller (dev << 3 | fn), or -1. */
static int find_ide(void)
{
    for (unsigned int dev = 0; dev < 32; dev++)
        for (unsigned int fn = 0; fn < 8; fn++) {
            uint32_t class = pci_conf_read32(pci_conf_addr(0, dev, fn, PCI_CLASS_REG));

            if (class != 0xffffffffU && class >> 16 == CLASS_IDE)
                return (int)(dev << 3 | fn);
        }
    return -1;
}

int ata_dma_enable(struct ata_disk *d)
{
    int f = find_ide();
    uint32_t base, class, bar;
    uint8_t cmd;

    if (f < 0)
        return ATA_E_NOTSUP;
    base = pci_conf_addr(0, (unsigned int)f >> 3, (unsigned int)f & 7, 0);
    class = pci_conf_read32(base | PCI_CLASS_REG);
    bar = pci_conf_read32(base | PCI_BAR4);
    if ((class >> 8) & PROGIF_NATIVE || !(bar & 1) || (bar & 0xfffc) == 0)
        return ATA_E_NOTSUP;
    cmd = pci_conf_read8(base | PCI_COMMAND, 0);
    pci_conf_write8(base | PCI_COMMAND, 0, cmd | PCI_CMD_IO | PCI_CMD_MASTER);
    d->bm = (uint16_t)((bar & 0xfffc) + (d->io == 0x170 ? ATA_BM_CHANNEL_SIZE : 0));
    return ATA_OK;
}

/* The PRD table for len bytes at buf, one region per page piece. */
static int build_table(struct ata_prd_table *t, const uint8_t *buf, size_t len)
{
    *t = (struct ata_prd_table){ .e = prd, .n = 0 };
    while (len) {
        uint64_t off = (uintptr_t)buf & (PAGE_SIZE - 1);
        uint32_t piece = (uint32_t)(len < PAGE_SIZE - off ? len : PAGE_SIZE - off);
        int rc = ata_prd_add(t, virt_to_mfn(buf) << PAGE_SHIFT | off, piece);

        if (rc)
            return rc;
        buf += piece;
        len -= piece;
    }
    return ATA_OK;
}

/* Polls the drive and the engine until the command is over (or not). */
static enum ata_state wait_dma(struct ata_disk *d, uint8_t *bm_status)
{
    uint64_t deadline = time_now_ns() + DMA_TIMEOUT_NS, t0 = tsc_read();
    unsigned long polls = 0;
    enum ata_state s;

    do {
        *bm_status = port_inb((uint16_t)(d->bm + ATA_BM_STATUS));
        d->status = port_inb((uint16_t)(d->io + ATA_REG_STATUS));
        s = ata_dma_state(d->status, *bm_status);
    } while (!ata_wait_over(s, time_now_ns(), deadline, ++polls, DMA_MAX_POLLS));
    ata_dma_wait_ticks += tsc_read() - t0;
    return s;
}

/* Points the engine at the table, stopped, direction set, flags cleared. */
static void engine_prepare(struct ata_disk *d, uint8_t dir)
{
    uint8_t st = port_inb((uint16_t)(d->bm + ATA_BM_STATUS));

    port_outb((uint16_t)(d->bm + ATA_BM_CMD), dir);
    port_outb((uint16_t)(d->bm + ATA_BM_STATUS), st | ATA_BM_ST_ERROR | ATA_BM_ST_IRQ);
    port_outl((uint16_t)(d->bm + ATA_BM_PRD), (uint32_t)(virt_to_mfn(prd) << PAGE_SHIFT));
}

/* Runs the command for n sectors at lba on the table in prd[]. */
static int run_table(struct ata_disk *d, bool write, uint64_t lba, uint32_t n)
{
    uint8_t dir = write ? 0 : ATA_BM_CMD_TO_MEM, bm_status;
    struct ata_taskfile tf;
    enum ata_state s;
    int rc = ata_build_dma(&d->id, d->slave, write, lba, n, &tf);

    if (rc)
        return rc;
    engine_prepare(d, dir);
    rc = ata_issue(d, &tf);
    if (rc)
        return rc;
    port_outb((uint16_t)(d->bm + ATA_BM_CMD), dir | ATA_BM_CMD_START);
    s = wait_dma(d, &bm_status);
    port_outb((uint16_t)(d->bm + ATA_BM_CMD), dir);    /* stop, whatever happened */
    return s == ATA_ST_IDLE ? ATA_OK : ata_state_error(d, s);
}

static int dma_chunk(struct ata_disk *d, bool write, uint64_t lba, uint32_t n, uint8_t *buf)
{
    struct ata_prd_table t;
    int rc = build_table(&t, buf, (size_t)n * ATA_SECTOR_SIZE);

    return rc ?: run_table(d, write, lba, n);
}

/* Is the engine there, with its table below 4 GiB? */
static bool dma_ready(const struct ata_disk *d)
{
    return d->bm && (uint64_t)(virt_to_mfn(prd) << PAGE_SHIFT) < ATA_DMA_LIMIT;
}

int ata_dma_regions(struct ata_disk *d, bool write, uint64_t lba,
                    const struct ata_region *r, unsigned int n)
{
    struct ata_prd_table t = { .e = prd, .n = 0 };
    uint64_t bytes = ata_regions_bytes(r, n);
    uint32_t count = (uint32_t)(bytes / ATA_SECTOR_SIZE);
    int rc = ATA_OK;

    if (!dma_ready(d))
        return ATA_E_NOTSUP;
    if (!bytes || bytes % ATA_SECTOR_SIZE || count > CHUNK_SECTORS ||
        !ata_range_ok(&d->id, lba, count))
        return ATA_E_RANGE;
    for (unsigned int i = 0; !rc && i < n; i++)
        rc = ata_prd_add(&t, r[i].maddr, r[i].len);
    return rc ?: run_table(d, write, lba, count);
}

static int dma_xfer(struct ata_disk *d, bool write, uint64_t lba, uint32_t count, uint8_t *p)
{
    int rc = ata_range_ok(&d->id, lba, count) ? ATA_OK : ATA_E_RANGE;

    if (!dma_ready(d))
        return ATA_E_NOTSUP;
    while (!rc && count) {
        uint32_t n = count < CHUNK_SECTORS ? count : CHUNK_SECTORS;

        rc = dma_chunk(d, write, lba, n, p);
        lba += n;
        p += (size_t)n * ATA_SECTOR_SIZE;
        count -= n;
    }
    return rc;
}

int ata_dma_read(struct ata_disk *d, uint64_t lba, uint32_t count, void *buf)
{
    return dma_xfer(d, false, lba, count, buf);
}

int ata_dma_write(struct ata_disk *d, uint64_t lba, uint32_t count, const void *buf)
{
    return dma_xfer(d, true, lba, count, (uint8_t *)(uintptr_t)buf);
}
