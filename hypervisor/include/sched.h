/*
 * The scheduler (sched.c) and guest timers (timer.c): which vCPU runs.
 */
#ifndef SCHED_H
#define SCHED_H

#include "domain.h"
#include "evtchn.h"
#include <asm/regs.h>

#define SCHED_SLICE_NS   10000000ULL   /* 10 ms */
#define TICK_NS          1000000ULL    /* the hypervisor's timer tick: 1 ms */

/* Make d's vCPU schedulable (after domain_build). */
void sched_add_domain(struct domain *d);
/* Run the first vCPU; never returns. */
void sched_start(void) __noreturn;

/* True when the running vCPU simply goes on: nothing to reap, no switch
 * due, not blocked or paused (exit_to_guest's fast path). */
bool sched_current_goes_on(void);
/* Reap stopped domains, switch to the next runnable vCPU if the current
 * one cannot or should not go on, idle (interrupts on) while nothing can
 * run. frame is the guest frame at the top of the hypervisor stack. */
void schedule(struct cpu_regs *frame);

void sched_yield(void);
/* A domain has shut down: the next exit_to_guest reaps it. */
void sched_note_shutdown(void);
/* SCHEDOP_block: sleep until an event is deliverable. */
void sched_block(struct vcpu *v);
/* SCHEDOP_poll: sleep until one of ports is pending or deadline (0: none). */
void sched_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline);
void vcpu_wake(struct vcpu *v);
void domain_pause(struct domain *d, bool pause);

/* Timers (timer.c). */
void timer_init(void);
uint64_t now_ns(void);
/* Arm (abs > 0) or cancel (0) v's single-shot timer. */
void vcpu_set_singleshot(struct vcpu *v, uint64_t abs_ns);
/* Periodic timer: period 0 stops it. */
void vcpu_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Refresh v's vcpu_time_info (version protocol). */
void vcpu_update_time(struct vcpu *v);
/* Write the wall clock into d's shared_info. */
void domain_set_wallclock(struct domain *d);
/* Called from the tick: timers due, slice accounting. */
void sched_tick(uint64_t now);
/* Arm the next tick for the earliest deadline (timer.c). */
void timer_reprogram(void);
/* Fire every guest timer that is due (timer.c). */
void timers_expire(uint64_t now);

#endif /* SCHED_H */
