/*
 * Test pt_retype: a frame in use cannot change type.
 *
 * What: a page mapped writable (in the direct map, then also at a test
 * VA) pinned as L1, L2, L3 and L4; once only read-only mappings remain,
 * pinned as L1; then, while it is a pinned L1: mapped writable again,
 * pinned as L2, loaded as the base L4, hooked as an L3's entry (which
 * wants an L2), and cleared with MMUEXT_CLEAR_PAGE; after the unpin it
 * takes a writable mapping again.
 * Why: rule 1 of the page-type invariants: one type at a time, changed
 * only when nothing holds the current one. Each refused case here is a
 * way to get write access to, or a wrong-level use of, a live table.
 * Expected (real Xen 4.17 as dom0): pins of the writable page -> -EINVAL;
 * pin after the writable mappings are gone -> 0; the writable mapping of
 * the pinned L1 -> -EBUSY; pin as L2, NEW_BASEPTR, the L3 hook and
 * CLEAR_PAGE -> -EINVAL; after the unpin the writable mapping -> 0.
 */
#include "mmtest.h"

static const char test_title[] = "refused: retyping a frame in use (writable <-> page table)";

static void writable_cannot_pin(const struct test_page *p)
{
    static const unsigned int pins[] = { MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE,
                                         MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
    char what[64];

    for (unsigned int i = 0; i < 4; i++) {
        snprintf(what, sizeof(what), "pin a writable-mapped page as L%u", i + 1);
        check_rc(what, mmuext1(pins[i], p->mfn), -XEN_EINVAL);
    }
}

static void pinned_l1_stays_l1(const struct test_page *p)
{
    uint64_t l3e = entry_maddr(test_va_l3(2), 3);

    check_rc("map the pinned L1 writable", map_at(test_va(0), p->mfn, PTE_PAGE_RW),
             -XEN_EBUSY);
    check_rc("pin it as L2 as well", mmuext1(MMUEXT_PIN_L2_TABLE, p->mfn), -XEN_EINVAL);
    check_rc("NEW_BASEPTR to it", mmuext1(MMUEXT_NEW_BASEPTR, p->mfn), -XEN_EINVAL);
    if (l3e)
        check_rc("hook it as an L3 entry (wants an L2)",
                 mmu_update1(l3e, mfn_pte(p->mfn, PTE_TABLE)), -XEN_EINVAL);
    check_rc("CLEAR_PAGE of it", mmuext1(MMUEXT_CLEAR_PAGE, p->mfn), -XEN_EINVAL);
}

static void test_main(void)
{
    struct test_page p;

    if (!tp_alloc(&p))
        return;
    writable_cannot_pin(&p);
    if (!check_rc("map it writable at a test VA too", map_at(test_va(0), p.mfn, PTE_PAGE_RW), 0))
        goto out;
    check_rc("make the direct map read-only", pfn_set_readonly(p.pfn), 0);
    p.table = true;
    check_rc("pin as L1 with the test VA still writable", mmuext1(MMUEXT_PIN_L1_TABLE, p.mfn),
             -XEN_EINVAL);
    unmap_at(test_va(0));
    if (!check_rc("pin as L1 with only read-only mappings left",
                  mmuext1(MMUEXT_PIN_L1_TABLE, p.mfn), 0))
        goto out;
    pinned_l1_stays_l1(&p);
    check_rc("unpin", mmuext1(MMUEXT_UNPIN_TABLE, p.mfn), 0);
    if (check_rc("now it maps writable", map_at(test_va(0), p.mfn, PTE_PAGE_RW), 0))
        unmap_at(test_va(0));
out:
    tp_free(&p);
    test_success(NULL);
}

const struct guest_test test_pt_retype = { "pt_retype", test_title, test_main };
