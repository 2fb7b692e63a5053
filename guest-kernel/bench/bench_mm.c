/*
 * Tern guest kernel: page-table benchmarks that change nothing (part of
 * `bench`), timed like the others (bench.c) in instructions per operation
 * under -icount:
 *   mmu_update_512_unchanged_per_pte  all 512 entries of the bench L1
 *                                     written with the values they hold
 *   new_baseptr_same                  MMUEXT_NEW_BASEPTR to the L4 loaded
 *   tlb_flush_local                   MMUEXT_TLB_FLUSH_LOCAL
 *   invlpg_local                      MMUEXT_INVLPG_LOCAL of the bench VA
 * These are the calls a guest kernel makes most often without changing
 * its mappings (Linux rewrites unchanged PTEs and reloads its own CR3),
 * so they show each hypervisor's cost of doing the checks and no work.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "bench/bench.h"
#include "kernel/time.h"

#define MM_ITERATIONS 2000
#define UNCHANGED_ROUNDS 40

static struct mmu_update same[PT_ENTRIES];

void bench_mmu_update_unchanged(uint64_t l1)
{
    unsigned int done;
    uint64_t t0, total = 0, maddr;

    for (unsigned int e = 0; e < PT_ENTRIES; e++) {
        maddr = mfn_pte(l1, 0) + 8UL * e;
        same[e] = (struct mmu_update){ .ptr = maddr, .val = pt_read(maddr) };
    }
    for (unsigned int i = 0; i < UNCHANGED_ROUNDS; i++) {
        t0 = tsc_read();
        if (HYPERVISOR_mmu_update(same, PT_ENTRIES, &done, DOMID_SELF) != 0) {
            bench_failed("mmu_update_512_unchanged_per_pte", -1);
            return;
        }
        total += tsc_read() - t0;
    }
    bench_report("mmu_update_512_unchanged_per_pte", (uint64_t)UNCHANGED_ROUNDS * PT_ENTRIES,
                 total);
}

/* MM_ITERATIONS of one mmuext_op, reported as name. */
static void bench_mmuext(const char *name, const struct mmuext_op *op)
{
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < MM_ITERATIONS; i++)
        if (HYPERVISOR_mmuext_op(op, 1, NULL, DOMID_SELF) != 0) {
            bench_failed(name, -1);
            return;
        }
    bench_report(name, MM_ITERATIONS, tsc_read() - t0);
}

void bench_mmuext_noops(uint64_t va)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = as_current()->l4_mfn };

    bench_mmuext("new_baseptr_same", &op);
    op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    bench_mmuext("tlb_flush_local", &op);
    op = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };
    bench_mmuext("invlpg_local", &op);
}
