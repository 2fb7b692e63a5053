/*
 * time_scale.c: TSC-to-nanosecond scaling and calendar arithmetic. Pure.
 * The product in time_scale_delta is 64 x 32 bits, done in 128 bits (a
 * single multiply on x86-64, no library call), so no delta overflows it.
 */
#include "time_scale.h"

#define NS_PER_S 1000000000ULL

void time_scale_for(uint64_t hz, struct time_scale *ts)
{
    uint64_t t = hz;
    int shift = 0;

    while (t > 2 * NS_PER_S) {
        t >>= 1;
        shift--;
    }
    while (t <= NS_PER_S) {
        t <<= 1;
        shift++;
    }
    ts->shift = (int8_t)shift;
    ts->mul_frac = (uint32_t)((NS_PER_S << 32) / t);
}

uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts)
{
    unsigned __int128 p;

    if (ts->shift >= 0)
        delta <<= ts->shift;
    else
        delta >>= -ts->shift;
    p = (unsigned __int128)delta * ts->mul_frac;
    return (uint64_t)(p >> 32);
}

static bool leap(unsigned int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned int days_in_month(unsigned int y, unsigned int m)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && leap(y) ? 29 : days[m - 1];
}

int64_t time_epoch_seconds(unsigned int year, unsigned int month, unsigned int day,
                           unsigned int hour, unsigned int min, unsigned int sec)
{
    uint64_t days = 0;

    if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour > 23 || min > 59 || sec > 59)
        return -1;
    for (unsigned int y = 1970; y < year; y++)
        days += leap(y) ? 366 : 365;
    for (unsigned int m = 1; m < month; m++)
        days += days_in_month(year, m);
    days += day - 1;
    return (int64_t)(((days * 24 + hour) * 60 + min) * 60 + sec);
}

int bcd_to_bin(uint8_t v)
{
    if ((v & 0xf) > 9 || (v >> 4) > 9)
        return -1;
    return (v >> 4) * 10 + (v & 0xf);
}
