/*
 * Test pt_unpin_live: pin/unpin and reference-count games cannot free or
 * retype a page table that is still in use.
 *
 * What:
 *  1. an L1 (mapping page A) pinned, hooked into two entries of an L2,
 *     unpinned: it is still an L1, so a writable mapping of it is refused
 *     and the VAs it maps still read page A; one hook removed: still
 *     refused; the last hook removed: now the writable mapping is allowed;
 *  2. the L4 that is loaded right now unpinned (CR3 still holds it): a
 *     writable mapping of it is refused, the kernel keeps running, it is
 *     pinned again;
 *  3. the loaded L4 unpinned twice: the second -> -EINVAL (no pin left to
 *     drop, the CR3 reference is not a pin).
 * Why: if dropping a pin (or one of several references) freed or
 *  devalidated a table still reachable from a live L2 or from CR3, the
 *  guest could then map that frame writable and rewrite a live table.
 * Expected (real Xen 4.17 as dom0): the pins, hooks, unpins and unhooks
 * -> 0; writable mappings of the still-used tables -> -EBUSY; the
 * writable mapping after the last unhook -> 0; the second unpin of the
 * L4 -> -EINVAL.
 */
#include "mmtest.h"

static const char test_title[] = "refused: freeing or retyping a live table via unpin/refcounts";

#define PATTERN 0x1f1f1f1f1f1f1f1fUL

static void hooked_l1(const struct test_page *l1)
{
    uint64_t e1 = entry_maddr(test_va_l2(3), 2), e2 = entry_maddr(test_va_l2(4), 2);
    const volatile uint64_t *via1 = (const volatile uint64_t *)(uintptr_t)test_va_l2(3);
    const volatile uint64_t *via2 = (const volatile uint64_t *)(uintptr_t)test_va_l2(4);

    if (!e1 || !e2)
        return;
    check_rc("pin the L1", mmuext1(MMUEXT_PIN_L1_TABLE, l1->mfn), 0);
    check_rc("hook it into L2 entry 3", mmu_update1(e1, mfn_pte(l1->mfn, PTE_TABLE)), 0);
    check_rc("hook it into L2 entry 4", mmu_update1(e2, mfn_pte(l1->mfn, PTE_TABLE)), 0);
    check_rc("unpin it", mmuext1(MMUEXT_UNPIN_TABLE, l1->mfn), 0);
    check_rc("map the unpinned but hooked L1 writable",
             map_at(test_va(0), l1->mfn, PTE_PAGE_RW), -XEN_EBUSY);
    check_true("both VAs it maps still read page A", *via1 == PATTERN && *via2 == PATTERN);
    check_rc("unhook entry 3", mmu_update1(e1, 0), 0);
    check_rc("map the L1 (hooked once) writable", map_at(test_va(0), l1->mfn, PTE_PAGE_RW),
             -XEN_EBUSY);
    check_true("the other VA still reads page A", *via2 == PATTERN);
    check_rc("unhook entry 4", mmu_update1(e2, 0), 0);
    invlpg(test_va_l2(3));
    invlpg(test_va_l2(4));
    if (check_rc("now the old L1 maps writable", map_at(test_va(0), l1->mfn, PTE_PAGE_RW), 0))
        unmap_at(test_va(0));
}

static void loaded_l4(void)
{
    uint64_t l4 = as_current()->l4_mfn;

    if (!check_rc("unpin the loaded L4", mmuext1(MMUEXT_UNPIN_TABLE, l4), 0))
        return;
    check_rc("map the loaded (unpinned) L4 writable", map_at(test_va(0), l4, PTE_PAGE_RW),
             -XEN_EBUSY);
    check_rc("unpin it again", mmuext1(MMUEXT_UNPIN_TABLE, l4), -XEN_EINVAL);
    check_true("the kernel still runs on it", as_current()->l4_mfn == l4);
    check_rc("pin it again", mmuext1(MMUEXT_PIN_L4_TABLE, l4), 0);
}

static void test_main(void)
{
    struct test_page a, l1, warm;

    if (!tp_alloc(&warm))
        return;
    if (!check_rc("as_map(test VA)", map_at(test_va(0), warm.mfn, PTE_PAGE_RW), 0))
        return;
    unmap_at(test_va(0));
    tp_free(&warm);
    if (!tp_alloc(&a) || !tp_alloc(&l1))
        return;
    a.va[0] = PATTERN;
    l1.va[0] = mfn_pte(a.mfn, PTE_PAGE_RW);
    if (check_rc("make the L1 read-only", pfn_set_readonly(l1.pfn), 0)) {
        l1.table = true;
        hooked_l1(&l1);
    }
    loaded_l4();
    tp_free(&l1);
    tp_free(&a);
    test_success(NULL);
}

const struct guest_test test_pt_unpin_live = { "pt_unpin_live", test_title, test_main };
