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
 * virtual disk's sectors 65536 onward (0 onward on a disk smaller than
 * that, e.g. a RAM disk): their contents are lost. A flush comes before
 * and after each phase, untimed.
 *
 *   blk-bench         rows blk_<shape>_per_kib
 *   blk-bench=<tag>   rows blk_<tag>_<shape>_per_kib (tag: a-z, at most 8)
 */
#include "bench/bench.h"
#include "blk/blkfront.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"

#define SEQ_SECTOR   65536u
#define SEQ_BYTES    (1u << 20)
#define SEQ_IO       (64u << 10)
#define RAND_IOS     64u
#define RAND_IO      (4u << 10)
#define RAND_SPAN    (1ULL << 21)         /* sectors: the first GiB */
#define SECTOR       512u

static uint8_t buf[SEQ_IO] __attribute__((aligned(4096)));
static struct blkfront_buf pool;          /* SEQ_BYTES of blkfront's pool */
static struct blkfront_buf page;          /* one page of it, for random reads */
static bool zero_copy;                    /* both taken */
static uint64_t seq_start;

/* 1 MiB in 64 KiB requests: all in flight at once from the pool, else
 * one after the other. */
static int seq_io(bool write)
{
    int rc = 0;

    if (zero_copy)
        return blkfront_rw_buf(write, seq_start, &pool, SEQ_IO);
    for (uint32_t i = 0; !rc && i < SEQ_BYTES / SEQ_IO; i++)
        rc = blkfront_rw(write, seq_start + (uint64_t)i * (SEQ_IO / SECTOR), buf, SEQ_IO);
    return rc;
}

static void sequential(const char *name, bool write)
{
    uint64_t t0 = tsc_read();
    int rc = seq_io(write);

    if (!bench_failed(name, rc))
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
        rc = zero_copy ? blkfront_rw_buf(false, (x % (span / 8)) * 8, &page, RAND_IO)
                       : blkfront_rw(false, (x % (span / 8)) * 8, buf, RAND_IO);
        if (bench_failed(name, rc))
            return;
    }
    bench_report(name, (uint64_t)RAND_IOS * RAND_IO >> 10, tsc_read() - t0);
}

/* A flush outside the timed parts: the writes are stable before the next
 * phase, and a backend run with blk-wait-report says how long it has
 * polled the device so far (tools/bench.py takes each phase's share out
 * of its row for the _cpu_ rows). */
static void between_phases(void)
{
    int rc = blkfront_flush();

    if (rc)
        printk("blk-bench: a flush between phases gave %d\n", rc);
}

static bool tag_ok(const char *t)
{
    size_t n = 0;

    for (; t[n]; n++)
        if (t[n] < 'a' || t[n] > 'z')
            return false;
    return n <= 8;
}

static void run_all(const char *tag, const struct blkfront_info *in)
{
    static const char *const shapes[] = { "seq_read_64k", "seq_write_64k", "rand_read_4k" };
    char names[3][48];

    for (unsigned int i = 0; i < 3; i++)
        snprintf(names[i], sizeof(names[i]), "blk_%s%s%s_per_kib", tag, *tag ? "_" : "",
                 shapes[i]);
    seq_start = in->sectors >= SEQ_SECTOR + SEQ_BYTES / SECTOR ? SEQ_SECTOR : 0;
    if (zero_copy && seq_io(false))
        printk("blk-bench: the untimed first read of the pool failed\n");
    between_phases();
    sequential(names[0], false);
    between_phases();
    sequential(names[1], true);
    between_phases();
    random_reads(names[2], in->sectors);
    between_phases();
}

bool blk_bench_run(void)
{
    char tag[16];
    struct blkfront_info in;
    const char *v = cmdline_option("blk-bench", tag, sizeof(tag));

    if (!v)
        return false;
    if (!tag_ok(v))
        return printk("roles: blk-bench=%s: want a tag of a-z, at most 8\n", v), true;
    if (blkfront_open(&in))
        return true;
    if (in.read_only || in.sectors < SEQ_BYTES / SECTOR) {
        printk("blk-bench: the disk is read-only or smaller than %u sectors\n",
               SEQ_BYTES / SECTOR);
        blkfront_close();
        return true;
    }
    zero_copy = blkfront_buf_get(&pool, SEQ_BYTES / 4096) && blkfront_buf_get(&page, 1);
    run_all(v, &in);
    blkfront_buf_put(&pool);
    blkfront_buf_put(&page);
    blkfront_close();
    printk("blk-bench: done\n");
    return true;
}
