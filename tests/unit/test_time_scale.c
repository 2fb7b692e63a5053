/*
 * Unit tests for hypervisor/common/time_scale.c: the TSC-to-nanosecond scale
 * published to guests in vcpu_time_info, and the calendar arithmetic that
 * turns the RTC's date into the wall clock in shared_info.
 *
 * A guest computes system time as ((delta shifted by tsc_shift) *
 * tsc_to_system_mul) >> 32 from what time_scale_for produces, so a scale
 * off by a little drifts every guest clock, and one with the shifted rate
 * outside (1e9, 2e9] either overflows mul_frac or throws away precision.
 * The scale is checked exactly for round frequencies, and for every
 * frequency tried (round, odd, tiny, huge) against the rules: the shifted
 * rate in (1e9, 2e9], mul_frac the floor of 1e9 * 2^32 / rate, and a
 * second of ticks converting to 1e9 ns within 1 ns, n seconds within
 * n + 1 ns. Deltas of days and years of ticks, and the largest delta a
 * negative shift takes, are compared with a 128-bit reference so an
 * overflow in the product shows.
 *
 * time_epoch_seconds is checked against the C library's timegm for every
 * day it accepts (1970-01-01 to 2199-12-31), and every field is refused one
 * past each end, with the leap-year rules (2000 leap, 2100 not, 2001 not).
 * bcd_to_bin is checked for all 256 bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "time_scale.h"

#define NS 1000000000ULL

/* The shifted rate: hz shifted as the delta will be. */
static uint64_t shifted_rate(uint64_t hz, const struct time_scale *ts)
{
    return ts->shift >= 0 ? hz << ts->shift : hz >> -ts->shift;
}

/* The rate mul_frac stands for. It is the shifted rate, except when halving
 * lands exactly on 2e9 + 1: one more halving gives 1e9, which is doubled
 * back to 2e9 with the shift undone (Xen's loops do the same), so one tick
 * in 2e9 is dropped from the rate (0.5 ns per second). */
static uint64_t scale_rate(uint64_t hz, const struct time_scale *ts)
{
    uint64_t rate = shifted_rate(hz, ts);

    return rate == 2 * NS + 1 ? 2 * NS : rate;
}

/* The product in 128 bits, as the reference for time_scale_delta. */
static uint64_t reference_delta(uint64_t delta, const struct time_scale *ts)
{
    uint64_t d = ts->shift >= 0 ? delta << ts->shift : delta >> -ts->shift;

    return (uint64_t)(((unsigned __int128)d * ts->mul_frac) >> 32);
}

/* Every rule of time_scale_for for one frequency; returns the scale. */
static struct time_scale check_scale(uint64_t hz)
{
    struct time_scale ts;
    uint64_t rate, ns;

    memset(&ts, 0x5a, sizeof(ts));
    time_scale_for(hz, &ts);
    assert_true(ts.shift >= -64 && ts.shift <= 63);
    if (ts.shift > 0)                             /* shifting lost nothing */
        assert_int_equal((hz << ts.shift) >> ts.shift, hz);
    rate = scale_rate(hz, &ts);
    assert_true(rate > NS);
    assert_true(rate <= 2 * NS);
    assert_int_equal(ts.mul_frac, (uint64_t)(((unsigned __int128)NS << 32) / rate));
    assert_true(ts.mul_frac >= 1ULL << 31);       /* rate <= 2e9 */
    /* One second of ticks is 1e9 ns, within 1 ns. */
    ns = time_scale_delta(hz, &ts);
    assert_true(ns <= NS && ns >= NS - 1);
    /* n seconds within n + 1 ns, while n * hz fits (and stays shiftable). */
    for (uint64_t n = 2; n <= 100000; n *= 7) {
        uint64_t want = n * NS, got;
        if (hz > UINT64_MAX / n || (ts.shift > 0 && n * hz > UINT64_MAX >> ts.shift))
            break;
        got = time_scale_delta(n * hz, &ts);
        assert_true(got <= want + n + 1 && got + n + 1 >= want);
    }
    return ts;
}

