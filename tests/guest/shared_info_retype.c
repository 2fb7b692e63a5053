/*
 * Test shared_info_retype (issue 10, hole 1): the shared_info frame can
 * never become a page table or a descriptor page.
 *
 * What: with events and timers quiet, shared_info is rewritten into a
 * valid L1 and GDT image (every entry not present; the upcall mask kept
 * set) and its only writable mapping made read-only, which is all a
 * guest needs to pin an ordinary frame. Then MMUEXT_PIN_L1_TABLE and
 * MMUEXT_PIN_L2_TABLE of it, set_gdt of it, and an L2 entry pointing at it
 * (which would make it an L1) are tried: all must be refused. Mapping it
 * writable again is accepted, and the saved contents go back.
 * Why: the hypervisor writes into shared_info whenever it likes (pending
 * bits, time, upcall mask). Were the frame a live page table, an event
 * sent to ourselves would flip a bit of a PTE of our choosing: a writable
 * mapping of a page table, and from there of any machine frame. As a GDT
 * page it would let the hypervisor write descriptors unchecked.
 * Expected (real Xen 4.17, where shared_info is a Xen page shared with a
 * permanent writable type): pins -EINVAL, set_gdt -EINVAL, the L2 entry
 * -EINVAL, mapping it writable again 0.
 */
#include "shinfo.h"

static const char test_title[] = "shared_info can never be a page table or GDT page";

/* Every entry not present, as an L1 and as descriptors; the upcall mask
 * (byte 1) stays set, which is still a not-present entry. */
static void write_harmless_image(void)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)shinfo_va();

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;
    p[0] = 0x100;
}

static void try_pin(unsigned int cmd, const char *what)
{
    long rc = mmuext1(cmd, shinfo_mfn());

    if (rc == 0)
        mmuext1(MMUEXT_UNPIN_TABLE, shinfo_mfn());
    check_rc(what, rc, -XEN_EINVAL);
}

static void try_gdt(void)
{
    uint64_t frames[1] = { shinfo_mfn() };
    long rc = HYPERVISOR_set_gdt(frames, 16);

    if (rc == 0)
        HYPERVISOR_set_gdt(frames, 0);
    check_rc("set_gdt(shared_info frame)", rc, -XEN_EINVAL);
}

/* An L2 entry of the test region pointing at shared_info as its L1. */
static void try_as_l1(void)
{
    uint64_t va = test_va_l2(1);
    uint64_t ptr;
    long rc;

    if (map_at(test_va(0), shinfo_mfn(), PTE_PAGE_RO) != 0) {
        test_error("could not build the test region's tables");
        return;
    }
    unmap_at(test_va(0));
    ptr = entry_maddr(va, 2);
    if (!ptr)
        return;
    rc = mmu_update1(ptr, mfn_pte(shinfo_mfn(), PTE_PAGE_RW));
    if (rc == 0)
        mmu_update1(ptr, 0);
    check_rc("L2 entry -> shared_info frame (as an L1)", rc, -XEN_EINVAL);
}

static void test_main(void)
{
    if (!shinfo_quiesce())
        return;
    write_harmless_image();
    if (HYPERVISOR_update_va_mapping(shinfo_va(), mfn_pte(shinfo_mfn(), PTE_PAGE_RO),
                                     UVMF_INVLPG) != 0) {
        test_error("could not make shared_info read-only");
    } else {
        try_pin(MMUEXT_PIN_L1_TABLE, "pin shared_info frame as L1");
        try_pin(MMUEXT_PIN_L2_TABLE, "pin shared_info frame as L2");
        try_gdt();
        try_as_l1();
    }
    check_rc("map shared_info writable again", shinfo_restore(), 0);
    test_success(NULL);
}

const struct guest_test test_shared_info_retype = { "shared_info_retype", test_title, test_main };
