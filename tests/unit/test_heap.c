/*
 * Unit tests for hypervisor/mm/heap.c: the size-class heap for hypervisor
 * objects.
 *
 * The page provider here is aligned_alloc(4096, n * 4096); it records every
 * block so the teardown can free them (the heap never gives pages back) and
 * LeakSanitizer stays quiet, and it can be told to fail. The tests check
 * what callers rely on: every size from 1 to HEAP_MAX_SMALL and some large
 * ones return 16-aligned, distinct, writable memory (each object is filled
 * with its own pattern and all patterns are verified afterwards, so any two
 * objects that overlap are caught); freed memory is reused; and heap_free
 * refuses, changing nothing, every pointer it did not hand out: a second
 * free, a pointer into the middle of an object or into a page header, an
 * unused slot, and a page the heap never owned.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "err.h"

/* ---- the page provider ----------------------------------------------------- */

struct provider {
    void **blocks;
    size_t nr_blocks, cap;
    uint64_t pages;             /* pages handed out */
    unsigned int calls;
    bool fail;
};

static struct provider prov;

static void *provide(void *ctx, size_t n)
{
    struct provider *p = ctx;
    void *block;

    p->calls++;
    if (p->fail)
        return NULL;
    if (p->nr_blocks == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        void **blocks = realloc(p->blocks, cap * sizeof(*blocks));
        assert_non_null(blocks);
        p->blocks = blocks;
        p->cap = cap;
    }
    block = aligned_alloc(4096, n * 4096);
    assert_non_null(block);
    memset(block, 0xcc, n * 4096);              /* the heap must not rely on zero */
    p->blocks[p->nr_blocks++] = block;
    p->pages += n;
    return block;
}

static int setup(void **state)
{
    struct heap_pages hp = { .alloc = provide, .ctx = &prov };

    (void)state;
    memset(&prov, 0, sizeof(prov));
    heap_init(&hp);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < prov.nr_blocks; i++)
        free(prov.blocks[i]);
    free(prov.blocks);
    memset(&prov, 0, sizeof(prov));
    return 0;
}

static struct heap_stats stats(void)
{
    struct heap_stats st;

    heap_get_stats(&st);
    return st;
}

static void assert_stats(uint64_t pages, uint64_t objects)
{
    struct heap_stats st = stats();

    assert_int_equal(st.pages, pages);
    assert_int_equal(st.objects, objects);
}

static void *must_alloc(size_t size)
{
    void *p = heap_alloc(size);

    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    memset(p, 0x5a, size);                      /* writable, all of it */
    return p;
}

static uintptr_t page_offset(const void *p)
{
    return (uintptr_t)p % 4096;
}

/* ---- small objects ---------------------------------------------------------- */

static void test_every_small_size_distinct_and_writable(void **state)
{
    static void *objs[HEAP_MAX_SMALL + 1];

    (void)state;
    for (size_t s = 1; s <= HEAP_MAX_SMALL; s++) {
        objs[s] = heap_alloc(s);
        assert_non_null(objs[s]);
        assert_int_equal((uintptr_t)objs[s] % 16, 0);
        memset(objs[s], (int)(s & 0xff), s);
    }
    assert_int_equal(stats().objects, HEAP_MAX_SMALL);
    /* an object that overlapped a later one would have lost its pattern */
    for (size_t s = 1; s <= HEAP_MAX_SMALL; s++) {
        const uint8_t *b = objs[s];
        for (size_t i = 0; i < s; i++)
            if (b[i] != (uint8_t)(s & 0xff))
                fail_msg("object of size %zu overwritten at byte %zu", s, i);
    }
    for (size_t s = 1; s <= HEAP_MAX_SMALL; s++)
        assert_int_equal(heap_free(objs[s]), 0);
    assert_int_equal(stats().objects, 0);
}

static void restart_heap(void)
{
    struct heap_pages hp = { .alloc = provide, .ctx = &prov };

    heap_init(&hp);
}