/* ---- time_scale_for ------------------------------------------------------------ */

static void test_scale_1mhz(void **state)
{
    struct time_scale ts = check_scale(1000000);

    (void)state;
    assert_int_equal(ts.shift, 10);                  /* 1.024e9 */
    assert_int_equal(ts.mul_frac, 4194304000U);      /* 0.9765625 * 2^32, exact */
    assert_int_equal(time_scale_delta(1000000, &ts), NS);
    assert_int_equal(time_scale_delta(1, &ts), 1000);     /* 1 us per tick */
}

static void test_scale_1ghz(void **state)
{
    struct time_scale ts = check_scale(NS);

    (void)state;
    /* 1e9 itself is outside (1e9, 2e9]: doubled, mul 1/2. */
    assert_int_equal(ts.shift, 1);
    assert_int_equal(ts.mul_frac, 1U << 31);
    assert_int_equal(time_scale_delta(NS, &ts), NS);
    assert_int_equal(time_scale_delta(1, &ts), 1);
    assert_int_equal(time_scale_delta(12345, &ts), 12345);
}

static void test_scale_2ghz_upper_bound(void **state)
{
    struct time_scale ts = check_scale(2 * NS);

    (void)state;
    assert_int_equal(ts.shift, 0);                   /* 2e9 is inside: no shift */
    assert_int_equal(ts.mul_frac, 1U << 31);
    ts = check_scale(2 * NS + 1);                    /* just above: halved to 1e9, */
    assert_int_equal(ts.shift, 0);                   /* then doubled back: */
    assert_int_equal(ts.mul_frac, 1U << 31);         /* the rate taken as 2e9 */
    assert_int_equal(time_scale_delta(2 * NS + 1, &ts), NS);
    ts = check_scale(2 * NS + 2);
    assert_int_equal(ts.shift, -1);
    ts = check_scale(4 * NS + 3);                    /* the same edge, one octave up */
    assert_int_equal(ts.shift, -1);
    assert_int_equal(ts.mul_frac, 1U << 31);
}

static void test_scale_2_5ghz(void **state)
{
    struct time_scale ts = check_scale(2500000000ULL);

    (void)state;
    assert_int_equal(ts.shift, -1);                  /* 1.25e9 */
    assert_int_equal(ts.mul_frac, 3435973836U);      /* floor(0.8 * 2^32) */
    assert_int_equal(time_scale_delta(2500000000ULL, &ts), NS - 1);
    assert_int_equal(time_scale_delta(5, &ts), 1);   /* 2 ns of ticks: floor */
}

static void test_scale_3_999ghz(void **state)
{
    struct time_scale ts = check_scale(3999000000ULL);

    (void)state;
    assert_int_equal(ts.shift, -1);
    assert_int_equal(shifted_rate(3999000000ULL, &ts), 1999500000ULL);
    ts = check_scale(3999999999ULL);                 /* odd: the low bit goes */
    assert_int_equal(ts.shift, -1);
    assert_int_equal(shifted_rate(3999999999ULL, &ts), 1999999999ULL);
}

static void test_scale_10ghz(void **state)
{
    struct time_scale ts = check_scale(10000000000ULL);

    (void)state;
    assert_int_equal(ts.shift, -3);                  /* 1.25e9 */
    assert_int_equal(ts.mul_frac, 3435973836U);
}

static void test_scale_odd_frequencies(void **state)
{
    static const uint64_t hz[] = {
        1, 2, 3, 7, 1000, 32768, 1193182, 3579545, 14318180, 24000000, 25000000,
        100000000, 999999999, 1000000001, 1193000000, 1499999999, 1999999999,
        2100000000, 2394453000ULL, 2893300000ULL, 3000000000ULL, 3191999999ULL,
        3600000000ULL, 4000000001ULL, 4294967295ULL, 4294967296ULL, 5000000003ULL,
        100000000000ULL, 1ULL << 40, 1ULL << 62, UINT64_MAX / 3, UINT64_MAX - 1,
        UINT64_MAX,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++)
        (void)check_scale(hz[i]);
}

