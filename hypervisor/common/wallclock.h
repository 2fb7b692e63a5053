/*
 * The wall clock every domain's shared_info carries (wallclock.c, pure):
 * what XENPF_settime sets, and how it is written so that a guest reading
 * at any moment gets either the old value or the new one.
 */
#ifndef WALLCLOCK_H
#define WALLCLOCK_H

#include "lib.h"
#include <public/xen.h>

/* Seconds and nanoseconds since the epoch at system time 0. */
struct wallclock {
    uint64_t sec;
    uint32_t nsec;
};

/* The wall clock that reads secs.nsecs at system time system_time: all in
 * 64-bit arithmetic that wraps, as Xen computes it (nsecs unchecked). */
struct wallclock wallclock_from_settime(uint64_t secs, uint32_t nsecs, uint64_t system_time);

/* Write wc into s under the wc_version protocol: the version is odd while
 * the fields change ((v + 1) | 1, so even a guest that left it odd sees
 * it change) and one more, even, after. */
void wallclock_publish(struct shared_info *s, const struct wallclock *wc);

#endif /* WALLCLOCK_H */
