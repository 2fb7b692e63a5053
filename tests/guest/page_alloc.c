/*
 * Test page_alloc: the guest kernel's page allocator and its on-demand
 * direct map.
 *
 * What: allocate every page the builder mapped after the bootstrap region
 * plus NR_BEYOND more, which the kernel must map itself (2 MiB at a time:
 * a new L1 filled, made read-only, hooked into the kernel's L2 with
 * mmu_update); each page comes back zeroed and writable, and keeps what
 * was written to it; p2m and M2P agree for each; all are freed and the
 * free count is back where it was, less the new L1s (the direct map
 * stays).
 * Why: the other memory tests take their pages from this allocator, and
 * the on-demand mapping is the kernel's own bottom-up table building, run
 * against the live kernel L2.
 * Expected (real Xen 4.17 as dom0): all hold; with dom0_mem=32M the
 * builder maps pfns below 0x400, so the pages beyond need one new L1.
 */
#include "mmtest.h"

static const char test_title[] = "guest page allocator: zeroed pages, on-demand direct map";

#define NR_BEYOND 600
#define MAX_TAKEN 8192

static uint64_t taken[MAX_TAKEN];

/* Allocates until NR_BEYOND pages past the builder's mapping (or none is
 * left); returns how many it took. */
static unsigned int take(uint64_t mapped_end, unsigned int *bad)
{
    unsigned int n = 0, beyond = 0;

    while (n < MAX_TAKEN && beyond < NR_BEYOND) {
        long pfn = page_alloc();
        uint64_t *p;

        if (pfn < 0)
            break;
        taken[n++] = (uint64_t)pfn;
        if ((uint64_t)pfn >= mapped_end)
            beyond++;
        p = pfn_to_virt((uint64_t)pfn);
        if (p[0] != 0 || p[511] != 0 || M2P[p2m[pfn]] != (uint64_t)pfn)
            (*bad)++;
        p[0] = (uint64_t)pfn ^ 0x5555;
        p[511] = (uint64_t)pfn;
    }
    return n;
}

static void test_main(void)
{
    uint64_t before = page_free_count(), mapped_end = page_first_free();
    uint64_t direct_before = mm_direct_end(), tables;
    unsigned int n, bad = 0, kept = 0;

    while (mapped_end < start_info.nr_pages && pfn_is_mapped(mapped_end))
        mapped_end++;
    test_info("%lu free pages; the builder mapped pfns below %#lx", before, mapped_end);
    n = take(mapped_end, &bad);
    test_info("allocated %u pages, up to pfn %#lx", n, n ? taken[n - 1] : 0);
    check_true("got pages beyond the builder's mapping",
               n > 0 && taken[n - 1] >= mapped_end);
    check_true("every page came zeroed and p2m/M2P agree", bad == 0);
    for (unsigned int i = 0; i < n; i++) {
        const uint64_t *p = pfn_to_virt(taken[i]);

        if (p[0] == (taken[i] ^ 0x5555) && p[511] == taken[i])
            kept++;
    }
    check_rc("pages that kept what was written", kept, n);
    for (unsigned int i = 0; i < n; i++)
        page_free(taken[i]);
    tables = (mm_direct_end() - direct_before + PT_ENTRIES - 1) / PT_ENTRIES;
    test_info("the direct map grew to pfn %#lx: %lu new L1 tables", mm_direct_end(), tables);
    check_rc("free count after freeing them all, less the new L1s",
             (long)page_free_count(), (long)(before - tables));
    test_success(NULL);
}

const struct guest_test test_page_alloc = { "page_alloc", test_title, test_main };
