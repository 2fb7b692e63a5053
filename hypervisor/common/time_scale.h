/*
 * System time from the TSC (time_scale.c, pure): the 32.32 fixed-point
 * scale Xen publishes in vcpu_time_info, and calendar arithmetic for the
 * wall clock read from the RTC.
 */
#ifndef TIME_SCALE_H
#define TIME_SCALE_H

#include "lib.h"

struct time_scale {
    uint32_t mul_frac;      /* ns per shifted tick, 32.32 fixed point */
    int8_t shift;           /* applied to the tick delta first */
};

/* The scale for a clock of hz ticks per second (hz > 0), as Xen computes
 * it: the shifted rate lies in (1e9, 2e9] so mul_frac fits 32 bits. */
void time_scale_for(uint64_t hz, struct time_scale *ts);

/* ns for delta ticks under ts: ((delta << shift or >> -shift) * mul) >> 32. */
uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts);

/* Seconds since 1970-01-01 00:00:00 UTC for a calendar date; -1 if any
 * field is out of range (year 1970-2199). */
int64_t time_epoch_seconds(unsigned int year, unsigned int month, unsigned int day,
                           unsigned int hour, unsigned int min, unsigned int sec);

/* A BCD byte as binary, or -1 if it is not valid BCD. */
int bcd_to_bin(uint8_t v);

#endif /* TIME_SCALE_H */
