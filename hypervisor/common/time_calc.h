/*
 * Clock arithmetic for calibration (time_calc.c, pure): frequencies from
 * counts over a known PIT interval, and conversions between counts and
 * microseconds, all in 64-bit integers without overflow for any frequency
 * below CALIB_MAX_HZ.
 */
#ifndef TIME_CALC_H
#define TIME_CALC_H

#include "lib.h"

#define PIT_HZ        1193182u         /* the 8254's input clock: 14.31818 MHz / 12 */
#define CALIB_MAX_HZ  (1ULL << 40)     /* ~1.1 THz: anything above is a bad count */

/* One calibration window: PIT ticks waited, TSC and APIC timer counts seen. */
struct calib_sample {
    uint32_t pit_ticks;
    uint64_t tsc_delta;
    uint64_t apic_delta;
};

/* counted events over pit_ticks PIT ticks, as Hz; 0 if either count is 0
 * or the result would be CALIB_MAX_HZ or more. */
uint64_t calib_hz(uint64_t counted, uint32_t pit_ticks);

/* The sample to trust among n: the one with the fewest TSC cycles for its
 * PIT ticks (a late look at the PIT only ever adds cycles). -1 if none is
 * usable (a zero count). */
int calib_best(const struct calib_sample *s, unsigned int n);

/* Events in us microseconds at hz, clamped to [1, UINT32_MAX]; 0 if hz is 0. */
uint32_t calib_count_for_us(uint64_t hz, uint32_t us);

/* Microseconds that cycles take at hz, rounded down (UINT64_MAX if that
 * does not fit); 0 if hz is 0 or not below CALIB_MAX_HZ. */
uint64_t calib_us(uint64_t cycles, uint64_t hz);

#endif /* TIME_CALC_H */
