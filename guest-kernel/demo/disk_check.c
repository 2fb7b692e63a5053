/*
 * Tern guest kernel: the disk-check role (domain 0, issue 14): the ATA
 * driver (drivers/ata.c) against a real IDE disk.
 *
 *   disk-check          identify every drive on both IDE channels; on the
 *                       first ATA disk write a pattern to two regions (264
 *                       sectors at LBA 2048, two commands; and 12 sectors
 *                       across LBA 2^28 when the disk is that big, the
 *                       LBA48 commands), flush, read back and compare, by
 *                       PIO; then, when the PCI IDE controller offers
 *                       bus-master DMA, write a third region (264 sectors
 *                       at LBA 8192) by DMA and read it back by PIO, and
 *                       read the first one back by DMA
 *   disk-check=verify   only read the regions and compare (a second boot)
 *
 * Each sector of the pattern starts with "TERN disk-check lba <n>" and
 * goes on with xorshift64 bytes seeded from its LBA, so a sector that
 * lands at the wrong place is caught too. Each region's line gives the
 * FNV-1a 64 hash of its bytes, which the scenario recomputes from the
 * disk image after QEMU has exited. With QEMU -icount the TSC counts
 * instructions, so the cost line is instructions per sector.
 * Meanwhile the channel's interrupt comes as a pirq (event channel) and
 * is counted: the driver still polls, so a refused pirq only loses the
 * count (said on the console).
 * Failures print "disk-check: FAIL: ..."; the role never waits on a
 * drive without a bound (ata.c), so a dead disk is reported, not hung on.
 */
#include "drivers/ata.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/pirq.h"

#define REGION_A_LBA     2048u
#define REGION_A_SECTORS 264u               /* 256 + 8: two commands */
#define REGION_B_BEFORE  4u                 /* sectors below 2^28 */
#define REGION_B_SECTORS 12u
#define REGION_C_LBA     8192u              /* written by DMA */
#define MAX_SECTORS      REGION_A_SECTORS
#define FNV_OFFSET       0xcbf29ce484222325ULL
#define FNV_PRIME        0x100000001b3ULL

static uint8_t pattern[MAX_SECTORS * ATA_SECTOR_SIZE];
static uint8_t readback[MAX_SECTORS * ATA_SECTOR_SIZE];

struct region {
    uint64_t lba;
    uint32_t sectors;
};

static const char *const position_name[4] = {
    "ata0 master", "ata0 slave", "ata1 master", "ata1 slave",
};

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = FNV_OFFSET;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* One sector of the pattern: its label, then xorshift64 bytes. */
static void pattern_sector(uint64_t lba, uint8_t *s)
{
    uint64_t x = lba * 0x9e3779b97f4a7c15ULL + 1;
    int n = snprintf((char *)s, ATA_SECTOR_SIZE, "TERN disk-check lba %lu\n", lba);

    for (size_t i = (size_t)n; i < ATA_SECTOR_SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s[i] = (uint8_t)x;
    }
}

static void pattern_fill(const struct region *r)
{
    for (uint32_t i = 0; i < r->sectors; i++)
        pattern_sector(r->lba + i, pattern + (size_t)i * ATA_SECTOR_SIZE);
}

static void report_drive(unsigned int pos, const struct ata_disk *d, int rc)
{
    if (rc) {
        printk("disk-check: %s: %s\n", position_name[pos], ata_strerror(rc));
        return;
    }
    printk("disk-check: %s: '%s', %lu sectors (%lu MiB)%s%s\n", position_name[pos],
           d->id.model, d->id.sectors, d->id.sectors / 2048,
           d->id.lba48 ? ", LBA48" : ", LBA28 only",
           d->id.flush_ext ? ", FLUSH CACHE EXT" : d->id.flush ? ", FLUSH CACHE" : "");
}

/* Probes the four positions; the first ATA disk into *disk. */
static bool find_disk(struct ata_disk *disk)
{
    bool found = false;

    for (unsigned int pos = 0; pos < 4; pos++) {
        struct ata_disk d;
        int rc = ata_probe(&d, pos / 2, pos % 2);

        report_drive(pos, &d, rc);
        if (!rc && !found) {
            *disk = d;
            found = true;
        }
    }
    return found;
}

static bool fail(const char *what, const struct region *r, int rc, const struct ata_disk *d)
{
    printk("disk-check: FAIL: %s of lba %lu+%u: %s (status %#x, error %#x)\n", what, r->lba,
           r->sectors, ata_strerror(rc), d->status, d->error);
    return false;
}

static const char *mode(bool dma)
{
    return dma ? "DMA" : "PIO";
}

/* Writes the region's pattern (by DMA or PIO) and flushes; prints the
 * write's cost. */
static bool write_region(struct ata_disk *d, const struct region *r, bool dma)
{
    uint64_t t0 = tsc_read(), t1;
    int rc = dma ? ata_dma_write(d, r->lba, r->sectors, pattern)
                 : ata_write(d, r->lba, r->sectors, pattern);

    t1 = tsc_read();
    if (rc)
        return fail("write", r, rc, d);
    rc = ata_flush(d);
    if (rc && rc != ATA_E_NOTSUP)
        return fail("flush", r, rc, d);
    printk("disk-check: lba %lu+%u written by %s and flushed (%lu TSC per sector written)\n",
           r->lba, r->sectors, mode(dma), (t1 - t0) / r->sectors);
    return true;
}

