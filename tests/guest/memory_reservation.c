/*
 * Test memory_reservation: memory_op increase_reservation,
 * decrease_reservation and populate_physmap, within the domain's limit.
 *
 * What: one of our pages unmapped and given back (decrease), the same mfn
 * given back again, mapped, and its M2P entry set (all must fail now: the
 * frame is no longer ours); increase_reservation with bad extent arrays
 * and an absurd order; two extents asked for when there is room for one
 * (the one we get is put in the p2m with MMU_MACHPHYS_UPDATE); one extent
 * more than the headroom below maximum_reservation; the page given back
 * again and its pfn repopulated with populate_physmap; populate beyond
 * the limit; decrease with an unreadable array and with a frame that is
 * not ours; a domid that names no domain. The reservation ends where it
 * started.
 * Why: this is the balloon driver's interface; the limit is what keeps a
 * guest from taking the host's memory, and a frame given back must be out
 * of the guest's reach at once.
 * Expected (real Xen 4.17 as dom0 with dom0_mem=32M,max:32M, so no
 * headroom at first): decrease -> 1 extent and current_reservation - 1;
 * the same mfn again -> 0; mapping it -> -EBUSY (Xen 4.17's answer for a
 * frame it could not take a reference on); its M2P update -> -EINVAL; bad
 * arrays and order 31 -> 0 extents; 2 extents with room for 1 -> 1 (the
 * count done), with a new mfn; one more than the headroom -> only the
 * headroom (0 here); populate -> 1, the mfn written back and M2P[mfn] =
 * pfn set by the hypervisor; populate at the limit -> 0; bad decrease
 * array -> 0; a frame not ours -> 0; increase for domid 5 -> 0 extents,
 * but current_reservation of domid 5 -> -ESRCH.
 * Fact: for these three sub-ops Xen reports a bad extent array as "0
 * extents done", never -EFAULT, and a domid naming no domain as 0 extents
 * too (not -ESRCH).
 */
#include "mmtest.h"

static const char test_title[] = "memory_op: decrease/increase_reservation, populate_physmap, limits";

static long reservation_op(unsigned int cmd, uint64_t *extents, uint64_t n, unsigned int order)
{
    struct xen_memory_reservation r = {
        .extent_start = hc_ptr(extents), .nr_extents = n, .extent_order = order,
        .mem_flags = 0, .domid = DOMID_SELF,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Unmaps pfn and gives its frame back; true when the hypervisor took it. */
static bool give_back(uint64_t pfn)
{
    uint64_t mfn = p2m[pfn];

    if (!check_rc("unmap the page from the direct map",
                  HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)pfn_to_virt(pfn), 0,
                                               UVMF_INVLPG), 0))
        return false;
    if (!check_rc("decrease_reservation(its mfn)",
                  reservation_op(XENMEM_decrease_reservation, &mfn, 1, 0), 1))
        return false;
    p2m[pfn] = ~0UL;
    return true;
}

