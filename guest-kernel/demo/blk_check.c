/*
 * Tern guest kernel: the blk-check role (an unprivileged domain, issue
 * 14): its PV block device (blk/blkfront.c) end to end.
 *
 *   blk-check       write a pattern over the whole virtual disk (in
 *                   CHUNK pieces, the ring kept full), flush, read it all
 *                   back and compare; print its FNV-1a 64 hash and the
 *                   cost of each phase in TSC ticks per KiB (instructions
 *                   under QEMU -icount, domain 0's and the hypervisor's
 *                   work included, since the TSC counts for the machine)
 *   blk-check=ro    a read-only disk: a write must be refused with
 *                   BLKIF_RSP_ERROR, a read of the whole disk must work
 *   blk-check=verify  write nothing: read the whole disk and compare it
 *                   with the pattern a blk-check of the same domain id
 *                   wrote in an earlier boot of the same disk image (the
 *                   host's scenario reboots QEMU on it: nothing lost)
 *
 * Each 512-byte sector of the pattern starts with
 * "TERN blk-check d<dom> sector <n>" and goes on with xorshift64 bytes
 * seeded from dom and n, so the host can find every sector in the disk
 * image and tell where it landed. Then the device is closed, so the
 * backend unmaps our ring before we end. Failures print
 * "blk-check: FAIL: ...".
 */
#include "blk/blkfront.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/xenbus.h"

#define CHUNK       (256u << 10)
#define SECTOR      512u
#define FNV_OFFSET  0xcbf29ce484222325ULL
#define FNV_PRIME   0x100000001b3ULL

static uint8_t buf[CHUNK] __attribute__((aligned(4096)));
static unsigned int dom;

static void pattern_sector(uint64_t n, uint8_t *s)
{
    uint64_t x = (n + ((uint64_t)dom << 40)) * 0x9e3779b97f4a7c15ULL + 1;
    int len = snprintf((char *)s, SECTOR, "TERN blk-check d%u sector %lu\n", dom, n);

    for (size_t i = (size_t)len; i < SECTOR; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s[i] = (uint8_t)x;
    }
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static size_t chunk_at(uint64_t sector, uint64_t sectors)
{
    uint64_t left = (sectors - sector) * SECTOR;

    return left < CHUNK ? (size_t)left : CHUNK;
}

static bool fail(const char *what, uint64_t sector, int rc)
{
    printk("blk-check: FAIL: %s at sector %lu: %d\n", what, sector, rc);
    return false;
}

/* The whole disk written with the pattern; ticks into *t. */
static bool write_all(uint64_t sectors, uint64_t *t)
{
    for (uint64_t s = 0; s < sectors; s += CHUNK / SECTOR) {
        size_t n = chunk_at(s, sectors);
        uint64_t t0;
        int rc;

        for (size_t i = 0; i < n / SECTOR; i++)
            pattern_sector(s + i, buf + i * SECTOR);
        t0 = tsc_read();
        rc = blkfront_rw(true, s, buf, n);
        *t += tsc_read() - t0;
        if (rc)
            return fail("write", s, rc);
    }
    return true;
}

/* The whole disk read back and compared; its hash into *h. */
static bool verify_all(uint64_t sectors, uint64_t *t, uint64_t *h)
{
    uint8_t want[SECTOR];

    for (uint64_t s = 0; s < sectors; s += CHUNK / SECTOR) {
        size_t n = chunk_at(s, sectors);
        uint64_t t0 = tsc_read();
        int rc = blkfront_rw(false, s, buf, n);

        *t += tsc_read() - t0;
        if (rc)
            return fail("read", s, rc);
        for (size_t i = 0; i < n / SECTOR; i++) {
            pattern_sector(s + i, want);
            if (memcmp(want, buf + i * SECTOR, SECTOR))
                return fail("read back differs", s + i, 0);
        }
        *h = fnv1a(*h, buf, n);
    }
    return true;
}

static void check_rw(const struct blkfront_info *in)
{
    uint64_t kib = in->sectors / 2, tw = 0, tr = 0, tf, h = FNV_OFFSET;
    int rc;

    if (in->read_only)
        return (void)printk("blk-check: FAIL: the disk is read-only\n");
    if (!write_all(in->sectors, &tw))
        return;
    tf = tsc_read();
    rc = blkfront_flush();
    tf = tsc_read() - tf;
    if (rc)
        return (void)fail("flush", 0, rc);
    printk("blk-check: %lu sectors written and flushed (%lu TSC per KiB written, flush %lu)\n",
           in->sectors, tw / kib, tf);
    if (!verify_all(in->sectors, &tr, &h))
        return;
    printk("blk-check: %lu sectors read back: match, fnv1a %#lx (%lu TSC per KiB read)\n",
           in->sectors, h, tr / kib);
    printk("blk-check: done\n");
}

static void check_verify(const struct blkfront_info *in)
{
    uint64_t t = 0, h = FNV_OFFSET;

    if (!verify_all(in->sectors, &t, &h))
        return;
    printk("blk-check: %lu sectors read back: match, fnv1a %#lx (written in an earlier boot)\n",
           in->sectors, h);
    printk("blk-check: done\n");
}

static void check_ro(const struct blkfront_info *in)
{
    uint64_t h = FNV_OFFSET;
    uint64_t sectors = in->sectors < CHUNK / SECTOR ? in->sectors : CHUNK / SECTOR;
    int rc;

    if (!in->read_only)
        printk("blk-check: FAIL: the disk is not said to be read-only\n");
    pattern_sector(0, buf);
    rc = blkfront_rw(true, 0, buf, SECTOR);
    if (rc != BLKIF_RSP_ERROR)
        return (void)fail("a write to the read-only disk gave", 0, rc);
    printk("blk-check: a write to the read-only disk is refused (%d)\n", rc);
    rc = blkfront_rw(false, 0, buf, (size_t)sectors * SECTOR);
    if (rc)
        return (void)fail("read", 0, rc);
    h = fnv1a(h, buf, (size_t)sectors * SECTOR);
    printk("blk-check: %lu sectors read, fnv1a %#lx\n", sectors, h);
    printk("blk-check: done\n");
}

bool blk_check_run(void)
{
    char opt[8], id[16];
    struct blkfront_info in;
    const char *v = cmdline_option("blk-check", opt, sizeof(opt));

    if (!v)
        return false;
    if (*v && strcmp(v, "ro") && strcmp(v, "verify"))
        return printk("roles: blk-check=%s: want nothing, ro or verify\n", v), true;
    if (blkfront_open(&in))
        return printk("blk-check: FAIL: no PV block device\n"), true;
    if (xenbus_read(0, "domid", id, sizeof(id)) > 0)
        for (const char *p = id; *p >= '0' && *p <= '9'; p++)
            dom = dom * 10 + (unsigned int)(*p - '0');
    if (!strcmp(v, "verify"))
        check_verify(&in);
    else if (*v)
        check_ro(&in);
    else
        check_rw(&in);
    blkfront_close();
    return true;
}