static void test_class_sizes(void **state)
{
    (void)state;
    /* in a fresh heap, two objects of a class sit one class size apart in
     * one page; one byte more than a class takes the next class */
    for (size_t c = 16; c <= HEAP_MAX_SMALL / 2; c *= 2) {
        uint8_t *a, *b;

        restart_heap();
        a = must_alloc(c);
        b = must_alloc(c);
        assert_int_equal(page_offset(a), 128);
        assert_int_equal(b - a, (ptrdiff_t)c);
        if (c == HEAP_MAX_SMALL / 2)
            break;
        restart_heap();
        a = must_alloc(c + 1);
        b = must_alloc(c + 1);
        assert_int_equal(b - a, (ptrdiff_t)(2 * c));
    }
}

static void test_largest_class_one_per_page(void **state)
{
    uint8_t *a, *b;

    (void)state;
    a = must_alloc(HEAP_MAX_SMALL / 2 + 1);
    b = must_alloc(HEAP_MAX_SMALL);
    assert_int_equal(page_offset(a), 128);
    assert_int_equal(page_offset(b), 128);
    assert_true(a != b);
    assert_stats(2, 2);
}

static void test_small_objects_share_a_page(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(24);
    b = must_alloc(30);                         /* same class (32) */
    assert_ptr_equal((uintptr_t)a / 4096, (uintptr_t)b / 4096);
    assert_stats(1, 2);
}

static void test_classes_use_separate_pages(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(16);
    b = must_alloc(64);
    assert_true((uintptr_t)a / 4096 != (uintptr_t)b / 4096);
    assert_stats(2, 2);
}

static void test_class_fills_page_then_takes_another(void **state)
{
    const unsigned int per_page = (4096 - 128) / 16;
    uint8_t *first = NULL, *p = NULL;

    (void)state;
    for (unsigned int i = 0; i < per_page; i++) {
        p = must_alloc(16);
        if (!first)
            first = p;
        assert_ptr_equal((uintptr_t)p / 4096, (uintptr_t)first / 4096);
    }
    assert_stats(1, per_page);
    p = must_alloc(16);
    assert_true((uintptr_t)p / 4096 != (uintptr_t)first / 4096);
    assert_stats(2, per_page + 1);
}

static void test_small_slot_reused_after_free(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(100);
    b = must_alloc(100);
    assert_int_equal(heap_free(a), 0);
    assert_ptr_equal(must_alloc(100), a);
    assert_true(a != b);
    assert_stats(1, 2);
}

static void test_freed_page_serves_class_again(void **state)
{
    const unsigned int per_page = (4096 - 128) / 512;
    void *objs[8];

    (void)state;
    for (unsigned int i = 0; i < per_page; i++)
        objs[i] = must_alloc(512);
    for (unsigned int i = 0; i < per_page; i++)
        assert_int_equal(heap_free(objs[i]), 0);
    assert_stats(1, 0);
    for (unsigned int i = 0; i < per_page; i++)
        must_alloc(500);
    assert_stats(1, per_page);
    assert_int_equal(prov.calls, 1);
}

/* ---- large objects --------------------------------------------------------- */

static void test_large_allocations(void **state)
{
    uint8_t *a, *b;

    (void)state;
    a = must_alloc(5000);                       /* 128 + 5000: 2 pages */
    assert_int_equal(page_offset(a), 128);
    assert_stats(2, 1);
    b = must_alloc(20000);                      /* 128 + 20000: 5 pages */
    assert_int_equal(page_offset(b), 128);
    assert_stats(7, 2);
    assert_true(b >= a + 5000 || a >= b + 20000);
    assert_int_equal(heap_free(a), 0);
    assert_int_equal(heap_free(b), 0);
    assert_stats(7, 0);
}

static void test_smallest_large_allocation(void **state)
{
    void *p;

    (void)state;
    p = must_alloc(HEAP_MAX_SMALL + 1);
    assert_int_equal(page_offset(p), 128);
    assert_stats(1, 1);
    p = must_alloc(4096 - 128);                 /* still one page */
    assert_stats(2, 2);
    p = must_alloc(4096 - 127);                 /* one byte more: two */
    assert_stats(4, 3);
}

static void test_large_reused_after_free(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(5000);
    assert_int_equal(heap_free(a), 0);
    b = must_alloc(6000);                       /* same page count: reused */
    assert_ptr_equal(a, b);
    assert_stats(2, 1);
    assert_int_equal(prov.calls, 1);
}

