/*
 * Unit tests for hypervisor/common/time_calc.c: frequencies from PIT windows, the
 * choice among calibration samples, and count/microsecond conversions,
 * at the edges where a naive product would overflow 64 bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "time_calc.h"

static void test_hz_exact(void **state)
{
    (void)state;
    /* one second of PIT ticks: the count is the frequency */
    assert_int_equal(calib_hz(3000000000ull, PIT_HZ), 3000000000ull);
    /* 10 ms (11932 ticks) of a 1 GHz clock */
    assert_int_equal(calib_hz(10000000ull, 11932), 10000000ull * PIT_HZ / 11932);
    assert_int_equal(calib_hz(1, 1), PIT_HZ);
}

static void test_hz_zero_refused(void **state)
{
    (void)state;
    assert_int_equal(calib_hz(0, 11932), 0);
    assert_int_equal(calib_hz(12345, 0), 0);
}

static void test_hz_no_overflow(void **state)
{
    uint64_t counted = (1ull << 40) - 1;      /* 2^40 * PIT_HZ overflows 2^64 */

    (void)state;
    assert_int_equal(calib_hz(counted, PIT_HZ), counted);
    assert_int_equal(calib_hz(UINT64_MAX, 1), 0);
    assert_int_equal(calib_hz(CALIB_MAX_HZ, PIT_HZ), 0);          /* at the limit */
    assert_int_equal(calib_hz(CALIB_MAX_HZ - 1, PIT_HZ), CALIB_MAX_HZ - 1);
}

/* Each end's bracket is kept: the length runs midpoint to midpoint and
 * the slack is both widths. */
static void test_sample_of(void **state)
{
    const struct calib_window w = { { 1000, 1400 }, { 3001000, 3001600 } };
    struct calib_sample s = calib_sample_of(&w, 1193, 60000);

    (void)state;
    assert_int_equal(s.pit_ticks, 1193);
    assert_int_equal(s.tsc_delta, 3001300 - 1200);
    assert_int_equal(s.apic_delta, 60000);
    assert_int_equal(s.tsc_slack, 400 + 600);
}

/* Brackets that run backwards, or an end before the start: unusable. */
static void test_sample_of_refused(void **state)
{
    const struct calib_window back = { { 1400, 1000 }, { 3001000, 3001600 } };
    const struct calib_window end_back = { { 1000, 1400 }, { 3001600, 3001000 } };
    const struct calib_window before = { { 5000, 6000 }, { 1000, 2000 } };
    const struct calib_window top = { { UINT64_MAX - 10, UINT64_MAX }, { UINT64_MAX, UINT64_MAX } };

    (void)state;
    assert_int_equal(calib_sample_of(&back, 1193, 1).tsc_delta, 0);
    assert_int_equal(calib_sample_of(&end_back, 1193, 1).tsc_delta, 0);
    assert_int_equal(calib_sample_of(&before, 1193, 1).tsc_delta, 0);
    assert_int_equal(calib_sample_of(&top, 1193, 1).tsc_delta, 5);   /* no wrap */
    assert_int_equal(calib_best((const struct calib_sample[]){
                         calib_sample_of(&back, 1193, 1) }, 1), -1);
}

/* The failure seen under a busy host: QEMU's thread descheduled for 25 ms
 * between a TSC read and the PIT read that saw the window over. The old
 * rule (fewest TSC cycles) took that window: TSC 137.8 MHz, APIC timer
 * 1503 MHz, guest time 19 times too fast. Its bracket gives it away. */
static void test_best_refuses_a_disturbed_window(void **state)
{
    const struct calib_sample s[] = {
        { 1193, 2675379, 60425, 3000 },
        { 1193, 137800, 1503300, 66875000 },      /* fewest cycles, widest bracket */
        { 1193, 2676100, 60440, 4000 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 3), 0);
    assert_int_equal(calib_best(s + 1, 2), 1);      /* i.e. s[2] */
    assert_false(calib_trusted(&s[1]));
    assert_true(calib_trusted(&s[0]));
}

