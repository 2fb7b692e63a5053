/*
 * Unit tests for hypervisor/common/console_budget.c: the token bucket that bounds
 * an unprivileged domain's console output. Writes are granted up to what
 * the bucket holds and refused beyond it; an overrun mutes the domain
 * until the bucket is full again, counts every byte it refused, and
 * reports the count once; a 4 GiB write reads at most one bucket; a
 * printed line is charged its prefix as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_budget.h"

#define BURST   CONSOLE_BUDGET_BURST
#define COST    CONSOLE_BUDGET_NS_PER_BYTE
#define T0      1000000000ULL            /* an arbitrary "now": 1 s after boot */
#define FULL_NS (BURST * COST)

static struct console_budget b;

static int setup(void **state)
{
    (void)state;
    memset(&b, 0, sizeof(b));
    return 0;
}

/* A whole write of `count` bytes at now, CHUNK at a time as console_io
 * asks: the bytes granted. */
static uint64_t write_all(uint64_t now, uint64_t count)
{
    uint64_t done = 0;

    while (done < count) {
        uint64_t want = count - done < 128 ? count - done : 128;
        uint64_t n = console_budget_take(&b, now, want, count - done);

        done += n;
        if (n < want)
            break;
    }
    return done;
}

static void test_fresh_budget_is_full(void **state)
{
    (void)state;
    assert_int_equal(console_budget_available(&b, 0), BURST);
    assert_int_equal(console_budget_available(&b, T0), BURST);
}

static void test_write_within_budget_granted(void **state)
{
    (void)state;
    assert_int_equal(console_budget_take(&b, T0, 100, 100), 100);
    assert_int_equal(console_budget_available(&b, T0), BURST - 100);
    assert_false(b.muted);
    assert_int_equal(b.dropped, 0);
    assert_int_equal(console_budget_resume(&b, T0), 0);
}

static void test_whole_burst_granted(void **state)
{
    (void)state;
    assert_int_equal(write_all(T0, BURST), BURST);
    assert_int_equal(console_budget_available(&b, T0), 0);
    assert_false(b.muted);                   /* used up, not overrun */
}

static void test_overrun_grants_rest_and_mutes(void **state)
{
    (void)state;
    assert_int_equal(write_all(T0, BURST - 50), BURST - 50);
    assert_int_equal(console_budget_take(&b, T0, 128, 1000), 50);
    assert_true(b.muted);
    assert_int_equal(b.dropped, 1000 - 50);
}

static void test_muted_refuses_everything(void **state)
{
    (void)state;
    write_all(T0, BURST + 1);
    assert_int_equal(b.dropped, 1);
    /* Half the bucket has come back, but a muted domain still gets nothing. */
    assert_int_equal(console_budget_take(&b, T0 + FULL_NS / 2, 10, 10), 0);
    assert_int_equal(console_budget_available(&b, T0 + FULL_NS / 2), 0);
    assert_int_equal(b.dropped, 11);
}

static void test_refill_rate(void **state)
{
    (void)state;
    write_all(T0, BURST);
    assert_int_equal(console_budget_available(&b, T0 + COST - 1), 0);
    assert_int_equal(console_budget_available(&b, T0 + COST), 1);
    assert_int_equal(console_budget_available(&b, T0 + 1000 * COST), 1000);
    assert_int_equal(console_budget_available(&b, T0 + FULL_NS), BURST);
    assert_int_equal(console_budget_available(&b, T0 + 100 * FULL_NS), BURST);  /* capped */
}

/* Calls closer together than one byte's worth: every second one finds a
 * byte, as the waits add up (no fraction is lost between calls). */
static void test_refill_keeps_fractions(void **state)
{
    uint64_t got = 0;

    (void)state;
    write_all(T0, BURST);
    for (uint64_t i = 1; i <= 10; i++) {
        uint64_t now = T0 + i * (COST / 2);

        if (console_budget_available(&b, now))
            got += console_budget_take(&b, now, 1, 1);
    }
    assert_int_equal(got, 5);
    assert_false(b.muted);
}

