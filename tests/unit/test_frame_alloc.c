/*
 * Unit tests for hypervisor/mm/frame_alloc.c: the bitmap allocator of machine
 * frames, and memmap_find_free, which places the allocator's own bitmaps.
 *
 * A frame handed out twice, or a frame that is not RAM handed out at all,
 * corrupts whatever lives there, so these tests drive the allocator through
 * every operation and call fa_check (the invariants of frame_alloc.h) after
 * each one. Every refusal (double free, free of a hole, of a reserved or an
 * out-of-range frame, overlapping add, reserve of an allocated frame) is
 * checked to return its error and to change nothing, by comparing both
 * bitmaps and the counters before and after. The bitmaps live in an
 * exactly-sized heap block so AddressSanitizer catches a stray access.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frame_alloc.h"
#include "multiboot2.h"
#include "err.h"

static struct frame_alloc fa;
static void *storage;

#define CHECK() assert_int_equal(fa_check(&fa), 0)

static void fa_new(uint64_t nr_frames)
{
    uint64_t bytes = fa_storage_bytes(nr_frames);

    free(storage);
    storage = malloc(bytes ? bytes : 1);
    assert_non_null(storage);
    memset(storage, 0xa5, bytes ? bytes : 1);     /* fa_init must clear it */
    fa_init(&fa, storage, nr_frames);
    CHECK();
}

static int teardown(void **state)
{
    (void)state;
    free(storage);
    storage = NULL;
    return 0;
}

/* A copy of the allocator's whole state, to show a refusal changed nothing. */
struct snapshot {
    struct frame_alloc fa;
    uint8_t *bits;
    uint64_t bytes;
};

static void snap(struct snapshot *s)
{
    s->fa = fa;
    s->bytes = fa_storage_bytes(fa.nr_frames);
    s->bits = malloc(s->bytes ? s->bytes : 1);
    assert_non_null(s->bits);
    memcpy(s->bits, storage, s->bytes);
}

static void assert_unchanged(struct snapshot *s)
{
    assert_int_equal(fa.nr_frames, s->fa.nr_frames);
    assert_int_equal(fa.nr_managed, s->fa.nr_managed);
    assert_int_equal(fa.nr_free, s->fa.nr_free);
    assert_memory_equal(storage, s->bits, s->bytes);
    free(s->bits);
    s->bits = NULL;
}

static void add(uint64_t first, uint64_t count)
{
    assert_int_equal(fa_add_ram(&fa, first, count), 0);
    CHECK();
}

static uint64_t alloc(void)
{
    int64_t m = fa_alloc(&fa);

    assert_true(m >= 0);
    CHECK();
    assert_true(fa_is_managed(&fa, (uint64_t)m));
    assert_false(fa_is_free(&fa, (uint64_t)m));
    return (uint64_t)m;
}

static void release(uint64_t mfn)
{
    assert_int_equal(fa_free(&fa, mfn), 0);
    CHECK();
    assert_true(fa_is_free(&fa, mfn));
}

/* ---- set-up and fa_check ------------------------------------------------ */

static void test_storage_bytes(void **state)
{
    (void)state;
    assert_int_equal(fa_storage_bytes(0), 0);
    assert_int_equal(fa_storage_bytes(1), 16);
    assert_int_equal(fa_storage_bytes(64), 16);
    assert_int_equal(fa_storage_bytes(65), 32);
    assert_int_equal(fa_storage_bytes(1ull << 21), 2 * (1ull << 21) / 8);
}

static void test_init_is_empty(void **state)
{
    (void)state;
    fa_new(100);
    assert_int_equal(fa.nr_frames, 100);
    assert_int_equal(fa.nr_managed, 0);
    assert_int_equal(fa.nr_free, 0);
    for (uint64_t i = 0; i < 100; i++) {
        assert_false(fa_is_managed(&fa, i));
        assert_false(fa_is_free(&fa, i));
    }
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
    CHECK();
}

static void test_check_detects_free_unmanaged_frame(void **state)
{
    (void)state;
    fa_new(128);
    add(0, 10);
    fa.free[1] |= 1;                    /* frame 64: free but not managed */
    fa.nr_free++;
    assert_int_equal(fa_check(&fa), -EINVAL);
}