static void test_scale_sweep(void **state)
{
    uint64_t hz = 1;

    (void)state;
    /* Steps of about 1.6 % with odd low digits, 1 Hz to the top of 64 bits. */
    while (hz < UINT64_MAX / 65 * 64) {
        (void)check_scale(hz);
        (void)check_scale(hz + 1);
        hz += hz / 64 + 17;
    }
}

static void test_scale_extreme_shifts(void **state)
{
    struct time_scale ts;

    (void)state;
    ts = check_scale(1);
    assert_int_equal(ts.shift, 30);                  /* 2^30 = 1.07e9 */
    ts = check_scale(UINT64_MAX);
    assert_int_equal(ts.shift, -34);                 /* 2^64 / 2^33 = 2.1e9: once more */
    assert_int_equal(time_scale_delta(1ULL << 33, &ts), 0);   /* < 1 ns */
}

static void test_delta_zero_and_monotonic(void **state)
{
    static const uint64_t hz[] = { 1000000, NS, 2500000000ULL, 3999000000ULL };

    (void)state;
    for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
        struct time_scale ts = check_scale(hz[i]);
        uint64_t last = 0;

        assert_int_equal(time_scale_delta(0, &ts), 0);
        for (uint64_t d = 1; d < (1ULL << 50); d = d * 3 + 1) {
            uint64_t ns = time_scale_delta(d, &ts);
            assert_true(ns >= last);
            last = ns;
        }
    }
}

/* Days and years of ticks: the 64 x 32 product would overflow 64 bits; the
 * result must match the 128-bit reference and the wall time. */
static void test_delta_large(void **state)
{
    static const uint64_t hz[] = { 1000000, NS, 2500000000ULL, 3999000000ULL,
                                   10000000000ULL };
    static const uint64_t seconds[] = { 86400, 30 * 86400ULL, 365 * 86400ULL,
                                        100 * 365 * 86400ULL };

    (void)state;
    for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
        struct time_scale ts = check_scale(hz[i]);

        for (size_t j = 0; j < sizeof(seconds) / sizeof(seconds[0]); j++) {
            uint64_t ticks = hz[i] * seconds[j], want = seconds[j] * NS, got;

            if (hz[i] > UINT64_MAX / seconds[j])
                continue;                /* more ticks than 64 bits hold */
            if (ts.shift > 0 && ticks > UINT64_MAX >> ts.shift)
                continue;                /* see test_delta_positive_shift_limit */
            got = time_scale_delta(ticks, &ts);
            assert_int_equal(got, reference_delta(ticks, &ts));
            /* Within 1 ns per second (plus the final truncation). */
            assert_true(got <= want + seconds[j] + 1 && got + seconds[j] + 1 >= want);
        }
    }
}

/* With a negative shift every delta fits: even 2^64 - 1 ticks. */
static void test_delta_largest_negative_shift(void **state)
{
    struct time_scale ts = check_scale(2500000000ULL);
    uint64_t got;

    (void)state;
    got = time_scale_delta(UINT64_MAX, &ts);
    assert_int_equal(got, reference_delta(UINT64_MAX, &ts));
    /* 2^64 - 1 ticks at 2.5 GHz are 7378697629483820646 ns (233 years);
     * within 1 ns per second of that (7378697630 ns). */
    assert_true(got <= 7378697629483820646ULL);
    assert_true(7378697629483820646ULL - got <= 7378697630ULL);
    ts = check_scale(UINT64_MAX);
    assert_int_equal(time_scale_delta(UINT64_MAX, &ts), reference_delta(UINT64_MAX, &ts));
}

/* With a positive shift (a clock of 1 GHz or slower) the delta is shifted
 * in 64 bits first, exactly as the guest-side formula does; a century of
 * 1 MHz ticks (shift 10) still fits. */
