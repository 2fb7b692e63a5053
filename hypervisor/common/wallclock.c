/*
 * wallclock.c: the wall clock's arithmetic and its publication (pure;
 * see wallclock.h).
 *
 * Invariants: wc_version is odd exactly while wc_sec, wc_sec_hi and
 * wc_nsec are being written, and differs after a write from what it was
 * before, whatever the guest left in it; the fields are written between
 * two full barriers.
 */
#include "wallclock.h"

#define NS_PER_S 1000000000ULL

struct wallclock wallclock_from_settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    uint64_t at_zero = secs * NS_PER_S + nsecs - system_time;   /* wraps, as Xen's */

    return (struct wallclock){ at_zero / NS_PER_S, (uint32_t)(at_zero % NS_PER_S) };
}

void wallclock_publish(struct shared_info *s, const struct wallclock *wc)
{
    uint32_t v = (s->wc_version + 1) | 1;

    s->wc_version = v;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)wc->sec;
    s->wc_sec_hi = (uint32_t)(wc->sec >> 32);
    s->wc_nsec = wc->nsec;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version = v + 1;
}