static void test_check_detects_bad_counters(void **state)
{
    (void)state;
    fa_new(128);
    add(0, 10);
    fa.nr_free--;
    assert_int_equal(fa_check(&fa), -EINVAL);
    fa.nr_free++;
    CHECK();
    fa.nr_managed++;
    assert_int_equal(fa_check(&fa), -EINVAL);
}

/* ---- fa_add_ram --------------------------------------------------------- */

static void test_add_ram_makes_frames_free(void **state)
{
    (void)state;
    fa_new(100);
    add(10, 20);
    assert_int_equal(fa.nr_managed, 20);
    assert_int_equal(fa.nr_free, 20);
    assert_false(fa_is_managed(&fa, 9));
    assert_true(fa_is_managed(&fa, 10));
    assert_true(fa_is_free(&fa, 10));
    assert_true(fa_is_free(&fa, 29));
    assert_false(fa_is_managed(&fa, 30));
}

static void test_add_ram_up_to_end_accepted(void **state)
{
    (void)state;
    fa_new(100);
    add(95, 5);
    add(100, 0);
    add(0, 0);
    assert_int_equal(fa.nr_managed, 5);
    assert_true(fa_is_free(&fa, 99));
}

static void test_add_ram_past_end_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(100);
    add(0, 10);
    snap(&s);
    assert_int_equal(fa_add_ram(&fa, 95, 6), -ERANGE);
    assert_int_equal(fa_add_ram(&fa, 101, 0), -ERANGE);
    assert_int_equal(fa_add_ram(&fa, 100, 1), -ERANGE);
    assert_int_equal(fa_add_ram(&fa, UINT64_MAX, 2), -ERANGE);   /* wraps */
    assert_int_equal(fa_add_ram(&fa, 50, UINT64_MAX), -ERANGE);
    CHECK();
    assert_unchanged(&s);
}

static void test_add_ram_overlap_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(128);
    add(0, 64);
    snap(&s);
    assert_int_equal(fa_add_ram(&fa, 60, 10), -EEXIST);
    assert_int_equal(fa_add_ram(&fa, 63, 1), -EEXIST);
    CHECK();
    assert_unchanged(&s);
    assert_false(fa_is_managed(&fa, 64));   /* no partial add */
    add(64, 10);                            /* adjacent is fine */
    assert_int_equal(fa.nr_managed, 74);
}

static void test_add_ram_over_allocated_frame_refused(void **state)
{
    struct snapshot s;
    uint64_t m;

    (void)state;
    fa_new(64);
    add(0, 8);
    m = alloc();
    snap(&s);
    assert_int_equal(fa_add_ram(&fa, m, 1), -EEXIST);  /* would make it free */
    CHECK();
    assert_unchanged(&s);
}

/* ---- fa_alloc and fa_free ------------------------------------------------ */

static void test_exhaustion_then_reuse(void **state)
{
    bool seen[200] = { false };

    (void)state;
    fa_new(200);
    add(0, 200);
    for (int i = 0; i < 200; i++) {
        uint64_t m = alloc();
        assert_true(m < 200);
        assert_false(seen[m]);
        seen[m] = true;
    }
    assert_int_equal(fa.nr_free, 0);
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
    CHECK();
    release(77);
    assert_int_equal(alloc(), 77);
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
    CHECK();
}

static void test_double_free_refused(void **state)
{
    struct snapshot s;
    uint64_t m;

    (void)state;
    fa_new(64);
    add(0, 64);
    m = alloc();
    release(m);
    snap(&s);
    assert_int_equal(fa_free(&fa, m), -EINVAL);
    CHECK();
    assert_unchanged(&s);
}

static void test_free_of_never_allocated_frame_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(64);
    add(0, 64);
    snap(&s);
    assert_int_equal(fa_free(&fa, 5), -EINVAL);
    CHECK();
    assert_unchanged(&s);
}

static void test_free_of_hole_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(256);
    add(0, 64);
    add(128, 64);
    snap(&s);
    assert_int_equal(fa_free(&fa, 100), -ENOENT);
    assert_int_equal(fa_free(&fa, 64), -ENOENT);
    assert_int_equal(fa_free(&fa, 255), -ENOENT);
    CHECK();
    assert_unchanged(&s);
    assert_false(fa_is_free(&fa, 100));
}