/* Tightest wins even with more cycles; a tie keeps the first. */
static void test_best_is_tightest(void **state)
{
    const struct calib_sample s[] = {
        { 1193, 2675000, 0, 5000 },
        { 1193, 2676000, 0, 2000 },              /* more cycles, tighter: trusted */
        { 1193, 2676000, 0, 2000 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 3), 1);
    assert_int_equal(calib_best(s, 1), 0);
}

/* Shares, not widths, compare: twice as long with 4/3 the slack is tighter. */
static void test_best_compares_shares(void **state)
{
    const struct calib_sample s[] = {
        { 1193, 2675000, 0, 3000 },
        { 2386, 5350000, 0, 4000 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 2), 1);
}

static void test_best_skips_unusable(void **state)
{
    const struct calib_sample s[] = {
        { 11932, 0, 0, 0 },
        { 0, 30000000, 0, 0 },
        { 11932, 31000000, 0, 90000000 },         /* usable, however wide */
    };

    (void)state;
    assert_int_equal(calib_best(s, 3), 2);
    assert_int_equal(calib_best(s, 2), -1);
    assert_int_equal(calib_best(s, 0), -1);
}

/* Trusted exactly up to a slack of 1/CALIB_SLACK_SHARE of the length. */
static void test_trusted(void **state)
{
    const struct calib_sample at = { 1193, 64 * 40000, 0, 40000 };
    const struct calib_sample over = { 1193, 64 * 40000, 0, 40001 };
    const struct calib_sample empty = { 1193, 0, 0, 0 };
    const struct calib_sample no_ticks = { 0, 64 * 40000, 0, 0 };

    (void)state;
    assert_true(calib_trusted(&at));
    assert_false(calib_trusted(&over));
    assert_false(calib_trusted(&empty));
    assert_false(calib_trusted(&no_ticks));
}

static void test_count_for_us(void **state)
{
    (void)state;
    assert_int_equal(calib_count_for_us(62500000, 1000), 62500);
    assert_int_equal(calib_count_for_us(1000000, 1), 1);
    assert_int_equal(calib_count_for_us(999999, 1), 1);         /* rounds up to 1 */
    assert_int_equal(calib_count_for_us(123456789, 1000), 123456);
}

static void test_count_for_us_clamped(void **state)
{
    (void)state;
    assert_int_equal(calib_count_for_us(0, 1000), 0);
    assert_int_equal(calib_count_for_us(5000000000ull, UINT32_MAX), UINT32_MAX);
    assert_int_equal(calib_count_for_us(CALIB_MAX_HZ, 1), UINT32_MAX);
}

static void test_us(void **state)
{
    (void)state;
    assert_int_equal(calib_us(3000000, 3000000000ull), 1000);
    assert_int_equal(calib_us(2999999, 3000000000ull), 999);
    assert_int_equal(calib_us(UINT64_MAX / 2, 1000000000ull), (UINT64_MAX / 2) / 1000);
}

static void test_us_refused(void **state)
{
    (void)state;
    assert_int_equal(calib_us(1000, 0), 0);
    assert_int_equal(calib_us(1000, CALIB_MAX_HZ), 0);
    assert_int_equal(calib_us(UINT64_MAX, 1), UINT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hz_exact),
        cmocka_unit_test(test_hz_zero_refused),
        cmocka_unit_test(test_hz_no_overflow),
        cmocka_unit_test(test_sample_of),
        cmocka_unit_test(test_sample_of_refused),
        cmocka_unit_test(test_best_refuses_a_disturbed_window),
        cmocka_unit_test(test_best_is_tightest),
        cmocka_unit_test(test_best_compares_shares),
        cmocka_unit_test(test_best_skips_unusable),
        cmocka_unit_test(test_trusted),
        cmocka_unit_test(test_count_for_us),
        cmocka_unit_test(test_count_for_us_clamped),
        cmocka_unit_test(test_us),
        cmocka_unit_test(test_us_refused),
    };

    return cmocka_run_group_tests_name("time_calc", tests, NULL, NULL);
}
