/*
 * Test shared_info_release (issue 10, hole 2): the shared_info frame is
 * never given back to the hypervisor's allocator.
 *
 * What: with events and timers quiet, our only mapping of shared_info is
 * removed, then decrease_reservation names its mfn. Xen answers 1 (it
 * drops the allocation reference of its shared page) but keeps the page
 * its own: the guest can no longer map it, current_reservation does not
 * change (shared_info is not RAM), and it never comes back as memory.
 * To look for the frame coming back, an ordinary page is then given back
 * too and one extent more than the room below our maximum is asked for:
 * exactly the room comes, and none of it may be the old shared_info.
 * Why: were the frame freed, the hypervisor would keep writing pending
 * bits and time into whatever it became next: our own memory here, or
 * another domain's, or the hypervisor's heap.
 * Expected (real Xen 4.17): decrease -> 1; current_reservation unchanged;
 * mapping it again -> -EBUSY; the ordinary page given back -> 1; the
 * increase -> the room below the maximum (1 extent when nothing else has
 * changed the reservation), none of it the shared_info frame.
 * This takes shared_info away from the kernel for good, as it would on
 * Xen: it runs last.
 */
#include "kernel/events.h"
#include "shinfo.h"

static const char test_title[] = "shared_info is never freed (decrease_reservation)";

static long reservation(unsigned int cmd, uint64_t *mfns, uint64_t n)
{
    struct xen_memory_reservation r = {
        .extent_start = hc_ptr(mfns), .nr_extents = n, .extent_order = 0,
        .mem_flags = 0, .domid = DOMID_SELF,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Gives back an ordinary page (making room for one extent); its pfn, or
 * -1 and ERROR. */
static long give_back_ordinary(void)
{
    long pfn = page_alloc();
    uint64_t mfn;

    if (pfn < 0 || HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)pfn_to_virt((uint64_t)pfn),
                                                0, UVMF_INVLPG) != 0) {
        test_error("could not get an ordinary page to give back");
        return -1;
    }
    mfn = p2m[pfn];
    if (!check_rc("decrease_reservation(an ordinary page)",
                  reservation(XENMEM_decrease_reservation, &mfn, 1), 1))
        return -1;
    return pfn;
}

static long max_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
}

/* Asks for one extent more than the room left below our maximum: exactly
 * the room must come, and none of it may be the old shared_info frame.
 * The first extent becomes pfn's frame again, any others go back. (The
 * room is measured: earlier tests may have left some, or, on Xen, taken
 * some.) */
static void check_not_reused(long pfn, uint64_t shinfo)
{
    uint64_t got[8] = { 0 };
    long room = max_pages() - current_pages(), want = room <= 0 ? 0 : room > 7 ? 7 : room;
    long n = reservation(XENMEM_increase_reservation, got, (uint64_t)want + 1);

    test_info("room below the maximum: %ld extent(s)", room);
    check_rc("increase_reservation(one more than the room)", n, want);
    for (long i = 0; i < n && i < 8; i++)
        check_true("a new extent is not the old shared_info frame", got[i] != shinfo);
    if (n > 1)
        reservation(XENMEM_decrease_reservation, got + 1, (uint64_t)n - 1);
    if (n < 1)
        return;
    p2m[pfn] = got[0];
    mmu_update1((got[0] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, (uint64_t)pfn);
    check_rc("map the new frame in the direct map", pfn_set_writable((uint64_t)pfn), 0);
    page_free((uint64_t)pfn);
}

static void test_main(void)
{
    uint64_t mfn = shinfo_mfn();
    long before = current_pages(), pfn;

    if (!shinfo_quiesce())
        return;
    if (HYPERVISOR_update_va_mapping(shinfo_va(), 0, UVMF_INVLPG) != 0) {
        test_error("could not unmap shared_info");
        shinfo_restore();
        return;
    }
    shared_info = NULL;                /* ours no more: the kernel goes on without it */
    check_rc("decrease_reservation(shared_info mfn)",
             reservation(XENMEM_decrease_reservation, &mfn, 1), 1);
    check_rc("current_reservation unchanged", current_pages(), before);
    check_rc("map the old shared_info frame", map_at(test_va(0), mfn, PTE_PAGE_RO), -XEN_EBUSY);
    pfn = give_back_ordinary();
    if (pfn >= 0)
        check_not_reused(pfn, mfn);
    test_success(NULL);
}

const struct guest_test test_shared_info_release = { "shared_info_release", test_title, test_main };