static void test_delta_positive_shift_limit(void **state)
{
    struct time_scale ts = check_scale(1000000);
    uint64_t century = 100 * 365 * 86400ULL * 1000000ULL;

    (void)state;
    assert_true(century <= UINT64_MAX >> ts.shift);
    assert_int_equal(time_scale_delta(century, &ts), 100 * 365 * 86400ULL * NS);
}

/* ---- time_epoch_seconds ------------------------------------------------------- */

static int64_t libc_epoch(int year, int month, int day, int hour, int min, int sec)
{
    struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
                     .tm_hour = hour, .tm_min = min, .tm_sec = sec };

    return (int64_t)timegm(&tm);
}

static void test_epoch_known_dates(void **state)
{
    (void)state;
    assert_int_equal(time_epoch_seconds(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(time_epoch_seconds(1970, 1, 1, 0, 0, 1), 1);
    assert_int_equal(time_epoch_seconds(1970, 1, 2, 0, 0, 0), 86400);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, 0, 0), 1735689600);
    assert_int_equal(time_epoch_seconds(2000, 1, 1, 0, 0, 0), 946684800);
    assert_int_equal(time_epoch_seconds(2038, 1, 19, 3, 14, 7), 2147483647);
    assert_int_equal(time_epoch_seconds(2038, 1, 19, 3, 14, 8), 2147483648LL);
    assert_int_equal(time_epoch_seconds(2199, 12, 31, 23, 59, 59),
                     libc_epoch(2199, 12, 31, 23, 59, 59));
}

static void test_epoch_leap_years(void **state)
{
    (void)state;
    /* 2000: divisible by 400, leap. */
    assert_int_equal(time_epoch_seconds(2000, 2, 29, 12, 0, 0), 951825600);
    assert_int_equal(time_epoch_seconds(2000, 3, 1, 0, 0, 0) -
                     time_epoch_seconds(2000, 2, 28, 0, 0, 0), 2 * 86400);
    assert_int_equal(time_epoch_seconds(2001, 1, 1, 0, 0, 0) -
                     time_epoch_seconds(2000, 1, 1, 0, 0, 0), 366 * 86400);
    /* 2001: not divisible by 4. */
    assert_int_equal(time_epoch_seconds(2001, 2, 29, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2001, 2, 28, 0, 0, 0), 983318400);
    /* 2100: divisible by 100, not by 400: not leap. */
    assert_int_equal(time_epoch_seconds(2100, 2, 29, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2100, 3, 1, 0, 0, 0) -
                     time_epoch_seconds(2100, 2, 28, 0, 0, 0), 86400);
    /* 1972, 2024, 2096: divisible by 4. */
    assert_true(time_epoch_seconds(1972, 2, 29, 0, 0, 0) > 0);
    assert_int_equal(time_epoch_seconds(2024, 2, 29, 0, 0, 0), 1709164800);
    assert_int_equal(time_epoch_seconds(2096, 2, 29, 0, 0, 0),
                     libc_epoch(2096, 2, 29, 0, 0, 0));
    assert_int_equal(time_epoch_seconds(1970, 2, 29, 0, 0, 0), -1);
}

static void test_epoch_field_ranges(void **state)
{
    (void)state;
    /* Each field one past each end is refused ... */
    assert_int_equal(time_epoch_seconds(1969, 12, 31, 23, 59, 59), -1);
    assert_int_equal(time_epoch_seconds(2200, 1, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 0, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 13, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 0, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 32, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 4, 31, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 24, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, 60, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, 0, 60), -1);   /* no leap second */
    /* ... and so is any huge value ... */
    assert_int_equal(time_epoch_seconds(0, 1, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(~0U, 1, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, ~0U, 1, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, ~0U, 0, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, ~0U, 0, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, ~0U, 0), -1);
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, 0, ~0U), -1);
    /* ... while each field at its ends is accepted. */
    assert_int_equal(time_epoch_seconds(2025, 1, 1, 0, 0, 0), 1735689600);
    assert_int_equal(time_epoch_seconds(2025, 12, 31, 23, 59, 59),
                     libc_epoch(2025, 12, 31, 23, 59, 59));
    assert_int_equal(time_epoch_seconds(2025, 1, 31, 0, 0, 0), 1735689600 + 30 * 86400);
    assert_int_equal(time_epoch_seconds(2025, 4, 30, 0, 0, 0), libc_epoch(2025, 4, 30, 0, 0, 0));
}

