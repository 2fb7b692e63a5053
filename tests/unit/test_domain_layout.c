/*
 * Unit tests for hypervisor/boot/domain_layout.c: where the domain builder puts
 * the kernel, initrd, p2m list, start_info, the xenstore and console ring
 * pages (unprivileged domains only), initial page tables and boot stack of
 * a new PV domain, and how many page-table frames map them.
 *
 * The inputs come from the kernel image (VIRT_BASE, the segment addresses)
 * and the initrd module, so they are untrusted: a layout that wraps past
 * 2^64, leaves its canonical half, touches the hypervisor's L4 slots or
 * needs more pages than the domain has must be refused, because the builder
 * writes every piece without checking again. Every accepted layout is put
 * through check_layout(), which checks each property domain_layout.h
 * promises: the pieces in order and page aligned, the p2m sized for
 * nr_pages, v_end 4 MiB aligned with at least 512 KiB after the boot stack,
 * page tables enough to map [virt_base, v_end), and no more pages than the
 * domain has; with rings, the xenstore page right after start_info and the
 * console page after it (Xen's libxc order), the page tables after them;
 * without, no ring pages and the tables right after start_info.
 * Every layout test runs twice, without and with the ring pages (the two
 * groups), and the ring tests pit the two against each other: the same
 * image laid out both ways, where the two extra pages make the difference
 * between accepted and refused. pv_pt_frames is checked against
 * hand-counted tables for ranges inside one table and crossing each table
 * boundary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain_layout.h"
#include "err.h"

#define KiB          (1ull << 10)
#define MiB          (1ull << 20)
#define GiB          (1ull << 30)
#define PG           4096ull
#define TOP2G        0xffffffff80000000ull
#define LINUX_TEXT   (TOP2G + 16 * MiB)
#define HV_START     0xffff800000000000ull
#define HV_END       0xffff880000000000ull
#define LOWER_END    0x0000800000000000ull     /* end of the lower half */

static struct pv_layout l;
static bool rings;                      /* lay out with the ring pages */

static uint64_t up(uint64_t x, uint64_t a)
{
    return (x + a - 1) / a * a;
}

/* The ring pages: right after start_info, xenstore first, then the page
 * tables; or none at all, and the tables right after start_info. */
static void check_rings(void)
{
    assert_int_equal(l.rings, rings);
    if (!rings) {
        assert_int_equal(l.store_ring, 0);
        assert_int_equal(l.console_ring, 0);
        assert_int_equal(l.pt_start, l.start_info + PG);
        return;
    }
    assert_int_equal(l.store_ring, l.start_info + PG);
    assert_int_equal(l.console_ring, l.start_info + 2 * PG);
    assert_int_equal(l.pt_start, l.start_info + 3 * PG);
    assert_true(pv_pfn(&l, l.console_ring) < l.nr_pages);
}

