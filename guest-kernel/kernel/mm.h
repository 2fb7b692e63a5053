/*
 * Tern guest kernel: memory management through the PV MMU hypercalls.
 *
 * The guest owns machine frames and writes real x86-64 page tables out of
 * them, but every page-table frame is mapped read-only to it: all changes go
 * through mmu_update, update_va_mapping and mmuext_op (public/mmu.h,
 * public/xen.h). What the kernel keeps:
 *
 *  - the p2m (start_info.mfn_list, pfn -> mfn, ours to update) and the
 *    hypervisor's read-only M2P at MACH2PHYS_VIRT_START (mfn -> pfn);
 *  - a direct map: pfn p is at VIRT_BASE + p * 4096, as the builder mapped
 *    the start of the domain; pfns beyond the builder's mapping are mapped
 *    on demand, 2 MiB at a time, with a new L1 hooked into the kernel's L2;
 *  - a page allocator (page_alloc.c) over the pfns after the bootstrap
 *    region (kernel, p2m, start_info, page tables, boot stack) up to
 *    nr_pages;
 *  - address spaces: the builder's L4 (kernel_space) and new L4s that share
 *    its kernel mappings, built bottom-up (fill a table while it is an
 *    ordinary page, make it read-only in the direct map, hook it into its
 *    parent), pinned, and switched to with MMUEXT_NEW_BASEPTR.
 *
 * Every function returns 0 or a negative Xen errno (the hypervisor's own
 * answer where there is one, -XEN_ENOMEM when we ran out of pages).
 */
#ifndef GUEST_MM_H
#define GUEST_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>
#include "kernel/kernel.h"

#define VIRT_BASE       0xffffffff80000000UL   /* pfn 0 (guest.ld, notes.S) */
#define PAGE_SHIFT      12
#define PT_ENTRIES      512
#define PT_LEVELS       4

/* More x86-64 entry bits (kernel.h has P, RW, A, D). */
#define PTE_USER        (1UL << 2)
#define PTE_PWT         (1UL << 3)
#define PTE_PCD         (1UL << 4)
#define PTE_PSE         (1UL << 7)
#define PTE_GLOBAL      (1UL << 8)
#define PTE_NX          (1UL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

/* What the guest writes: tables as the builder does (P|RW|US|A|D), data
 * pages kernel-only, read-only pages without RW. */
#define PTE_TABLE       (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)
#define PTE_PAGE_RW     (PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY)
#define PTE_PAGE_RO     (PTE_PRESENT | PTE_ACCESSED)

#define HV_L4_FIRST     256     /* L4 slots of the hypervisor: never ours */
#define HV_L4_LAST      271

