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

static void test_best_sample(void **state)
{
    const struct calib_sample s[] = {
        { 11932, 30000100, 0 },
        { 11932, 30000000, 0 },              /* fewest cycles: trusted */
        { 11932, 30500000, 0 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 3), 1);
    assert_int_equal(calib_best(s, 1), 0);
}

static void test_best_compares_rates(void **state)
{
    const struct calib_sample s[] = {
        { 23864, 60000000, 0 },              /* twice as long, same rate + a bit */
        { 11932, 29999000, 0 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 2), 1);
}

static void test_best_skips_unusable(void **state)
{
    const struct calib_sample s[] = {
        { 11932, 0, 0 },
        { 0, 30000000, 0 },
        { 11932, 31000000, 0 },
    };

    (void)state;
    assert_int_equal(calib_best(s, 3), 2);
    assert_int_equal(calib_best(s, 2), -1);
    assert_int_equal(calib_best(s, 0), -1);
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
        cmocka_unit_test(test_best_sample),
        cmocka_unit_test(test_best_compares_rates),
        cmocka_unit_test(test_best_skips_unusable),
        cmocka_unit_test(test_count_for_us),
        cmocka_unit_test(test_count_for_us_clamped),
        cmocka_unit_test(test_us),
        cmocka_unit_test(test_us_refused),
    };

    return cmocka_run_group_tests_name("time_calc", tests, NULL, NULL);
}
