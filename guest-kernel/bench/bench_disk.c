/*
 * Tern guest kernel: the disk-bench role (domain 0, issue 14): what
 * domain 0 pays to reach its own disk directly, the baseline a PV block
 * device is measured against. On the first ATA disk (drivers/ata.c),
 * by PIO and, where the controller offers it, by bus-master DMA:
 * 1 MiB of sequential 64 KiB reads, the same of 64 KiB writes, and 64
 * random 4 KiB reads within the first GiB; each a "bench:" line (bench.c)
 * whose per_op is TSC ticks per KiB (under QEMU -icount: instructions).
 * PIO costs are deterministic (every word is a trapped in/out); DMA
 * costs include polling until QEMU's I/O thread completes the transfer,
 * so they vary with the host. Writes go to LBA 65536 onward: the disk's
 * contents there are lost.
 */
#include "bench/bench.h"
#include "drivers/ata.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "demo/roles.h"

#define SEQ_LBA      65536u
#define SEQ_BYTES    (1u << 20)
#define SEQ_IO       (64u << 10)
#define RAND_IOS     64u
#define RAND_IO      (4u << 10)
#define RAND_SPAN    (1ULL << 21)         /* sectors: the first GiB */

static uint8_t buf[SEQ_IO] __attribute__((aligned(4096)));

typedef int (*xfer_fn)(struct ata_disk *d, uint64_t lba, uint32_t count, void *buf);

static int pio_write(struct ata_disk *d, uint64_t lba, uint32_t count, void *p)
{
    return ata_write(d, lba, count, p);
}

static int dma_write(struct ata_disk *d, uint64_t lba, uint32_t count, void *p)
{
    return ata_dma_write(d, lba, count, p);
}

/* The row; and for DMA, the row without the time spent polling for the
 * device (<name minus _per_kib>_cpu_per_kib): the CPU's work alone. */
static void report(const char *name, uint64_t kib, uint64_t ticks, uint64_t wait)
{
    char cpu[64];
    size_t n = strlen(name) - strlen("per_kib");

    bench_report(name, kib, ticks);
    if (!strstr(name, "_dma_") || n + sizeof("cpu_per_kib") > sizeof(cpu))
        return;
    memcpy(cpu, name, n);
    memcpy(cpu + n, "cpu_per_kib", sizeof("cpu_per_kib"));
    bench_report(cpu, kib, ticks - wait);
}

/* SEQ_BYTES in SEQ_IO pieces from SEQ_LBA; reports ticks per KiB. */
static void sequential(struct ata_disk *d, const char *name, xfer_fn fn)
{
    const uint32_t sectors = SEQ_IO / ATA_SECTOR_SIZE;
    uint64_t w0 = ata_dma_wait_ticks, t0 = tsc_read();

    for (uint32_t i = 0; i < SEQ_BYTES / SEQ_IO; i++) {
        int rc = fn(d, SEQ_LBA + (uint64_t)i * sectors, sectors, buf);

        if (bench_failed(name, rc))
            return;
    }
    report(name, SEQ_BYTES >> 10, tsc_read() - t0, ata_dma_wait_ticks - w0);
}

/* RAND_IOS reads of RAND_IO at 4 KiB-aligned places (xorshift64). */
static void random_reads(struct ata_disk *d, const char *name, xfer_fn fn)
{
    uint64_t x = 0x2545f4914f6cdd1dULL, span = d->id.sectors < RAND_SPAN ? d->id.sectors
                                                                          : RAND_SPAN;
    uint64_t w0 = ata_dma_wait_ticks, t0 = tsc_read();

    for (uint32_t i = 0; i < RAND_IOS; i++) {
        int rc;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rc = fn(d, (x % (span / 8)) * 8, RAND_IO / ATA_SECTOR_SIZE, buf);
        if (bench_failed(name, rc))
            return;
    }
    report(name, (uint64_t)RAND_IOS * RAND_IO >> 10, tsc_read() - t0, ata_dma_wait_ticks - w0);
}

static void bench_modes(struct ata_disk *d)
{
    sequential(d, "disk_seq_read_64k_pio_per_kib", ata_read);
    sequential(d, "disk_seq_write_64k_pio_per_kib", pio_write);
    random_reads(d, "disk_rand_read_4k_pio_per_kib", ata_read);
    if (ata_dma_enable(d) != ATA_OK) {
        printk("disk-bench: no bus-master DMA\n");
        return;
    }
    sequential(d, "disk_seq_read_64k_dma_per_kib", ata_dma_read);
    sequential(d, "disk_seq_write_64k_dma_per_kib", dma_write);
    random_reads(d, "disk_rand_read_4k_dma_per_kib", ata_dma_read);
}

bool disk_bench_run(void)
{
    char opt[8];
    struct ata_disk d;
    int rc;

    if (!cmdline_option("disk-bench", opt, sizeof(opt)))
        return false;
    rc = ata_enable_ports();
    if (!rc)
        rc = ata_probe(&d, 0, false);
    if (!rc && d.id.sectors < SEQ_LBA + SEQ_BYTES / ATA_SECTOR_SIZE)
        rc = ATA_E_RANGE;
    if (rc) {
        printk("disk-bench: no usable disk at ata0 master: %s\n", ata_strerror(rc));
        return true;
    }
    bench_modes(&d);
    printk("disk-bench: done\n");
    return true;
}
