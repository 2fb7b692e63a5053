/*
 * Unit tests for guest-kernel/blk/blkback_ring.c, blkback's end of a
 * block ring. Rules: pending is req_prod - req_cons from one read of
 * req_prod; a frontend claiming more than 32 requests past the responses
 * given (counting taken, unanswered ones), or moving req_prod behind
 * req_cons, is a liar and nothing is taken; the same across the 2^32 wrap;
 * a request is copied once, so rewriting its slot afterwards changes
 * nothing; no more than 32 taken and unanswered; responses go into the slots in order, never more than taken;
 * push publishes them and asks for a notification exactly when rsp_event
 * lies in the newly published range, judged against the backend's own
 * last rsp_prod (the shared one is the frontend's to scribble on);
 * final_check sets req_event to req_cons + 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blk/blkback_ring.h"

static struct blkif_sring page;
static struct blkback_ring ring;

static int setup(void **state)
{
    (void)state;
    memset(&page, 0, sizeof(page));
    blkback_ring_init(&ring, &page);
    return 0;
}

/* The frontend puts n requests with ids from first_id at req_prod. */
static void produce(uint32_t n, uint64_t first_id)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t slot = xen_ring_slot(page.req_prod, BLKIF_RING_SIZE);

        page.ring[slot].req.id = first_id + i;
        page.req_prod++;
    }
}

/* Takes n requests, checking their ids. */
static void take(uint32_t n, uint64_t first_id)
{
    struct blkif_request req;

    for (uint32_t i = 0; i < n; i++) {
        assert_true(blkback_ring_take(&ring, &req));
        assert_int_equal(req.id, first_id + i);
    }
}

static void test_empty(void **state)
{
    (void)state;
    assert_int_equal(blkback_ring_pending(&ring), 0);
}

static void test_take_in_order(void **state)
{
    (void)state;
    produce(5, 100);
    assert_int_equal(blkback_ring_pending(&ring), 5);
    take(5, 100);
    assert_int_equal(blkback_ring_pending(&ring), 0);
    assert_int_equal(ring.req_cons, 5);
}

static void test_full_ring_and_one_more(void **state)
{
    (void)state;
    page.req_prod = BLKIF_RING_SIZE;
    assert_int_equal(blkback_ring_pending(&ring), BLKIF_RING_SIZE);
    page.req_prod = BLKIF_RING_SIZE + 1;
    assert_int_equal(blkback_ring_pending(&ring), BLKBACK_RING_LIED);
    page.req_prod = 0xffffffffu;            /* "minus one" */
    assert_int_equal(blkback_ring_pending(&ring), BLKBACK_RING_LIED);
}

/* Taken but unanswered requests still hold their slots. */
static void test_unanswered_hold_slots(void **state)
{
    (void)state;
    produce(10, 0);
    take(10, 0);
    page.req_prod = BLKIF_RING_SIZE;        /* 22 new: fits */
    assert_int_equal(blkback_ring_pending(&ring), 22);
    page.req_prod = BLKIF_RING_SIZE + 1;    /* would overwrite request 0 */
    assert_int_equal(blkback_ring_pending(&ring), BLKBACK_RING_LIED);
    for (int i = 0; i < 10; i++)
        assert_true(blkback_ring_respond(&ring, (uint64_t)i, 0, 0));
    page.req_prod = 10 + BLKIF_RING_SIZE;   /* answered: slots free again */
    assert_int_equal(blkback_ring_pending(&ring), BLKIF_RING_SIZE);
}

static void test_prod_behind_cons(void **state)
{
    (void)state;
    produce(10, 0);
    take(10, 0);
    for (int i = 0; i < 5; i++)
        blkback_ring_respond(&ring, 0, 0, 0);
    page.req_prod = 7;                      /* went back behind req_cons */
    assert_int_equal(blkback_ring_pending(&ring), BLKBACK_RING_LIED);
    page.req_prod = 10;
    assert_int_equal(blkback_ring_pending(&ring), 0);
}

static void test_wraparound(void **state)
{
    (void)state;
    ring.req_cons = ring.rsp_prod_pvt = ring.rsp_published = 0xfffffff0u;
    page.req_prod = page.rsp_prod = 0xfffffff0u;
    produce(20, 7);                         /* req_prod wraps to 4 */
    assert_int_equal(page.req_prod, 4);
    assert_int_equal(blkback_ring_pending(&ring), 20);
    take(20, 7);
    page.req_prod = 0xfffffff0u + BLKIF_RING_SIZE + 1;
    assert_int_equal(blkback_ring_pending(&ring), BLKBACK_RING_LIED);
}

