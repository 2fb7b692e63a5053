/*
 * Unit tests for hypervisor/mm/guest_memory.c: the software page walk through
 * a guest's own x86-64 page tables, and the copies to and from guest memory
 * built on it. Every guest pointer a hypercall hands the hypervisor goes
 * through here, so a walk that grants too much lets a guest read or write
 * memory it does not own, or the hypervisor itself.
 *
 * The tests build 4-level page tables in a fake "machine memory", an array
 * of 4 KiB frames in one exact heap block; the struct guest_space frame()
 * callback returns a frame's address, or NULL for a frame outside the array
 * or one a test marks forbidden (not RAM, say). Each permission rule (present
 * and user at every level, writable at every level for a write, PS only at
 * L3 and L2, canonical addresses outside the hypervisor's L4 slots 256-271)
 * is tested both granted and refused, at every level it applies to. A copy
 * in that fails must leave its destination zeroed, and a copy out (or a
 * clear) that fails must change no byte of machine memory at all: the tests
 * compare the whole machine memory with a snapshot taken before the call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "guest_memory.h"
#include "err.h"

#define FRAME          4096u
#define NR_FRAMES      1024u             /* 4 MiB of machine memory */
#define L4_MFN         1u                /* tables are taken from here up */
#define DATA_MFN       256u              /* data frames the tests name */
#define P              PTE_P
#define RW             PTE_RW
#define US             PTE_US
#define PS             PTE_PS
#define PRU            (P | RW | US)

static uint8_t *mem;                     /* NR_FRAMES frames */
static uint8_t *saved;                   /* snapshot of mem */
static bool forbidden[NR_FRAMES];
static unsigned int next_table;
static unsigned int frame_calls;
static struct guest_space gs;

static void *frame_cb(void *ctx, uint64_t mfn)
{
    assert_ptr_equal(ctx, &gs);
    frame_calls++;
    if (mfn >= NR_FRAMES || forbidden[mfn])
        return NULL;
    return mem + mfn * FRAME;
}

static uint8_t *frame_at(uint64_t mfn)
{
    assert_true(mfn < NR_FRAMES);
    return mem + mfn * FRAME;
}

static uint8_t byte_of(uint64_t mfn, uint64_t off)
{
    return (uint8_t)(mfn * 3 + off * 5 + (off >> 8) + 7);
}

static void fill_frame(uint64_t mfn)
{
    for (uint64_t i = 0; i < FRAME; i++)
        frame_at(mfn)[i] = byte_of(mfn, i);
}

static uint64_t new_table(void)
{
    assert_true(next_table < DATA_MFN);
    memset(frame_at(next_table), 0, FRAME);
    return next_table++;
}

/* The entry for gva at level (4 = L4), creating missing tables above it
 * with P|RW|US. A table is missing when its entry is all zero, so a test
 * that clears bits of an entry does not get a fresh table. */
static uint64_t *pte(uint64_t gva, unsigned int level)
{
    uint64_t mfn = L4_MFN;

    for (unsigned int l = 4;; l--) {
        uint64_t *t = (uint64_t *)(void *)frame_at(mfn);
        uint64_t *e = &t[(gva >> (12 + 9 * (l - 1))) & 511];
        if (l == level)
            return e;
        if (*e == 0)
            *e = (new_table() << 12) | PRU;
        mfn = (*e & PTE_ADDR_MASK) >> 12;
    }
}

/* Map the 4 KiB page at gva to frame mfn (filled with its pattern). */
static void map(uint64_t gva, uint64_t mfn, uint64_t flags)
{
    *pte(gva, 1) = (mfn << 12) | flags;
    if (mfn < NR_FRAMES)
        fill_frame(mfn);
}

static void snapshot(void)
{
    memcpy(saved, mem, (size_t)NR_FRAMES * FRAME);
}

static void assert_memory_unchanged(void)
{
    if (memcmp(saved, mem, (size_t)NR_FRAMES * FRAME)) {
        for (size_t i = 0; i < (size_t)NR_FRAMES * FRAME; i++)
            if (saved[i] != mem[i])
                fail_msg("machine byte %#zx changed (frame %zu)", i, i / FRAME);
    }
}

