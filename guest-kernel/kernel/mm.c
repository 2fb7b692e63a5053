/*
 * Tern guest kernel: page tables, mappings and address spaces (mm.h).
 *
 * The kernel reads its page tables through the direct map (every table
 * frame is one of its pfns, mapped read-only there) and changes them only
 * with hypercalls:
 *  - an entry of the loaded tables that maps a page: update_va_mapping,
 *    which walks the current L4 itself, flushing with UVMF_INVLPG;
 *  - any other entry (a table hooked into its parent, an entry of a space
 *    that is not loaded): mmu_update with the entry's machine address;
 *  - pin, unpin and switch: mmuext_op.
 * New tables are built bottom-up, the order Xen's header prescribes: a new
 * table is filled while it is an ordinary writable page, then made
 * read-only in the direct map, and only then hooked into a validated parent
 * (or, for a new L4, pinned), at which point the hypervisor validates it.
 */
#include <public/errno.h>
#include "xen/hypercall.h"
#include "kernel/lib.h"
#include "kernel/mm.h"

uint64_t *p2m;
uint64_t m2p_max_mfn;
struct addr_space kernel_space;

static struct addr_space *current_space = &kernel_space;
static uint64_t nr_pages;
static uint64_t direct_end;             /* pfns below it are mapped */

bool mfn_is_ours(uint64_t mfn)
{
    uint64_t pfn = mfn_to_pfn(mfn);

    return pfn < nr_pages && p2m[pfn] == mfn;
}

struct addr_space *as_current(void)
{
    return current_space;
}

uint64_t pt_read(uint64_t maddr)
{
    uint64_t pfn = mfn_to_pfn(maddr >> PAGE_SHIFT);
    const volatile uint64_t *t;

    if (pfn >= nr_pages)
        panic("pt_read(%#lx): frame is not ours (M2P says pfn %#lx)", maddr, pfn);
    t = pfn_to_virt(pfn);
    return t[(maddr & (PAGE_SIZE - 1)) / sizeof(uint64_t)];
}

uint64_t as_entry_maddr(const struct addr_space *as, uint64_t va, unsigned int level)
{
    uint64_t table = as->l4_mfn;

    for (unsigned int l = PT_LEVELS; l > level; l--) {
        uint64_t e = pt_read(mfn_pte(table, 0) + 8UL * pt_index(va, l));

        if (!(e & PTE_PRESENT) || (e & PTE_PSE))
            return 0;
        table = pte_mfn(e);
    }
    return mfn_pte(table, 0) + 8UL * pt_index(va, level);
}

bool pfn_is_mapped(uint64_t pfn)
{
    uint64_t m = as_entry_maddr(&kernel_space, (uint64_t)(uintptr_t)pfn_to_virt(pfn), 1);

    return m && (pt_read(m) & PTE_PRESENT);
}

/* ---- single operations ------------------------------------------------- */

