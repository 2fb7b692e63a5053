/*
 * Test pt_superpage: no PSE (2 MiB / 1 GiB) entries in guest L2 and L3.
 *
 * What: an empty L2 entry and an empty L3 entry of the test region set
 * with PSE to a 2 MiB-aligned run of our own frames, writable and
 * read-only; a new L2 holding a PSE entry, pinned; an existing L2 entry
 * of ours that points at an L1, re-written with PSE added (same frame:
 * the revalidation-free path must not take it).
 * Why: XSA-148. A guest superpage covers 512 frames with one entry and
 * bypasses the per-frame type checks: pointed at a run that holds page
 * tables it is a writable alias of all of them. The PV ABI has no guest
 * superpages.
 * Expected (real Xen 4.17 as dom0): every one -> -EINVAL, the entries
 * unchanged.
 */
#include "mmtest.h"

static const char test_title[] = "refused: PSE entries in L2 and L3 (XSA-148)";

static void pse_entries(uint64_t target)
{
    uint64_t l2e = entry_maddr(test_va_l2(2), 2), l3e = entry_maddr(test_va_l3(1), 3);

    if (!l2e || !l3e)
        return;
    check_rc("mmu_update(L2 entry, PSE writable)",
             mmu_update1(l2e, mfn_pte(target, PTE_TABLE | PTE_PSE)), -XEN_EINVAL);
    check_rc("mmu_update(L2 entry, PSE read-only)",
             mmu_update1(l2e, mfn_pte(target, PTE_PAGE_RO | PTE_PSE)), -XEN_EINVAL);
    check_rc("mmu_update(L3 entry, PSE writable)",
             mmu_update1(l3e, mfn_pte(target, PTE_TABLE | PTE_PSE)), -XEN_EINVAL);
    check_rc("mmu_update(L3 entry, PSE read-only)",
             mmu_update1(l3e, mfn_pte(target, PTE_PAGE_RO | PTE_PSE)), -XEN_EINVAL);
    check_true("both entries still empty",
               !(pt_read(l2e) & PTE_PRESENT) && !(pt_read(l3e) & PTE_PRESENT));
}

static void pse_in_new_table(uint64_t target)
{
    struct test_page t;

    if (!tp_alloc(&t))
        return;
    t.va[3] = mfn_pte(target, PTE_TABLE | PTE_PSE);
    if (pfn_set_readonly(t.pfn) != 0) {
        test_error("making the table read-only failed");
        tp_free(&t);
        return;
    }
    t.table = true;
    check_rc("pin an L2 holding a PSE entry", mmuext1(MMUEXT_PIN_L2_TABLE, t.mfn), -XEN_EINVAL);
    tp_free(&t);
}

static void pse_flag_flip(void)
{
    uint64_t l2e = entry_maddr(test_va(0), 2), old;

    if (!l2e)
        return;
    old = pt_read(l2e);
    check_rc("mmu_update(existing L2 entry, only PSE added)",
             mmu_update1(l2e, old | PTE_PSE), -XEN_EINVAL);
    check_rc("the entry is unchanged", (long)pt_read(l2e), (long)old);
}

static void test_main(void)
{
    struct test_page warm;
    /* 2 MiB-aligned: the first pfn of the kernel's 2 MiB, frames of ours. */
    uint64_t target = p2m[0] & ~511UL;

    if (!tp_alloc(&warm))
        return;
    if (check_rc("as_map(test VA)", map_at(test_va(0), warm.mfn, PTE_PAGE_RW), 0)) {
        pse_entries(target);
        pse_in_new_table(target);
        pse_flag_flip();
        unmap_at(test_va(0));
    }
    tp_free(&warm);
    test_success(NULL);
}

const struct guest_test test_pt_superpage = { "pt_superpage", test_title, test_main };
