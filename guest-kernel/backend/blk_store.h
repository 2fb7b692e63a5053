/*
 * Tern guest kernel, domain 0's backends: blkback's backing stores, what
 * a vbd's target (blk/blk_target.h) names: an ATA disk at one of the four
 * IDE positions (drivers/ata.c; bus-master DMA when the controller has
 * it, else PIO), or domain 0's disk-image module, a RAM disk whose writes
 * are lost at power-off. A store is opened once, on first use, and shared
 * by every virtual disk on it (each checked to stay inside its window by
 * blkback_req.c before any I/O reaches the store).
 */
#ifndef BACKEND_BLK_STORE_H
#define BACKEND_BLK_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "blk/blk_target.h"
#include "drivers/ata_prd.h"

struct blk_store;

/* The store position pos names (BLK_TARGET_*), opened; NULL, with *why,
 * when there is no such disk or image. */
struct blk_store *blk_store_open(unsigned int pos, const char **why);

uint64_t blk_store_sectors(const struct blk_store *s);   /* 512-byte sectors */
bool blk_store_can_flush(const struct blk_store *s);
const char *blk_store_name(const struct blk_store *s);

/* count sectors at lba into / out of buf; flush makes every acknowledged
 * write stable. 0, or -1 on a device error (said). */
int blk_store_read(struct blk_store *s, uint64_t lba, uint32_t count, void *buf);
int blk_store_write(struct blk_store *s, uint64_t lba, uint32_t count, const void *buf);
int blk_store_flush(struct blk_store *s);

/* Can the store move data by DMA straight to and from machine addresses
 * (an IDE disk with a bus-master engine)? */
bool blk_store_can_dma(const struct blk_store *s);

/* count sectors at lba by DMA between the disk and n regions of machine
 * memory (drivers/ata_prd.h), in one command of at most 256 sectors.
 * 0; -1 on a device error (said); BLK_STORE_NO_DMA when the regions
 * cannot be given to the engine (e.g. above 4 GiB), nothing done: the
 * caller moves the data some other way. */
#define BLK_STORE_NO_DMA 1
int blk_store_dma(struct blk_store *s, bool write, uint64_t lba, const struct ata_region *r,
                  unsigned int n);

/* Domain 0's command line word `disk-image`: its initrd is a disk image
 * (the module target), not a configuration module. */
bool blk_store_module_given(void);

#endif /* BACKEND_BLK_STORE_H */