/* Index of va in its level-n table (n = 1..4). */
static inline unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (unsigned int)(va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static inline uint64_t pte_mfn(uint64_t pte)
{
    return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static inline uint64_t mfn_pte(uint64_t mfn, uint64_t flags)
{
    return (mfn << PAGE_SHIFT) | flags;
}

/* ---- frames: p2m, M2P, direct map (mm.c) ------------------------------- */

extern uint64_t *p2m;                   /* start_info.mfn_list */
extern uint64_t m2p_max_mfn;            /* highest mfn the M2P covers */
#define M2P ((const volatile uint64_t *)MACH2PHYS_VIRT_START)

static inline uint64_t pfn_to_mfn(uint64_t pfn)
{
    return p2m[pfn];
}

/* M2P lookup; ~0 for an mfn beyond the table. */
static inline uint64_t mfn_to_pfn(uint64_t mfn)
{
    return mfn <= m2p_max_mfn ? M2P[mfn] : ~0UL;
}

static inline void *pfn_to_virt(uint64_t pfn)
{
    return (void *)(uintptr_t)(VIRT_BASE + (pfn << PAGE_SHIFT));
}

static inline uint64_t virt_to_pfn(const volatile void *p)
{
    return ((uint64_t)(uintptr_t)p - VIRT_BASE) >> PAGE_SHIFT;
}

static inline uint64_t virt_to_mfn(const volatile void *p)
{
    return pfn_to_mfn(virt_to_pfn(p));
}

/* True when mfn is one of this domain's frames (the M2P and p2m agree). */
bool mfn_is_ours(uint64_t mfn);

/* ---- address spaces (mm.c) -------------------------------------------- */

#define AS_MAX_TABLES 32

struct addr_space {
    uint64_t l4_mfn;
    uint64_t tables[AS_MAX_TABLES];     /* pfns of the tables it owns */
    unsigned int nr_tables;
};

/* The builder's tables (the L4 at start_info.pt_base), which also hold the
 * direct map; every other space shares its kernel L4 entries. */
extern struct addr_space kernel_space;

/* Finds the p2m, the M2P, the builder's mapping and the free pfns, and
 * starts the page allocator. Panics if the builder's tables are odd. */
void mm_init(void);

/* The space whose L4 is loaded (kernel_space until as_switch). */
struct addr_space *as_current(void);

/* Machine address of the level-`level` entry for va in as, or 0 when a
 * table above that level is missing (or is a superpage). */
uint64_t as_entry_maddr(const struct addr_space *as, uint64_t va, unsigned int level);

/* Reads the page-table entry at machine address maddr (one of our tables). */
uint64_t pt_read(uint64_t maddr);

/* Sets va -> pte in as (pte 0 unmaps), creating missing tables bottom-up.
 * The current space is changed with update_va_mapping(UVMF_INVLPG), any
 * other with mmu_update. */
long as_map(struct addr_space *as, uint64_t va, uint64_t pte);

/* A new space: an L4 with the kernel's entries and, if pte != 0, va -> pte
 * in a chain of new tables; built bottom-up and pinned. */
long as_create(struct addr_space *as, uint64_t va, uint64_t pte);

/* Loads as's L4 (MMUEXT_NEW_BASEPTR). */
long as_switch(struct addr_space *as);

/* Unpins a space that is not loaded and gives its tables back to the
 * page allocator (writable again). */
long as_destroy(struct addr_space *as);

/* ---- single operations ------------------------------------------------- */

/* One MMU_NORMAL_PT_UPDATE: *maddr = val, validated. */
long pt_write(uint64_t maddr, uint64_t val);

/* One mmuext_op with a frame argument (pin, unpin, baseptr, clear). */
long mmuext_mfn(unsigned int cmd, uint64_t mfn);

/* Remaps pfn in the direct map read-only / writable (UVMF_INVLPG). */
long pfn_set_readonly(uint64_t pfn);
long pfn_set_writable(uint64_t pfn);

/* The direct map covers the pfns below mm_direct_end(). */
uint64_t mm_direct_end(void);

/* Maps the next 2 MiB of pfns (the builder mapped only the start): one new
 * L1, filled, made read-only and hooked into the kernel's L2. */
long mm_grow_direct_map(void);

/* True when pfn's direct-map address is mapped. */
bool pfn_is_mapped(uint64_t pfn);

/* ---- the page allocator (page_alloc.c) -------------------------------- */

/* Takes [first_free, nr_pages) as free. */
void page_alloc_init(uint64_t first_free, uint64_t nr_pages);

/* A free pfn, mapped writable in the direct map and zeroed; -XEN_ENOMEM
 * when none is left. Grows the direct map while one mapped free page is
 * still there to become its new L1. */
long page_alloc(void);

/* The lowest free pfn below `limit`, as it is (mapped or not, not
 * zeroed); -XEN_ENOMEM. */
long page_alloc_below(uint64_t limit);

/* Returns pfn; it must be mapped writable again (not a page table). */
void page_free(uint64_t pfn);

/* Free pfns left. */
uint64_t page_free_count(void);

/* First pfn the allocator manages. */
uint64_t page_first_free(void);

#endif /* GUEST_MM_H */
