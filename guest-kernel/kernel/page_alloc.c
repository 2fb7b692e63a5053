/*
 * Tern guest kernel: the physical page allocator.
 *
 * A bitmap over the domain's pfns: a set bit is a free pfn. At boot the
 * pfns after the bootstrap region (kernel image, p2m, start_info, page
 * tables, boot stack) up to start_info.nr_pages are free. Allocation is
 * lowest-first and only from the direct map; when the last mapped free
 * page is reached, the direct map grows by 2 MiB (mm_grow_direct_map),
 * taking that page as the new L1.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "kernel/mm.h"

#define MAX_PFNS   (1UL << 18)              /* 1 GiB of guest memory */
#define WORD_BITS  64

static uint64_t free_map[MAX_PFNS / WORD_BITS];
static uint64_t nr_free, first_free, end_pfn;

void page_alloc_init(uint64_t first, uint64_t nr_pages)
{
    if (nr_pages > MAX_PFNS) {
        printk("page_alloc: only the first %lu of %lu pages are used\n", MAX_PFNS,
               nr_pages);
        nr_pages = MAX_PFNS;
    }
    first_free = first;
    end_pfn = nr_pages;
    for (uint64_t pfn = first; pfn < nr_pages; pfn++)
        free_map[pfn / WORD_BITS] |= 1UL << (pfn % WORD_BITS);
    nr_free = nr_pages > first ? nr_pages - first : 0;
}

long page_alloc_below(uint64_t limit)
{
    if (limit > end_pfn)
        limit = end_pfn;
    for (uint64_t w = first_free / WORD_BITS; w * WORD_BITS < limit; w++) {
        uint64_t pfn;

        if (!free_map[w])
            continue;
        pfn = w * WORD_BITS + (uint64_t)__builtin_ctzl(free_map[w]);
        if (pfn >= limit)
            break;
        free_map[w] &= ~(1UL << (pfn % WORD_BITS));
        nr_free--;
        return (long)pfn;
    }
    return -XEN_ENOMEM;
}

/* Free pfns below limit. */
static uint64_t free_below(uint64_t limit)
{
    uint64_t n = 0;

    for (uint64_t w = 0; w * WORD_BITS < limit; w++) {
        uint64_t bits = free_map[w];

        if ((w + 1) * WORD_BITS > limit)
            bits &= (1UL << (limit % WORD_BITS)) - 1;
        for (; bits; bits &= bits - 1)  /* no libgcc: count by hand */
            n++;
    }
    return n;
}

long page_alloc(void)
{
    long pfn;

    while (free_below(mm_direct_end()) <= 1 && mm_direct_end() < end_pfn)
        if (mm_grow_direct_map() != 0)
            break;
    pfn = page_alloc_below(mm_direct_end());
    if (pfn >= 0)
        memset(pfn_to_virt((uint64_t)pfn), 0, PAGE_SIZE);
    return pfn;
}

void page_free(uint64_t pfn)
{
    uint64_t bit = 1UL << (pfn % WORD_BITS);

    if (pfn < first_free || pfn >= end_pfn || (free_map[pfn / WORD_BITS] & bit))
        panic("page_free(%#lx): not an allocated pfn", pfn);
    free_map[pfn / WORD_BITS] |= bit;
    nr_free++;
}

uint64_t page_free_count(void)
{
    return nr_free;
}

uint64_t page_first_free(void)
{
    return first_free;
}
