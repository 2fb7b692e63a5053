/*
 * Test memory_exchange: XENMEM_exchange, frames of ours traded for new,
 * machine-contiguous ones.
 *
 * What: refused, nr_exchanged left at 0: an input frame still mapped (our
 * direct map) or the hypervisor's (-EINVAL), in and out counting
 * different frames or naming different domains, nr_exchanged past the
 * end, an order of 13 (all -EINVAL), an unreadable argument
 * (-EFAULT). Accepted: two single frames of ours, unmapped, for one
 * order-1 extent below 4 GiB (address bits 32): nr_exchanged 2, the new
 * MFN written over the pfn we gave, even (naturally aligned) and below
 * 2^20, its two frames' M2P entries our pfn and the next; the old frames
 * are no longer ours; the new ones map writable and hold what we write.
 * Why: Linux's swiotlb gets machine-contiguous memory below 4 GiB this way
 * (xen_create_contiguous_region, 265 calls in a dom0 boot on Xen); without
 * it, it has no bounce buffers for DMA.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "mmtest.h"

static const char test_title[] = "XENMEM_exchange: frames of ours for a contiguous extent";

#define ADDRESS_BITS_32 32

static struct xen_memory_exchange ex;
static uint64_t in_list[2], out_list[2];

static void request(uint64_t in_n, unsigned int in_o, uint64_t out_n, unsigned int out_o)
{
    memset(&ex, 0, sizeof(ex));
    ex.in = (struct xen_memory_reservation){ .extent_start = (uint64_t)(uintptr_t)in_list,
                                             .nr_extents = in_n, .extent_order = in_o,
                                             .domid = DOMID_SELF };
    ex.out = (struct xen_memory_reservation){ .extent_start = (uint64_t)(uintptr_t)out_list,
                                              .nr_extents = out_n, .extent_order = out_o,
                                              .mem_flags = ADDRESS_BITS_32, .domid = DOMID_SELF };
}

static void refused(const char *what, long want)
{
    check_rc(what, HYPERVISOR_memory_op(XENMEM_exchange, &ex), want);
    check_rc("  nr_exchanged", (long)ex.nr_exchanged, 0);
}

static void refusals(uint64_t mapped_pfn)
{
    in_list[0] = pfn_to_mfn(mapped_pfn);
    out_list[0] = mapped_pfn;
    request(1, 0, 1, 0);
    refused("a frame still mapped", -XEN_EINVAL);
    in_list[0] = hypervisor_frame();
    request(1, 0, 1, 0);
    refused("a frame of the hypervisor's", -XEN_EINVAL);
    request(2, 0, 1, 0);
    refused("2 frames in, 1 out", -XEN_EINVAL);
    request(1, 0, 1, 0);
    ex.out.domid = 0;
    refused("in DOMID_SELF, out domain 0", -XEN_EINVAL);
    request(2, 0, 2, 0);
    ex.nr_exchanged = 3;
    check_rc("nr_exchanged 3 of 2", HYPERVISOR_memory_op(XENMEM_exchange, &ex), -XEN_EINVAL);
    request(1, 13, 8192, 0);
    refused("an order-13 extent", -XEN_EINVAL);
    check_rc("an unreadable argument",
             HYPERVISOR_memory_op(XENMEM_exchange, bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
}

/* Our pfns a and b now live in new (n) and new + 1: p2m, M2P, mappings. */
static void adopt(uint64_t a, uint64_t b, uint64_t n)
{
    p2m[a] = n;
    p2m[b] = n + 1;
    check_rc("  M2P of new + 1 -> our second pfn",
             mmu_update1(((n + 1) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, b), 0);
    check_rc("  map the first new frame writable", map_at((uint64_t)(uintptr_t)pfn_to_virt(a), n,
                                                         PTE_PAGE_RW), 0);
    check_rc("  map the second", map_at((uint64_t)(uintptr_t)pfn_to_virt(b), n + 1,
                                        PTE_PAGE_RW), 0);
    *(volatile uint64_t *)pfn_to_virt(a) = 0x1111;
    *(volatile uint64_t *)pfn_to_virt(b) = 0x2222;
    check_true("  they hold what we write",
               *(volatile uint64_t *)pfn_to_virt(a) == 0x1111 &&
               *(volatile uint64_t *)pfn_to_virt(b) == 0x2222);
}

static void exchanged(uint64_t a, uint64_t b)
{
    uint64_t old_a = pfn_to_mfn(a), old_b = pfn_to_mfn(b), n;

    unmap_at((uint64_t)(uintptr_t)pfn_to_virt(a));
    unmap_at((uint64_t)(uintptr_t)pfn_to_virt(b));
    in_list[0] = old_a;
    in_list[1] = old_b;
    out_list[0] = a;
    request(2, 0, 1, 1);
    if (!check_rc("2 unmapped frames for an order-1 extent below 4 GiB",
                  HYPERVISOR_memory_op(XENMEM_exchange, &ex), 0))
        return;
    n = out_list[0];
    check_rc("  nr_exchanged", (long)ex.nr_exchanged, 2);
    check_true("  the new MFN: even, below 4 GiB", !(n & 1) && n + 1 < (1UL << 20));
    check_true("  its M2P entries: our pfn and the next", mfn_to_pfn(n) == a &&
                                                          mfn_to_pfn(n + 1) == a + 1);
    adopt(a, b, n);
    check_true("  the old frames are no longer ours", !mfn_is_ours(old_a) && !mfn_is_ours(old_b));
}

static void test_main(void)
{
    long a = page_alloc(), b = page_alloc(), c = page_alloc();

    if (a < 0 || b < 0 || c < 0 || !hypervisor_frame()) {
        test_error("page_alloc or hypervisor_frame failed");
        return;
    }
    refusals((uint64_t)c);
    exchanged((uint64_t)a, (uint64_t)b);
    page_free((uint64_t)c);
    page_free((uint64_t)b);
    page_free((uint64_t)a);
    test_success(NULL);
}

const struct guest_test test_memory_exchange = { "memory_exchange", test_title, test_main };
