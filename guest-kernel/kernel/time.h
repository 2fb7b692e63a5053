/*
 * Tern guest kernel: time (xen-pv-abi.md 3.2, 3.6, 3.7).
 *
 * System time is nanoseconds since the hypervisor started, computed from
 * the TSC with the scale in this vCPU's vcpu_time_info (read under its
 * version protocol); the wall clock is shared_info's wc_* (the time of
 * day at system time 0) plus system time. VIRQ_TIMER, once timer_start()
 * has bound it, counts ticks (the periodic timer, 10 ms) and wakes
 * sleepers (set_timer_op + SCHEDOP_block); with preemption on, each tick
 * that interrupts a user process hands the CPU to the next one.
 */
#ifndef GUEST_TIME_H
#define GUEST_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/traps.h"

#define NS_PER_MS 1000000UL
#define NS_PER_S  1000000000UL
#define TICK_NS   (10 * NS_PER_MS)      /* the periodic timer timer_start sets */

static inline uint64_t tsc_read(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* VIRQ_TIMER events handled since timer_start(), and how many of them
 * preempted a user process. */
extern volatile uint64_t timer_ticks;
extern volatile uint64_t preemptions;

/* System time in ns (0 without shared_info). */
uint64_t time_now_ns(void);
/* The TSC frequency the hypervisor's scale implies, in Hz. */
uint64_t time_tsc_hz(void);
/* Time of day: seconds since 1970 and nanoseconds (0 without shared_info). */
void time_wallclock(uint64_t *sec, uint32_t *nsec);
/* Gregorian year of a time in seconds since 1970 (UTC). */
unsigned int time_year(uint64_t sec);

/* Binds VIRQ_TIMER to the tick handler and sets the periodic timer to
 * TICK_NS; idempotent. 0, or the error of the first hypercall that failed. */
long timer_start(void);
/* Closes the VIRQ_TIMER port again. */
void timer_stop(void);
/* The VIRQ_TIMER port timer_start bound (0: none). */
uint32_t timer_port(void);

/* Waits with SCHEDOP_block until cond(arg) holds (checked with events
 * masked, so no wake-up is lost) or system time passes deadline_ns (0:
 * no deadline; then only events end the wait). A deadline arms the
 * single-shot timer (set_timer_op). Returns cond's last value. */
bool time_wait_until(bool (*cond)(void *), void *arg, uint64_t deadline_ns);
/* Sleeps ns nanoseconds with set_timer_op + SCHEDOP_block. */
void time_sleep_ns(uint64_t ns);
/* Burns the CPU for ns nanoseconds without a hypercall. */
void time_spin_ns(uint64_t ns);

/* timer_start() and preemption on: what the process demo runs with. */
void time_init(void);
/* Lets timer ticks preempt user processes (process.c's schedule()). */
void time_enable_preemption(bool on);
/* The end of every upcall (events.c): reschedules when a tick asked to
 * and the upcall interrupted user mode. */
void preempt_point(struct regs *r);

#endif /* GUEST_TIME_H */
