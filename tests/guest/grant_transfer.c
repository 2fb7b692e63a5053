/*
 * Test grant_transfer: GNTTABOP_transfer of a page of ours to ourselves
 * (a domain may offer itself an entry), as netfront's old page-flipping
 * mode did across domains.
 *
 * What: entry 50 accepts a page from us (GTF_accept_transfer, our domid).
 * A page still mapped in our direct map is refused (GNTST_bad_page) and
 * stays ours. A fresh frame that nothing maps (one page given back, one
 * taken) is transferred: status okay, the entry says committed and
 * completed with the frame, current_reservation is unchanged (it left us
 * and came back), and the frame, ours again, maps and takes writes.
 * Why: a transfer moves ownership: it must never take a page that is
 * still mapped, nor deliver one anywhere but the entry that asked for it.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "granttest.h"

static const char test_title[] = "grant transfer: a page given to an accepting entry";

#define REF      50
#define PATTERN  0x7472616e73666572UL      /* "transfer" */

static long current_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static int16_t transfer(uint64_t mfn)
{
    struct gnttab_transfer t = { .mfn = mfn, .domid = 0, .ref = REF, .status = 99 };

    if (HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1))
        test_failure("GNTTABOP_transfer: the hypercall itself failed");
    return t.status;
}

static long reservation(unsigned int cmd, uint64_t *mfn)
{
    struct xen_memory_reservation r = { .extent_start = hc_ptr(mfn), .nr_extents = 1,
                                        .extent_order = 0, .domid = DOMID_SELF };

    return HYPERVISOR_memory_op(cmd, &r);
}

/* A frame nothing maps: one page of ours given back, a fresh one taken
 * (earlier tests may have left a page of ours mapped somewhere). pfn's
 * frame is then that one; 0 on failure. */
static uint64_t fresh_frame(long pfn)
{
    uint64_t old = p2m[pfn], fresh = 0;

    if (HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)pfn_to_virt((uint64_t)pfn), 0,
                                     UVMF_INVLPG) ||
        reservation(XENMEM_decrease_reservation, &old) != 1 ||
        reservation(XENMEM_increase_reservation, &fresh) != 1) {
        test_error("could not get a fresh frame");
        return 0;
    }
    p2m[pfn] = fresh;
    return fresh;
}

static void test_main(void)
{
    volatile struct grant_entry_v1 *table = gt_map_own_table(test_va(0));
    long pfn = page_alloc(), before = current_pages();
    uint64_t mfn;

    if (!table || pfn < 0)
        return;
    table[REF].domid = 0;
    table[REF].frame = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    table[REF].flags = GTF_accept_transfer;
    check_rc("transfer of a page still mapped", transfer(p2m[pfn]), GNTST_bad_page);
    check_rc("  the entry is untouched", table[REF].flags, GTF_accept_transfer);
    mfn = fresh_frame(pfn);
    if (!mfn)
        return;
    check_rc("transfer of a frame nothing maps", transfer(mfn), GNTST_okay);
    check_rc("  the entry: committed and completed", table[REF].flags,
             GTF_accept_transfer | GTF_transfer_committed | GTF_transfer_completed);
    check_true("  the entry names the frame", table[REF].frame == mfn);
    check_rc("  current_reservation unchanged", current_pages(), before);
    mmu_update1((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, (uint64_t)pfn);
    check_rc("  the frame, ours again, maps", pfn_set_writable((uint64_t)pfn), 0);
    *(volatile uint64_t *)pfn_to_virt((uint64_t)pfn) = PATTERN;
    check_true("  and can be written", *(volatile uint64_t *)pfn_to_virt((uint64_t)pfn)
                                       == PATTERN);
    table[REF].flags = 0;
    unmap_at(test_va(0));
    page_free((uint64_t)pfn);
    test_success(NULL);
}

const struct guest_test test_grant_transfer = { "grant_transfer", test_title, test_main };