static void test_large_not_reused_for_other_size(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(5000);
    assert_int_equal(heap_free(a), 0);
    b = must_alloc(20000);
    assert_true(a != b);
    assert_stats(7, 1);
    assert_ptr_equal(must_alloc(5000), a);      /* the free one is still there */
    assert_stats(7, 2);
    /* nor is a bigger free block cut down for a smaller request (its
     * header would then forget the pages beyond the new size) */
    assert_int_equal(heap_free(b), 0);
    assert_true(must_alloc(5000) != b);
    assert_stats(9, 2);
    assert_ptr_equal(must_alloc(20000), b);
    assert_stats(9, 3);
}

/* ---- zalloc, zero sizes, failures --------------------------------------------- */

static void test_zalloc_zeroes_reused_memory(void **state)
{
    uint8_t *a, *z, *big, *zbig;

    (void)state;
    a = must_alloc(64);                         /* filled with 0x5a */
    big = must_alloc(9000);
    assert_int_equal(heap_free(a), 0);
    assert_int_equal(heap_free(big), 0);
    z = heap_zalloc(64);
    zbig = heap_zalloc(9000);
    assert_ptr_equal(z, a);
    assert_ptr_equal(zbig, big);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    for (size_t i = 0; i < 9000; i++)
        assert_int_equal(zbig[i], 0);
}

static void test_zalloc_zero_is_null(void **state)
{
    (void)state;
    assert_null(heap_zalloc(0));
    assert_stats(0, 0);
}

static void test_alloc_zero_is_null(void **state)
{
    (void)state;
    assert_null(heap_alloc(0));
    assert_stats(0, 0);
    assert_int_equal(prov.calls, 0);
}

static void test_alloc_absurd_size_is_null(void **state)
{
    (void)state;
    assert_null(heap_alloc(SIZE_MAX));
    assert_null(heap_alloc(SIZE_MAX / 2 + 1));
    assert_stats(0, 0);
    assert_int_equal(prov.calls, 0);
}

static void test_provider_failure_gives_null(void **state)
{
    (void)state;
    prov.fail = true;
    assert_null(heap_alloc(32));
    assert_null(heap_alloc(5000));
    assert_null(heap_zalloc(100));
    assert_int_equal(prov.calls, 3);
    assert_stats(0, 0);
    prov.fail = false;                          /* it recovers */
    must_alloc(32);
    must_alloc(5000);
    assert_stats(3, 2);
}

static void test_provider_failure_with_full_page(void **state)
{
    const unsigned int per_page = (4096 - 128) / 2048;

    (void)state;
    for (unsigned int i = 0; i < per_page; i++)
        must_alloc(2048);
    prov.fail = true;
    assert_null(heap_alloc(2048));
    assert_stats(1, per_page);
}

/* ---- heap_free refusals --------------------------------------------------------- */

static void test_free_null_is_ok(void **state)
{
    (void)state;
    assert_int_equal(heap_free(NULL), 0);
    assert_stats(0, 0);
}

static void test_double_free_small_refused(void **state)
{
    void *a, *b;

    (void)state;
    a = must_alloc(48);
    b = must_alloc(48);
    assert_int_equal(heap_free(a), 0);
    assert_stats(1, 1);
    assert_int_equal(heap_free(a), -EINVAL);
    assert_stats(1, 1);
    /* the refusal did not disturb the live neighbour or the slot's reuse */
    assert_int_equal(heap_free(b), 0);
    assert_stats(1, 0);
    assert_ptr_equal(must_alloc(48), a);
}

static void test_double_free_large_refused(void **state)
{
    void *a;

    (void)state;
    a = must_alloc(10000);
    assert_int_equal(heap_free(a), 0);
    assert_int_equal(heap_free(a), -EINVAL);
    assert_stats(3, 0);
    /* freed once, so handed out once */
    assert_ptr_equal(must_alloc(10000), a);
    assert_true(must_alloc(10000) != a);
}

static void test_free_middle_of_small_object_refused(void **state)
{
    uint8_t *a;

    (void)state;
    a = must_alloc(64);
    assert_int_equal(heap_free(a + 1), -EINVAL);
    assert_int_equal(heap_free(a + 16), -EINVAL);
    assert_int_equal(heap_free(a + 63), -EINVAL);
    assert_stats(1, 1);
    assert_int_equal(heap_free(a), 0);
}