static void test_free_out_of_range_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(100);
    add(0, 100);
    while (fa_alloc(&fa) >= 0)
        ;
    CHECK();
    snap(&s);
    assert_int_equal(fa_free(&fa, 100), -ENOENT);
    assert_int_equal(fa_free(&fa, 127), -ENOENT);   /* inside the last word */
    assert_int_equal(fa_free(&fa, UINT64_MAX), -ENOENT);
    CHECK();
    assert_unchanged(&s);
}

static void test_free_of_reserved_frame_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(64);
    add(0, 64);
    assert_int_equal(fa_reserve(&fa, 10, 5), 0);
    CHECK();
    snap(&s);
    assert_int_equal(fa_free(&fa, 12), -ENOENT);
    CHECK();
    assert_unchanged(&s);
    assert_false(fa_is_managed(&fa, 12));
}

static void test_holes_never_allocated(void **state)
{
    uint64_t n = 0;
    int64_t m;

    (void)state;
    fa_new(300);
    add(5, 50);                 /* [5, 55) */
    add(130, 70);               /* [130, 200): a hole in between and after */
    while ((m = fa_alloc(&fa)) >= 0) {
        CHECK();
        assert_true((m >= 5 && m < 55) || (m >= 130 && m < 200));
        n++;
    }
    assert_int_equal(m, -ENOMEM);
    assert_int_equal(n, 120);
    assert_int_equal(fa.nr_free, 0);
    CHECK();
}

static void test_alloc_wraps_around_hint(void **state)
{
    (void)state;
    fa_new(128);
    add(0, 128);
    for (uint64_t i = 0; i < 128; i++)
        assert_int_equal(alloc(), i);           /* next fit from 0 */
    release(3);
    release(60);
    assert_int_equal(alloc(), 3);
    assert_int_equal(alloc(), 60);              /* search starts after 3 */
    release(10);
    /* the search starts after 60, finds nothing up to 128, wraps to 10 */
    assert_int_equal(alloc(), 10);
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
    CHECK();
}

static void test_alloc_next_fit_skips_just_freed(void **state)
{
    (void)state;
    fa_new(64);
    add(0, 64);
    assert_int_equal(alloc(), 0);
    assert_int_equal(alloc(), 1);
    release(0);
    assert_int_equal(alloc(), 2);
    assert_true(fa_is_free(&fa, 0));
}

static void test_alloc_skips_empty_words(void **state)
{
    (void)state;
    fa_new(1000);
    add(0, 1);
    add(700, 3);
    assert_int_equal(alloc(), 0);
    assert_int_equal(alloc(), 700);
    assert_int_equal(alloc(), 701);
    assert_int_equal(alloc(), 702);
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
}

/* ---- fa_alloc_many ---------------------------------------------------------- */

/* A fragmented allocator: holes, frames in use, the hint mid-way and a word
 * with nothing free, so the batch must skip, mask and wrap as fa_alloc does. */
static void fragmented(void)
{
    fa_new(300);
    add(5, 60);
    add(70, 20);
    add(128, 172);
    for (uint64_t i = 0; i < 150; i++)
        alloc();                                /* 5..64, 70..89, 128..197 */
    release(7);
    release(75);
    release(130);
    release(195);                               /* below the hint, in its word */
    for (uint64_t m = 198; m < 260; m++)       /* nothing free in 198..259 */
        assert_int_equal(fa_reserve(&fa, m, 1), 0);
    CHECK();
}

static void test_alloc_many_same_frames_as_alloc(void **state)
{
    struct snapshot before, by_one;
    uint64_t one[42], many[42];                 /* 260..299, then 7 and 75 */

    (void)state;
    fragmented();
    snap(&before);
    for (size_t i = 0; i < 42; i++)
        one[i] = alloc();
    snap(&by_one);
    memcpy(storage, before.bits, before.bytes);  /* back to the same state */
    fa = before.fa;
    assert_int_equal(fa_alloc_many(&fa, many, 42), 0);
    CHECK();
    assert_memory_equal(many, one, sizeof(one));
    assert_int_equal(many[40], 7);
    assert_int_equal(many[41], 75);
    assert_int_equal(fa.hint, by_one.fa.hint);
    assert_unchanged(&by_one);                  /* the same bitmaps and counters */
    free(before.bits);
}