/* Every promise of domain_layout.h, for a layout that was accepted. */
static void check_layout(uint64_t virt_base, uint64_t kstart, uint64_t kend,
                         uint64_t initrd_len, uint64_t nr_pages)
{
    assert_int_equal(l.virt_base, virt_base);
    assert_int_equal(l.kstart, kstart);
    assert_int_equal(l.kend, kend);
    assert_int_equal(l.nr_pages, nr_pages);

    /* the pieces, in order */
    assert_true(virt_base <= l.kstart);
    assert_true(l.kstart <= l.kend);
    assert_true(l.kend <= l.initrd_start);
    assert_true(l.initrd_start <= l.initrd_end);
    assert_true(l.initrd_end <= l.p2m_start);
    assert_true(l.p2m_start < l.p2m_end);
    assert_true(l.p2m_end <= l.start_info);
    assert_true(l.start_info < l.pt_start);
    assert_true(l.start_info + PG <= l.pt_start);
    check_rings();
    assert_true(l.pt_start < l.stack);
    assert_true(l.pt_start + l.nr_pt_frames * PG <= l.stack);
    assert_true(l.stack < l.v_end);

    /* sizes */
    assert_int_equal(l.initrd_start, kend);
    assert_int_equal(l.initrd_end - l.initrd_start, initrd_len);
    assert_int_equal(l.p2m_end - l.p2m_start, up(nr_pages * 8, PG));

    /* page alignment (the initrd's end need not be) */
    assert_int_equal(l.p2m_start % PG, 0);
    assert_int_equal(l.p2m_end % PG, 0);
    assert_int_equal(l.start_info % PG, 0);
    assert_int_equal(l.pt_start % PG, 0);
    assert_int_equal(l.stack % PG, 0);

    /* v_end: the stack's end plus at least 512 KiB, rounded up to 4 MiB */
    assert_int_equal(l.v_end % (4 * MiB), 0);
    assert_true(l.v_end - (l.stack + PG) >= 512 * KiB);
    assert_int_equal(l.v_end, up(l.stack + PG + 512 * KiB, 4 * MiB));

    /* the initial tables map all of [virt_base, v_end) */
    assert_true(l.nr_pt_frames >= 1);
    assert_true(pv_pt_frames(virt_base, l.v_end) <= l.nr_pt_frames);

    /* the domain has a page for every pfn of the mapping */
    assert_true(pv_pfn(&l, l.v_end) <= nr_pages);
    assert_true(pv_pfn(&l, l.stack) < nr_pages);

    /* one guest half, clear of the hypervisor */
    if (l.v_end <= LOWER_END)
        assert_true(virt_base < LOWER_END);
    else
        assert_true(virt_base >= HV_END && l.v_end > virt_base);
}

static int layout(uint64_t virt_base, uint64_t kstart, uint64_t kend,
                  uint64_t initrd_len, uint64_t nr_pages)
{
    memset(&l, 0xa5, sizeof(l));
    return pv_layout_compute(virt_base, kstart, kend, initrd_len, nr_pages, rings, &l);
}

static void assert_layout(uint64_t virt_base, uint64_t kstart, uint64_t kend,
                          uint64_t initrd_len, uint64_t nr_pages)
{
    int rc = layout(virt_base, kstart, kend, initrd_len, nr_pages);

    if (rc)
        fail_msg("layout refused: %d", rc);
    check_layout(virt_base, kstart, kend, initrd_len, nr_pages);
}

/* ---- pv_pt_frames ------------------------------------------------------------ */

static void test_pt_frames_small_ranges(void **state)
{
    (void)state;
    /* L4 + one L3 + one L2 + one L1 */
    assert_int_equal(pv_pt_frames(0x400000, 0x401000), 4);
    assert_int_equal(pv_pt_frames(0, 1), 4);
    assert_int_equal(pv_pt_frames(0, 2 * MiB), 4);
    assert_int_equal(pv_pt_frames(TOP2G, TOP2G + PG), 4);
    assert_int_equal(pv_pt_frames(0xfffffffffffff000ull, UINT64_MAX), 4);
    /* an empty range needs only the L4 */
    assert_int_equal(pv_pt_frames(0x400000, 0x400000), 1);
    assert_int_equal(pv_pt_frames(0x401000, 0x400000), 1);
}

static void test_pt_frames_crossing_2mib(void **state)
{
    (void)state;
    assert_int_equal(pv_pt_frames(0, 2 * MiB + 1), 5);
    assert_int_equal(pv_pt_frames(2 * MiB - PG, 2 * MiB + PG), 5);
    assert_int_equal(pv_pt_frames(2 * MiB - PG, 2 * MiB), 4);   /* ends on it */
    assert_int_equal(pv_pt_frames(2 * MiB, 4 * MiB), 4);        /* starts on it */
    assert_int_equal(pv_pt_frames(0, 8 * MiB), 1 + 1 + 1 + 4);
    assert_int_equal(pv_pt_frames(MiB, 7 * MiB), 1 + 1 + 1 + 4);
}

