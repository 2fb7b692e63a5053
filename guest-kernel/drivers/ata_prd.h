/*
 * Tern guest kernel: bus-master DMA descriptors for the IDE controller
 * (the PCI IDE "Bus Master" interface, SFF-8038i), pure.
 *
 * A transfer's memory is a Physical Region Descriptor table: entries of
 * a 32-bit machine address, a byte count (0 meaning 64 KiB) and an
 * end-of-table bit in the last one. The controller requires each region
 * to start at an even address, to have an even length, not to cross a
 * 64 KiB boundary and to lie below 4 GiB; the table itself is dword
 * aligned and must not cross a 64 KiB boundary either. A PV domain knows
 * its machine frames (the p2m), so the driver splits a buffer at page
 * boundaries (a page never crosses 64 KiB) and adds one region per piece
 * with ata_prd_add(), which refuses any region the controller could
 * misread: the device then writes only where the domain asked.
 */
#ifndef GUEST_ATA_PRD_H
#define GUEST_ATA_PRD_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/ata_cmd.h"

#define ATA_PRD_EOT      0x8000u
#define ATA_PRD_MAX      64u          /* entries in our table: 256 KiB of pages */
#define ATA_PRD_BOUNDARY 0x10000ULL   /* no region crosses 64 KiB */
#define ATA_DMA_LIMIT    (1ULL << 32)

/* Bus-master registers, per channel (primary at BAR4 + 0, secondary + 8). */
#define ATA_BM_CMD          0
#define ATA_BM_STATUS       2
#define ATA_BM_PRD          4
#define ATA_BM_CHANNEL_SIZE 8
#define ATA_BM_CMD_START    0x01
#define ATA_BM_CMD_TO_MEM   0x08   /* the device writes memory (a read) */
#define ATA_BM_ST_ACTIVE    0x01
#define ATA_BM_ST_ERROR     0x02
#define ATA_BM_ST_IRQ       0x04

struct ata_prd {
    uint32_t addr;       /* machine address of the region */
    uint16_t count;      /* bytes; 0 means 65536 */
    uint16_t flags;      /* ATA_PRD_EOT on the last entry */
};

_Static_assert(sizeof(struct ata_prd) == 8, "a PRD entry is 8 bytes");

/* A table being filled: n entries used out of ATA_PRD_MAX. */
struct ata_prd_table {
    struct ata_prd *e;
    unsigned int n;
};

/* Appends [maddr, maddr + len) as the last region (moving the EOT bit).
 * ATA_E_RANGE for an empty, odd, too long (> 64 KiB), 4 GiB-crossing or
 * 64 KiB-crossing region, or a full table; nothing is added then. */
int ata_prd_add(struct ata_prd_table *t, uint64_t maddr, uint32_t len);

/* A piece of memory the device reads or writes, by machine address (a
 * frame another domain granted us, for blkback's zero-copy path). */
struct ata_region {
    uint64_t maddr;
    uint32_t len;
};

/* The bytes n regions cover together. */
uint64_t ata_regions_bytes(const struct ata_region *r, unsigned int n);

/* The bytes the table describes. */
uint64_t ata_prd_bytes(const struct ata_prd_table *t);

/* The state of a DMA command from the drive's status and the bus
 * master's: DRQ while the engine is still active is data moving (busy);
 * an engine error on an otherwise finished command is an error; else as
 * ata_status_state(). */
enum ata_state ata_dma_state(uint8_t status, uint8_t bm_status);

/* READ DMA (EXT) / WRITE DMA (EXT) for the same range and drive rules as
 * ata_build_rw. */
int ata_build_dma(const struct ata_identity *id, bool slave, bool write, uint64_t lba,
                  uint32_t count, struct ata_taskfile *tf);

#endif /* GUEST_ATA_PRD_H */
