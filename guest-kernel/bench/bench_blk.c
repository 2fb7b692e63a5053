/*
 * Tern guest kernel: the blk-bench role (an unprivileged domain, issue
 * 14): what a domain pays per KiB through its PV block device
 * (blk/blkfront.c, domain 0's blkback underneath), in the shapes of
 * disk-bench (bench_disk.c), domain 0's direct cost on the same disk:
 * 1 MiB of sequential 64 KiB reads from sector 65536, the same of 64 KiB
 * writes, and 64 random 4 KiB reads within the first GiB. Each is a
 * "bench:" line whose per_op is TSC ticks per KiB; under QEMU -icount
 * the TSC counts the machine's instructions, so domain 0's and the
 * hypervisor's work for each request is in the figure. Writes go to the
 * virtual disk's sectors 65536 onward: their contents are lost.
 */
#include "bench/bench.h"
#include "blk/blkfront.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/time.h"

#define SEQ_SECTOR   65536u
#define SEQ_BYTES    (1u << 20)
#define SEQ_IO       (64u << 10)
#define RAND_IOS     64u
#define RAND_IO      (4u << 10)
#define RAND_SPAN    (1ULL << 21)         /* sectors: the first GiB */
#define SECTOR       512u

static uint8_t buf[SEQ_IO] __attribute__((aligned(4096)));

static void sequential(const char *name, bool write)
{
    uint64_t t0 = tsc_read();

    for (uint32_t i = 0; i < SEQ_BYTES / SEQ_IO; i++) {
        int rc = blkfront_rw(write, SEQ_SECTOR + (uint64_t)i * (SEQ_IO / SECTOR), buf, SEQ_IO);

        if (bench_failed(name, rc))
            return;
    }
    bench_report(name, SEQ_BYTES >> 10, tsc_read() - t0);
}

static void random_reads(const char *name, uint64_t sectors)
{
    uint64_t x = 0x2545f4914f6cdd1dULL, span = sectors < RAND_SPAN ? sectors : RAND_SPAN;
    uint64_t t0 = tsc_read();

    for (uint32_t i = 0; i < RAND_IOS; i++) {
        int rc;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rc = blkfront_rw(false, (x % (span / 8)) * 8, buf, RAND_IO);
        if (bench_failed(name, rc))
            return;
    }
    bench_report(name, (uint64_t)RAND_IOS * RAND_IO >> 10, tsc_read() - t0);
}

bool blk_bench_run(void)
{
    char opt[8];
    struct blkfront_info in;

    if (!cmdline_option("blk-bench", opt, sizeof(opt)))
        return false;
    if (blkfront_open(&in))
        return true;
    if (in.read_only || in.sectors < SEQ_SECTOR + SEQ_BYTES / SECTOR) {
        printk("blk-bench: the disk is read-only or smaller than %u sectors\n",
               SEQ_SECTOR + SEQ_BYTES / SECTOR);
        blkfront_close();
        return true;
    }
    sequential("blk_seq_read_64k_per_kib", false);
    sequential("blk_seq_write_64k_per_kib", true);
    random_reads("blk_rand_read_4k_per_kib", in.sectors);
    blkfront_close();
    printk("blk-bench: done\n");
    return true;
}