static int setup(void **state)
{
    (void)state;
    mem = calloc(NR_FRAMES, FRAME);
    saved = malloc((size_t)NR_FRAMES * FRAME);
    assert_non_null(mem);
    assert_non_null(saved);
    memset(forbidden, 0, sizeof(forbidden));
    next_table = L4_MFN + 1;
    frame_calls = 0;
    gs = (struct guest_space){ .cr3 = (uint64_t)L4_MFN << 12, .frame = frame_cb, .ctx = &gs };
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mem);
    free(saved);
    mem = saved = NULL;
    return 0;
}

/* Each check is its own operation: a struct guest_space keeps its last
 * translation only for one hypercall, and these tests change the tables
 * between checks. */
static void new_operation(void)
{
    gs.cached = false;
}

static uint64_t translate(uint64_t gva, bool write)
{
    uint64_t maddr = 0;
    int rc;

    new_operation();
    rc = guest_translate(&gs, gva, write, &maddr);

    if (rc)
        fail_msg("translate %#lx (%s) failed: %d", (unsigned long)gva,
                 write ? "write" : "read", rc);
    return maddr;
}

static void assert_no_access(uint64_t gva, bool write)
{
    uint64_t maddr;

    new_operation();
    assert_int_equal(guest_translate(&gs, gva, write, &maddr), -EFAULT);
}

#define GVA 0x0000000000400000ull        /* L4 0, L3 0, L2 2, L1 0 */

/* ---- translation ----------------------------------------------------------- */

static void test_translate_mapped(void **state)
{
    (void)state;
    map(GVA, 300, PRU);
    assert_int_equal(translate(GVA + 0x123, false), 300 * FRAME + 0x123);
    assert_int_equal(translate(GVA + 0x123, true), 300 * FRAME + 0x123);
    assert_int_equal(translate(GVA, false), 300 * FRAME);
    assert_int_equal(translate(GVA + 0xfff, false), 300 * FRAME + 0xfff);
    /* the neighbour page is not mapped */
    assert_no_access(GVA + 0x1000, false);
    assert_no_access(GVA - 1, false);
}

static void test_translate_upper_half(void **state)
{
    (void)state;
    map(0xffffffff81234000ull, 301, PRU);       /* top 2 GiB, L4 slot 511 */
    map(0xffff880000000000ull, 302, PRU);       /* first guest slot, 272 */
    map(0xfffffffffffff000ull, 303, PRU);       /* the very last page */
    assert_int_equal(translate(0xffffffff81234567ull, true), 301 * FRAME + 0x567);
    assert_int_equal(translate(0xffff880000000000ull, false), 302 * FRAME);
    assert_int_equal(translate(0xffffffffffffffffull, true), 303 * FRAME + 0xfff);
}

static void test_entry_flag_bits_not_in_address(void **state)
{
    const uint64_t avail = 0x7f0ull << 52 | 0xe00;  /* bits 52-58 and 9-11 */

    (void)state;
    map(GVA, 310, PRU | avail | (1ull << 5) | (1ull << 6) | PTE_NX);
    *pte(GVA, 2) |= avail | PTE_NX;
    *pte(GVA, 3) |= avail;
    *pte(GVA, 4) |= avail | PTE_NX;
    /* NX does not stop a data access, and no flag leaks into the address */
    assert_int_equal(translate(GVA + 8, false), 310 * FRAME + 8);
    assert_int_equal(translate(GVA + 8, true), 310 * FRAME + 8);
}

static void test_cr3_low_and_high_bits_ignored(void **state)
{
    (void)state;
    map(GVA, 311, PRU);
    gs.cr3 = ((uint64_t)L4_MFN << 12) | 0xfff | (1ull << 63);   /* PCID, no-flush */
    assert_int_equal(translate(GVA + 1, false), 311 * FRAME + 1);
}

static void test_not_present_at_each_level_refused(void **state)
{
    (void)state;
    map(GVA, 312, PRU);
    for (unsigned int level = 4; level >= 1; level--) {
        uint64_t *e = pte(GVA, level);
        *e &= ~P;
        assert_no_access(GVA, false);
        assert_no_access(GVA, true);
        *e |= P;
        assert_int_equal(translate(GVA, true), 312 * FRAME);
    }
}

