/*
 * Unit tests for hypervisor/mm/exchange_plan.c: XENMEM_exchange's checks
 * before any frame is touched, and its chunks. Each rule accepted and
 * refused with Xen's error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "exchange_plan.h"
#include "err.h"

static struct xen_memory_exchange req(uint64_t in_n, unsigned int in_o, uint64_t out_n,
                                      unsigned int out_o)
{
    struct xen_memory_exchange x = { 0 };

    x.in = (struct xen_memory_reservation){ .nr_extents = in_n, .extent_order = in_o,
                                            .domid = DOMID_SELF };
    x.out = (struct xen_memory_reservation){ .nr_extents = out_n, .extent_order = out_o,
                                             .domid = DOMID_SELF };
    return x;
}

/* Linux's case: 2^6 single frames for one order-6 extent, one chunk. */
static void test_many_in_one_out(void **state)
{
    struct xen_memory_exchange x = req(64, 0, 1, 6);
    struct exchange_plan p;

    (void)state;
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
    assert_int_equal(p.in_chunk_order, 6);
    assert_int_equal(p.out_chunk_order, 0);
    assert_int_equal(p.first_chunk, 0);
    assert_int_equal(p.nr_chunks, 1);
    assert_int_equal(p.frames_per_chunk, 64);
}

static void test_one_in_many_out_and_progress(void **state)
{
    struct xen_memory_exchange x = req(3, 2, 12, 0);
    struct exchange_plan p;

    (void)state;
    x.nr_exchanged = 1;
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
    assert_int_equal(p.in_chunk_order, 0);
    assert_int_equal(p.out_chunk_order, 2);
    assert_int_equal(p.first_chunk, 1);
    assert_int_equal(p.nr_chunks, 3);
    x.nr_exchanged = 3;                              /* all done: nothing left */
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
    assert_int_equal(p.first_chunk, p.nr_chunks);
}

static void test_orders(void **state)
{
    struct xen_memory_exchange x = req(1, 9, 512, 0);
    struct exchange_plan p;

    (void)state;
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
    x = req(1, 10, 1024, 0);
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(1024, 0, 1, 10);
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(1024, 0, 1, 10);
    assert_int_equal(exchange_plan(&x, 10, &p), 0);  /* the limit is the caller's */
}

static void test_refused(void **state)
{
    struct xen_memory_exchange x = req(2, 0, 1, 0);  /* 2 frames for 1 */
    struct exchange_plan p;

    (void)state;
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(2, 0, 2, 0);
    x.out.domid = 1;                                 /* other domain than in */
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(2, 0, 2, 0);
    x.nr_exchanged = 3;                              /* past the end */
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(3, 0, 1, 1);                             /* 3 frames, 2: mismatch */
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(6, 0, 3, 1);
    x.nr_exchanged = 3;                              /* inside chunk 1 of 2 frames */
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
    assert_int_equal(p.first_chunk, 1);              /* rounded down, as Xen */
    x = req(UINT64_MAX / 2 + 1, 1, 1, 0);            /* frame count overflows */
    assert_int_equal(exchange_plan(&x, 9, &p), -EINVAL);
    x = req(2, 0, 2, 0);
    assert_int_equal(exchange_plan(&x, 9, &p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_in_one_out),
        cmocka_unit_test(test_one_in_many_out_and_progress),
        cmocka_unit_test(test_orders),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