static void test_alloc_many_takes_the_last_free_frames(void **state)
{
    uint64_t out[64];
    uint64_t n;

    (void)state;
    fragmented();
    n = fa.nr_free;
    assert_true(n <= 64);
    assert_int_equal(fa_alloc_many(&fa, out, n), 0);
    CHECK();
    assert_int_equal(fa.nr_free, 0);
    for (uint64_t i = 0; i < n; i++)
        assert_true(fa_is_managed(&fa, out[i]) && !fa_is_free(&fa, out[i]));
    assert_int_equal(fa_alloc(&fa), -ENOMEM);
}

static void test_alloc_many_short_refused_unchanged(void **state)
{
    struct snapshot s;
    uint64_t out[64];

    (void)state;
    fragmented();
    snap(&s);
    assert_int_equal(fa_alloc_many(&fa, out, fa.nr_free + 1), -ENOMEM);
    assert_int_equal(fa.hint, s.fa.hint);
    assert_unchanged(&s);
    snap(&s);
    assert_int_equal(fa_alloc_many(&fa, out, 0), 0);    /* nothing asked, nothing taken */
    assert_unchanged(&s);
}

/* ---- fa_reserve ------------------------------------------------------------ */

static void test_reserve_takes_frames_away(void **state)
{
    int64_t m;

    (void)state;
    fa_new(64);
    add(0, 64);
    assert_int_equal(fa_reserve(&fa, 0, 60), 0);
    CHECK();
    assert_int_equal(fa.nr_managed, 4);
    assert_int_equal(fa.nr_free, 4);
    while ((m = fa_alloc(&fa)) >= 0) {
        CHECK();
        assert_true(m >= 60);
    }
    assert_int_equal(fa.nr_free, 0);
}

static void test_reserve_allocated_frame_busy(void **state)
{
    struct snapshot s;
    uint64_t m = 0;

    (void)state;
    fa_new(64);
    add(0, 64);
    for (int i = 0; i < 10; i++)
        m = alloc();
    snap(&s);
    assert_int_equal(fa_reserve(&fa, m - 2, 5), -EBUSY);
    assert_int_equal(fa_reserve(&fa, 0, 64), -EBUSY);
    CHECK();
    assert_unchanged(&s);
    assert_true(fa_is_managed(&fa, m + 1));     /* nothing taken half-way */
    assert_true(fa_is_free(&fa, m + 1));
}

static void test_reserve_skips_unmanaged(void **state)
{
    (void)state;
    fa_new(128);
    add(0, 32);
    add(64, 32);
    assert_int_equal(fa_reserve(&fa, 16, 64), 0);       /* [16, 80) */
    CHECK();
    assert_int_equal(fa.nr_managed, 16 + 16);
    assert_true(fa_is_managed(&fa, 15));
    assert_false(fa_is_managed(&fa, 16));
    assert_false(fa_is_managed(&fa, 79));
    assert_true(fa_is_managed(&fa, 80));
    assert_int_equal(fa_reserve(&fa, 100, 20), 0);      /* all unmanaged */
    CHECK();
    assert_int_equal(fa.nr_managed, 32);
}

static void test_reserve_past_end_clipped(void **state)
{
    (void)state;
    fa_new(100);
    add(0, 100);
    assert_int_equal(fa_reserve(&fa, 96, 1000), 0);
    CHECK();
    assert_int_equal(fa.nr_managed, 96);
    assert_false(fa_is_managed(&fa, 99));
    assert_int_equal(fa_reserve(&fa, 200, 5), 0);
    assert_int_equal(fa_reserve(&fa, UINT64_MAX, UINT64_MAX), 0);
    CHECK();
    assert_int_equal(fa.nr_managed, 96);
}

/* ---- fa_alloc_below ------------------------------------------------------ */

static void test_alloc_below_respects_limit(void **state)
{
    int64_t m;

    (void)state;
    fa_new(256);
    add(0, 256);
    for (int i = 0; i < 16; i++) {
        m = fa_alloc_below(&fa, 16);
        CHECK();
        assert_true(m >= 0 && m < 16);
    }
    assert_int_equal(fa_alloc_below(&fa, 16), -ENOMEM);
    CHECK();
    assert_int_equal(fa.nr_free, 240);
}