static void test_pt_frames_crossing_1gib(void **state)
{
    (void)state;
    assert_int_equal(pv_pt_frames(GiB - PG, GiB + PG), 1 + 1 + 2 + 2);
    assert_int_equal(pv_pt_frames(0, GiB), 1 + 1 + 1 + 512);
    assert_int_equal(pv_pt_frames(0, GiB + 1), 1 + 1 + 2 + 513);
    /* the top 2 GiB: L3 slots 510 and 511 */
    assert_int_equal(pv_pt_frames(TOP2G, 0xfffffffffffff000ull), 1 + 1 + 2 + 1024);
    assert_int_equal(pv_pt_frames(TOP2G + GiB - PG, TOP2G + GiB + PG), 1 + 1 + 2 + 2);
}

static void test_pt_frames_crossing_512gib(void **state)
{
    const uint64_t b512 = 512 * GiB;

    (void)state;
    assert_int_equal(pv_pt_frames(b512 - PG, b512 + PG), 1 + 2 + 2 + 2);
    assert_int_equal(pv_pt_frames(b512 - PG, b512), 4);
    /* the whole lower half: 256 L3s, 128 Ki L2s, 64 Mi L1s */
    assert_int_equal(pv_pt_frames(0, LOWER_END),
                     1 + 256 + 256 * 512ull + 256 * 512ull * 512);
    /* the guest's upper slots 272-511 */
    assert_int_equal(pv_pt_frames(HV_END, 0xffffffffffe00000ull),
                     1 + 240 + 240 * 512ull + (240 * 512ull * 512 - 1));
}

/* ---- pv_layout_compute: accepted layouts ----------------------------------------- */

static void test_layout_linux_top_2gib(void **state)
{
    (void)state;
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 0x1a3c000, 0x123456, 0x40000);
    assert_int_equal(l.initrd_end, LINUX_TEXT + 0x1a3c000 + 0x123456);
    assert_int_equal(l.p2m_start, up(l.initrd_end, PG));
    assert_int_equal(l.p2m_end - l.p2m_start, 0x40000 * 8);
    assert_true(l.v_end > TOP2G && l.v_end < TOP2G + GiB);
}

static void test_layout_without_initrd(void **state)
{
    (void)state;
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 0x800000, 0, 0x10000);
    assert_int_equal(l.initrd_start, l.initrd_end);
    assert_int_equal(l.p2m_start, LINUX_TEXT + 0x800000);
}

static void test_layout_lower_half(void **state)
{
    (void)state;
    /* Mini-OS style: VIRT_BASE 0 */
    assert_layout(0, 0, 0x100000, 0, 0x8000);
    assert_int_equal(l.kstart, 0);
    assert_layout(0x400000, 0x400000, 0x600000, 5 * MiB + 17, 0x20000);
}

static void test_layout_p2m_rounded_up(void **state)
{
    (void)state;
    /* 513 entries are 4104 bytes: two pages */
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000 + 1);
    assert_int_equal(l.p2m_end - l.p2m_start, up((0x4000 + 1) * 8, PG));
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000 + 512);
    assert_int_equal(l.p2m_end - l.p2m_start, 0x4000 * 8 + PG);
}

static void test_layout_large_domain(void **state)
{
    (void)state;
    /* 64 GiB: a 128 MiB p2m, page tables over many L2s and L1s */
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 0x2000000, 0x4000000, 16 * 1024 * 1024);
    assert_int_equal(l.p2m_end - l.p2m_start, 128 * MiB);
    assert_true(l.nr_pt_frames > 4);
}

static void test_layout_tables_cross_gib(void **state)
{
    uint64_t kend = TOP2G + GiB - 2 * MiB;

    (void)state;
    /* the tail runs over the 1 GiB boundary: one more L2 table */
    assert_layout(TOP2G, LINUX_TEXT, kend, 0, 0x80000);
    assert_true(l.v_end > TOP2G + GiB);
    assert_true(l.nr_pt_frames >= 1 + 1 + 2 + 513);
}

