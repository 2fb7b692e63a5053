/*
 * Tern guest kernel, domain 0's backends: blkback's backing stores (see
 * blk_store.h). Invariants: a position is probed at most once (an absent
 * disk is not probed again for every vbd); I/O reaches a store only in
 * its range (ata.c checks it again, and the module image is bounded by
 * its length here); a device error is reported with the drive's status
 * and becomes BLKIF_RSP_ERROR for that request only.
 */
#include "backend/blk_store.h"
#include "drivers/ata.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define SECTOR 512u

enum probe { UNPROBED, ABSENT, PRESENT };

struct blk_store {
    enum probe probe;
    const char *why;             /* ABSENT: the reason */
    bool dma;
    struct ata_disk ata;         /* an IDE position */
    uint8_t *image;              /* the module; NULL for a disk */
    uint64_t sectors;
};

static struct blk_store stores[BLK_TARGET_IDE_MAX + 1];
static bool ports_enabled;
static const char *const names[] = { "ide0", "ide1", "ide2", "ide3", "module" };

bool blk_store_module_given(void)
{
    char buf[8];

    return (start_info.flags & SIF_INITDOMAIN) && cmdline_option("disk-image", buf, sizeof(buf));
}

static void open_module(struct blk_store *s)
{
    if (!blk_store_module_given() || !start_info.mod_start ||
        (start_info.flags & SIF_MOD_START_PFN) || start_info.mod_len < SECTOR) {
        s->why = "no disk-image module (domain 0's initrd with the word disk-image)";
        return;
    }
    s->image = (uint8_t *)(uintptr_t)start_info.mod_start;
    s->sectors = start_info.mod_len / SECTOR;
    s->probe = PRESENT;
}

static void open_disk(struct blk_store *s, unsigned int pos)
{
    int rc = ports_enabled ? ATA_OK : ata_enable_ports();

    ports_enabled = rc == ATA_OK;
    rc = rc ?: ata_probe(&s->ata, pos / 2, pos % 2);
    if (rc) {
        s->why = ata_strerror(rc);
        return;
    }
    s->dma = ata_dma_enable(&s->ata) == ATA_OK;
    s->sectors = s->ata.id.sectors;
    s->probe = PRESENT;
    printk("blkback: %s: '%s', %lu sectors, %s\n", names[pos], s->ata.id.model, s->sectors,
           s->dma ? "bus-master DMA" : "PIO");
}

struct blk_store *blk_store_open(unsigned int pos, const char **why)
{
    struct blk_store *s;

    if (pos > BLK_TARGET_MODULE)
        return *why = "no such store", NULL;
    s = &stores[pos];
    if (s->probe == UNPROBED) {
        s->probe = ABSENT;
        if (pos == BLK_TARGET_MODULE)
            open_module(s);
        else
            open_disk(s, pos);
    }
    if (s->probe != PRESENT)
        return *why = s->why, NULL;
    return s;
}

uint64_t blk_store_sectors(const struct blk_store *s)
{
    return s->sectors;
}

bool blk_store_can_flush(const struct blk_store *s)
{
    return s->image || s->ata.id.flush || s->ata.id.flush_ext;
}

const char *blk_store_name(const struct blk_store *s)
{
    return names[s - stores];
}

/* Whole sectors between the image and a buffer, 8 bytes a step (the
 * kernel's memcpy goes a byte at a time). */
static void copy_sectors(void *dst, const void *src, uint32_t count)
{
    uint64_t words = (uint64_t)count * SECTOR / 8;

    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
}

static bool image_range(const struct blk_store *s, uint64_t lba, uint32_t count)
{
    return lba < s->sectors && count <= s->sectors - lba;
}

static int failed(struct blk_store *s, const char *what, uint64_t lba, int rc)
{
    printk("blkback: %s: %s at lba %lu: %s (status %#x, error %#x)\n", blk_store_name(s),
           what, lba, ata_strerror(rc), s->ata.status, s->ata.error);
    return -1;
}

int blk_store_read(struct blk_store *s, uint64_t lba, uint32_t count, void *buf)
{
    int rc;

    if (s->image) {
        if (!image_range(s, lba, count))
            return -1;
        copy_sectors(buf, s->image + lba * SECTOR, count);
        return 0;
    }
    rc = s->dma ? ata_dma_read(&s->ata, lba, count, buf) : ata_read(&s->ata, lba, count, buf);
    return rc ? failed(s, "read", lba, rc) : 0;
}

int blk_store_write(struct blk_store *s, uint64_t lba, uint32_t count, const void *buf)
{
    int rc;

    if (s->image) {
        if (!image_range(s, lba, count))
            return -1;
        copy_sectors(s->image + lba * SECTOR, buf, count);
        return 0;
    }
    rc = s->dma ? ata_dma_write(&s->ata, lba, count, buf)
                : ata_write(&s->ata, lba, count, buf);
    return rc ? failed(s, "write", lba, rc) : 0;
}

/* With the word blk-wait-report on domain 0's command line, each flush
 * says how long DMA commands have been polled for so far (drivers/ata.h):
 * tools/bench.py takes it out of the PV rows as disk-bench does of its. */
static void wait_report(const struct blk_store *s)
{
    static int wanted = -1;
    char buf[8];

    if (wanted < 0)
        wanted = cmdline_option("blk-wait-report", buf, sizeof(buf)) != NULL;
    if (wanted && !s->image)
        printk("blkback: %s: device wait %lu TSC so far\n", blk_store_name(s),
               ata_dma_wait_ticks);
}

int blk_store_flush(struct blk_store *s)
{
    int rc = s->image ? ATA_OK : ata_flush(&s->ata);

    wait_report(s);
    return rc && rc != ATA_E_NOTSUP ? failed(s, "flush", 0, rc) : 0;
}

bool blk_store_can_dma(const struct blk_store *s)
{
    return !s->image && s->dma;
}

int blk_store_dma(struct blk_store *s, bool write, uint64_t lba, const struct ata_region *r,
                  unsigned int n)
{
    int rc;

    if (!blk_store_can_dma(s))
        return BLK_STORE_NO_DMA;
    rc = ata_dma_regions(&s->ata, write, lba, r, n);
    if (rc == ATA_E_RANGE || rc == ATA_E_NOTSUP)
        return BLK_STORE_NO_DMA;          /* refused before the drive was touched */
    return rc ? failed(s, write ? "write" : "read", lba, rc) : 0;
}