static void test_alloc_below_with_hint_above_limit(void **state)
{
    (void)state;
    fa_new(256);
    add(0, 256);
    assert_int_equal(fa_reserve(&fa, 0, 5), 0);
    for (int i = 0; i < 200; i++)
        alloc();                                /* hint now at 205 */
    release(7);
    assert_int_equal(fa_alloc_below(&fa, 100), 7);
    CHECK();
}

static void test_alloc_below_only_higher_free(void **state)
{
    (void)state;
    fa_new(256);
    add(200, 56);
    assert_int_equal(fa_alloc_below(&fa, 200), -ENOMEM);
    assert_int_equal(fa_alloc_below(&fa, 0), -ENOMEM);
    CHECK();
    assert_int_equal(fa.nr_free, 56);
    assert_int_equal(fa_alloc_below(&fa, 201), 200);
    CHECK();
}

static void test_alloc_below_limit_past_end(void **state)
{
    (void)state;
    fa_new(70);
    add(69, 1);
    assert_int_equal(fa_alloc_below(&fa, UINT64_MAX), 69);
    CHECK();
    assert_int_equal(fa_alloc_below(&fa, UINT64_MAX), -ENOMEM);
}

/* ---- fa_alloc_contig ----------------------------------------------------- */

static void test_contig_finds_run(void **state)
{
    int64_t m;

    (void)state;
    fa_new(64);
    add(0, 64);
    assert_int_equal(fa_reserve(&fa, 3, 1), 0);
    assert_int_equal(fa_reserve(&fa, 10, 1), 0);
    m = fa_alloc_contig(&fa, 6, 64);            /* [4, 10) is the first fit */
    CHECK();
    assert_int_equal(m, 4);
    for (uint64_t i = 4; i < 10; i++)
        assert_false(fa_is_free(&fa, i));
    assert_true(fa_is_free(&fa, 0));
    assert_true(fa_is_free(&fa, 11));
    assert_int_equal(fa.nr_free, 62 - 6);
    for (uint64_t i = 4; i < 10; i++)
        release(i);
}

static void test_contig_count_zero_refused(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(64);
    add(0, 64);
    snap(&s);
    assert_int_equal(fa_alloc_contig(&fa, 0, 64), -EINVAL);
    CHECK();
    assert_unchanged(&s);
}

static void test_contig_fails_when_fragmented(void **state)
{
    struct snapshot s;

    (void)state;
    fa_new(128);
    add(0, 128);
    while (fa_alloc(&fa) >= 0)
        ;
    for (uint64_t i = 0; i < 128; i += 2)
        release(i);
    snap(&s);
    assert_int_equal(fa_alloc_contig(&fa, 2, 128), -ENOMEM);
    CHECK();
    assert_unchanged(&s);
    assert_int_equal(fa_alloc_contig(&fa, 1, 128), 0);
    CHECK();
}

static void test_contig_does_not_span_hole(void **state)
{
    (void)state;
    fa_new(64);
    add(0, 8);
    add(9, 8);                                  /* frame 8 is a hole */
    assert_int_equal(fa_alloc_contig(&fa, 9, 64), -ENOMEM);
    CHECK();
    assert_int_equal(fa_alloc_contig(&fa, 8, 64), 0);
    CHECK();
    assert_int_equal(fa_alloc_contig(&fa, 8, 64), 9);
    CHECK();
}

static void test_contig_respects_limit(void **state)
{
    (void)state;
    fa_new(128);
    add(100, 10);
    assert_int_equal(fa_alloc_contig(&fa, 8, 105), -ENOMEM);
    CHECK();
    assert_int_equal(fa.nr_free, 10);
    assert_int_equal(fa_alloc_contig(&fa, 5, 105), 100);
    CHECK();
    assert_int_equal(fa_alloc_contig(&fa, 5, 1000), 105);
    CHECK();
}

/* ---- queries ------------------------------------------------------------ */

static void test_queries_out_of_range(void **state)
{
    (void)state;
    fa_new(64);
    add(0, 64);
    assert_true(fa_is_free(&fa, 63));
    assert_false(fa_is_free(&fa, 64));
    assert_false(fa_is_managed(&fa, 64));
    assert_false(fa_is_free(&fa, UINT64_MAX));
    assert_false(fa_is_managed(&fa, UINT64_MAX));
}

/* ---- a machine-sized allocator --------------------------------------------- */

