/*
 * paging.c: the hypervisor's final page tables.
 *
 * Invariants of the address space built here:
 *  - only L4 slots 261 (image) and 262-271 (direct map) are used; every
 *    guest slot is empty, so a stray access to a guest address faults;
 *  - text is read-only and executable; read-only data, data, bss, the
 *    direct map and the stacks are no-execute (when the CPU has NX);
 *  - the page below each hypervisor stack is left unmapped as a guard;
 *  - hypervisor mappings are global when the CPU supports it;
 *  - the direct map uses 1 GiB pages when the CPU has them, else 2 MiB.
 * The boot page tables (boot.S) are abandoned once these are loaded.
 */
#include <asm/guest_access.h>
#include "console.h"
#include "err.h"
#include "directmap.h"
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/paging.h>

#define TABLE_ENTRIES 512
#define FOUR_GIB      (4ULL << 30)

extern char _start[], _etext[], _erodata[], _end[];

struct builder {
    struct frame_alloc *fa;
    uint64_t *l4;
    uint64_t upper;           /* flags of new L4/L3/L2 entries */
    uint64_t global;          /* PTE_G or 0 */
    uint64_t nx;              /* PTE_NX or 0 */
};

/* A zeroed table frame below 4 GiB, or NULL. */
static uint64_t *new_table(struct builder *b)
{
    int64_t mfn = fa_alloc_below(b->fa, FOUR_GIB >> PAGE_SHIFT);
    uint64_t *t;

    if (mfn < 0)
        return NULL;
    t = phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
    memset(t, 0, PAGE_SIZE);
    return t;
}

/* The table that entry idx of table points to, made if missing. */
static uint64_t *next_level(struct builder *b, uint64_t *table, unsigned int idx)
{
    uint64_t *t;

    if (table[idx] & PTE_P)
        return phys_to_virt(table[idx] & PTE_ADDR_MASK);
    t = new_table(b);
    if (t)
        table[idx] = virt_to_phys(t) | b->upper;
    return t;
}

static unsigned int idx(uint64_t va, unsigned int level)
{
    return (unsigned int)((va >> (12 + 9 * (level - 1))) & (TABLE_ENTRIES - 1));
}

static int map_2m(struct builder *b, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *l3 = next_level(b, b->l4, idx(va, 4));
    uint64_t *l2 = l3 ? next_level(b, l3, idx(va, 3)) : NULL;

    if (!l2)
        return -ENOMEM;
    l2[idx(va, 2)] = pa | flags | PTE_PS;
    return 0;
}

static int map_4k(struct builder *b, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *l3 = next_level(b, b->l4, idx(va, 4));
    uint64_t *l2 = l3 ? next_level(b, l3, idx(va, 3)) : NULL;
    uint64_t *l1 = l2 ? next_level(b, l2, idx(va, 2)) : NULL;

    if (!l1)
        return -ENOMEM;
    l1[idx(va, 1)] = pa | flags;
    return 0;
}

static uint64_t image_flags(const struct builder *b, uint64_t va)
{
    uint64_t f = PTE_P | PTE_A | b->global;

    if (va < (uint64_t)_etext)
        return f;                                    /* text: RX */
    if (va < (uint64_t)_erodata)
        return f | b->nx;                            /* read-only data */
    return f | PTE_RW | PTE_D | b->nx;               /* data, bss, stacks */
}

static int map_image(struct builder *b)
{
    for (uint64_t va = (uint64_t)_start; va < (uint64_t)_end; va += PAGE_SIZE) {
        if (is_stack_guard_page(va))
            continue;
        if (map_4k(b, va, virt_to_phys((void *)va), image_flags(b, va)))
            return -ENOMEM;
    }
    return 0;
}

static int map_1g(struct builder *b, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *l3 = next_level(b, b->l4, idx(va, 4));

    if (!l3)
        return -ENOMEM;
    l3[idx(va, 3)] = pa | flags | PTE_PS;
    return 0;
}

/* 1 GiB pages where the CPU has them (map_top is 1 GiB-aligned): fewer
 * table frames and TLB entries for the largest mapping there is. */
static int map_direct(struct builder *b, uint64_t map_top)
{
    uint64_t flags = PTE_P | PTE_RW | PTE_A | PTE_D | b->global | b->nx;
    uint64_t step = cpu_caps.gbpages ? 1ULL << 30 : 2ULL << 20;

    for (uint64_t pa = 0; pa < map_top; pa += step) {
        int rc = cpu_caps.gbpages ? map_1g(b, DIRECTMAP_VIRT_START + pa, pa, flags)
                                  : map_2m(b, DIRECTMAP_VIRT_START + pa, pa, flags);
        if (rc)
            return rc;
    }
    return 0;
}