static void test_user_clear_at_each_level_refused(void **state)
{
    (void)state;
    map(GVA, 313, PRU);
    for (unsigned int level = 4; level >= 1; level--) {
        uint64_t *e = pte(GVA, level);
        *e &= ~US;
        assert_no_access(GVA + 0x10, false);
        assert_no_access(GVA + 0x10, true);
        *e |= US;
        assert_int_equal(translate(GVA + 0x10, false), 313 * FRAME + 0x10);
    }
}

static void test_read_only_l1_refuses_write(void **state)
{
    (void)state;
    map(GVA, 314, P | US);
    assert_int_equal(translate(GVA + 4, false), 314 * FRAME + 4);
    assert_no_access(GVA + 4, true);
}

static void test_read_only_upper_level_refuses_write(void **state)
{
    (void)state;
    map(GVA, 315, PRU);
    for (unsigned int level = 4; level >= 2; level--) {
        uint64_t *e = pte(GVA, level);
        *e &= ~RW;
        assert_int_equal(translate(GVA, false), 315 * FRAME);
        assert_no_access(GVA, true);
        *e |= RW;
        assert_int_equal(translate(GVA, true), 315 * FRAME);
    }
}

/* ---- superpages ------------------------------------------------------------ */

static void test_superpage_2mib(void **state)
{
    const uint64_t gva = 0x40000000ull;         /* L3 index 1, L2 index 0 */
    uint8_t buf[16];

    (void)state;
    /* machine 2 MiB at 0x200000 (frames 512-1023); bit 12 is PAT, not address */
    *pte(gva, 2) = 0x200000ull | (1ull << 12) | PS | PRU;
    fill_frame(515);
    assert_int_equal(translate(gva + 0x3456, false), 0x203456);
    assert_int_equal(translate(gva + 0x1fffff, true), 0x3fffff);
    assert_int_equal(copy_from_guest(&gs, buf, gva + 0x3456, sizeof(buf)), 0);
    assert_memory_equal(buf, frame_at(515) + 0x456, sizeof(buf));
    /* the next 2 MiB is not mapped */
    assert_no_access(gva + 0x200000, false);
    /* permissions of the superpage entry apply */
    *pte(gva, 2) &= ~RW;
    assert_int_equal(translate(gva + 0x10, false), 0x200010);
    assert_no_access(gva + 0x10, true);
    *pte(gva, 2) &= ~US;
    assert_no_access(gva + 0x10, false);
    /* and those of the level above it */
    *pte(gva, 2) |= US | RW;
    *pte(gva, 3) &= ~RW;
    assert_no_access(gva + 0x10, true);
    assert_int_equal(translate(gva + 0x10, false), 0x200010);
}

static void test_superpage_1gib(void **state)
{
    const uint64_t gva = 0x8000000000ull;       /* L4 index 1, L3 index 0 */
    uint8_t buf[8];

    (void)state;
    /* machine 1 GiB at 0: frames 0-1023 of the array are its first 4 MiB */
    *pte(gva, 3) = 0ull | (1ull << 12) | PS | PRU;
    fill_frame(5 + DATA_MFN);
    assert_int_equal(translate(gva + 0x105123, true), 0x105123);
    assert_int_equal(translate(gva + 0x3fffffff, false), 0x3fffffff);
    assert_int_equal(copy_from_guest(&gs, buf, gva + (5 + DATA_MFN) * FRAME + 0x123,
                                     sizeof(buf)), 0);
    assert_memory_equal(buf, frame_at(5 + DATA_MFN) + 0x123, sizeof(buf));
    /* a frame of the superpage outside machine memory cannot be reached */
    assert_int_equal(copy_from_guest(&gs, buf, gva + NR_FRAMES * FRAME, sizeof(buf)),
                     -EFAULT);
    *pte(gva, 3) &= ~RW;
    assert_no_access(gva, true);
    assert_int_equal(translate(gva, false), 0);
}

static void test_ps_in_l4_refused(void **state)
{
    uint8_t buf[8] = { 1 };

    (void)state;
    map(GVA, 316, PRU);
    *pte(GVA, 4) |= PS;
    assert_no_access(GVA, false);
    assert_no_access(GVA, true);
    assert_int_equal(copy_from_guest(&gs, buf, GVA, sizeof(buf)), -EFAULT);
    *pte(GVA, 4) &= ~PS;
    assert_int_equal(translate(GVA, false), 316 * FRAME);
}