static void test_layout_exactly_enough_pages(void **state)
{
    uint64_t n;

    (void)state;
    /* the smallest domain that holds the layout */
    for (n = 1; n < 0x10000; n++)
        if (layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 2 * MiB, n) == 0)
            break;
    assert_true(n < 0x10000);
    check_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 2 * MiB, n);
    assert_int_equal(pv_pfn(&l, l.v_end), n);     /* every page is used */
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 2 * MiB, n - 1),
                     -ENOMEM);
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 2 * MiB, n + 1), 0);
}

static void test_layout_too_few_pages(void **state)
{
    (void)state;
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 0, 0), -ENOMEM);
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 0, 1), -ENOMEM);
    /* the kernel alone needs 16 MiB + 3 MiB of pfns */
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 0, 19 * 256), -ENOMEM);
    /* a big initrd needs its pages too */
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 512 * MiB, 0x20000),
                     -ENOMEM);
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 512 * MiB, 0x30000), 0);
}

static void test_layout_upper_boundary_of_hypervisor(void **state)
{
    (void)state;
    /* the first address above the hypervisor's slots is the guest's */
    assert_layout(HV_END, HV_END, HV_END + 2 * MiB, 0, 0x10000);
}

static void test_layout_near_top_of_memory(void **state)
{
    const uint64_t kstart = 0xffffffffff000000ull;

    (void)state;
    /* 16 MiB below 2^64: a small domain still fits */
    assert_layout(TOP2G, kstart, kstart + 2 * MiB, 0, (2 * GiB) / PG);
    assert_true(l.v_end <= 0xffffffffffc00000ull);
}

static void test_layout_initrd_at_limit_accepted(void **state)
{
    (void)state;
    /* 1 TiB of initrd and 2^40 pages are the largest taken */
    assert_layout(0, 0x200000, 0x400000, 1ull << 40, 1ull << 40);
    assert_int_equal(l.initrd_end - l.initrd_start, 1ull << 40);
    assert_int_equal(l.p2m_end - l.p2m_start, (1ull << 40) * 8);
}

static void test_layout_every_stack_offset(void **state)
{
    uint64_t crossed = 0;

    (void)state;
    /* kernels ending on every page of a 4 MiB period put the boot stack at
     * every offset from a 4 MiB boundary, so the 512 KiB after the stack
     * sometimes cross one and sometimes do not */
    for (uint64_t k = 0; k <= 1024; k++) {
        uint64_t kend = LINUX_TEXT + 2 * MiB + k * PG;
        assert_layout(TOP2G, LINUX_TEXT, kend, 0, 0x10000);
        if ((l.stack + PG) / (4 * MiB) != (l.stack + PG + 512 * KiB - 1) / (4 * MiB))
            crossed++;
    }
    assert_true(crossed > 0 && crossed < 1025);
}

static void test_layout_ending_at_top_of_lower_half(void **state)
{
    const uint64_t vb = LOWER_END - 64 * MiB;

    (void)state;
    /* the tail ends just below 2^47: v_end is exactly the end of the half */
    assert_layout(vb, vb, LOWER_END - MiB, 0, 16384);
    assert_int_equal(l.v_end, LOWER_END);
    assert_int_equal(pv_pfn(&l, l.v_end), 16384);
    /* half a MiB later the slack would reach past it: refused, not -ENOMEM */
    assert_int_equal(layout(vb, vb, LOWER_END - 512 * KiB, 0, 16384), -EINVAL);
    assert_int_equal(layout(vb, vb, LOWER_END - 512 * KiB, 0, 1ull << 30), -EINVAL);
}

/* ---- pv_layout_compute: refused ------------------------------------------------ */