/* The copy is the backend's: a rewrite of the slot after take is not seen. */
static void test_copy_once(void **state)
{
    struct blkif_request req;

    (void)state;
    produce(1, 55);
    page.ring[0].req.nr_segments = 3;
    assert_int_equal(blkback_ring_pending(&ring), 1);
    assert_true(blkback_ring_take(&ring, &req));
    page.ring[0].req.nr_segments = 200;
    page.ring[0].req.id = 66;
    assert_int_equal(req.nr_segments, 3);
    assert_int_equal(req.id, 55);
}

/* Never a 33rd unanswered request: its slot holds the first one. */
static void test_take_bounded(void **state)
{
    struct blkif_request req;

    (void)state;
    produce(BLKIF_RING_SIZE, 0);
    take(BLKIF_RING_SIZE, 0);
    assert_false(blkback_ring_take(&ring, &req));
    assert_int_equal(ring.req_cons, BLKIF_RING_SIZE);
    assert_true(blkback_ring_respond(&ring, 0, 0, 0));
    page.req_prod++;
    assert_true(blkback_ring_take(&ring, &req));
}

static void test_respond(void **state)
{
    (void)state;
    assert_false(blkback_ring_respond(&ring, 1, 0, 0));    /* nothing taken */
    produce(2, 10);
    take(2, 10);
    assert_true(blkback_ring_respond(&ring, 10, BLKIF_OP_WRITE, BLKIF_RSP_OKAY));
    assert_true(blkback_ring_respond(&ring, 11, BLKIF_OP_READ, BLKIF_RSP_ERROR));
    assert_false(blkback_ring_respond(&ring, 12, 0, 0));   /* one more than taken */
    assert_int_equal(page.ring[0].rsp.id, 10);
    assert_int_equal(page.ring[0].rsp.operation, BLKIF_OP_WRITE);
    assert_int_equal(page.ring[1].rsp.id, 11);
    assert_int_equal(page.ring[1].rsp.status, BLKIF_RSP_ERROR);
    assert_int_equal(page.rsp_prod, 0);                      /* not yet published */
}

static void test_push_notify(void **state)
{
    (void)state;
    produce(4, 0);
    take(4, 0);
    page.rsp_event = 1;                     /* the frontend waits for the first */
    blkback_ring_respond(&ring, 0, 0, 0);
    blkback_ring_respond(&ring, 1, 0, 0);
    assert_true(blkback_ring_push(&ring));
    assert_int_equal(page.rsp_prod, 2);
    page.rsp_event = 10;                    /* not yet reached by 2 more */
    blkback_ring_respond(&ring, 2, 0, 0);
    blkback_ring_respond(&ring, 3, 0, 0);
    assert_false(blkback_ring_push(&ring));
    assert_int_equal(page.rsp_prod, 4);
}

/* The notification is judged from the backend's own last rsp_prod. */
static void test_push_ignores_scribbled_rsp_prod(void **state)
{
    (void)state;
    produce(2, 0);
    take(2, 0);
    blkback_ring_respond(&ring, 0, 0, 0);
    blkback_ring_push(&ring);               /* published 1 */
    page.rsp_event = 2;
    page.rsp_prod = 2;                      /* frontend scribbles what comes */
    blkback_ring_respond(&ring, 1, 0, 0);
    assert_true(blkback_ring_push(&ring));
    assert_int_equal(page.rsp_prod, 2);
}

static void test_final_check(void **state)
{
    (void)state;
    produce(3, 0);
    take(3, 0);
    assert_int_equal(blkback_ring_final_check(&ring), 0);
    assert_int_equal(page.req_event, 4);
    produce(1, 3);
    assert_int_equal(blkback_ring_final_check(&ring), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_take_in_order, setup),
        cmocka_unit_test_setup(test_full_ring_and_one_more, setup),
        cmocka_unit_test_setup(test_unanswered_hold_slots, setup),
        cmocka_unit_test_setup(test_prod_behind_cons, setup),
        cmocka_unit_test_setup(test_wraparound, setup),
        cmocka_unit_test_setup(test_copy_once, setup),
        cmocka_unit_test_setup(test_take_bounded, setup),
        cmocka_unit_test_setup(test_respond, setup),
        cmocka_unit_test_setup(test_push_notify, setup),
        cmocka_unit_test_setup(test_push_ignores_scribbled_rsp_prod, setup),
        cmocka_unit_test_setup(test_final_check, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