/* Reads the region back (by DMA or PIO) and compares it with the pattern. */
static bool verify_region(struct ata_disk *d, const struct region *r, bool dma)
{
    size_t bytes = (size_t)r->sectors * ATA_SECTOR_SIZE;
    uint64_t t0 = tsc_read(), t1;
    int rc = dma ? ata_dma_read(d, r->lba, r->sectors, readback)
                 : ata_read(d, r->lba, r->sectors, readback);

    t1 = tsc_read();
    if (rc)
        return fail("read", r, rc, d);
    if (memcmp(readback, pattern, bytes) != 0) {
        printk("disk-check: FAIL: lba %lu+%u read back differs from the pattern\n", r->lba,
               r->sectors);
        return false;
    }
    printk("disk-check: lba %lu+%u read back: match, fnv1a %#lx (%s, %lu TSC per sector "
           "read)\n", r->lba, r->sectors, fnv1a(readback, bytes), mode(dma),
           (t1 - t0) / r->sectors);
    return true;
}

/* Refusals that never reach the drive: a range past the end, count 0. */
static bool check_refusals(struct ata_disk *d)
{
    int past = ata_read(d, d->id.sectors - 1, 2, readback);
    int empty = ata_write(d, 0, 0, pattern);

    if (past != ATA_E_RANGE || empty != ATA_E_RANGE) {
        printk("disk-check: FAIL: a read past the end gave %d, an empty write %d\n", past,
               empty);
        return false;
    }
    printk("disk-check: a read past the end and an empty write are refused\n");
    return true;
}

/* With bus-master DMA: region C written by DMA, read back by PIO; region
 * A read back by DMA. Adds the regions it checks to *n; returns how many
 * held. */
static unsigned int dma_check(struct ata_disk *d, bool verify_only, unsigned int *n)
{
    struct region a = { REGION_A_LBA, REGION_A_SECTORS };
    struct region c = { REGION_C_LBA, REGION_A_SECTORS };
    unsigned int ok = 0;
    int rc = ata_dma_enable(d);

    if (rc) {
        printk("disk-check: no bus-master DMA: %s\n", ata_strerror(rc));
        return 0;
    }
    printk("disk-check: bus-master DMA registers at %#x\n", d->bm);
    *n += 2;
    pattern_fill(&c);
    if ((verify_only || write_region(d, &c, true)) && verify_region(d, &c, false))
        ok++;
    pattern_fill(&a);
    if (verify_region(d, &a, true))
        ok++;
    return ok;
}

static unsigned int regions_of(const struct ata_disk *d, struct region *r)
{
    unsigned int n = 0;

    r[n++] = (struct region){ REGION_A_LBA, REGION_A_SECTORS };
    if (d->id.lba48 && d->id.sectors >= ATA_LBA28_LIMIT + REGION_B_SECTORS)
        r[n++] = (struct region){ ATA_LBA28_LIMIT - REGION_B_BEFORE, REGION_B_SECTORS };
    return n;
}

/* The channel's interrupt as a pirq: its handler counts the drive's
 * edges and says EOI (Xen asks it of a PV domain for every pirq). */
static volatile uint32_t ide_irqs;
static int32_t ide_pirq = -1;
static evtchn_port_t ide_port;

static void on_ide_irq(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    ide_irqs++;
    gk_pirq_eoi(ide_pirq);
}

/* ISA IRQ 14 or 15, the GSIs of the same numbers on QEMU's pc (its MADT
 * overrides neither). Refused: said so, and the driver only polls. */
static void ide_irq_start(struct ata_disk *d)
{
    uint32_t gsi = d->ctl == 0x3f6 ? 14 : 15;
    long rc = gk_pirq_bind_gsi(gsi, &ide_pirq, &ide_port);

    if (rc) {
        ide_pirq = -1;
        printk("disk-check: the IDE interrupt (GSI %u) refused (%ld); polling only\n", gsi, rc);
        return;
    }
    gk_evtchn_attach(ide_port, on_ide_irq, NULL);
    ata_irq(d, true);
    printk("disk-check: the IDE interrupt (GSI %u) comes as pirq %d on port %u\n", gsi,
           ide_pirq, ide_port);
}

static void ide_irq_stop(struct ata_disk *d)
{
    if (ide_pirq < 0)
        return;
    ata_irq(d, false);
    gk_pirq_release(ide_pirq, ide_port);
    ide_pirq = -1;
    printk("disk-check: %u IDE interrupts arrived\n", ide_irqs);
}

static void disk_check(bool verify_only)
{
    struct ata_disk d;
    struct region r[2];
    unsigned int n, ok = 0;
    int rc = ata_enable_ports();

    if (rc) {
        printk("disk-check: FAIL: physdev_op(set_iopl) = %d\n", rc);
        return;
    }
    if (!find_disk(&d)) {
        printk("disk-check: no ATA disk found\n");
        return;
    }
    ide_irq_start(&d);
    n = regions_of(&d, r);
    for (unsigned int i = 0; i < n; i++) {
        pattern_fill(&r[i]);
        if ((verify_only || write_region(&d, &r[i], false)) && verify_region(&d, &r[i], false))
            ok++;
    }
    ok += dma_check(&d, verify_only, &n);
    ide_irq_stop(&d);
    if (check_refusals(&d) && ok == n)
        printk("disk-check: done: %u regions verified on the first ATA disk\n", n);
}

bool disk_check_run(void)
{
    char buf[16];
    const char *v = cmdline_option("disk-check", buf, sizeof(buf));

    if (!v)
        return false;
    if (*v && strcmp(v, "verify") != 0) {
        printk("roles: disk-check=%s: want nothing or 'verify'\n", v);
        return true;
    }
    disk_check(*v != '\0');
    return true;
}
