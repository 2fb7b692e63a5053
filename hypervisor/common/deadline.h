/*
 * Guest timer deadlines (deadline.c, pure): what a guest asks for (a
 * period, an absolute deadline, a set_timer_op timeout) turned into the
 * deadlines the hypervisor keeps, and the one addition all of them use.
 *
 * A deadline is system time in ns read, as Xen reads it, as a signed
 * s_time_t: a value with bit 63 set is negative, i.e. already past. Every
 * sum saturates at STIME_MAX (292 years of uptime: never) instead of
 * wrapping, so no deadline a guest can cause is in the past by overflow,
 * and no timer is due on every tick because of one. In a vCPU's fields 0
 * means "not armed"; DEADLINE_PAST is the earliest armed deadline.
 */
#ifndef DEADLINE_H
#define DEADLINE_H

#include "lib.h"

#define STIME_MAX            ((1ULL << 63) - 1)   /* the last positive s_time_t */
#define STIME_DELTA_MAX      ((1ULL << 62) - 1)   /* Xen's longest period (146 years) */
#define PERIOD_MIN_NS        1000000ULL           /* Xen's shortest period: 1 ms */
#define TIMER_OP_FAR_NS      (1ULL << 50)         /* set_timer_op: "huge" from here on */
#define TIMER_OP_FALLBACK_NS 100000000ULL         /* ... and then fires in 100 ms */
#define DEADLINE_PAST        1ULL                 /* armed, and due at once */

/* t + delta, or STIME_MAX if that is more (or t is past it already). */
uint64_t deadline_add(uint64_t t, uint64_t delta);

/* A period VCPUOP_set_periodic_timer accepts: 1 ms to STIME_DELTA_MAX. */
bool deadline_period_ok(uint64_t period_ns);

/* An absolute deadline from a guest (single-shot timer, poll timeout):
 * 0 stays 0; one that is negative as an s_time_t becomes DEADLINE_PAST. */
uint64_t deadline_from_guest(uint64_t abs_ns);

/* set_timer_op's deadline, as Xen computes it: 0 (cancel) for 0; now +
 * 100 ms for a negative timeout or one TIMER_OP_FAR_NS or more ahead (old
 * Linux wrapped its jiffies into such values); else the timeout itself. */
uint64_t deadline_timer_op(uint64_t timeout, uint64_t now);

/* The periodic timer's next deadline once the one at next has fired at
 * now: one period on, or one period from now if that is already past
 * (ticks missed are not made up in a burst). */
uint64_t deadline_periodic_next(uint64_t next, uint64_t period, uint64_t now);

/* A blocked vCPU's periodic timer is stopped (Xen: only a running vCPU's
 * runs); on waking at now, as Xen does on scheduling it in: if the
 * deadline *next has passed, the timer fires once at once and the next
 * deadline is one period from now (returns true); else *next stands. */
bool deadline_periodic_wake(uint64_t *next, uint64_t period, uint64_t now);

/* Microseconds from now until next, rounded up, within [1, max_us]. */
uint32_t deadline_us_until(uint64_t next, uint64_t now, uint32_t max_us);

#endif /* DEADLINE_H */
