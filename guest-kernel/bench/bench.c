/*
 * Tern guest kernel: benchmarks (command line `bench`).
 *
 * Each benchmark runs one operation many times between two TSC reads.
 * Under QEMU with `-icount shift=0,sleep=off` the guest's TSC counts
 * instructions, so the numbers are instructions per operation, the same
 * on every run and every host (tools/bench.py runs this on Tern and on
 * Xen and prints them side by side). One line per result:
 *
 *   bench: boot_tsc=<TSC at the kernel's first instruction>
 *   bench: <name> per_op=<instructions, one decimal> iterations=<n> total=<n>
 *   bench: <name> error=<hypercall result>       (the operation failed)
 *   bench: done
 *
 * then the domain powers off. The operations alternate between two
 * targets (frames, address spaces) so that every call does the full work,
 * including dropping the references the previous call took.
 */
#include <public/errno.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "bench/bench.h"
#include "kernel/time.h"

#define BENCH_VA      0x00001c0000000000UL      /* L4 slot 56: nothing else */
#define BATCH         PT_ENTRIES
#define MULTICALL_BATCH 32

struct bench_pages {
    uint64_t a, b;                              /* two data frames (mfns) */
};

static struct mmu_update batch[BATCH];


void bench_report(const char *name, uint64_t iterations, uint64_t total)
{
    uint64_t tenths = (total * 10 + iterations / 2) / iterations;

    printk("bench: %s per_op=%lu.%lu iterations=%lu total=%lu\n", name, tenths / 10,
           tenths % 10, iterations, total);
}

void bench_report_stream(const char *name, uint64_t arrived, uint64_t sent, uint64_t total,
                         long rc, bool per_sent)
{
    if (!rc && arrived < 1024)
        rc = -XEN_EIO;                               /* nothing arrived */
    if (bench_failed(name, rc))
        return;
    printk("bench: %s arrived=%lu of %lu bytes\n", name, arrived, sent);
    bench_report(name, (per_sent ? sent : arrived) / 1024, total);
}

bool bench_failed(const char *name, long rc)
{
    if (rc == 0)
        return false;
    printk("bench: %s error=%ld\n", name, rc);
    return true;
}

static void bench_rdtsc_cost(void)
{
    uint64_t t0 = tsc_read(), t1 = 0;

    for (unsigned int i = 0; i < 1000; i++)
        t1 = tsc_read();
    bench_report("rdtsc", 1000, t1 - t0);
}

static void bench_null_hypercall(void)
{
    const unsigned int n = 10000;
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < n; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    bench_report("null_hypercall", n, tsc_read() - t0);
}

/* 32 null calls (xen_version) in one multicall, per call. The entries
 * are filled again before each batch, outside the timing. */
static void bench_multicall(void)
{
    static struct multicall_entry mc[MULTICALL_BATCH];
    const unsigned int n = 300;
    uint64_t t0, total = 0;
    long rc;

    for (unsigned int i = 0; i < n; i++) {
        for (unsigned int e = 0; e < MULTICALL_BATCH; e++)
            mc[e] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version,
                                              .args = { XENVER_version } };
        t0 = tsc_read();
        rc = HYPERVISOR_multicall(mc, MULTICALL_BATCH);
        total += tsc_read() - t0;
        if (bench_failed("multicall_32_null_per_call", rc))
            return;
    }
    bench_report("multicall_32_null_per_call", (uint64_t)n * MULTICALL_BATCH, total);
}

static void bench_console_io(void)
{
    static const char line[] = "bench: console_io write of 64 bytes ...........................\n";
    const unsigned int n = 50;
    uint64_t t0;

    _Static_assert(sizeof(line) - 1 == 64, "64 bytes");
    t0 = tsc_read();
    for (unsigned int i = 0; i < n; i++)
        HYPERVISOR_console_io(CONSOLEIO_write, 64, line);
    bench_report("console_io_64", n, tsc_read() - t0);
}

static void bench_mmu_update(const struct bench_pages *p, uint64_t l1e)
{
    const unsigned int n = 2000;
    struct mmu_update req = { .ptr = l1e };
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < n; i++) {
        req.val = mfn_pte((i & 1) ? p->a : p->b, PTE_PAGE_RW);
        if (HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF) != 0) {
            bench_failed("mmu_update_1", -1);
            return;
        }
    }
    bench_report("mmu_update_1", n, tsc_read() - t0);
}

