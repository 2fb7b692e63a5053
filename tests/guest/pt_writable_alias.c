/*
 * Test pt_writable_alias: no writable mapping of a live page table, by any
 * route.
 *
 * What: the frames of our current L1 (the one mapping the kernel image),
 * L2, L3 and L4, each mapped at a test VA
 *  - read-only, with update_va_mapping (allowed: guests read their tables);
 *  - writable, with update_va_mapping and with mmu_update;
 *  - writable through another L1: a new L1 holding a writable entry for
 *    the live L1, then pinned, and hooked into an L2;
 *  - writable one level further: a new L2 whose L1 holds that entry,
 *    pinned.
 * Why: a writable alias of a page table is a guest writing its own PTEs
 * unchecked, i.e. mapping any machine frame: the whole isolation rests on
 * rule 2 of the page-type invariants (a frame is a page table or writable,
 * never both).
 * Expected (real Xen 4.17 as dom0): read-only -> 0; every writable route
 * -> -EBUSY, the direct ones and the pins and hooks of tables holding
 * such an entry alike; the live tables are unchanged and the hypervisor
 * intact (the next test runs).
 * Fact: Xen 4.17 answers an L1 entry whose RW target cannot take the
 * writable type with -EBUSY, wherever the entry is validated (its
 * get_page_from_l1e); the opposite conflict, a writable page wanted as a
 * table, is -EINVAL (see pt_retype).
 */
#include "mmtest.h"

static const char test_title[] = "refused: writable mappings of a page table, direct and via tables";

static const char *const level_name[] = { "", "L1", "L2", "L3", "L4" };

static void direct(unsigned int level, uint64_t mfn, uint64_t l1e)
{
    char what[96];

    snprintf(what, sizeof(what), "update_va_mapping(our %s, read-only)", level_name[level]);
    if (check_rc(what, map_at(test_va(0), mfn, PTE_PAGE_RO), 0))
        unmap_at(test_va(0));
    snprintf(what, sizeof(what), "update_va_mapping(our %s, writable)", level_name[level]);
    check_rc(what, map_at(test_va(0), mfn, PTE_PAGE_RW), -XEN_EBUSY);
    snprintf(what, sizeof(what), "mmu_update(L1 entry -> our %s, writable)",
             level_name[level]);
    check_rc(what, mmu_update1(l1e, mfn_pte(mfn, PTE_PAGE_RW)), -XEN_EBUSY);
    check_true("the test VA stayed unmapped", !(pt_read(l1e) & PTE_PRESENT));
}

/* A table page (read-only, unhooked) whose entry 0 is `entry`. */
static bool table_with(struct test_page *t, uint64_t entry)
{
    if (!tp_alloc(t))
        return false;
    t->va[0] = entry;
    if (pfn_set_readonly(t->pfn) != 0) {
        test_error("making the table read-only failed");
        tp_free(t);
        return false;
    }
    t->table = true;
    return true;
}

static void via_tables(uint64_t live_l1)
{
    struct test_page l1, l2;
    uint64_t l2e = entry_maddr(test_va_l2(1), 2);

    if (!table_with(&l1, mfn_pte(live_l1, PTE_PAGE_RW)))
        return;
    check_rc("pin an L1 that maps our live L1 writable",
             mmuext1(MMUEXT_PIN_L1_TABLE, l1.mfn), -XEN_EBUSY);
    if (l2e)
        check_rc("hook that L1 into an L2", mmu_update1(l2e, mfn_pte(l1.mfn, PTE_TABLE)),
                 -XEN_EBUSY);
    if (table_with(&l2, mfn_pte(l1.mfn, PTE_TABLE))) {
        check_rc("pin an L2 whose L1 maps our live L1 writable",
                 mmuext1(MMUEXT_PIN_L2_TABLE, l2.mfn), -XEN_EBUSY);
        tp_free(&l2);
    }
    tp_free(&l1);
}

static void test_main(void)
{
    struct test_page warm;
    uint64_t mfn[5], l1e;

    /* Make the test VA's own tables exist first. */
    if (!tp_alloc(&warm))
        return;
    if (!check_rc("as_map(test VA)", map_at(test_va(0), warm.mfn, PTE_PAGE_RW), 0))
        return;
    unmap_at(test_va(0));
    tp_free(&warm);
    l1e = entry_maddr(test_va(0), 1);
    for (unsigned int level = 1; level <= 4; level++)
        mfn[level] = table_mfn(VIRT_BASE, level);
    if (!l1e || !mfn[1])
        return;
    for (unsigned int level = 1; level <= 4; level++)
        direct(level, mfn[level], l1e);
    via_tables(mfn[1]);
    check_rc("the kernel's L1 still maps the image",
             (long)pte_mfn(pt_read(entry_maddr(VIRT_BASE, 1))), (long)p2m[0]);
    test_success(NULL);
}

const struct guest_test test_pt_writable_alias = { "pt_writable_alias", test_title, test_main };