/* Every accepted day, against timegm; and day "last + 1" of every month
 * refused. */
static void test_epoch_every_day(void **state)
{
    (void)state;
    for (unsigned int y = 1970; y <= 2199; y++)
        for (unsigned int m = 1; m <= 12; m++) {
            unsigned int last = 0;
            for (unsigned int d = 1; d <= 31; d++) {
                int64_t got = time_epoch_seconds(y, m, d, 7, 8, 9);
                struct tm tm = { .tm_year = (int)y - 1900, .tm_mon = (int)m - 1,
                                 .tm_mday = (int)d, .tm_hour = 7, .tm_min = 8, .tm_sec = 9 };
                int64_t want = (int64_t)timegm(&tm);

                if (tm.tm_mday != (int)d) {          /* timegm rolled over: invalid */
                    assert_int_equal(got, -1);
                    continue;
                }
                assert_int_equal(got, want);
                last = d;
            }
            assert_true(last >= 28);
        }
}

/* ---- bcd_to_bin ----------------------------------------------------------------- */

static void test_bcd_known(void **state)
{
    (void)state;
    assert_int_equal(bcd_to_bin(0x00), 0);
    assert_int_equal(bcd_to_bin(0x09), 9);
    assert_int_equal(bcd_to_bin(0x10), 10);
    assert_int_equal(bcd_to_bin(0x23), 23);
    assert_int_equal(bcd_to_bin(0x59), 59);
    assert_int_equal(bcd_to_bin(0x99), 99);
    assert_int_equal(bcd_to_bin(0x0a), -1);
    assert_int_equal(bcd_to_bin(0xa0), -1);
    assert_int_equal(bcd_to_bin(0x1f), -1);
    assert_int_equal(bcd_to_bin(0xf1), -1);
    assert_int_equal(bcd_to_bin(0xff), -1);
}

static void test_bcd_every_byte(void **state)
{
    (void)state;
    for (unsigned int v = 0; v < 256; v++) {
        unsigned int hi = v >> 4, lo = v & 0xf;
        int want = hi <= 9 && lo <= 9 ? (int)(hi * 10 + lo) : -1;

        assert_int_equal(bcd_to_bin((uint8_t)v), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_1mhz),
        cmocka_unit_test(test_scale_1ghz),
        cmocka_unit_test(test_scale_2ghz_upper_bound),
        cmocka_unit_test(test_scale_2_5ghz),
        cmocka_unit_test(test_scale_3_999ghz),
        cmocka_unit_test(test_scale_10ghz),
        cmocka_unit_test(test_scale_odd_frequencies),
        cmocka_unit_test(test_scale_sweep),
        cmocka_unit_test(test_scale_extreme_shifts),
        cmocka_unit_test(test_delta_zero_and_monotonic),
        cmocka_unit_test(test_delta_large),
        cmocka_unit_test(test_delta_largest_negative_shift),
        cmocka_unit_test(test_delta_positive_shift_limit),
        cmocka_unit_test(test_epoch_known_dates),
        cmocka_unit_test(test_epoch_leap_years),
        cmocka_unit_test(test_epoch_field_ranges),
        cmocka_unit_test(test_epoch_every_day),
        cmocka_unit_test(test_bcd_known),
        cmocka_unit_test(test_bcd_every_byte),
    };

    return cmocka_run_group_tests_name("time_scale", tests, NULL, NULL);
}