static void test_free_middle_of_large_object_refused(void **state)
{
    uint8_t *a;

    (void)state;
    a = heap_zalloc(9000);
    assert_non_null(a);
    assert_int_equal(heap_free(a + 16), -EINVAL);
    assert_int_equal(heap_free(a + 4096 - 128), -EINVAL);   /* its 2nd page */
    assert_int_equal(heap_free(a - 128), -EINVAL);          /* its header */
    assert_stats(3, 1);
    assert_int_equal(heap_free(a), 0);
}

static void test_free_into_page_header_refused(void **state)
{
    uint8_t *a, *page;

    (void)state;
    a = must_alloc(32);
    page = a - page_offset(a);
    assert_int_equal(heap_free(page), -EINVAL);
    assert_int_equal(heap_free(page + 64), -EINVAL);
    assert_int_equal(heap_free(page + 112), -EINVAL);
    assert_stats(1, 1);
}

static void test_free_unused_slot_refused(void **state)
{
    uint8_t *a;

    (void)state;
    a = must_alloc(128);
    assert_int_equal(heap_free(a + 128), -EINVAL);   /* next slot, never given */
    assert_stats(1, 1);
}

static void test_free_past_last_slot_refused(void **state)
{
    uint8_t *a;

    (void)state;
    /* a 2048 page holds one object at 128; 128 + 2048 is slot-aligned but
     * there is no second slot */
    a = must_alloc(2048);
    assert_int_equal(page_offset(a), 128);
    assert_int_equal(heap_free(a + 2048), -EINVAL);
    assert_stats(1, 1);
    assert_int_equal(heap_free(a), 0);
}

static void test_free_foreign_page_refused(void **state)
{
    uint8_t *page = aligned_alloc(4096, 4096);

    (void)state;
    assert_non_null(page);
    memset(page, 0, 4096);
    must_alloc(32);
    assert_int_equal(heap_free(page + 128), -EINVAL);
    assert_int_equal(heap_free(page + 256), -EINVAL);
    assert_int_equal(heap_free(page), -EINVAL);
    assert_stats(1, 1);
    free(page);
}

/* ---- statistics --------------------------------------------------------------- */

static void test_stats_track_alloc_and_free(void **state)
{
    void *a, *b, *c;

    (void)state;
    assert_stats(0, 0);
    a = must_alloc(8);
    assert_stats(1, 1);
    b = must_alloc(200);
    assert_stats(2, 2);
    c = must_alloc(3000);
    assert_stats(3, 3);
    assert_int_equal(heap_free(b), 0);
    assert_stats(3, 2);
    assert_int_equal(heap_free(c), 0);
    assert_int_equal(heap_free(a), 0);
    assert_stats(3, 0);                          /* pages are never returned */
    assert_int_equal(prov.pages, 3);
}

static void test_init_resets_state(void **state)
{
    void *a;

    (void)state;
    a = must_alloc(16);
    restart_heap();
    assert_stats(0, 0);
    /* a new heap takes a new page rather than the old one's slots */
    assert_true(must_alloc(16) != a);
    assert_int_equal(prov.calls, 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_small_size_distinct_and_writable),
        T(test_class_sizes),
        T(test_largest_class_one_per_page),
        T(test_small_objects_share_a_page),
        T(test_classes_use_separate_pages),
        T(test_class_fills_page_then_takes_another),
        T(test_small_slot_reused_after_free),
        T(test_freed_page_serves_class_again),
        T(test_large_allocations),
        T(test_smallest_large_allocation),
        T(test_large_reused_after_free),
        T(test_large_not_reused_for_other_size),
        T(test_zalloc_zeroes_reused_memory),
        T(test_zalloc_zero_is_null),
        T(test_alloc_zero_is_null),
        T(test_alloc_absurd_size_is_null),
        T(test_provider_failure_gives_null),
        T(test_provider_failure_with_full_page),
        T(test_free_null_is_ok),
        T(test_double_free_small_refused),
        T(test_double_free_large_refused),
        T(test_free_middle_of_small_object_refused),
        T(test_free_middle_of_large_object_refused),
        T(test_free_into_page_header_refused),
        T(test_free_unused_slot_refused),
        T(test_free_past_last_slot_refused),
        T(test_free_foreign_page_refused),
        T(test_stats_track_alloc_and_free),
        T(test_init_resets_state),
    };

    return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