static void test_kstart_below_virt_base_refused(void **state)
{
    (void)state;
    assert_int_equal(layout(TOP2G, TOP2G - PG, TOP2G + MiB, 0, 0x10000), -EINVAL);
    assert_int_equal(layout(0x400000, 0x3ff000, 0x500000, 0, 0x10000), -EINVAL);
    assert_layout(0x400000, 0x400000, 0x500000, 0, 0x10000);
}

static void test_kend_below_kstart_refused(void **state)
{
    (void)state;
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT - PG, 0, 0x10000), -EINVAL);
    /* an empty kernel is not refused by the layout */
    assert_layout(TOP2G, LINUX_TEXT, LINUX_TEXT, 0, 0x10000);
}

static void test_region_crossing_into_hole_refused(void **state)
{
    (void)state;
    /* the kernel itself crosses from the lower half into the hole */
    assert_int_equal(layout(0x00007fff00000000ull, 0x00007fff00000000ull,
                            LOWER_END + PG, 0, 0x10000), -EINVAL);
    /* the kernel fits, but the pieces after it would not */
    assert_int_equal(layout(0x00007fff00000000ull, 0x00007fff00000000ull,
                            LOWER_END - PG, 0, 0x100000), -EINVAL);
    /* so does an initrd too large for the rest of the half */
    assert_int_equal(layout(0x00007fff00000000ull, 0x00007fff00000000ull,
                            0x00007fff00100000ull, 8 * GiB, 0x1000000), -EINVAL);
    /* the same layout a little lower fits */
    assert_layout(0x00007ff000000000ull, 0x00007ff000000000ull,
                  0x00007ff000100000ull, 8 * GiB, 0x1000000);
    /* from the lower half all the way to the upper one */
    assert_int_equal(layout(0x1000, 0x1000, 0xffff900000000000ull, 0, 0x10000), -EINVAL);
    /* starting in the hole */
    assert_int_equal(layout(LOWER_END, LOWER_END, LOWER_END + MiB, 0, 0x10000), -EINVAL);
}

static void test_region_in_hypervisor_range_refused(void **state)
{
    (void)state;
    assert_int_equal(layout(HV_START, HV_START, HV_START + MiB, 0, 0x10000), -EINVAL);
    assert_int_equal(layout(0xffff82d040000000ull, 0xffff82d040000000ull,
                            0xffff82d040200000ull, 0, 0x10000), -EINVAL);
    assert_int_equal(layout(HV_END - 16 * MiB, HV_END - 16 * MiB, HV_END - 15 * MiB, 0,
                            0x10000), -EINVAL);
    /* starting below the end of the range, kernel ending above it */
    assert_int_equal(layout(HV_END - PG, HV_END - PG, HV_END + MiB, 0, 0x10000), -EINVAL);
}

static void test_huge_initrd_refused(void **state)
{
    (void)state;
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, UINT64_MAX, 0x10000),
                     -EINVAL);
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, UINT64_MAX - 0xfff,
                            0x10000), -EINVAL);
    assert_int_equal(layout(0, 0, MiB, (1ull << 40) + 1, 1ull << 40), -EINVAL);
}

static void test_huge_nr_pages_refused(void **state)
{
    (void)state;
    assert_int_equal(layout(0, 0, MiB, 0, UINT64_MAX), -EINVAL);
    assert_int_equal(layout(0, 0, MiB, 0, 1ull << 61), -EINVAL);   /* 8 * n wraps */
    assert_int_equal(layout(0, 0, MiB, 0, (1ull << 61) + 1), -EINVAL);
    assert_int_equal(layout(0, 0, MiB, 0, (1ull << 40) + 1), -EINVAL);
}