static void test_resume_only_when_full(void **state)
{
    (void)state;
    write_all(T0, 20000);
    assert_int_equal(console_budget_resume(&b, T0 + FULL_NS - 1), 0);
    assert_true(b.muted);
    assert_int_equal(console_budget_resume(&b, T0 + FULL_NS), 20000 - BURST);
    assert_false(b.muted);
    assert_int_equal(b.dropped, 0);
    assert_int_equal(console_budget_resume(&b, T0 + FULL_NS), 0);   /* reported once */
    assert_int_equal(console_budget_take(&b, T0 + FULL_NS, 128, 128), 128);
}

static void test_flush_reports_once(void **state)
{
    (void)state;
    assert_int_equal(console_budget_flush(&b), 0);
    write_all(T0, BURST + 300);
    assert_int_equal(console_budget_flush(&b), 300);
    assert_int_equal(console_budget_flush(&b), 0);
}

/* The attack: count 0xffffffff reads one bucket at most, the rest is
 * dropped unread, and at most one more bucket after each full refill. */
static void test_huge_write_reads_one_bucket(void **state)
{
    (void)state;
    assert_int_equal(write_all(T0, 0xffffffffULL), BURST);
    assert_int_equal(b.dropped, 0xffffffffULL - BURST);
    for (unsigned int i = 1; i < 100; i++)
        assert_int_equal(write_all(T0 + i * (FULL_NS / 100), 0xffffffffULL), 0);
    assert_int_equal(console_budget_resume(&b, T0 + FULL_NS), 100 * 0xffffffffULL - BURST);
    assert_int_equal(write_all(T0 + FULL_NS, 0xffffffffULL), BURST);
}

/* Over any span, what is granted is at most a bucket plus the refill. */
static void test_sustained_rate_bounded(void **state)
{
    uint64_t got = 0, span = 60 * 1000000000ULL;

    (void)state;
    for (uint64_t now = T0; now < T0 + span; now += 3 * 1000000ULL) {
        (void)console_budget_resume(&b, now);
        got += write_all(now, 500);
    }
    assert_true(got <= BURST + span / COST);
    assert_true(got >= span / COST / 2);      /* and the domain still prints */
}

/* A printed line costs its prefix too; the bucket empties at most. */
static void test_line_charge(void **state)
{
    (void)state;
    console_budget_charge(&b, T0, CONSOLE_BUDGET_LINE_COST);
    assert_int_equal(console_budget_available(&b, T0), BURST - CONSOLE_BUDGET_LINE_COST);
    console_budget_charge(&b, T0, 10 * BURST);
    assert_int_equal(console_budget_available(&b, T0), 0);
    assert_false(b.muted);                    /* a charge never mutes by itself */
    assert_int_equal(console_budget_available(&b, T0 + FULL_NS), BURST);  /* no deeper */
    assert_int_equal(console_budget_take(&b, T0, 1, 1), 0);
    assert_true(b.muted);
}

/* Empty lines cost far more than their one byte: a budget's worth of
 * newlines prints about BURST / (1 + LINE_COST) lines, not BURST. */
static void test_newline_flood_bounded(void **state)
{
    uint64_t lines = 0;

    (void)state;
    while (console_budget_take(&b, T0, 1, 1) == 1) {
        console_budget_charge(&b, T0, CONSOLE_BUDGET_LINE_COST);
        lines++;
    }
    assert_int_equal(lines, (BURST + CONSOLE_BUDGET_LINE_COST) / (1 + CONSOLE_BUDGET_LINE_COST));
}

static void test_zero_want(void **state)
{
    (void)state;
    assert_int_equal(console_budget_take(&b, T0, 0, 0), 0);
    assert_false(b.muted);
    assert_int_equal(console_budget_available(&b, T0), BURST);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fresh_budget_is_full),
        T(test_write_within_budget_granted),
        T(test_whole_burst_granted),
        T(test_overrun_grants_rest_and_mutes),
        T(test_muted_refuses_everything),
        T(test_refill_rate),
        T(test_refill_keeps_fractions),
        T(test_resume_only_when_full),
        T(test_flush_reports_once),
        T(test_huge_write_reads_one_bucket),
        T(test_sustained_rate_bounded),
        T(test_line_charge),
        T(test_newline_flood_bounded),
        T(test_zero_want),
    };

    return cmocka_run_group_tests_name("console_budget", tests, NULL, NULL);
}