long pt_write(uint64_t maddr, uint64_t val)
{
    struct mmu_update req = { .ptr = maddr | MMU_NORMAL_PT_UPDATE, .val = val };

    return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

long mmuext_mfn(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long invlpg_local(uint64_t va)
{
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long direct_map_set(uint64_t pfn, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)pfn_to_virt(pfn),
                                        mfn_pte(p2m[pfn], flags), UVMF_INVLPG);
}

long pfn_set_readonly(uint64_t pfn)
{
    return direct_map_set(pfn, PTE_PAGE_RO);
}

long pfn_set_writable(uint64_t pfn)
{
    return direct_map_set(pfn, PTE_PAGE_RW);
}

/* ---- building tables --------------------------------------------------- */

/* A zeroed page for a new table: it must already be in the direct map,
 * since mapping a page may itself need a table. */
static long table_alloc(void)
{
    long pfn = page_alloc_below(~0UL);

    if (pfn < 0)
        return pfn;
    if (!pfn_is_mapped((uint64_t)pfn)) {
        page_free((uint64_t)pfn);
        return -XEN_ENOMEM;
    }
    memset(pfn_to_virt((uint64_t)pfn), 0, PAGE_SIZE);
    return pfn;
}

static void as_record(struct addr_space *as, uint64_t pfn)
{
    if (as == &kernel_space)
        return;                         /* the kernel's tables stay */
    if (as->nr_tables == AS_MAX_TABLES)
        panic("address space %#lx: more than %u tables", as->l4_mfn, AS_MAX_TABLES);
    as->tables[as->nr_tables++] = pfn;
}

/* Builds a level-`level` table, and the tables below it, mapping va ->
 * pte; each is filled first and then made read-only. Nothing is hooked
 * in: the caller links *mfn into a parent (or pins it). */
static long new_chain(struct addr_space *as, unsigned int level, uint64_t va,
                      uint64_t pte, uint64_t *mfn)
{
    long pfn = table_alloc(), rc = 0;
    uint64_t *t, child;

    if (pfn < 0)
        return pfn;
    t = pfn_to_virt((uint64_t)pfn);
    if (level == 1)
        t[pt_index(va, 1)] = pte;
    else
        rc = new_chain(as, level - 1, va, pte, &child);
    if (rc == 0 && level > 1)
        t[pt_index(va, level)] = mfn_pte(child, PTE_TABLE);
    if (rc == 0)
        rc = pfn_set_readonly((uint64_t)pfn);
    if (rc) {
        page_free((uint64_t)pfn);       /* still writable: nothing hooked */
        return rc;
    }
    as_record(as, (uint64_t)pfn);
    *mfn = p2m[pfn];
    return 0;
}

/* Lowest level (1..4) whose table for va exists in as, and its entry. */
static unsigned int deepest_table(const struct addr_space *as, uint64_t va, uint64_t *maddr)
{
    unsigned int level;

    for (level = 1; level < PT_LEVELS; level++) {
        *maddr = as_entry_maddr(as, va, level);
        if (*maddr)
            return level;
    }
    *maddr = as_entry_maddr(as, va, PT_LEVELS);
    return PT_LEVELS;
}

long as_map(struct addr_space *as, uint64_t va, uint64_t pte)
{
    uint64_t maddr, chain;
    unsigned int level = deepest_table(as, va, &maddr);
    long rc;

    if (level == 1) {
        if (as == current_space)
            return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
        rc = pt_write(maddr, pte);
        return rc ? rc : invlpg_local(va);   /* va may be a shared mapping */
    }
    if (!(pte & PTE_PRESENT))
        return 0;                       /* no table, so nothing mapped */
    rc = new_chain(as, level - 1, va, pte, &chain);
    return rc ? rc : pt_write(maddr, mfn_pte(chain, PTE_TABLE));
}

uint64_t mm_direct_end(void)
{
    return direct_end;
}

/* Maps the rest of the 2 MiB chunk at direct_end page by page (the
 * builder's last L1 may stop inside a chunk). */
static long finish_chunk(uint64_t first, uint64_t last)
{
    for (uint64_t pfn = first; pfn < last; pfn++) {
        long rc = pfn_set_writable(pfn);

        if (rc)
            return rc;
        direct_end = pfn + 1;
    }
    return 0;
}

long mm_grow_direct_map(void)
{
    uint64_t first = direct_end, last = first + PT_ENTRIES, maddr, *t;
    long l1, rc;

    if (first >= nr_pages)
        return -XEN_ENOMEM;
    if (last > nr_pages)
        last = nr_pages;
    if (first % PT_ENTRIES)
        return finish_chunk(first, (first | (PT_ENTRIES - 1)) + 1 < last ?
                            (first | (PT_ENTRIES - 1)) + 1 : last);
    maddr = as_entry_maddr(&kernel_space, (uint64_t)(uintptr_t)pfn_to_virt(first), 2);
    if (!maddr || (pt_read(maddr) & PTE_PRESENT))
        return -XEN_EINVAL;             /* no L2 there, or an L1 already */
    l1 = table_alloc();
    if (l1 < 0)
        return l1;
    t = pfn_to_virt((uint64_t)l1);
    for (uint64_t pfn = first; pfn < last; pfn++)
        if (p2m[pfn] != ~0UL)
            t[pfn - first] = mfn_pte(p2m[pfn], PTE_PAGE_RW);
    rc = pfn_set_readonly((uint64_t)l1);
    if (rc == 0)
        rc = pt_write(maddr, mfn_pte(p2m[l1], PTE_TABLE));
    if (rc) {
        if (pfn_set_writable((uint64_t)l1) == 0)
            page_free((uint64_t)l1);
        return rc;
    }
    direct_end = last;
    return 0;
}

/* ---- address spaces ---------------------------------------------------- */

/* Makes as's tables writable again and frees them; they must no longer be
 * page tables (unpinned, referenced by nothing). Stops at the first one
 * the hypervisor refuses, leaving the rest to a later call. */
static long as_release_tables(struct addr_space *as)
{
    while (as->nr_tables) {
        uint64_t pfn = as->tables[as->nr_tables - 1];
        long rc = pfn_set_writable(pfn);

        if (rc)
            return rc;
        page_free(pfn);
        as->nr_tables--;
    }
    return 0;
}

long as_create(struct addr_space *as, uint64_t va, uint64_t pte)
{
    const uint64_t *kernel_l4 = pfn_to_virt(mfn_to_pfn(kernel_space.l4_mfn));
    uint64_t l3 = 0, *t;
    long pfn, rc;

    memset(as, 0, sizeof(*as));
    if (pte && (kernel_l4[pt_index(va, 4)] & PTE_PRESENT))
        return -XEN_EINVAL;             /* private part must not be shared */
    if (pte && (rc = new_chain(as, 3, va, pte, &l3)) != 0)
        return rc;
    pfn = table_alloc();
    if (pfn < 0)
        return pfn;
    t = pfn_to_virt((uint64_t)pfn);
    for (unsigned int i = 0; i < PT_ENTRIES; i++)
        if ((i < HV_L4_FIRST || i > HV_L4_LAST) && (kernel_l4[i] & PTE_PRESENT))
            t[i] = kernel_l4[i];
    if (pte)
        t[pt_index(va, 4)] = mfn_pte(l3, PTE_TABLE);
    rc = pfn_set_readonly((uint64_t)pfn);
    if (rc) {
        page_free((uint64_t)pfn);
        as_release_tables(as);
        return rc;
    }
    as_record(as, (uint64_t)pfn);
    as->l4_mfn = p2m[pfn];
    rc = mmuext_mfn(MMUEXT_PIN_L4_TABLE, as->l4_mfn);
    if (rc) {
        as_release_tables(as);          /* refused: nothing holds them */
        as->l4_mfn = 0;
    }
    return rc;
}

long as_switch(struct addr_space *as)
{
    long rc = mmuext_mfn(MMUEXT_NEW_BASEPTR, as->l4_mfn);

    if (rc == 0)
        current_space = as;
    return rc;
}

long as_destroy(struct addr_space *as)
{
    long rc;

    if (as == current_space || as == &kernel_space)
        return -XEN_EBUSY;
    rc = mmuext_mfn(MMUEXT_UNPIN_TABLE, as->l4_mfn);
    return rc ? rc : as_release_tables(as);
}

/* ---- boot -------------------------------------------------------------- */

void mm_init(void)
{
    struct xen_machphys_mapping mp = { 0, 0, 0 };
    uint64_t pt_pfn = virt_to_pfn((const void *)(uintptr_t)start_info.pt_base);
    uint64_t first_free = pt_pfn + start_info.nr_pt_frames + 1;   /* + boot stack */
    uint64_t end;
    long rc;

    nr_pages = start_info.nr_pages;
    p2m = (uint64_t *)(uintptr_t)start_info.mfn_list;
    rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp);
    if (rc)
        panic("mm: memory_op(machphys_mapping) failed: %ld", rc);
    m2p_max_mfn = mp.max_mfn;
    kernel_space.l4_mfn = p2m[pt_pfn];
    if (mfn_to_pfn(kernel_space.l4_mfn) != pt_pfn)
        panic("mm: M2P[%#lx] = %#lx, but the L4 is pfn %#lx", kernel_space.l4_mfn,
              mfn_to_pfn(kernel_space.l4_mfn), pt_pfn);
    for (end = first_free; end < nr_pages && pfn_is_mapped(end); end++)
        ;
    direct_end = end;
    page_alloc_init(first_free, nr_pages);
    printk("mm: %lu pages; free from pfn %#lx (%lu pages); the builder mapped "
           "pfns below %#lx; L4 mfn %#lx\n", nr_pages, first_free,
           page_free_count(), end, kernel_space.l4_mfn);
}
