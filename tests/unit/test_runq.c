/*
 * Unit tests for hypervisor/common/runq.c: first in, first out; a second
 * push of a queued link and a removal of an unqueued one change nothing;
 * removal from the head, the middle and the tail keeps the others in
 * order; an emptied queue pops NULL and can be refilled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "runq.h"

static struct runq q;
static struct runq_link l[5];

static int setup(void **state)
{
    (void)state;
    runq_init(&q);
    for (unsigned int i = 0; i < 5; i++)
        l[i] = (struct runq_link){ 0 };
    return 0;
}

static void push_all(void)
{
    for (unsigned int i = 0; i < 5; i++)
        runq_push(&q, &l[i]);
}

/* Pops everything; the indices in order, as a decimal number. */
static unsigned int drain(void)
{
    unsigned int order = 0;
    struct runq_link *x;

    while ((x = runq_pop(&q)) != NULL) {
        assert_false(runq_queued(x));
        order = order * 10 + (unsigned int)(x - l) + 1;
    }
    return order;
}

static void test_fifo(void **state)
{
    (void)state;
    assert_null(runq_pop(&q));
    push_all();
    assert_int_equal(q.nr, 5);
    assert_int_equal(drain(), 12345);
    assert_int_equal(q.nr, 0);
    assert_null(runq_pop(&q));
}

static void test_push_twice_is_once(void **state)
{
    (void)state;
    push_all();
    runq_push(&q, &l[0]);             /* queued: stays first, not duplicated */
    assert_int_equal(q.nr, 5);
    assert_int_equal(drain(), 12345);
}

static void test_remove_anywhere(void **state)
{
    (void)state;
    push_all();
    runq_remove(&q, &l[0]);
    runq_remove(&q, &l[2]);
    runq_remove(&q, &l[4]);
    assert_int_equal(q.nr, 2);
    assert_int_equal(drain(), 24);
}

static void test_remove_unqueued_is_noop(void **state)
{
    (void)state;
    runq_push(&q, &l[1]);
    runq_remove(&q, &l[3]);
    assert_int_equal(q.nr, 1);
    assert_int_equal(drain(), 2);
}

static void test_requeue_goes_to_tail(void **state)
{
    (void)state;
    push_all();
    runq_push(&q, runq_pop(&q));      /* the first one had its turn */
    assert_int_equal(drain(), 23451);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fifo), T(test_push_twice_is_once), T(test_remove_anywhere),
        T(test_remove_unqueued_is_noop), T(test_requeue_goes_to_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
