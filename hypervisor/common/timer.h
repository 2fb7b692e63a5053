/*
 * System time and the guests' timers (timer.c): the clock every deadline
 * is read against, each vCPU's single-shot and periodic timers, the
 * VIRQ_TIMER they fire, and the one hardware tick armed for the earliest
 * deadline.
 */
#ifndef TIMER_H
#define TIMER_H

#include "domain.h"

#define TICK_NS 1000000ULL            /* the hypervisor's timer tick: 1 ms */

void timer_init(void);
uint64_t now_ns(void);
/* Arm (abs > 0) or cancel (0) v's single-shot timer. */
void vcpu_set_singleshot(struct vcpu *v, uint64_t abs_ns);
/* Periodic timer: period 0 stops it. */
void vcpu_set_periodic(struct vcpu *v, uint64_t period_ns);
/* v has just left the blocked state: its periodic timer runs again (and
 * fires once at once if its deadline passed meanwhile). */
void timer_vcpu_woken(struct vcpu *v);
/* Refresh v's vcpu_time_info (version protocol). */
void vcpu_update_time(struct vcpu *v);
/* Write the wall clock into d's shared_info. */
void domain_set_wallclock(struct domain *d);
struct wallclock;
/* Set the machine's wall clock and write it into every domain's. */
void time_set_wallclock(const struct wallclock *wc);
/* Arm the next tick for the earliest deadline (timer.c). */
void timer_reprogram(void);
/* v's deadline fields changed: re-key it in the timer queue. */
void timer_requeue(struct vcpu *v);
/* v is about to be freed: out of the timer queue. */
void timer_forget(struct vcpu *v);
/* Fire every guest timer that is due (timer.c). */
void timers_expire(uint64_t now);

#endif /* TIMER_H */