static void test_top_2gib_past_2_64_refused(void **state)
{
    (void)state;
    /* a 2 GiB initrd after a kernel at the top 2 GiB runs past 2^64 */
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 2 * GiB, 0x100000),
                     -EINVAL);
    /* as does a p2m for 2^28 pages (2 GiB) */
    assert_int_equal(layout(TOP2G, LINUX_TEXT, LINUX_TEXT + 3 * MiB, 0, 1ull << 28),
                     -EINVAL);
    /* a kernel ending near the top leaves no room for the rest */
    assert_int_equal(layout(TOP2G, 0xffffffffffe00000ull, 0xfffffffffff00000ull, 0,
                            0x100000), -EINVAL);
    assert_int_equal(layout(TOP2G, 0xffffffffffe00000ull, 0xffffffffffffe000ull, 0,
                            0x100000), -EINVAL);
    /* the 512 KiB after the stack reach into the last 4 MiB: v_end would be 2^64 */
    assert_int_equal(layout(TOP2G, TOP2G, 0xffffffffffc00000ull - 512 * KiB, 0, 512),
                     -EINVAL);
}

/* ---- the ring pages: the same image with and without them ------------------- */

/* Lay out with rings = with, and say whether it was accepted. */
static int layout_rings(bool with, uint64_t virt_base, uint64_t kstart, uint64_t kend,
                        uint64_t initrd_len, uint64_t nr_pages)
{
    rings = with;
    return layout(virt_base, kstart, kend, initrd_len, nr_pages);
}

static void test_rings_move_the_tail_by_two_pages(void **state)
{
    struct pv_layout without;

    (void)state;
    assert_int_equal(layout_rings(false, TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000), 0);
    check_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000);
    without = l;
    assert_int_equal(layout_rings(true, TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000), 0);
    check_layout(TOP2G, LINUX_TEXT, LINUX_TEXT + MiB, 0, 0x4000);
    /* everything up to start_info stays; the tables and the stack move */
    assert_int_equal(l.start_info, without.start_info);
    assert_int_equal(l.p2m_start, without.p2m_start);
    assert_int_equal(l.pt_start, without.pt_start + 2 * PG);
    assert_int_equal(l.nr_pt_frames, without.nr_pt_frames);
    assert_int_equal(l.stack, without.stack + 2 * PG);
    assert_int_equal(pv_pfn(&l, l.store_ring), pv_pfn(&l, l.start_info) + 1);
    assert_int_equal(pv_pfn(&l, l.console_ring), pv_pfn(&l, l.start_info) + 2);
}

static void test_rings_need_their_pages(void **state)
{
    const uint64_t n = 0x2000;                    /* 32 MiB: v_end at most TOP2G + 32 MiB */
    uint64_t kend, last_ok = 0;

    (void)state;
    /* the last kernel end that fits n pages without the rings ... */
    for (kend = LINUX_TEXT + 8 * MiB; kend < LINUX_TEXT + 16 * MiB; kend += PG)
        if (layout_rings(false, TOP2G, LINUX_TEXT, kend, 0, n) == 0)
            last_ok = kend;
    assert_true(last_ok != 0);
    assert_int_equal(layout_rings(false, TOP2G, LINUX_TEXT, last_ok, 0, n), 0);
    check_layout(TOP2G, LINUX_TEXT, last_ok, 0, n);
    assert_int_equal(pv_pfn(&l, l.v_end), n);     /* every page is used */
    /* ... does not with them: 4 MiB more would be mapped */
    assert_int_equal(layout_rings(true, TOP2G, LINUX_TEXT, last_ok, 0, n), -ENOMEM);
    assert_int_equal(layout_rings(true, TOP2G, LINUX_TEXT, last_ok, 0, n + 1024), 0);
    check_layout(TOP2G, LINUX_TEXT, last_ok, 0, n + 1024);
    /* two pages lower it fits n again */
    assert_int_equal(layout_rings(true, TOP2G, LINUX_TEXT, last_ok - 2 * PG, 0, n), 0);
    check_layout(TOP2G, LINUX_TEXT, last_ok - 2 * PG, 0, n);
}

