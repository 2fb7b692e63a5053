/*
 * Test m2p: the read-only machine-to-phys table agrees with our p2m.
 *
 * What: m2p[p2m[pfn]] == pfn for every pfn of the domain, read straight
 * from MACH2PHYS_VIRT_START (L4 slot 256); every p2m mfn is covered by
 * machphys_mapping.max_mfn; the builder's L4 holds the hypervisor's slots
 * (256-271), and the frames behind them are not ours by the M2P; the
 * kernel's page allocator found free pages after the bootstrap region.
 * Why: the guest finds the virtual address of any of its frames (a page
 * table, the console ring) through the M2P; XTF and Mini-OS read it at
 * boot, and every later mm test relies on it. A hypervisor frame that the
 * M2P called ours would let a guest treat it as its own.
 * Expected (real Xen 4.17 as dom0): all hold.
 * Fact: Xen 4.17 fills slots 256 (RO M2P), 258, 260, 261 and 262 of a dom0
 * L4 in use; slot 258 is its linear (recursive) map and points at this
 * very L4 (RW, but only reachable by the hypervisor), so "not ours"
 * excludes the L4 itself.
 */
#include "mmtest.h"

static const char test_title[] = "M2P at MACH2PHYS_VIRT_START inverts the p2m";

static void check_every_pfn(void)
{
    uint64_t pfn, bad = 0, beyond = 0;

    for (pfn = 0; pfn < start_info.nr_pages; pfn++) {
        uint64_t mfn = pfn_to_mfn(pfn);

        if (mfn > m2p_max_mfn)
            beyond++;
        else if (M2P[mfn] != pfn && bad++ < 4)
            test_failure("m2p[p2m[%#lx] = %#lx] = %#lx", pfn, mfn, M2P[mfn]);
    }
    check_true("every p2m mfn <= machphys_mapping.max_mfn", beyond == 0);
    if (bad == 0)
        test_info("m2p[p2m[pfn]] == pfn for all %lu pfns", start_info.nr_pages);
    check_true("m2p[p2m[pfn]] == pfn for every pfn", bad == 0);
}

static void check_hypervisor_slots(void)
{
    const uint64_t *l4 = pfn_to_virt(mfn_to_pfn(kernel_space.l4_mfn));
    unsigned int slot, present = 0, ours = 0;

    for (slot = HV_L4_FIRST; slot <= HV_L4_LAST; slot++) {
        uint64_t mfn = pte_mfn(l4[slot]);

        if (!(l4[slot] & PTE_PRESENT))
            continue;
        present++;
        test_info("L4 slot %u: %#lx%s", slot, l4[slot],
                  mfn == kernel_space.l4_mfn ? " (this L4: a linear map)" :
                  mfn_is_ours(mfn) ? " (one of OUR frames)" : "");
        if (mfn_is_ours(mfn) && mfn != kernel_space.l4_mfn)
            ours++;
    }
    check_true("the hypervisor filled some of its L4 slots", present > 0);
    check_true("no hypervisor L4 slot points at one of our frames other than "
               "the L4 itself", ours == 0);
}

static void test_main(void)
{
    check_rc("p2m[pt_base pfn] is the L4 and M2P maps it back",
             (long)mfn_to_pfn(kernel_space.l4_mfn),
             (long)virt_to_pfn((const void *)(uintptr_t)start_info.pt_base));
    check_every_pfn();
    check_hypervisor_slots();
    test_info("page allocator: %lu free pages from pfn %#lx", page_free_count(),
              page_first_free());
    check_true("the allocator has free pages", page_free_count() > 0);
    test_success(NULL);
}

const struct guest_test test_m2p = { "m2p", test_title, test_main };
