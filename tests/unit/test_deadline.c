/*
 * Unit tests for hypervisor/common/deadline.c: the period bound (accepted at
 * 1 ms and at STIME_DELTA_MAX, refused one either side), and every
 * deadline sum at its edges (0, near 2^62, 2^63 and 2^64): saturated at
 * STIME_MAX, never wrapped into the past.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "deadline.h"

#define MS 1000000ULL

static void test_bounds_are_xens(void **state)
{
    (void)state;
    assert_int_equal(STIME_MAX, 0x7fffffffffffffffULL);
    assert_int_equal(STIME_DELTA_MAX, 0x3fffffffffffffffULL);
}

static void test_add_plain(void **state)
{
    (void)state;
    assert_int_equal(deadline_add(0, 0), 0);
    assert_int_equal(deadline_add(5 * MS, 10 * MS), 15 * MS);
    assert_int_equal(deadline_add(0, STIME_MAX - 1), STIME_MAX - 1);
    assert_int_equal(deadline_add(1, STIME_MAX - 2), STIME_MAX - 1);
    assert_int_equal(deadline_add(STIME_DELTA_MAX, STIME_DELTA_MAX), STIME_MAX - 1);
}

static void test_add_saturates(void **state)
{
    (void)state;
    assert_int_equal(deadline_add(0, STIME_MAX), STIME_MAX);
    assert_int_equal(deadline_add(1, STIME_MAX - 1), STIME_MAX);
    assert_int_equal(deadline_add(STIME_DELTA_MAX + 1, STIME_DELTA_MAX + 1), STIME_MAX);
    assert_int_equal(deadline_add(5 * MS, UINT64_MAX), STIME_MAX);     /* would wrap */
    assert_int_equal(deadline_add(5 * MS, 1ULL << 63), STIME_MAX);
    assert_int_equal(deadline_add(UINT64_MAX, 1), STIME_MAX);
    assert_int_equal(deadline_add(STIME_MAX, 0), STIME_MAX);
    assert_int_equal(deadline_add(UINT64_MAX, 0), STIME_MAX);
}

static void test_period_accepted(void **state)
{
    (void)state;
    assert_true(deadline_period_ok(PERIOD_MIN_NS));
    assert_true(deadline_period_ok(10 * MS));
    assert_true(deadline_period_ok(STIME_DELTA_MAX));             /* exactly the bound */
}

static void test_period_refused(void **state)
{
    (void)state;
    assert_false(deadline_period_ok(0));
    assert_false(deadline_period_ok(PERIOD_MIN_NS - 1));
    assert_false(deadline_period_ok(STIME_DELTA_MAX + 1));        /* one above */
    assert_false(deadline_period_ok(1ULL << 63));
    assert_false(deadline_period_ok(UINT64_MAX));
    assert_false(deadline_period_ok(UINT64_MAX - 5 * MS));
}

static void test_from_guest(void **state)
{
    (void)state;
    assert_int_equal(deadline_from_guest(0), 0);
    assert_int_equal(deadline_from_guest(1), 1);
    assert_int_equal(deadline_from_guest(5 * MS), 5 * MS);
    assert_int_equal(deadline_from_guest(STIME_MAX), STIME_MAX);   /* far: kept */
    assert_int_equal(deadline_from_guest(1ULL << 63), DEADLINE_PAST);
    assert_int_equal(deadline_from_guest(UINT64_MAX), DEADLINE_PAST);
}

static void test_timer_op_kept(void **state)
{
    uint64_t now = 7 * MS;

    (void)state;
    assert_int_equal(deadline_timer_op(0, now), 0);                 /* cancel */
    assert_int_equal(deadline_timer_op(now + 5 * MS, now), now + 5 * MS);
    assert_int_equal(deadline_timer_op(now - MS, now), now - MS);   /* past: fires now */
    assert_int_equal(deadline_timer_op(now + TIMER_OP_FAR_NS - 1, now),
                     now + TIMER_OP_FAR_NS - 1);
}

static void test_timer_op_huge(void **state)
{
    uint64_t now = 7 * MS, later = now + TIMER_OP_FALLBACK_NS;

    (void)state;
    assert_int_equal(deadline_timer_op(now + TIMER_OP_FAR_NS, now), later);
    assert_int_equal(deadline_timer_op(STIME_MAX, now), later);
    assert_int_equal(deadline_timer_op(1ULL << 63, now), later);    /* negative */
    assert_int_equal(deadline_timer_op(UINT64_MAX, now), later);    /* -1 */
    assert_int_equal(deadline_timer_op(UINT64_MAX, STIME_MAX - 1), STIME_MAX);
}

