/*
 * Test l4_hypervisor_slots: the hypervisor's L4 slots 256-271 cannot be
 * written by the guest.
 *
 * What: mmu_update of each of the 16 slots of our L4 to 0, to the value
 * it already holds, and to one of our L3 tables; an L4 built with one of
 * our L3s in slot 262, pinned (the hypervisor must overwrite its slots,
 * so the pin succeeds and the slot holds the hypervisor's value); a
 * neighbour guest slot (255, 272) written and cleared, which is allowed.
 * Why: those slots map the hypervisor itself (its code, the direct map of
 * all memory, the M2P); a guest entry there would be a window onto, or a
 * replacement of, the hypervisor.
 * Expected (real Xen 4.17 as dom0): every update of slots 256-271 ->
 * -EINVAL with the L4 unchanged; the pinned L4 -> 0 with slot 262 the
 * hypervisor's (as in our own L4); slots 255 and 272 -> 0.
 */
#include "mmtest.h"

static const char test_title[] = "refused: mmu_update of the hypervisor's L4 slots 256-271";

static void each_slot(uint64_t l4, uint64_t our_l3)
{
    const uint64_t *t = pfn_to_virt(mfn_to_pfn(l4));
    unsigned int refused = 0, changed = 0;

    for (unsigned int slot = HV_L4_FIRST; slot <= HV_L4_LAST; slot++) {
        uint64_t maddr = mfn_pte(l4, 0) + 8UL * slot, before = t[slot];
        const uint64_t vals[3] = { 0, before, mfn_pte(our_l3, PTE_TABLE) };

        for (unsigned int i = 0; i < 3; i++) {
            long rc = mmu_update1(maddr, vals[i]);

            if (rc == -XEN_EINVAL)
                refused++;
            else
                test_failure("mmu_update(L4 slot %u, %#lx) = %s, expected -EINVAL", slot,
                             vals[i], rc_name(rc));
        }
        if (t[slot] != before)
            changed++;
    }
    check_rc("updates of slots 256-271 refused with -EINVAL (of 48)", refused, 48);
    check_rc("slots changed", changed, 0);
}

static void pinned_copy(uint64_t our_l3)
{
    const uint64_t *ours = pfn_to_virt(mfn_to_pfn(as_current()->l4_mfn));
    struct test_page t;

    if (!tp_alloc(&t))
        return;
    t.va[262] = mfn_pte(our_l3, PTE_TABLE);
    if (pfn_set_readonly(t.pfn) != 0) {
        test_error("making the L4 read-only failed");
        tp_free(&t);
        return;
    }
    t.table = true;
    if (check_rc("pin an L4 with our L3 in slot 262", mmuext1(MMUEXT_PIN_L4_TABLE, t.mfn), 0)) {
        check_true("slot 262 now holds the hypervisor's entry",
                   t.va[262] == ours[262] && pte_mfn(t.va[262]) != our_l3);
        check_rc("unpin it", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), 0);
    }
    tp_free(&t);
}

static void neighbours(uint64_t l4, uint64_t our_l3)
{
    static const unsigned int slots[] = { 255, 272 };
    char what[64];

    for (unsigned int i = 0; i < 2; i++) {
        uint64_t maddr = mfn_pte(l4, 0) + 8UL * slots[i];

        if (pt_read(maddr) & PTE_PRESENT)
            continue;                       /* in use: leave it */
        snprintf(what, sizeof(what), "mmu_update(guest L4 slot %u -> our L3)", slots[i]);
        check_rc(what, mmu_update1(maddr, mfn_pte(our_l3, PTE_TABLE)), 0);
        check_rc("and clear it", mmu_update1(maddr, 0), 0);
    }
}

static void test_main(void)
{
    uint64_t l4 = as_current()->l4_mfn, our_l3 = table_mfn(VIRT_BASE, 3);

    if (!our_l3)
        return;
    each_slot(l4, our_l3);
    pinned_copy(our_l3);
    neighbours(l4, our_l3);
    test_success(NULL);
}

const struct guest_test test_l4_hypervisor_slots = { "l4_hypervisor_slots", test_title, test_main };