/* The boot page tables (boot.S) already map the first 4 GiB. */
uint64_t directmap_top = FOUR_GIB;
static uint64_t *idle_l4;

static uint64_t *m2p;                 /* direct-map view of the M2P table */
static uint64_t m2p_entries;

/*
 * The machine-to-physical table guests read at MACH2PHYS_VIRT_START (L4
 * slot 256): one 8-byte entry per machine frame, ~0 for frames no domain
 * owns. Guests see it read-only (US set, RW clear at the last level); the
 * hypervisor writes it through the direct map.
 */
int paging_init_m2p(struct frame_alloc *fa, uint64_t nr_frames)
{
    uint64_t pages = ALIGN_UP(nr_frames * sizeof(uint64_t), PAGE_SIZE) >> PAGE_SHIFT;
    int64_t first = fa_alloc_contig(fa, pages, fa->nr_frames);
    struct builder b = {
        .fa = fa, .l4 = idle_l4, .upper = PTE_P | PTE_RW | PTE_A | PTE_US,
        .nx = cpu_caps.nx ? PTE_NX : 0,
    };

    if (first < 0)
        return -ENOMEM;
    m2p = phys_to_virt((uint64_t)first << PAGE_SHIFT);
    m2p_entries = nr_frames;
    memset(m2p, 0xff, pages << PAGE_SHIFT);
    for (uint64_t i = 0; i < pages; i++)
        if (map_4k(&b, HV_VIRT_START + i * PAGE_SIZE,
                   ((uint64_t)first + i) << PAGE_SHIFT, PTE_P | PTE_US | PTE_A | b.nx))
            return -ENOMEM;
    return 0;
}

void m2p_set(uint64_t mfn, uint64_t pfn)
{
    if (mfn < m2p_entries)
        m2p[mfn] = pfn;
}

uint64_t m2p_size(void)
{
    return m2p_entries;
}

void flush_tlb_global(void)
{
    uint64_t cr4 = read_cr4();

    if (cr4 & X86_CR4_PGE) {
        write_cr4(cr4 & ~X86_CR4_PGE);
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
}

void flush_tlb_one(uint64_t va)
{
    invlpg(va);
}

/* Device memory beyond the direct map (a framebuffer above RAM): 2 MiB
 * pages at its direct-map address, cache-disabled (PCD), no-execute. */
int paging_map_mmio(struct frame_alloc *fa, uint64_t pa, uint64_t len)
{
    struct builder b = {
        .fa = fa, .l4 = idle_l4, .upper = PTE_P | PTE_RW | PTE_A,
        .global = cpu_caps.pge ? PTE_G : 0, .nx = cpu_caps.nx ? PTE_NX : 0,
    };
    uint64_t start = ALIGN_DOWN(pa, 2ULL << 20);
    uint64_t flags = PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PCD | b.global | b.nx;

    if (range_wraps(pa, len) || pa + len > DIRECTMAP_SIZE || !idle_l4)
        return -ERANGE;
    for (uint64_t a = start; a < pa + len; a += 2ULL << 20)
        if (map_2m(&b, DIRECTMAP_VIRT_START + a, a, flags))
            return -ENOMEM;
    return 0;
}

uint64_t paging_idle_cr3(void)
{
    return virt_to_phys(idle_l4);
}

/* Slots 257-271 as in every address space; slot 256 (the M2P) is left
 * empty: it goes in only when the L4 becomes a kernel root table. */
void paging_fill_hypervisor_slots(uint64_t *l4)
{
    unsigned int m2p_slot = L4_SLOT(HV_VIRT_START);

    l4[m2p_slot] = 0;
    for (unsigned int i = m2p_slot + 1; i < L4_SLOT(HV_VIRT_END); i++)
        l4[i] = idle_l4[i];
}

uint64_t paging_m2p_l4e(void)
{
    return idle_l4[L4_SLOT(HV_VIRT_START)];
}

void paging_set_m2p_slot(uint64_t *l4, bool present)
{
    l4[L4_SLOT(HV_VIRT_START)] = present ? paging_m2p_l4e() : 0;
}

int paging_init(struct frame_alloc *fa, uint64_t map_top)
{
    struct builder b = {
        .fa = fa,
        .upper = PTE_P | PTE_RW | PTE_A,
        .global = cpu_caps.pge ? PTE_G : 0,
        .nx = cpu_caps.nx ? PTE_NX : 0,
    };

    if (map_top > DIRECTMAP_SIZE)
        return -ERANGE;
    b.l4 = new_table(&b);
    if (!b.l4 || map_image(&b) || map_direct(&b, map_top))
        return -ENOMEM;
    write_cr3(virt_to_phys(b.l4));
    idle_l4 = b.l4;
    directmap_top = map_top;
    return 0;
}

bool guest_root_loaded(uint64_t cr3)
{
    return read_cr3() == cr3;
}
