/*
 * Test pt_write_emulated: writable page tables (VMASST_TYPE_writable_
 * pagetables), a direct store to an L1 table applied by the hypervisor.
 *
 * What: with the assist on, through the read-only direct-map mapping of a
 * pinned L1 of ours: an 8-byte mov of an entry mapping a page of ours
 * writable (the entry then holds that frame, present and writable); a
 * lock andb clearing RW and an orb setting it again (byte-wide, as
 * Linux's clear_bit/set_bit); an xchg installing a read-only entry (the
 * old value, 0, comes back in the register); a movq $0 clearing it.
 * Refused, each a #PF at the store with the entry unchanged: an entry
 * mapping a hypervisor frame; one mapping our live L4 writable. With the
 * assist off again, a store is still emulated (Xen 4.17 does not look at
 * the assist).
 * Why: Linux 6.1 writes its early page tables with plain stores and
 * relies on the hypervisor to trap and validate them, and clears a PTE's
 * RW bit with a byte-wide and at fork (ptep_set_wrprotect); what the store
 * may map is exactly what mmu_update may.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "mmtest.h"
#include "traptest.h"

static const char test_title[] = "writable page tables: L1 stores emulated, checked like mmu_update";

/* A store of v at p: true if it faulted (the #PF resumed after it). */
static bool store_faults(volatile uint64_t *p, uint64_t v)
{
    uint64_t n = traps_seen();

    __asm__ volatile("1: movq %1, (%0)\n2:\n" EXTABLE(1b, 2b)
                     : : "r"(p), "r"(v) : "memory");
    return traps_seen() != n;
}


static void assisted(volatile uint64_t *t, uint64_t data_mfn, uint64_t l4_mfn, uint64_t hv)
{
    uint64_t old = 0x1234;

    check_true("mov: entry 5 -> our page, writable", !store_faults(&t[5], mfn_pte(data_mfn, PTE_PAGE_RW)));
    check_true("  the entry holds it, present and writable",
               pte_mfn(t[5]) == data_mfn && (t[5] & PTE_PRESENT) && (t[5] & PTE_RW));
    __asm__ volatile("lock andb $0xfd, (%0)" : : "r"(&t[5]) : "memory");
    check_true("lock andb $~RW: RW cleared, the frame kept",
               !(t[5] & PTE_RW) && pte_mfn(t[5]) == data_mfn);
    __asm__ volatile("orb $2, (%0)" : : "r"(&t[5]) : "memory");
    check_true("orb $RW: RW set again", (t[5] & PTE_RW) != 0);
    old = mfn_pte(data_mfn, PTE_PAGE_RO);
    __asm__ volatile("xchg %0, (%1)" : "+r"(old) : "r"(&t[6]) : "memory");
    check_true("xchg: entry 6 installed, the old value (0) returned",
               old == 0 && pte_mfn(t[6]) == data_mfn && !(t[6] & PTE_RW));
    __asm__ volatile("movq $0, (%0)" : : "r"(&t[6]) : "memory");
    check_true("movq $0: entry 6 cleared", t[6] == 0);
    check_true("a hypervisor frame: #PF", store_faults(&t[7], mfn_pte(hv, PTE_PAGE_RO)));
    check_true("  entry 7 unchanged", t[7] == 0);
    check_true("our live L4, writable: #PF", store_faults(&t[7], mfn_pte(l4_mfn, PTE_PAGE_RW)));
    check_true("  entry 7 unchanged", t[7] == 0);
    __asm__ volatile("movq $0, (%0)" : : "r"(&t[5]) : "memory");
}

static void test_main(void)
{
    struct test_page table, data;
    uint64_t hv = hypervisor_frame();
    volatile uint64_t *t;

    if (!hv || !tp_alloc(&data) || !tp_alloc_table(&table))
        return;
    t = table.va;
    if (!check_rc("pin a fresh L1", mmuext1(MMUEXT_PIN_L1_TABLE, table.mfn), 0))
        return;
    check_rc("vm_assist(enable, writable_pagetables)",
             HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    assisted(t, data.mfn, as_current()->l4_mfn, hv);
    check_rc("vm_assist(disable, writable_pagetables)",
             HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0);
    check_true("assist off: a store to the L1 is still emulated",
               !store_faults(&t[5], mfn_pte(data.mfn, PTE_PAGE_RO)));
    check_true("  entry 5 holds it", pte_mfn(t[5]) == data.mfn);
    check_true("  and is cleared the same way", !store_faults(&t[5], 0) && t[5] == 0);
    check_rc("unpin it", mmuext1(MMUEXT_UNPIN_TABLE, table.mfn), 0);
    tp_free(&table);
    tp_free(&data);
    test_success(NULL);
}

const struct guest_test test_pt_write_emulated = { "pt_write_emulated", test_title, test_main };