static void test_periodic_next(void **state)
{
    (void)state;
    /* on time: one period on, keeping the phase */
    assert_int_equal(deadline_periodic_next(10 * MS, 10 * MS, 10 * MS), 20 * MS);
    assert_int_equal(deadline_periodic_next(10 * MS, 10 * MS, 19 * MS), 20 * MS);
    /* many missed: one period from now, no burst */
    assert_int_equal(deadline_periodic_next(10 * MS, 10 * MS, 20 * MS), 30 * MS);
    assert_int_equal(deadline_periodic_next(10 * MS, 10 * MS, 95 * MS), 105 * MS);
}

static void test_periodic_next_never_wraps(void **state)
{
    uint64_t now = 3 * MS;

    (void)state;
    assert_int_equal(deadline_periodic_next(now, STIME_DELTA_MAX, now), now + STIME_DELTA_MAX);
    assert_int_equal(deadline_periodic_next(now + STIME_DELTA_MAX, STIME_DELTA_MAX, now),
                     STIME_MAX);
    assert_int_equal(deadline_periodic_next(STIME_MAX, STIME_DELTA_MAX, now), STIME_MAX);
    /* a period the call refuses would still not land in the past */
    assert_int_equal(deadline_periodic_next(now, UINT64_MAX, now), STIME_MAX);
    assert_true(deadline_periodic_next(now, UINT64_MAX - 1, now) > now);
}

static void test_us_until(void **state)
{
    (void)state;
    assert_int_equal(deadline_us_until(5 * MS, 5 * MS, 1000), 1);          /* due */
    assert_int_equal(deadline_us_until(4 * MS, 5 * MS, 1000), 1);          /* past */
    assert_int_equal(deadline_us_until(5 * MS + 1, 5 * MS, 1000), 1);
    assert_int_equal(deadline_us_until(5 * MS + 1001, 5 * MS, 1000), 2);
    assert_int_equal(deadline_us_until(6 * MS, 5 * MS, 1000), 1000);
    assert_int_equal(deadline_us_until(6 * MS - 1, 5 * MS, 1000), 1000);
}

static void test_us_until_clamped(void **state)
{
    (void)state;
    assert_int_equal(deadline_us_until(6 * MS + 1, 5 * MS, 1000), 1000);
    assert_int_equal(deadline_us_until(STIME_MAX, 0, 1000), 1000);
    assert_int_equal(deadline_us_until(UINT64_MAX, 0, UINT32_MAX), UINT32_MAX);
    assert_int_equal(deadline_us_until(UINT64_MAX, UINT64_MAX - 1, 1000), 1);
    assert_int_equal(deadline_us_until(10, 0, 0), 1);
}

/* Waking: one catch-up tick when the deadline passed while blocked, the
 * next a period from the wake; none (the deadline kept) when it had not;
 * none when the timer is stopped. */
static void test_periodic_wake(void **state)
{
    uint64_t next = 10 * MS;

    (void)state;
    assert_false(deadline_periodic_wake(&next, 10 * MS, 9 * MS));
    assert_int_equal(next, 10 * MS);
    assert_true(deadline_periodic_wake(&next, 10 * MS, 10 * MS));
    assert_int_equal(next, 20 * MS);
    assert_true(deadline_periodic_wake(&next, 10 * MS, 735 * MS));
    assert_int_equal(next, 745 * MS);
    next = 0;
    assert_false(deadline_periodic_wake(&next, 0, 735 * MS));
    assert_int_equal(next, 0);
    next = 10 * MS;
    assert_true(deadline_periodic_wake(&next, STIME_DELTA_MAX, STIME_MAX - 1));
    assert_int_equal(next, STIME_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds_are_xens),
        cmocka_unit_test(test_add_plain),
        cmocka_unit_test(test_add_saturates),
        cmocka_unit_test(test_period_accepted),
        cmocka_unit_test(test_period_refused),
        cmocka_unit_test(test_from_guest),
        cmocka_unit_test(test_timer_op_kept),
        cmocka_unit_test(test_timer_op_huge),
        cmocka_unit_test(test_periodic_next),
        cmocka_unit_test(test_periodic_next_never_wraps),
        cmocka_unit_test(test_periodic_wake),
        cmocka_unit_test(test_us_until),
        cmocka_unit_test(test_us_until_clamped),
    };

    return cmocka_run_group_tests_name("deadline", tests, NULL, NULL);
}
