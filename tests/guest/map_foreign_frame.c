/*
 * Test map_foreign_frame: frames that are not ours cannot be mapped,
 * written as page tables, or claimed in the M2P.
 *
 * What: a frame of the hypervisor (the L3 behind one of its L4 slots in
 * our L4; the M2P confirms it is not ours), mapped read-only and writable
 * with update_va_mapping and with mmu_update; used as the target of an
 * MMU_NORMAL_PT_UPDATE (a write into the hypervisor's own table); its M2P
 * entry set with MMU_MACHPHYS_UPDATE; an mfn far beyond RAM. For the
 * record only (no verdict): what mfn 0 (the BIOS area) gives.
 * Why: the domain's frames are its whole world; any other frame, above
 * all the hypervisor's own page tables, must stay out of reach (rule 4 of
 * the page-type invariants).
 * Expected (real Xen 4.17 as dom0): mapping the hypervisor frame, read-only
 * or writable, either way -> -EBUSY (Xen: no reference can be taken on
 * it); writing into it -> -EINVAL; claiming its M2P entry -> -EINVAL; the
 * mfn far beyond RAM -> -EPERM (Xen treats it as I/O memory the domain
 * has no permission for); the M2P still says the frame is not ours.
 * Fact: as dom0 on real Xen this guest may map I/O frames (mfn 0, the
 * first frame above RAM), even writable: the hardware domain has I/O
 * memory permission. Whether a Tern dom0 may is Tern's policy, so those
 * are printed, not checked. (No other domain runs, so "another domain's
 * frame" is covered by memory_reservation: a frame given back is refused.)
 */
#include "mmtest.h"

static const char test_title[] = "refused: mapping, writing and claiming frames that are not ours";

static void hypervisor_frame_refused(uint64_t hv, uint64_t l1e)
{
    check_rc("update_va_mapping(hypervisor frame, read-only)",
             map_at(test_va(0), hv, PTE_PAGE_RO), -XEN_EBUSY);
    check_rc("update_va_mapping(hypervisor frame, writable)",
             map_at(test_va(0), hv, PTE_PAGE_RW), -XEN_EBUSY);
    check_rc("mmu_update(L1 entry -> hypervisor frame, read-only)",
             mmu_update1(l1e, mfn_pte(hv, PTE_PAGE_RO)), -XEN_EBUSY);
    check_rc("mmu_update(L1 entry -> hypervisor frame, writable)",
             mmu_update1(l1e, mfn_pte(hv, PTE_PAGE_RW)), -XEN_EBUSY);
    check_true("the test VA stayed unmapped", !(pt_read(l1e) & PTE_PRESENT));
    check_rc("mmu_update(NORMAL) writing into the hypervisor frame",
             mmu_update1(hv << PAGE_SHIFT, 0), -XEN_EINVAL);
    check_rc("mmu_update(MACHPHYS) claiming the hypervisor frame",
             mmu_update1((hv << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0), -XEN_EINVAL);
    check_true("the M2P still says it is not ours", !mfn_is_ours(hv));
}

/* Only printed: a dom0's I/O permissions differ between hypervisors. */
static void record(const char *what, uint64_t mfn, uint64_t flags)
{
    long rc = map_at(test_va(1), mfn, flags);

    test_info("%s (mfn %#lx) = %s", what, mfn, rc_name(rc));
    if (rc == 0)
        unmap_at(test_va(1));
}

static void test_main(void)
{
    long max_page = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    uint64_t hv = hypervisor_frame(), far = 1UL << 39, l1e;
    struct test_page warm;

    if (!hv || !tp_alloc(&warm))
        return;
    if (!check_rc("as_map(test VA)", map_at(test_va(0), warm.mfn, PTE_PAGE_RW), 0))
        return;
    unmap_at(test_va(0));
    tp_free(&warm);
    if (!(l1e = entry_maddr(test_va(0), 1)))
        return;
    hypervisor_frame_refused(hv, l1e);
    check_rc("update_va_mapping(mfn 2^39, far beyond RAM, writable)",
             map_at(test_va(0), far, PTE_PAGE_RW), -XEN_EPERM);
    test_info("maximum_ram_page %#lx; M2P of mfn 0 = %#lx", max_page, mfn_to_pfn(0));
    record("map mfn 0 read-only", 0, PTE_PAGE_RO);
    record("map mfn 0 writable", 0, PTE_PAGE_RW);
    record("map the first mfn above RAM read-only", (uint64_t)max_page, PTE_PAGE_RO);
    test_success(NULL);
}

const struct guest_test test_map_foreign_frame = { "map_foreign_frame", test_title, test_main };
