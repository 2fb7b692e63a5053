/*
 * Test pt_rw_flip: changing only the RW bit of an entry revalidates it
 * (XSA-182).
 *
 * What: our live L1 mapped read-only at a test VA; that entry rewritten
 * with the same frame and RW added, with MMU_NORMAL_PT_UPDATE, with
 * MMU_PT_UPDATE_PRESERVE_AD and with update_va_mapping; the same entry
 * rewritten with only "harmless" bits changed (A, D, AVAIL bits 9-11,
 * high AVAIL bits 52-58), which needs no revalidation.
 * Why: XSA-182: Xen's fast path for "same frame, a few flags changed"
 * accepted RW, turning a read-only view of a page table into a writable
 * one. Only bits that do not affect writability, caching or the target
 * may skip validation.
 * Expected (real Xen 4.17 as dom0): the three RW flips -> -EBUSY (full
 * validation: the frame is a page table) and the entry stays read-only;
 * the harmless changes -> 0.
 */
#include "mmtest.h"

static const char test_title[] = "refused: RW flip of a read-only view of a page table (XSA-182)";

#define HARMLESS (PTE_ACCESSED | PTE_DIRTY | (7UL << 9) | (0x7fUL << 52))

static void test_main(void)
{
    uint64_t live = table_mfn(VIRT_BASE, 1), l1e, ro = PTE_PRESENT;

    if (!live)
        return;
    if (!check_rc("map our live L1 read-only at a test VA", map_at(test_va(0), live, ro), 0))
        return;
    l1e = entry_maddr(test_va(0), 1);
    check_rc("mmu_update(NORMAL: same frame, + RW)",
             mmu_update1(l1e | MMU_NORMAL_PT_UPDATE, mfn_pte(live, ro | PTE_RW)), -XEN_EBUSY);
    check_rc("mmu_update(PRESERVE_AD: same frame, + RW)",
             mmu_update1(l1e | MMU_PT_UPDATE_PRESERVE_AD, mfn_pte(live, ro | PTE_RW)),
             -XEN_EBUSY);
    check_rc("update_va_mapping(same frame, + RW)",
             HYPERVISOR_update_va_mapping(test_va(0), mfn_pte(live, ro | PTE_RW), UVMF_INVLPG),
             -XEN_EBUSY);
    check_true("the entry is still read-only", !(pt_read(l1e) & PTE_RW));
    check_rc("mmu_update(same frame, + A, D, AVAIL and high AVAIL bits)",
             mmu_update1(l1e, mfn_pte(live, ro | HARMLESS)), 0);
    check_true("the entry is still read-only and holds the frame",
               !(pt_read(l1e) & PTE_RW) && pte_mfn(pt_read(l1e)) == live);
    check_rc("mmu_update(back to plain read-only)", mmu_update1(l1e, mfn_pte(live, ro)), 0);
    unmap_at(test_va(0));
    test_success(NULL);
}

const struct guest_test test_pt_rw_flip = { "pt_rw_flip", test_title, test_main };