static void test_ps_in_l1_is_pat(void **state)
{
    (void)state;
    /* in an L1 entry bit 7 is PAT: still an ordinary 4 KiB page */
    map(GVA, 317, PRU | PS);
    assert_int_equal(translate(GVA + 0x20, true), 317 * FRAME + 0x20);
}

/* ---- addresses never reachable ------------------------------------------------ */

static void test_non_canonical_refused(void **state)
{
    static const uint64_t bad[] = {
        0x0000800000000000ull, 0x0000800000001000ull, 0x00ff000000000000ull,
        0x7fffffffffffffffull, 0x8000000000000000ull, 0xffff7fffffffffffull,
        0xffff7ffffffff000ull,
    };
    uint8_t buf[4];

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_false(guest_address_ok(bad[i]));
        frame_calls = 0;
        assert_no_access(bad[i], false);
        assert_no_access(bad[i], true);
        assert_int_equal(frame_calls, 0);         /* refused before any walk */
        memset(buf, 0xaa, sizeof(buf));
        assert_int_equal(copy_from_guest(&gs, buf, bad[i], sizeof(buf)), -EFAULT);
        assert_int_equal(buf[0] | buf[1] | buf[2] | buf[3], 0);
    }
    assert_true(guest_address_ok(0));
    assert_true(guest_address_ok(0x00007fffffffffffull));
    assert_true(guest_address_ok(UINT64_MAX));
}

static void test_hypervisor_range_refused_even_if_mapped(void **state)
{
    static const uint64_t hv[] = {
        0xffff800000000000ull,                   /* slot 256 */
        0xffff82d040000000ull,                   /* our image */
        0xffff830000000000ull,                   /* the direct map */
        0xffff87fffffff000ull,                   /* the last page of slot 271 */
    };
    uint8_t buf[16];

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(hv); i++)
        map(hv[i], 320 + i, PRU);
    map(0xffff880000000000ull, 330, PRU);
    snapshot();
    for (unsigned int i = 0; i < ARRAY_SIZE(hv); i++) {
        assert_false(guest_address_ok(hv[i]));
        frame_calls = 0;
        assert_no_access(hv[i], false);
        assert_no_access(hv[i] + 0xfff, true);
        assert_int_equal(frame_calls, 0);
        memset(buf, 0xaa, sizeof(buf));
        assert_int_equal(copy_from_guest(&gs, buf, hv[i] + 8, sizeof(buf)), -EFAULT);
        for (unsigned int j = 0; j < sizeof(buf); j++)
            assert_int_equal(buf[j], 0);
        assert_int_equal(copy_to_guest(&gs, hv[i] + 8, buf, sizeof(buf)), -EFAULT);
        assert_int_equal(clear_guest(&gs, hv[i], 8), -EFAULT);
        assert_memory_unchanged();
    }
    assert_false(guest_address_ok(0xffff87ffffffffffull));
    assert_true(guest_address_ok(0xffff880000000000ull));
    assert_int_equal(translate(0xffff880000000000ull, true), 330 * FRAME);
    /* a copy starting just below the end of the range is refused as well */
    assert_int_equal(copy_from_guest(&gs, buf, 0xffff87fffffffff8ull, sizeof(buf)),
                     -EFAULT);
}

static void test_unreachable_table_frame_refused(void **state)
{
    uint8_t buf[4];

    (void)state;
    map(GVA, 340, PRU);
    for (unsigned int level = 4; level >= 1; level--) {
        /* the table that holds the level's entry */
        uint64_t table = level == 4 ? L4_MFN : (*pte(GVA, level + 1) & PTE_ADDR_MASK) >> 12;
        forbidden[table] = true;
        assert_no_access(GVA, false);
        assert_int_equal(copy_from_guest(&gs, buf, GVA, sizeof(buf)), -EFAULT);
        forbidden[table] = false;
        assert_int_equal(translate(GVA, false), 340 * FRAME);
    }
}

static void test_table_outside_machine_memory_refused(void **state)
{
    uint64_t save;

    (void)state;
    map(GVA, 341, PRU);
    save = *pte(GVA, 2);
    *pte(GVA, 2) = ((uint64_t)NR_FRAMES << 12) | PRU;   /* L1 table past the end */
    assert_no_access(GVA, false);
    *pte(GVA, 2) = 0x000ffffffffff000ull | PRU;       /* the highest frame */
    assert_no_access(GVA, false);
    *pte(GVA, 2) = save;
    gs.cr3 = 0xfffff000ull;                           /* L4 past the end */
    assert_no_access(GVA, false);
}