/* All 512 entries of the bench L1 in one call, per entry. */
static void bench_mmu_update_batch(const struct bench_pages *p, uint64_t l1)
{
    const unsigned int n = 40;
    unsigned int done;
    uint64_t t0, total = 0;

    for (unsigned int i = 0; i < n; i++) {
        for (unsigned int e = 0; e < BATCH; e++) {
            batch[e].ptr = mfn_pte(l1, 0) + 8UL * e;
            batch[e].val = mfn_pte((i & 1) ? p->a : p->b, PTE_PAGE_RW);
        }
        t0 = tsc_read();
        if (HYPERVISOR_mmu_update(batch, BATCH, &done, DOMID_SELF) != 0) {
            bench_failed("mmu_update_512_per_pte", -1);
            return;
        }
        total += tsc_read() - t0;
    }
    bench_report("mmu_update_512_per_pte", (uint64_t)n * BATCH, total);
}

static void bench_update_va_mapping(const struct bench_pages *p)
{
    const unsigned int n = 2000;
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < n; i++)
        if (HYPERVISOR_update_va_mapping(BENCH_VA, mfn_pte((i & 1) ? p->a : p->b,
                                                           PTE_PAGE_RW), UVMF_INVLPG)) {
            bench_failed("update_va_mapping_invlpg", -1);
            return;
        }
    bench_report("update_va_mapping_invlpg", n, tsc_read() - t0);
}

static void bench_pin_unpin(void)
{
    const unsigned int n = 200;
    uint64_t pin = 0, unpin = 0, t0, t1;
    long pfn = page_alloc(), rc;
    uint64_t mfn;

    if (pfn < 0 || bench_failed("pin_l1", pfn_set_readonly((uint64_t)pfn)))
        return;
    mfn = p2m[pfn];
    for (unsigned int i = 0; i < n; i++) {
        t0 = tsc_read();
        rc = mmuext_mfn(MMUEXT_PIN_L1_TABLE, mfn);
        t1 = tsc_read();
        if (bench_failed("pin_l1", rc))
            return;
        rc = mmuext_mfn(MMUEXT_UNPIN_TABLE, mfn);
        unpin += tsc_read() - t1;
        pin += t1 - t0;
        if (bench_failed("unpin_l1", rc))
            return;
    }
    bench_report("pin_l1", n, pin);
    bench_report("unpin_l1", n, unpin);
    if (pfn_set_writable((uint64_t)pfn) == 0)
        page_free((uint64_t)pfn);
}

static void bench_new_baseptr(void)
{
    static struct addr_space one, two;
    const unsigned int n = 2000;
    uint64_t t0;

    if (bench_failed("new_baseptr", as_create(&one, 0, 0)) ||
        bench_failed("new_baseptr", as_create(&two, 0, 0)))
        return;
    t0 = tsc_read();
    for (unsigned int i = 0; i < n; i++)
        if (mmuext_mfn(MMUEXT_NEW_BASEPTR, (i & 1) ? one.l4_mfn : two.l4_mfn) != 0) {
            bench_failed("new_baseptr", -1);
            return;
        }
    bench_report("new_baseptr", n, tsc_read() - t0);
    if (bench_failed("new_baseptr", as_switch(&kernel_space)))
        return;
    as_destroy(&one);
    as_destroy(&two);
}

/* Two data frames, and BENCH_VA mapped (so its L1 exists). */
static bool bench_setup(struct bench_pages *p)
{
    long a = page_alloc(), b = page_alloc();

    if (a < 0 || b < 0) {
        printk("bench: setup error=%ld\n", a < 0 ? a : b);
        return false;
    }
    p->a = p2m[a];
    p->b = p2m[b];
    return !bench_failed("setup", as_map(&kernel_space, BENCH_VA, mfn_pte(p->a, PTE_PAGE_RW)));
}

_Noreturn void bench_run(void)
{
    struct bench_pages p;
    uint64_t l1e;

    printk("bench: boot_tsc=%lu\n", boot_tsc);
    bench_rdtsc_cost();
    bench_null_hypercall();
    bench_multicall();
    bench_console_io();
    if (bench_setup(&p) && (l1e = as_entry_maddr(&kernel_space, BENCH_VA, 1)) != 0) {
        bench_mmu_update(&p, l1e);
        bench_mmu_update_batch(&p, l1e >> PAGE_SHIFT);
        bench_mmu_update_unchanged(l1e >> PAGE_SHIFT);
        bench_mmuext_noops(BENCH_VA);
        bench_update_va_mapping(&p);
        bench_pin_unpin();
        bench_new_baseptr();
        bench_grants(p.a, p.b);
    }
    bench_traps();
    printk("bench: done\n");
    guest_shutdown(SHUTDOWN_poweroff);
}
