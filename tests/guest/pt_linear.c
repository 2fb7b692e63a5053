/*
 * Test pt_linear: linear (recursive) page-table entries.
 *
 * What: an entry of our L4 (an empty guest slot) pointing at the L4
 * itself, first writable, then read-only; if the read-only one is
 * accepted, reading our L4 through the recursive address, then trying to
 * turn the entry writable (NORMAL and PRESERVE_AD updates, whose only
 * change is RW: the XSA-182 fast path), and removing it.
 * Why: a writable linear entry is a writable mapping of every page table
 * at once. A read-only one is harmless in Xen's model (pv-linear-pt,
 * default on); Tern does not offer it (hypervisor/mm/page_types.c, invariant 5).
 * Expected (real Xen 4.17 as dom0): the writable self-map -> -EINVAL;
 * the read-only self-map -> 0 (accepted: Xen's pv-linear-pt), and then
 * the RW flip -> -EINVAL both ways, removal -> 0. Tern refuses the
 * read-only one with -EINVAL. Both answers pass; the test prints which
 * one it got.
 */
#include "mmtest.h"

static const char test_title[] = "linear L4 self-map: writable refused, read-only Xen yes / Tern no";

#define SLOT 48UL                           /* an empty guest L4 slot */

/* The VA at which a self-map in SLOT shows the L4 itself. */
static uint64_t self_map_va(void)
{
    uint64_t va = (SLOT << 39) | (SLOT << 30) | (SLOT << 21) | (SLOT << 12);

    return (va & (1UL << 47)) ? (va | 0xffff000000000000UL) : va;
}

static void read_only_accepted(uint64_t l4e, uint64_t l4)
{
    const volatile uint64_t *through = (const volatile uint64_t *)(uintptr_t)self_map_va();
    const uint64_t *direct = pfn_to_virt(mfn_to_pfn(l4));

    check_true("the L4 reads the same through the linear map",
               through[511] == direct[511] && through[SLOT] == direct[SLOT]);
    check_rc("mmu_update(NORMAL: the same entry plus RW)",
             mmu_update1(l4e | MMU_NORMAL_PT_UPDATE, mfn_pte(l4, PTE_TABLE)), -XEN_EINVAL);
    check_rc("mmu_update(PRESERVE_AD: the same entry plus RW)",
             mmu_update1(l4e | MMU_PT_UPDATE_PRESERVE_AD, mfn_pte(l4, PTE_TABLE)), -XEN_EINVAL);
    check_true("the entry is still read-only", !(pt_read(l4e) & PTE_RW));
    check_rc("remove the linear entry", mmu_update1(l4e, 0), 0);
    invlpg(self_map_va());
}

static void test_main(void)
{
    uint64_t l4 = as_current()->l4_mfn;
    uint64_t l4e = mfn_pte(l4, 0) + 8 * SLOT;
    uint64_t ro = mfn_pte(l4, PTE_TABLE & ~PTE_RW);
    long rc;

    if (pt_read(l4e) & PTE_PRESENT) {
        test_error("L4 slot %lu is in use", SLOT);
        return;
    }
    check_rc("mmu_update(L4 slot -> the L4 itself, writable)",
             mmu_update1(l4e, mfn_pte(l4, PTE_TABLE)), -XEN_EINVAL);
    check_true("the slot is still empty", !(pt_read(l4e) & PTE_PRESENT));
    rc = mmu_update1(l4e, ro);
    if (rc == 0) {
        test_info("read-only linear L4 entry ACCEPTED (Xen's pv-linear-pt behaviour)");
        read_only_accepted(l4e, l4);
    } else if (rc == -XEN_EINVAL) {
        test_info("read-only linear L4 entry REFUSED with -EINVAL (Tern: no linear tables)");
        check_true("the slot is still empty", !(pt_read(l4e) & PTE_PRESENT));
    } else {
        test_failure("mmu_update(L4 slot -> the L4 itself, read-only) = %s, expected 0 "
                     "or -EINVAL", rc_name(rc));
    }
    test_success(NULL);
}

const struct guest_test test_pt_linear = { "pt_linear", test_title, test_main };