static void test_unreachable_data_frame_refused(void **state)
{
    uint8_t buf[8];

    (void)state;
    map(GVA, 342, PRU);
    map(GVA + 0x1000, NR_FRAMES + 5, PRU);            /* not in machine memory */
    forbidden[342] = true;
    snapshot();
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(copy_from_guest(&gs, buf, GVA, sizeof(buf)), -EFAULT);
    assert_int_equal(buf[0] | buf[7], 0);
    assert_int_equal(copy_to_guest(&gs, GVA, buf, sizeof(buf)), -EFAULT);
    assert_int_equal(copy_from_guest(&gs, buf, GVA + 0x1000, sizeof(buf)), -EFAULT);
    assert_int_equal(clear_guest(&gs, GVA + 0x1000, 1), -EFAULT);
    forbidden[342] = false;
    assert_memory_unchanged();
}

/* ---- copies ----------------------------------------------------------------- */

static void test_copy_from_guest_across_page_boundary(void **state)
{
    uint8_t buf[0x30];

    (void)state;
    map(GVA, 350, PRU);
    map(GVA + 0x1000, 260, PRU);                      /* below, not adjacent */
    snapshot();
    assert_int_equal(copy_from_guest(&gs, buf, GVA + 0xff0, sizeof(buf)), 0);
    assert_memory_equal(buf, frame_at(350) + 0xff0, 0x10);
    assert_memory_equal(buf + 0x10, frame_at(260), 0x20);
    assert_memory_unchanged();                        /* a read writes nothing */
}

static void test_copy_from_guest_three_pages(void **state)
{
    uint8_t *buf = malloc(0x2100);

    (void)state;
    assert_non_null(buf);
    map(GVA, 351, P | US);                            /* read-only is fine */
    map(GVA + 0x1000, 270, P | US);
    map(GVA + 0x2000, 352, P | US);
    assert_int_equal(copy_from_guest(&gs, buf, GVA + 0x800, 0x2100), 0);
    assert_memory_equal(buf, frame_at(351) + 0x800, 0x800);
    assert_memory_equal(buf + 0x800, frame_at(270), 0x1000);
    assert_memory_equal(buf + 0x1800, frame_at(352), 0x900);
    free(buf);
}

static void test_copy_from_guest_failure_zero_fills(void **state)
{
    uint8_t buf[0x40];

    (void)state;
    map(GVA, 353, PRU);                               /* the next page is absent */
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(copy_from_guest(&gs, buf, GVA + 0xfe0, 0x30), -EFAULT);
    for (unsigned int i = 0; i < 0x30; i++)
        assert_int_equal(buf[i], 0);                  /* none of page 1's bytes */
    for (unsigned int i = 0x30; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0xaa);               /* nothing past len */
    /* failing on the first page */
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(copy_from_guest(&gs, buf, GVA + 0x3000, 0x10), -EFAULT);
    for (unsigned int i = 0; i < 0x10; i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(buf[0x10], 0xaa);
}

static void test_copy_to_guest_across_pages(void **state)
{
    uint8_t src[0x30];

    (void)state;
    for (unsigned int i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(0xc0 + i);
    map(GVA, 354, PRU);
    map(GVA + 0x1000, 261, PRU);
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA + 0xff0, src, sizeof(src)), 0);
    assert_memory_equal(frame_at(354) + 0xff0, src, 0x10);
    assert_memory_equal(frame_at(261), src + 0x10, 0x20);
    /* and nothing else */
    memcpy(frame_at(354) + 0xff0, saved + 354 * FRAME + 0xff0, 0x10);
    memcpy(frame_at(261), saved + 261 * FRAME, 0x20);
    assert_memory_unchanged();
}

