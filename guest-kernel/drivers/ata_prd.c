/*
 * Tern guest kernel: bus-master DMA descriptors (see ata_prd.h).
 *
 * Invariants: every entry in a table is a region the controller reads
 * as meant: non-empty, even start and length, at most 64 KiB, inside one
 * 64 KiB-aligned block and below 4 GiB; exactly the last entry carries
 * the end-of-table bit; a table never holds more than ATA_PRD_MAX.
 */
#include "drivers/ata_prd.h"

#define CMD_READ_DMA      0xc8
#define CMD_READ_DMA_EXT  0x25
#define CMD_WRITE_DMA     0xca
#define CMD_WRITE_DMA_EXT 0x35

static bool region_ok(uint64_t maddr, uint32_t len)
{
    if (len == 0 || len > ATA_PRD_BOUNDARY || (maddr | len) & 1)
        return false;
    if (maddr >= ATA_DMA_LIMIT || len > ATA_DMA_LIMIT - maddr)
        return false;
    return maddr / ATA_PRD_BOUNDARY == (maddr + len - 1) / ATA_PRD_BOUNDARY;
}

int ata_prd_add(struct ata_prd_table *t, uint64_t maddr, uint32_t len)
{
    if (t->n >= ATA_PRD_MAX || !region_ok(maddr, len))
        return ATA_E_RANGE;
    if (t->n)
        t->e[t->n - 1].flags = 0;
    t->e[t->n] = (struct ata_prd){ .addr = (uint32_t)maddr, .count = (uint16_t)len,
                                   .flags = ATA_PRD_EOT };
    t->n++;
    return ATA_OK;
}

uint64_t ata_prd_bytes(const struct ata_prd_table *t)
{
    uint64_t sum = 0;

    for (unsigned int i = 0; i < t->n; i++)
        sum += t->e[i].count ? t->e[i].count : ATA_PRD_BOUNDARY;
    return sum;
}

uint64_t ata_regions_bytes(const struct ata_region *r, unsigned int n)
{
    uint64_t sum = 0;

    for (unsigned int i = 0; i < n; i++)
        sum += r[i].len;
    return sum;
}

enum ata_state ata_dma_state(uint8_t status, uint8_t bm_status)
{
    enum ata_state s = ata_status_state(status);

    if (s == ATA_ST_DRQ && (bm_status & ATA_BM_ST_ACTIVE))
        return ATA_ST_BUSY;
    if (s == ATA_ST_IDLE && (bm_status & ATA_BM_ST_ERROR))
        return ATA_ST_ERROR;
    return s;
}

/* The DMA command of a PIO READ/WRITE SECTORS (EXT) command. */
static uint8_t dma_command(uint8_t pio)
{
    switch (pio) {
    case ATA_CMD_READ_SECTORS:      return CMD_READ_DMA;
    case ATA_CMD_READ_SECTORS_EXT:  return CMD_READ_DMA_EXT;
    case ATA_CMD_WRITE_SECTORS:     return CMD_WRITE_DMA;
    default:                        return CMD_WRITE_DMA_EXT;
    }
}

int ata_build_dma(const struct ata_identity *id, bool slave, bool write, uint64_t lba,
                  uint32_t count, struct ata_taskfile *tf)
{
    int rc = ata_build_rw(id, slave, write, lba, count, tf);

    if (rc == ATA_OK)
        tf->command = dma_command(tf->command);
    return rc;
}
