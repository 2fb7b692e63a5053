/*
 * deadline.c: guest timer deadlines, saturating instead of wrapping. Pure.
 *
 * Invariants: no deadline this file returns exceeds STIME_MAX, and none
 * made from a nonzero guest value is 0 ("not armed"); a period it accepts
 * is at most STIME_DELTA_MAX, so "now + period" stays below STIME_MAX for
 * the first 146 years of uptime, and saturates after that.
 */
#include "deadline.h"

uint64_t deadline_add(uint64_t t, uint64_t delta)
{
    if (t >= STIME_MAX || delta >= STIME_MAX - t)
        return STIME_MAX;
    return t + delta;
}

bool deadline_period_ok(uint64_t period_ns)
{
    return period_ns >= PERIOD_MIN_NS && period_ns <= STIME_DELTA_MAX;
}

uint64_t deadline_from_guest(uint64_t abs_ns)
{
    return abs_ns > STIME_MAX ? DEADLINE_PAST : abs_ns;
}

uint64_t deadline_timer_op(uint64_t timeout, uint64_t now)
{
    if (timeout == 0)
        return 0;
    if (timeout > STIME_MAX || (timeout > now && timeout - now >= TIMER_OP_FAR_NS))
        return deadline_add(now, TIMER_OP_FALLBACK_NS);
    return timeout;
}

uint64_t deadline_periodic_next(uint64_t next, uint64_t period, uint64_t now)
{
    uint64_t n = deadline_add(next, period);

    return n > now ? n : deadline_add(now, period);
}

bool deadline_periodic_wake(uint64_t *next, uint64_t period, uint64_t now)
{
    if (!period || now < *next)
        return false;
    *next = deadline_add(now, period);
    return true;
}

uint32_t deadline_us_until(uint64_t next, uint64_t now, uint32_t max_us)
{
    uint64_t ns;

    if (max_us == 0 || next <= now)
        return 1;
    ns = next - now;
    if (ns / 1000 >= max_us)
        return max_us;
    return (uint32_t)((ns + 999) / 1000);
}