static void test_copy_to_guest_fault_on_second_page_writes_nothing(void **state)
{
    uint8_t src[0x20];

    (void)state;
    memset(src, 0x5c, sizeof(src));
    map(GVA, 355, PRU);
    map(GVA + 0x1000, 262, P | US);                   /* read-only */
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA + 0xff0, src, sizeof(src)), -EFAULT);
    assert_memory_unchanged();                        /* page 1 untouched too */
    /* second page absent */
    *pte(GVA + 0x1000, 1) = 0;
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA + 0xff0, src, sizeof(src)), -EFAULT);
    assert_int_equal(clear_guest(&gs, GVA + 0xff0, sizeof(src)), -EFAULT);
    assert_memory_unchanged();
    /* second page not user */
    map(GVA + 0x1000, 262, P | RW);
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA + 0xff0, src, sizeof(src)), -EFAULT);
    assert_memory_unchanged();
    /* the first page alone can be written */
    assert_int_equal(copy_to_guest(&gs, GVA + 0xff0, src, 0x10), 0);
    assert_memory_equal(frame_at(355) + 0xff0, src, 0x10);
}

static void test_copy_to_guest_fault_far_ahead_writes_nothing(void **state)
{
    uint8_t *src = malloc(0x5000);

    (void)state;
    assert_non_null(src);
    memset(src, 0x77, 0x5000);
    for (unsigned int i = 0; i < 4; i++)
        map(GVA + i * 0x1000ull, 356 + i, PRU);
    map(GVA + 0x4000, 360, P | US);                   /* the fifth is read-only */
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA, src, 0x5000), -EFAULT);
    assert_memory_unchanged();
    free(src);
}

