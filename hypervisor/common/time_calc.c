/*
 * time_calc.c: the arithmetic of clock calibration. Pure.
 *
 * Every product is split so that no intermediate exceeds 2^64 for inputs
 * within the documented limits (frequencies below CALIB_MAX_HZ = 2^40,
 * 32-bit PIT tick and microsecond counts); out-of-range input gives 0
 * rather than a wrapped number.
 *
 * Which window to believe: each end of a window is known only between two
 * TSC readings, and the sample keeps that uncertainty (its slack); the
 * tightest window wins. A window's TSC count alone says nothing: a CPU
 * taken away just before the PIT read that sees the end makes the count
 * too small, just after it too large.
 */
#include "time_calc.h"

#define US_PER_S 1000000u

uint64_t calib_hz(uint64_t counted, uint32_t pit_ticks)
{
    uint64_t whole, part;

    if (counted == 0 || pit_ticks == 0)
        return 0;
    /* counted * PIT_HZ / pit_ticks, with counted split by pit_ticks. */
    whole = counted / pit_ticks;
    part = counted % pit_ticks;
    if (whole > CALIB_MAX_HZ / PIT_HZ)     /* then whole * PIT_HZ fits */
        return 0;
    whole = whole * PIT_HZ + part * PIT_HZ / pit_ticks;
    return whole < CALIB_MAX_HZ ? whole : 0;
}

static uint64_t midpoint(const uint64_t b[2])
{
    return b[0] + (b[1] - b[0]) / 2;
}

struct calib_sample calib_sample_of(const struct calib_window *w, uint32_t pit_ticks,
                                    uint64_t apic_delta)
{
    struct calib_sample s = { pit_ticks, 0, apic_delta, 0 };
    uint64_t from, to;

    if (w->start[1] < w->start[0] || w->end[1] < w->end[0])
        return s;
    from = midpoint(w->start);
    to = midpoint(w->end);
    if (to <= from)
        return s;
    s.tsc_delta = to - from;
    s.tsc_slack = (w->start[1] - w->start[0]) + (w->end[1] - w->end[0]);
    return s;
}

bool calib_trusted(const struct calib_sample *s)
{
    return calib_hz(s->tsc_delta, s->pit_ticks) != 0 &&
           s->tsc_slack <= s->tsc_delta / CALIB_SLACK_SHARE;
}

/* a's slack a smaller share of its length than b's (cross-multiplied in
 * 128 bits: no division, no overflow). */
static bool tighter(const struct calib_sample *a, const struct calib_sample *b)
{
    return (unsigned __int128)a->tsc_slack * b->tsc_delta <
           (unsigned __int128)b->tsc_slack * a->tsc_delta;
}

int calib_best(const struct calib_sample *s, unsigned int n)
{
    int best = -1;

    for (unsigned int i = 0; i < n; i++) {
        if (!calib_hz(s[i].tsc_delta, s[i].pit_ticks))
            continue;
        if (best < 0 || tighter(&s[i], &s[best]))
            best = (int)i;
    }
    return best;
}

uint32_t calib_count_for_us(uint64_t hz, uint32_t us)
{
    uint64_t n;

    if (hz == 0)
        return 0;
    if (hz >= CALIB_MAX_HZ)
        return UINT32_MAX;
    n = hz / US_PER_S * us + hz % US_PER_S * us / US_PER_S;
    if (n == 0)
        return 1;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

uint64_t calib_us(uint64_t cycles, uint64_t hz)
{
    if (hz == 0 || hz >= CALIB_MAX_HZ)
        return 0;
    if (cycles / hz >= UINT64_MAX / US_PER_S)
        return UINT64_MAX;
    return cycles / hz * US_PER_S + cycles % hz * US_PER_S / hz;
}