static void test_rings_refused_at_top_of_lower_half(void **state)
{
    const uint64_t vb = LOWER_END - 64 * MiB;
    uint64_t kend = LOWER_END - MiB, last_ok = 0;

    (void)state;
    /* the last kernel end the lower half takes without rings ... */
    for (; kend < LOWER_END; kend += PG)
        if (layout_rings(false, vb, vb, kend, 0, 16384) == 0)
            last_ok = kend;
    assert_true(last_ok != 0);
    assert_int_equal(layout_rings(false, vb, vb, last_ok, 0, 16384), 0);
    assert_int_equal(l.v_end, LOWER_END);
    /* ... is refused with them (the slack would pass 2^47), not -ENOMEM */
    assert_int_equal(layout_rings(true, vb, vb, last_ok, 0, 16384), -EINVAL);
    assert_int_equal(layout_rings(true, vb, vb, last_ok, 0, 1ull << 30), -EINVAL);
    /* two pages lower it fits again */
    assert_int_equal(layout_rings(true, vb, vb, last_ok - 2 * PG, 0, 16384), 0);
    check_layout(vb, vb, last_ok - 2 * PG, 0, 16384);
    assert_int_equal(l.v_end, LOWER_END);
}

static void test_rings_past_2_64_refused(void **state)
{
    const uint64_t kstart = 0xffffffffffe00000ull;

    (void)state;
    /* start_info in the last page but two: the ring pages would be the
     * last two, and the tables wrap past 2^64 */
    assert_int_equal(layout_rings(true, TOP2G, kstart, 0xffffffffffffd000ull, 0, 0), -EINVAL);
    assert_int_equal(layout_rings(true, TOP2G, kstart, 0xfffffffffffff000ull, 0, 0), -EINVAL);
    assert_int_equal(layout_rings(false, TOP2G, kstart, 0xfffffffffffff000ull, 0, 0), -EINVAL);
}

static int without_rings(void **state)
{
    (void)state;
    rings = false;
    return 0;
}

static int with_rings(void **state)
{
    (void)state;
    rings = true;
    return 0;
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pt_frames_small_ranges),
        T(test_pt_frames_crossing_2mib),
        T(test_pt_frames_crossing_1gib),
        T(test_pt_frames_crossing_512gib),
        T(test_layout_linux_top_2gib),
        T(test_layout_without_initrd),
        T(test_layout_lower_half),
        T(test_layout_p2m_rounded_up),
        T(test_layout_large_domain),
        T(test_layout_tables_cross_gib),
        T(test_layout_exactly_enough_pages),
        T(test_layout_too_few_pages),
        T(test_layout_upper_boundary_of_hypervisor),
        T(test_layout_near_top_of_memory),
        T(test_layout_initrd_at_limit_accepted),
        T(test_layout_every_stack_offset),
        T(test_layout_ending_at_top_of_lower_half),
        T(test_kstart_below_virt_base_refused),
        T(test_kend_below_kstart_refused),
        T(test_region_crossing_into_hole_refused),
        T(test_region_in_hypervisor_range_refused),
        T(test_huge_initrd_refused),
        T(test_huge_nr_pages_refused),
        T(test_top_2gib_past_2_64_refused),
    };

    const struct CMUnitTest ring_tests[] = {
        T(test_rings_move_the_tail_by_two_pages),
        T(test_rings_need_their_pages),
        T(test_rings_refused_at_top_of_lower_half),
        T(test_rings_past_2_64_refused),
    };
    int failed = 0;

    failed += cmocka_run_group_tests_name("domain_layout (no ring pages)", tests,
                                          without_rings, NULL);
    failed += cmocka_run_group_tests_name("domain_layout (ring pages)", tests, with_rings, NULL);
    failed += cmocka_run_group_tests_name("domain_layout: ring pages", ring_tests, NULL, NULL);
    return failed;
}