static void test_copy_running_into_non_canonical_refused(void **state)
{
    uint8_t buf[0x200];

    (void)state;
    map(0x00007ffffffff000ull, 361, PRU);             /* last lower-half page */
    snapshot();
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(copy_from_guest(&gs, buf, 0x00007fffffffff00ull, sizeof(buf)),
                     -EFAULT);
    for (unsigned int i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(copy_to_guest(&gs, 0x00007fffffffff00ull, buf, sizeof(buf)), -EFAULT);
    assert_int_equal(clear_guest(&gs, 0x00007fffffffff00ull, sizeof(buf)), -EFAULT);
    assert_memory_unchanged();
    /* up to the last byte of the lower half is fine */
    assert_int_equal(copy_from_guest(&gs, buf, 0x00007fffffffff00ull, 0x100), 0);
    assert_memory_equal(buf, frame_at(361) + 0xf00, 0x100);
}

static void test_range_wrapping_refused(void **state)
{
    uint8_t buf[0x801];

    (void)state;
    map(0xfffffffffffff000ull, 362, PRU);             /* the last page */
    map(0, 363, PRU);                                 /* and the first */
    snapshot();
    memset(buf, 0xaa, sizeof(buf));
    assert_int_equal(copy_from_guest(&gs, buf, 0xfffffffffffff800ull, 0x801), -EFAULT);
    for (unsigned int i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(copy_to_guest(&gs, 0xfffffffffffff800ull, buf, 0x801), -EFAULT);
    assert_int_equal(clear_guest(&gs, 0xfffffffffffff800ull, 0x801), -EFAULT);
    assert_int_equal(clear_guest(&gs, 2, SIZE_MAX), -EFAULT);   /* [2, 2^64 + 1) */
    assert_int_equal(copy_to_guest(&gs, UINT64_MAX, buf, 2), -EFAULT);
    assert_memory_unchanged();
    /* ending on the last byte of the address space is fine */
    assert_int_equal(copy_from_guest(&gs, buf, 0xfffffffffffff800ull, 0x800), 0);
    assert_memory_equal(buf, frame_at(362) + 0x800, 0x800);
    assert_int_equal(clear_guest(&gs, 0xffffffffffffff00ull, 0x100), 0);
    assert_int_equal(frame_at(362)[0xfff], 0);
}

static void test_length_zero_succeeds(void **state)
{
    uint8_t buf[4] = { 1, 2, 3, 4 };

    (void)state;
    snapshot();
    frame_calls = 0;
    /* nothing is mapped at GVA: no byte is accessed, so nothing can fault */
    assert_int_equal(copy_from_guest(&gs, buf, GVA, 0), 0);
    assert_int_equal(copy_to_guest(&gs, GVA, buf, 0), 0);
    assert_int_equal(copy_to_guest(&gs, GVA, NULL, 0), 0);
    assert_int_equal(clear_guest(&gs, GVA, 0), 0);
    assert_int_equal(copy_from_guest(&gs, buf, UINT64_MAX, 0), 0);
    assert_int_equal(frame_calls, 0);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[3], 4);
    assert_memory_unchanged();
}

static void test_clear_guest_zeroes(void **state)
{
    (void)state;
    map(GVA, 364, PRU);
    map(GVA + 0x1000, 264, PRU);
    snapshot();
    assert_int_equal(clear_guest(&gs, GVA + 0xf00, 0x180), 0);
    for (unsigned int i = 0xf00; i < FRAME; i++)
        assert_int_equal(frame_at(364)[i], 0);
    for (unsigned int i = 0; i < 0x80; i++)
        assert_int_equal(frame_at(264)[i], 0);
    assert_int_equal(frame_at(264)[0x80], saved[264 * FRAME + 0x80]);
    assert_int_equal(frame_at(364)[0xeff], saved[364 * FRAME + 0xeff]);
    /* a read-only page is not cleared, and neither is its writable neighbour */
    *pte(GVA + 0x1000, 1) &= ~RW;
    fill_frame(364);
    fill_frame(264);
    snapshot();
    assert_int_equal(clear_guest(&gs, GVA + 0xf00, 0x180), -EFAULT);
    assert_memory_unchanged();
}

static void test_copy_to_guest_null_src_refused(void **state)
{
    (void)state;
    map(GVA, 365, PRU);
    snapshot();
    assert_int_equal(copy_to_guest(&gs, GVA, NULL, 16), -EFAULT);
    assert_memory_unchanged();                        /* not taken as a clear */
}

/* Within one operation the last translation is reused (one walk for a
 * check-then-write copy); a write never rides on a read-only lookup; a new
 * operation walks again and sees table changes. */
static void test_translation_kept_for_one_operation(void **state)
{
    uint64_t a, b;
    unsigned int walks;

    (void)state;
    map(GVA, DATA_MFN, PTE_P | PTE_US);          /* read-only */
    new_operation();
    assert_int_equal(guest_translate(&gs, GVA + 8, false, &a), 0);
    walks = frame_calls;
    assert_int_equal(guest_translate(&gs, GVA + 16, false, &b), 0);
    assert_int_equal(frame_calls, walks);                     /* no second walk */
    assert_int_equal(b, a + 8);
    assert_int_equal(guest_translate(&gs, GVA + 16, true, &b), -EFAULT);
    map(GVA, DATA_MFN + 1, PTE_P | PTE_US | RW);
    assert_int_equal(translate(GVA, true), (uint64_t)(DATA_MFN + 1) << 12);
}

/* ---- direct access (issue 15) ---------------------------------------------- */

/* The fake CPU: the root it has loaded, and a raw copy that works on host
 * memory (a host address is a canonical lower-half address, so it passes
 * the guest range check) or stops short as a fault would. */
static uint64_t loaded_root;
static unsigned int raw_calls;
static size_t raw_short;                 /* bytes a fault leaves uncopied */

static bool fake_loaded(uint64_t cr3)
{
    return cr3 == loaded_root;
}

static size_t fake_raw(void *dst, const void *src, size_t n)
{
    raw_calls++;
    if (raw_short)
        return raw_short;                /* "faulted": src is no host address */
    memcpy(dst, src, n);
    return 0;
}

static void direct_on(void)
{
    gs.root_loaded = fake_loaded;
    gs.raw = fake_raw;
    loaded_root = gs.cr3;
    raw_calls = 0;
    raw_short = 0;
    frame_calls = 0;
}

static void test_direct_copy_when_root_loaded(void **state)
{
    static const char host[24] = "read through its own va";
    char out[24];

    (void)state;
    direct_on();
    assert_int_equal(copy_from_guest(&gs, out, (uint64_t)(uintptr_t)host, sizeof(out)), 0);
    assert_memory_equal(out, host, sizeof(out));
    assert_int_equal(raw_calls, 1);
    assert_int_equal(frame_calls, 0);                         /* no software walk */
}

static void test_direct_not_without_root(void **state)
{
    uint8_t out[8];

    (void)state;
    map(GVA, DATA_MFN, PTE_P | PTE_US);
    direct_on();
    loaded_root = gs.cr3 + PAGE_SIZE;                        /* another root in CR3 */
    assert_int_equal(copy_from_guest(&gs, out, GVA, sizeof(out)), 0);
    assert_int_equal(raw_calls, 0);
    assert_true(frame_calls > 0);
    assert_int_equal(out[0], byte_of(DATA_MFN, 0));
}

static void test_direct_fault_falls_back_to_walk(void **state)
{
    uint8_t out[8];

    (void)state;
    map(GVA, DATA_MFN, PTE_P | PTE_US);
    direct_on();
    raw_short = 8;                                           /* faulted at once */
    assert_int_equal(copy_from_guest(&gs, out, GVA, sizeof(out)), 0);   /* the walk's */
    assert_int_equal(raw_calls, 1);
    assert_int_equal(out[7], byte_of(DATA_MFN, 7));
    raw_short = 3;
    memset(out, 0xee, sizeof(out));
    assert_int_equal(copy_from_guest(&gs, out, GVA + 3 * PAGE_SIZE, sizeof(out)), -EFAULT);
    for (size_t i = 0; i < sizeof(out); i++)
        assert_int_equal(out[i], 0);                         /* zeroed, as the walk does */
}

static void test_direct_never_for_hypervisor_range(void **state)
{
    uint8_t out[8];

    (void)state;
    direct_on();
    assert_int_equal(copy_from_guest(&gs, out, HV_VIRT_START + 64, sizeof(out)), -EFAULT);
    assert_int_equal(copy_to_guest(&gs, HV_VIRT_START + 64, out, sizeof(out)), -EFAULT);
    assert_int_equal(copy_from_guest(&gs, out, 0x0000800000000000ull, 8), -EFAULT);
    assert_int_equal(raw_calls, 0);
}

static void test_direct_write_only_within_a_page(void **state)
{
    static uint8_t host[2 * 4096] __attribute__((aligned(4096)));
    const uint8_t src[16] = { 1, 2, 3 };

    (void)state;
    direct_on();
    assert_int_equal(copy_to_guest(&gs, (uint64_t)(uintptr_t)host + 8, src, sizeof(src)), 0);
    assert_int_equal(raw_calls, 1);
    assert_int_equal(host[10], 3);
    /* Across a page end: the walk checks every page first (here none is
     * mapped in the fake tables), so nothing is written. */
    memset(host, 0, sizeof(host));
    assert_int_equal(copy_to_guest(&gs, (uint64_t)(uintptr_t)host + 4096 - 8, src,
                                   sizeof(src)), -EFAULT);
    assert_int_equal(raw_calls, 1);
    assert_int_equal(host[4096 - 6], 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_translate_mapped),
        T(test_direct_copy_when_root_loaded),
        T(test_direct_not_without_root),
        T(test_direct_fault_falls_back_to_walk),
        T(test_direct_never_for_hypervisor_range),
        T(test_direct_write_only_within_a_page),
        T(test_translation_kept_for_one_operation),
        T(test_translate_upper_half),
        T(test_entry_flag_bits_not_in_address),
        T(test_cr3_low_and_high_bits_ignored),
        T(test_not_present_at_each_level_refused),
        T(test_user_clear_at_each_level_refused),
        T(test_read_only_l1_refuses_write),
        T(test_read_only_upper_level_refuses_write),
        T(test_superpage_2mib),
        T(test_superpage_1gib),
        T(test_ps_in_l4_refused),
        T(test_ps_in_l1_is_pat),
        T(test_non_canonical_refused),
        T(test_hypervisor_range_refused_even_if_mapped),
        T(test_unreachable_table_frame_refused),
        T(test_table_outside_machine_memory_refused),
        T(test_unreachable_data_frame_refused),
        T(test_copy_from_guest_across_page_boundary),
        T(test_copy_from_guest_three_pages),
        T(test_copy_from_guest_failure_zero_fills),
        T(test_copy_to_guest_across_pages),
        T(test_copy_to_guest_fault_on_second_page_writes_nothing),
        T(test_copy_to_guest_fault_far_ahead_writes_nothing),
        T(test_copy_running_into_non_canonical_refused),
        T(test_range_wrapping_refused),
        T(test_length_zero_succeeds),
        T(test_clear_guest_zeroes),
        T(test_copy_to_guest_null_src_refused),
    };

    return cmocka_run_group_tests_name("guest_memory", tests, NULL, NULL);
}
