/*
 * Unit tests for guest-kernel/kernel/page_alloc.c, the guest kernel's
 * physical page allocator: the first of the guest's pure parts to join
 * the host tests. Rules: the pfns from the first free one to nr_pages are
 * free at init, and no other; allocation is lowest-first and below the
 * limit asked; freeing a pfn that is not allocated (twice, before the
 * first free one, past the end) is a kernel bug and panics; the free count
 * follows every step. page_alloc() itself (which grows the direct map and
 * clears the page through it) needs a running guest and is left to the
 * guest tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/mm.h"

/* What page_alloc.c calls outside itself. */
void printk(const char *fmt, ...)
{
    (void)fmt;
}

_Noreturn void panic(const char *fmt, ...)
{
    mock_assert(0, fmt, __FILE__, __LINE__);
    abort();
}

uint64_t mm_direct_end(void)
{
    return 0;
}

long mm_grow_direct_map(void)
{
    return -1;
}

#define FIRST 20u
#define END   200u

static int setup(void **state)
{
    (void)state;
    page_alloc_init(FIRST, END);
    return 0;
}

static void test_init_frees_exactly_the_range(void **state)
{
    (void)state;
    assert_int_equal(page_free_count(), END - FIRST);
    assert_int_equal(page_first_free(), FIRST);
    assert_int_equal(page_alloc_below(END), FIRST);         /* lowest first */
    assert_int_equal(page_alloc_below(FIRST), -XEN_ENOMEM);  /* nothing below it */
}

static void test_lowest_first_below_limit(void **state)
{
    (void)state;
    assert_int_equal(page_alloc_below(END), FIRST);
    assert_int_equal(page_alloc_below(END), FIRST + 1);
    page_free(FIRST);
    assert_int_equal(page_alloc_below(END), FIRST);          /* the hole first */
    assert_int_equal(page_alloc_below(FIRST + 2), -XEN_ENOMEM);
    assert_int_equal(page_alloc_below(FIRST + 3), FIRST + 2);
    assert_int_equal(page_free_count(), END - FIRST - 3);
}

static void test_runs_out(void **state)
{
    (void)state;
    for (unsigned int i = FIRST; i < END; i++)
        assert_int_equal(page_alloc_below(END), i);
    assert_int_equal(page_alloc_below(END), -XEN_ENOMEM);
    assert_int_equal(page_free_count(), 0);
    page_free(END - 1);
    assert_int_equal(page_alloc_below(UINT64_MAX), END - 1); /* limit clipped to the end */
}

static void test_free_refused(void **state)
{
    (void)state;
    expect_assert_failure(page_free(FIRST));                 /* never allocated */
    expect_assert_failure(page_free(FIRST - 1));             /* bootstrap region */
    expect_assert_failure(page_free(END));                   /* past the end */
    assert_int_equal(page_alloc_below(END), FIRST);
    page_free(FIRST);
    expect_assert_failure(page_free(FIRST));                 /* twice */
    assert_int_equal(page_free_count(), END - FIRST);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_frees_exactly_the_range),
        T(test_lowest_first_below_limit),
        T(test_runs_out),
        T(test_free_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
