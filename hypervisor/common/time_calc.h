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

/* One calibration window: PIT ticks waited, TSC and APIC timer counts
 * seen, and tsc_slack: by how many TSC cycles at most the window's two
 * ends are uncertain (calib_sample_of). */
struct calib_sample {
    uint32_t pit_ticks;
    uint64_t tsc_delta;
    uint64_t apic_delta;
    uint64_t tsc_slack;
};

/* counted events over pit_ticks PIT ticks, as Hz; 0 if either count is 0
 * or the result would be CALIB_MAX_HZ or more. */
uint64_t calib_hz(uint64_t counted, uint32_t pit_ticks);

/* The TSC readings that bracket one PIT window's ends: the count was
 * loaded (and the APIC timer first read) between start[0] and start[1];
 * the window ended (after the last PIT read that found it running, which
 * came after end[0]; at the read that found it over) and the APIC timer
 * was read again between end[0] and end[1]. */
struct calib_window {
    uint64_t start[2], end[2];
};

/* The sample of a window: its length from the brackets' midpoints, its
 * slack the brackets' total width. A CPU taken away (an SMI, a host that
 * deschedules its emulator) inside a bracket widens it; anywhere else it
 * changes nothing, since both clocks run on. A bracket that runs
 * backwards gives a zero length (unusable). */
struct calib_sample calib_sample_of(const struct calib_window *w, uint32_t pit_ticks,
                                    uint64_t apic_delta);

/* A sample whose slack is at most 1/CALIB_SLACK_SHARE of its length: its
 * rates are right to within half that. */
#define CALIB_SLACK_SHARE 64
bool calib_trusted(const struct calib_sample *s);

/* The sample to trust among n: the usable one (nonzero counts) whose
 * slack is the smallest share of its length, the first on a tie. Not the
 * one with the fewest TSC cycles: when the CPU is taken away between a
 * TSC read and the PIT read that finds the window over, that TSC read
 * counts too few cycles for the PIT ticks. -1 if none is usable. */
int calib_best(const struct calib_sample *s, unsigned int n);

/* Events in us microseconds at hz, clamped to [1, UINT32_MAX]; 0 if hz is 0. */
uint32_t calib_count_for_us(uint64_t hz, uint32_t us);

/* Microseconds that cycles take at hz, rounded down (UINT64_MAX if that
 * does not fit); 0 if hz is 0 or not below CALIB_MAX_HZ. */
uint64_t calib_us(uint64_t cycles, uint64_t hz);

#endif /* TIME_CALC_H */
