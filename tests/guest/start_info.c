/*
 * Test start_info: the builder's start_info page is consistent.
 *
 * What: the magic, nr_pages, the shared_info machine address, the
 * bootstrap page tables, the p2m list and the command line.
 * Why: the guest's first act is to trust this page (public/xen.h); a
 * builder bug here breaks every guest before it prints anything.
 * Expected: magic "xen-3.0-x86_64"; nr_pages > 0; shared_info non-zero and
 * page aligned; pt_base and mfn_list inside the builder's mapped region at
 * VIRT_BASE (our image's first page) with pt_base page aligned and
 * nr_pt_frames >= 4 (one each of L4..L1); every p2m entry below nr_pages
 * valid (not ~0); the command line NUL-terminated; as the hardware domain
 * (SIF_INITDOMAIN), no xenstore page or port (store_mfn and store_evtchn
 * 0: only a toolstack-built domain gets one, which the domains-rings
 * scenario checks). Xen 4.17 (as dom0): all hold, flags = SIF_PRIVILEGED |
 * SIF_INITDOMAIN.
 */
#include "test.h"

static const char test_title[] = "start_info: magic, sizes, addresses, p2m, command line";

extern const char _image_start[];

/* True when [va, va + len) lies in the region the builder maps. */
static int in_guest_region(uint64_t va, uint64_t len)
{
    uint64_t base = (uint64_t)(uintptr_t)_image_start;
    uint64_t end = base + start_info.nr_pages * PAGE_SIZE;

    return va >= base && va < end && len <= end - va;
}

static void check_p2m(void)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info.mfn_list;
    uint64_t pfn, invalid = 0;

    if (!check_true("mfn_list (p2m) inside the mapped region",
                    in_guest_region(start_info.mfn_list, start_info.nr_pages * 8)))
        return;
    for (pfn = 0; pfn < start_info.nr_pages; pfn++)
        if (p2m[pfn] == ~0ULL)
            invalid++;
    test_info("p2m[0] = %#lx, p2m[%lu] = %#lx", p2m[0], start_info.nr_pages - 1,
              p2m[start_info.nr_pages - 1]);
    check_true("every p2m entry below nr_pages is valid", invalid == 0);
}

static void test_main(void)
{
    const struct start_info *si = &start_info;

    check_true("magic is \"xen-3.0-x86_64\"",
               strncmp(si->magic, START_INFO_MAGIC, sizeof(si->magic)) == 0);
    test_info("nr_pages %lu, flags %#x, nr_pt_frames %lu", si->nr_pages, si->flags,
              si->nr_pt_frames);
    check_true("nr_pages > 0", si->nr_pages > 0);
    check_true("shared_info is a non-zero page-aligned machine address",
               si->shared_info != 0 && (si->shared_info & (PAGE_SIZE - 1)) == 0);
    check_true("start_info itself is page aligned and mapped",
               (start_info_va & (PAGE_SIZE - 1)) == 0 &&
               in_guest_region(start_info_va, PAGE_SIZE));
    check_true("pt_base is page aligned and mapped",
               (si->pt_base & (PAGE_SIZE - 1)) == 0 &&
               in_guest_region(si->pt_base, PAGE_SIZE));
    check_true("nr_pt_frames >= 4 (L4, L3, L2, L1)", si->nr_pt_frames >= 4);
    check_p2m();
    if (si->flags & SIF_INITDOMAIN)
        check_true("hardware domain: no xenstore page or port (store_mfn, store_evtchn 0)",
                   si->store_mfn == 0 && si->store_evtchn == 0);
    check_true("cmd_line is NUL-terminated",
               strnlen(((const struct start_info *)(uintptr_t)start_info_va)->cmd_line,
                       MAX_GUEST_CMDLINE) < MAX_GUEST_CMDLINE);
    test_success(NULL);
}

const struct guest_test test_start_info = { "start_info", test_title, test_main };