static void test_large_allocator(void **state)
{
    const uint64_t n = 1ull << 21;              /* 8 GiB of 4 KiB frames */
    const uint64_t hole = 0xc0000;              /* [3 GiB, 4 GiB) is MMIO */
    uint64_t count = 0, managed;
    int64_t m;

    (void)state;
    fa_new(n);
    add(0x100, hole - 0x100);
    add(0x100000, n - 0x100000);
    assert_int_equal(fa_reserve(&fa, 0x200, 0x100), 0);   /* the image */
    CHECK();
    managed = fa.nr_managed;
    assert_int_equal(managed, (hole - 0x100) + (n - 0x100000) - 0x100);

    m = fa_alloc_contig(&fa, 512, n);   /* the first 512 free in a row: after the image */
    CHECK();
    assert_int_equal(m, 0x300);
    assert_int_equal(fa_alloc_below(&fa, 0x1000), 0x500);
    CHECK();

    while ((m = fa_alloc(&fa)) >= 0) {
        assert_true(fa_is_managed(&fa, (uint64_t)m));
        assert_false((uint64_t)m >= hole && (uint64_t)m < 0x100000);
        count++;
    }
    CHECK();
    assert_int_equal(count, managed - 513);
    assert_int_equal(fa.nr_free, 0);
    release(n - 1);
    release(0x100);
    assert_int_equal(fa_alloc_below(&fa, 0x1000), 0x100);
    CHECK();
    assert_int_equal(alloc(), n - 1);
}

/* ---- memmap_find_free ------------------------------------------------------ */

static const struct mem_range e820[] = {
    { 0x0, 0x9fc00, MB2_MEM_RAM },
    { 0x9fc00, 0x400, MB2_MEM_RESERVED },
    { 0xf0000, 0x10000, MB2_MEM_RESERVED },
    { 0x100000, 0x7ee0000, MB2_MEM_RAM },           /* [1 MiB, 127.875 MiB) */
    { 0x200000, 0x100000, MB2_MEM_RESERVED },       /* inside the RAM above */
    { 0x7fe0000, 0x20000, MB2_MEM_ACPI_RECLAIM },
};

static void test_find_free_in_ram(void **state)
{
    uint64_t at = 1;

    (void)state;
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x1000, 0x1000, 0, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0);
}

static void test_find_free_skips_non_ram_inside_ram(void **state)
{
    uint64_t at = 0;

    (void)state;
    /* 1 MiB at 1 MiB ends where the reserved [2 MiB, 3 MiB) starts; 2 MiB
     * there would overlap it, so they go after it */
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x100000, 0x1000, 0x100000, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x100000);
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x200000, 0x1000, 0x100000, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x300000);
}

static void test_find_free_avoids_avoid_ranges(void **state)
{
    static const struct mem_range avoid[] = {
        { 0x0, 0x1000, 0 },                 /* the real-mode IVT */
        { 0x300000, 0x80000, 0 },           /* the image */
        { 0x380000, 0x10000, 0 },           /* a module */
    };
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), avoid, ARRAY_SIZE(avoid),
                                      0x1000, 0x1000, 0, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x1000);
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), avoid, ARRAY_SIZE(avoid),
                                      0x200000, 0x1000, 0x100000, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x390000);
}

static void test_find_free_rescans_after_moving(void **state)
{
    static const struct mem_range ram[] = { { 0, 0x100000, MB2_MEM_RAM } };
    /* the second blocker pushes into the first, listed earlier */
    static const struct mem_range avoid[] = {
        { 0x3000, 0x1000, 0 },
        { 0x1000, 0x2000, 0 },
    };
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(ram, 1, avoid, 2, 0x1000, 0x1000, 0x1000,
                                      UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x4000);
}

static void test_find_free_ignores_empty_blockers(void **state)
{
    static const struct mem_range ram[] = {
        { 0x100000, 0x100000, MB2_MEM_RAM },
        { 0x100000, 0, MB2_MEM_RESERVED },
    };
    static const struct mem_range avoid[] = { { 0x100000, 0, 0 } };
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(ram, 2, avoid, 1, 0x1000, 0x1000, 0,
                                      UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x100000);
}

static void test_find_free_respects_min(void **state)
{
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x1000, 0x1000, 0x500123, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x501000);
}

