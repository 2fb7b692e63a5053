/*
 * The scheduler (sched.c): which vCPU runs.
 */
#ifndef SCHED_H
#define SCHED_H

#include "domain.h"
#include "evtchn.h"
#include <asm/regs.h>

#define SCHED_SLICE_NS   10000000ULL   /* 10 ms */

/* Make d's vCPU schedulable (after domain_build). */
void sched_add_domain(struct domain *d);
/* Run the first vCPU; never returns. */
void sched_start(void) __noreturn;

/* True when the running vCPU simply goes on: nothing to reap, no switch
 * due, not blocked or paused (exit_to_guest's fast path). sched_exit_work
 * is false only while all of that is known to hold: every change that may
 * break it sets the mark, and the slow check clears it. */
extern bool sched_exit_work;
bool sched_current_goes_on_slow(void);
static inline bool sched_current_goes_on(void)
{
    return likely(!sched_exit_work) || sched_current_goes_on_slow();
}
/* Reap stopped domains, switch to the next runnable vCPU if the current
 * one cannot or should not go on, idle (interrupts on) while nothing can
 * run. frame is the guest frame at the top of the hypervisor stack. */
void schedule(struct cpu_regs *frame);

void sched_yield(void);

/* Rewrites v's registered runstate area, if it has one (vcpu_op.c); the
 * scheduler calls it each time v is switched in. */
void vcpu_publish_runstate(struct vcpu *v);

/* Called from the tick: timers due, slice accounting. */
void sched_tick(uint64_t now);
/* A domain has shut down: the next exit_to_guest reaps it. */
void sched_note_shutdown(void);
/* SCHEDOP_block: sleep until an event is deliverable. */
void sched_block(struct vcpu *v);
/* SCHEDOP_poll: sleep until one of ports is pending or deadline (0: none). */
void sched_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline);
void vcpu_wake(struct vcpu *v);
void domain_pause(struct domain *d, bool pause);

#endif /* SCHED_H */