/* Makes mfn pfn's frame again: p2m, M2P, direct map. */
static void take_in(uint64_t pfn, uint64_t mfn)
{
    p2m[pfn] = mfn;
    check_rc("mmu_update(MACHPHYS: new mfn -> pfn)",
             mmu_update1((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn), 0);
    check_rc("map it in the direct map", pfn_set_writable(pfn), 0);
    check_true("the new frame is ours by the M2P", mfn_is_ours(mfn));
}

static void gone_frame(uint64_t mfn, long cur0)
{
    check_rc("current_reservation is one less", current_pages(), cur0 - 1);
    check_rc("decrease_reservation(the same mfn again)",
             reservation_op(XENMEM_decrease_reservation, &mfn, 1, 0), 0);
    check_rc("map the given-back frame read-only", map_at(test_va(0), mfn, PTE_PAGE_RO),
             -XEN_EBUSY);
    check_rc("mmu_update(MACHPHYS) of the given-back frame",
             mmu_update1((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0), -XEN_EINVAL);
}

static void bad_increase(void)
{
    uint64_t extent = 0;

    check_rc("increase_reservation(non-canonical array)",
             reservation_op(XENMEM_increase_reservation, bad_ptr(BAD_VA_NONCANONICAL), 1, 0), 0);
    check_rc("increase_reservation(hypervisor-range array)",
             reservation_op(XENMEM_increase_reservation, bad_ptr(BAD_VA_HYPERVISOR), 1, 0), 0);
    check_rc("increase_reservation(order 31)",
             reservation_op(XENMEM_increase_reservation, &extent, 1, 31), 0);
}

/* Asks for one extent more than the headroom; gives back what it got. */
static void beyond_limit(long max)
{
    static uint64_t extents[9];
    long headroom = max - current_pages(), got;

    test_info("headroom below maximum_reservation: %ld pages", headroom);
    if (headroom < 0 || headroom > 8) {
        test_info("headroom out of 0..8: limit not probed");
        return;
    }
    got = reservation_op(XENMEM_increase_reservation, extents, (uint64_t)headroom + 1, 0);
    check_rc("increase_reservation(headroom + 1 extents)", got, headroom);
    if (got > 0)
        check_rc("give them back", reservation_op(XENMEM_decrease_reservation, extents,
                                                  (uint64_t)got, 0), got);
}

static void populate(uint64_t pfn, long max)
{
    uint64_t extent = pfn, other = start_info.nr_pages;
    long got;

    if (!give_back(pfn))
        return;
    if (!check_rc("populate_physmap(that pfn)",
                  reservation_op(XENMEM_populate_physmap, &extent, 1, 0), 1))
        return;
    test_info("pfn %#lx now backed by mfn %#lx", pfn, extent);
    check_rc("the hypervisor set M2P[new mfn] = pfn", (long)mfn_to_pfn(extent), (long)pfn);
    p2m[pfn] = extent;
    check_rc("map it in the direct map", pfn_set_writable(pfn), 0);
    if (current_pages() != max)
        return;
    got = reservation_op(XENMEM_populate_physmap, &other, 1, 0);
    check_rc("populate_physmap(one more pfn, at the limit)", got, 0);
    if (got > 0)
        reservation_op(XENMEM_decrease_reservation, &other, 1, 0);
}

static void bad_decrease(uint64_t hv)
{
    static uint64_t extent;
    domid_t nobody = 5;
    struct xen_memory_reservation r = {
        .extent_start = hc_ptr(&extent), .nr_extents = 1, .domid = 5,
    };

    check_rc("decrease_reservation(unmapped array)",
             reservation_op(XENMEM_decrease_reservation, bad_ptr(BAD_VA_UNMAPPED), 1, 0), 0);
    if (hv)
        check_rc("decrease_reservation(a hypervisor frame)",
                 reservation_op(XENMEM_decrease_reservation, &hv, 1, 0), 0);
    check_rc("increase_reservation(domid 5)",
             HYPERVISOR_memory_op(XENMEM_increase_reservation, &r), 0);
    check_rc("current_reservation(domid 5)",
             HYPERVISOR_memory_op(XENMEM_current_reservation, &nobody), -XEN_ESRCH);
}

static void test_main(void)
{
    domid_t self = DOMID_SELF;
    long cur0 = current_pages();
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    uint64_t mfn, extents[2] = { 0, 0 };
    struct test_page p;

    test_info("current_reservation %ld, maximum_reservation %ld", cur0, max);
    if (!tp_alloc(&p))
        return;
    mfn = p.mfn;
    if (!give_back(p.pfn))
        return;                             /* the page stays out of the allocator */
    gone_frame(mfn, cur0);
    bad_increase();
    if (check_rc("increase_reservation(2 extents, room for 1)",
                 reservation_op(XENMEM_increase_reservation, extents, 2, 0),
                 max - cur0 + 1)) {
        test_info("got mfn %#lx (gave back %#lx)", extents[0], mfn);
        take_in(p.pfn, extents[0]);
    }
    check_rc("current_reservation is back", current_pages(), cur0);
    beyond_limit(max);
    populate(p.pfn, max);
    bad_decrease(hypervisor_frame());
    check_rc("current_reservation is where it started", current_pages(), cur0);
    if (p2m[p.pfn] == ~0UL || !pfn_is_mapped(p.pfn)) {
        test_error("pfn %#lx has no frame any more; it stays out of the allocator", p.pfn);
        return;
    }
    p.mfn = p2m[p.pfn];
    p.va[0] = 0x5a5a;
    check_true("the page works", p.va[0] == 0x5a5a);
    tp_free(&p);
    test_success(NULL);
}

const struct guest_test test_memory_reservation = { "memory_reservation", test_title, test_main };