static void test_find_free_respects_align(void **state)
{
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x1000, 0x200000, 0x1000, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x400000);     /* 2 MiB is reserved, 0 is below min */
    assert_int_equal(at % 0x200000, 0);
}

static void test_find_free_respects_limit(void **state)
{
    uint64_t at = 0;

    (void)state;
    /* fits exactly below the limit */
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x100000, 0x1000, 0x100000, 0x200000, &at), 0);
    assert_int_equal(at, 0x100000);
    /* one byte less and the only place left is above the limit */
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x100000, 0x1000, 0x100000, 0x1fffff, &at),
                     -ENOMEM);
}

static void test_find_free_uses_later_ram_range(void **state)
{
    uint64_t at = 0;

    (void)state;
    /* larger than low memory: must come from above 1 MiB */
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0xa0000, 0x1000, 0, UINT64_MAX, &at), 0);
    assert_int_equal(at, 0x100000);
}

static void test_find_free_nothing_fits(void **state)
{
    uint64_t at = 0x1234;

    (void)state;
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x8000000, 0x1000, 0, UINT64_MAX, &at), -ENOMEM);
    assert_int_equal(memmap_find_free(e820, ARRAY_SIZE(e820), NULL, 0,
                                      0x1000, 0x1000, 0x8000000, UINT64_MAX, &at),
                     -ENOMEM);
    assert_int_equal(at, 0x1234);
}

static void test_find_free_never_uses_non_ram(void **state)
{
    static const struct mem_range map[] = {
        { 0x100000, 0x100000, MB2_MEM_RESERVED },
        { 0x200000, 0x100000, MB2_MEM_ACPI_RECLAIM },
        { 0x300000, 0x100000, MB2_MEM_NVS },
        { 0x400000, 0x100000, MB2_MEM_BAD },
    };
    uint64_t at = 0;

    (void)state;
    assert_int_equal(memmap_find_free(map, ARRAY_SIZE(map), NULL, 0,
                                      0x1000, 0x1000, 0, UINT64_MAX, &at), -ENOMEM);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_storage_bytes),
        T(test_init_is_empty),
        T(test_check_detects_free_unmanaged_frame),
        T(test_check_detects_bad_counters),
        T(test_add_ram_makes_frames_free),
        T(test_add_ram_up_to_end_accepted),
        T(test_add_ram_past_end_refused),
        T(test_add_ram_overlap_refused),
        T(test_add_ram_over_allocated_frame_refused),
        T(test_exhaustion_then_reuse),
        T(test_double_free_refused),
        T(test_free_of_never_allocated_frame_refused),
        T(test_free_of_hole_refused),
        T(test_free_out_of_range_refused),
        T(test_free_of_reserved_frame_refused),
        T(test_holes_never_allocated),
        T(test_alloc_wraps_around_hint),
        T(test_alloc_next_fit_skips_just_freed),
        T(test_alloc_skips_empty_words),
        T(test_alloc_many_same_frames_as_alloc),
        T(test_alloc_many_takes_the_last_free_frames),
        T(test_alloc_many_short_refused_unchanged),
        T(test_reserve_takes_frames_away),
        T(test_reserve_allocated_frame_busy),
        T(test_reserve_skips_unmanaged),
        T(test_reserve_past_end_clipped),
        T(test_alloc_below_respects_limit),
        T(test_alloc_below_with_hint_above_limit),
        T(test_alloc_below_only_higher_free),
        T(test_alloc_below_limit_past_end),
        T(test_contig_finds_run),
        T(test_contig_count_zero_refused),
        T(test_contig_fails_when_fragmented),
        T(test_contig_does_not_span_hole),
        T(test_contig_respects_limit),
        T(test_queries_out_of_range),
        T(test_large_allocator),
        T(test_find_free_in_ram),
        T(test_find_free_skips_non_ram_inside_ram),
        T(test_find_free_avoids_avoid_ranges),
        T(test_find_free_rescans_after_moving),
        T(test_find_free_ignores_empty_blockers),
        T(test_find_free_respects_min),
        T(test_find_free_respects_align),
        T(test_find_free_respects_limit),
        T(test_find_free_uses_later_ram_range),
        T(test_find_free_nothing_fits),
        T(test_find_free_never_uses_non_ram),
    };

    return cmocka_run_group_tests_name("frame_alloc", tests, NULL, NULL);
}
