/*
 * Unit tests for guest-kernel/blk/blkfront_ring.c, blkfront's end of the
 * block ring. Rules, each accepted and refused: at most BLKIF_RING_SIZE
 * requests unanswered; requests are invisible until pushed; push asks
 * for a notification only when req_event lies in what it published;
 * responses are taken in order, and a backend whose rsp_prod is past the
 * requests published, or behind rsp_cons, is a liar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blk/blkfront_ring.h"

static struct blkif_sring page;
static struct blkfront_ring r;

static int setup(void **state)
{
    (void)state;
    memset(&page, 0xa5, sizeof(page));
    blkfront_ring_init(&r, &page);
    return 0;
}

static void put_n(unsigned int n)
{
    struct blkif_request req = { .operation = BLKIF_OP_READ, .nr_segments = 1 };

    for (unsigned int i = 0; i < n; i++) {
        req.id = i;
        assert_true(blkfront_ring_put(&r, &req));
    }
}

/* The backend answers the next request with id. */
static void answer(uint64_t id)
{
    page.ring[page.rsp_prod % BLKIF_RING_SIZE].rsp =
        (struct blkif_response){ .id = id, .operation = BLKIF_OP_READ, .status = 0 };
    page.rsp_prod++;
}

static void fresh_ring(void **state)
{
    (void)state;
    assert_int_equal(page.req_prod, 0);
    assert_int_equal(page.rsp_prod, 0);
    assert_int_equal(page.req_event, 1);
    assert_int_equal(page.rsp_event, 1);
    assert_int_equal(blkfront_ring_free(&r), BLKIF_RING_SIZE);
}

static void full_ring_refuses(void **state)
{
    struct blkif_request req = { 0 };
    struct blkif_response rsp;

    (void)state;
    put_n(BLKIF_RING_SIZE);
    assert_int_equal(blkfront_ring_free(&r), 0);
    assert_false(blkfront_ring_put(&r, &req));
    blkfront_ring_push(&r);
    answer(0);
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_TOOK);
    assert_int_equal(blkfront_ring_free(&r), 1);
    assert_true(blkfront_ring_put(&r, &req));
}

static void push_publishes_and_notifies(void **state)
{
    (void)state;
    put_n(3);
    assert_int_equal(page.req_prod, 0);              /* not yet visible */
    assert_true(blkfront_ring_push(&r));              /* req_event 1 in (0, 3] */
    assert_int_equal(page.req_prod, 3);
    assert_int_equal(page.ring[2].req.id, 2);
    put_n(1);
    assert_false(blkfront_ring_push(&r));             /* 1 not in (3, 4] */
    page.req_event = 5;
    put_n(1);
    assert_true(blkfront_ring_push(&r));              /* 5 in (4, 5] */
}

static void responses_in_order(void **state)
{
    struct blkif_response rsp;

    (void)state;
    put_n(2);
    blkfront_ring_push(&r);
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_NONE);
    answer(7);
    answer(9);
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_TOOK);
    assert_int_equal(rsp.id, 7);
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_TOOK);
    assert_int_equal(rsp.id, 9);
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_NONE);
}

static void lying_backend(void **state)
{
    struct blkif_response rsp;

    (void)state;
    put_n(2);
    blkfront_ring_push(&r);
    page.rsp_prod = 3;                                 /* only 2 published */
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_LIED);
    put_n(1);                                          /* put but not pushed */
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_LIED);
    page.rsp_prod = 0xffffffffu;                       /* behind rsp_cons */
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_LIED);
    page.rsp_prod = 2;
    assert_int_equal(blkfront_ring_take(&r, &rsp), BLKFRONT_TOOK);
}

static void final_check(void **state)
{
    (void)state;
    put_n(1);
    blkfront_ring_push(&r);
    assert_false(blkfront_ring_final_check(&r));
    assert_int_equal(page.rsp_event, 1);
    answer(0);
    assert_true(blkfront_ring_final_check(&r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fresh_ring, setup),
        cmocka_unit_test_setup(full_ring_refuses, setup),
        cmocka_unit_test_setup(push_publishes_and_notifies, setup),
        cmocka_unit_test_setup(responses_in_order, setup),
        cmocka_unit_test_setup(lying_backend, setup),
        cmocka_unit_test_setup(final_check, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
