/*
 * sched.c: round-robin scheduling of the domains' vCPUs (one each) on the
 * boot CPU, with a 10 ms slice.
 *
 * The guest frame at the top of the hypervisor stack always belongs to the
 * running vCPU; a switch saves it (and the CPU state the frame does not
 * hold, context.c) into the old vCPU and loads the new one's, and happens
 * only in exit_to_guest, i.e. between a completed entry and the iretq: no
 * hypervisor work is ever left half-done across a switch (long hypercalls
 * use continuations instead). The slice is enforced by the timer tick
 * whatever the guest's event mask, since the guest's real IF is always 1.
 *
 * sched_exit_work: set by every change that may stop the running vCPU
 * from simply going on (a state change, a pause, a shutdown, a resched
 * request), cleared only by sched_current_goes_on_slow when it found that
 * the vCPU does go on; so exit_to_guest's fast path tests one byte.
 *
 * Which vCPU next: the run queue (runq.c), first in first out, so the
 * choice costs the same with 2 domains or 200. A vCPU is pushed whenever
 * it becomes RUNNABLE (woken, preempted, yielding, unpaused) and is never
 * on the queue while RUNNING or BLOCKED; one that stopped being runnable
 * while queued (its domain paused or shut down) is dropped when it comes
 * up, and an unpause pushes it again. A vCPU leaves the queue before its
 * domain is freed.
 *
 * Domain 0 ending: with no other domain left, the machine does what its
 * shutdown reason says (power off, reboot, or halt after a crash), as on
 * Xen. Unlike Xen, if other domains still run, the action waits until the
 * last of them has ended rather than killing them.
 */
#include "console.h"
#include "domain.h"
#include "power.h"
#include "sched.h"
#include "timer.h"
#include <public/event_channel.h>
#include <public/sched.h>
#include <asm/cpu.h>
#include <asm/context.h>
#include <asm/guest.h>
#include <asm/guest_traps.h>

static bool need_resched;
bool sched_exit_work = true;
static struct runq runq = { { &runq.head, &runq.head }, 0 };
static unsigned int shutdowns_pending;          /* domains shut down, not yet reaped */
static bool dom0_gone;
static unsigned int dom0_reason;

/* ---- run states ------------------------------------------------------------ */

/* Every change that may stop the running vCPU from simply going on marks
 * sched_exit_work, which exit_to_guest tests alone on its fast path. */
static void resched(void)
{
    need_resched = true;
    sched_exit_work = true;
}

static void set_state(struct vcpu *v, enum vcpu_run_state s)
{
    uint64_t now = now_ns();

    sched_exit_work = true;
    v->state_time_ns[v->run_state] += now - v->state_entry_ns;
    v->state_entry_ns = now;
    v->run_state = s;
    if (s == VCPU_RUNNABLE)
        runq_push(&runq, &v->rq);
}

void vcpu_wake(struct vcpu *v)
{
    if (v->run_state == VCPU_BLOCKED) {
        v->polling = false;
        v->poll_deadline_ns = 0;
        set_state(v, VCPU_RUNNABLE);
        timer_vcpu_woken(v);                       /* re-keys it, periodic timer again */
    }
}

void sched_yield(void)
{
    resched();
}

void sched_block(struct vcpu *v)
{
    vcpu_info_of(v)->evtchn_upcall_mask = 0;       /* block enables events */
    if (vcpu_upcall_deliverable(v))
        return;                                    /* no lost wake-up */
    set_state(v, VCPU_BLOCKED);
    timer_requeue(v);                              /* its periodic timer stops */
    resched();
}

void sched_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline)
{
    for (unsigned int i = 0; i < n; i++)
        if (evtchn_is_pending(&v->domain->evtchn, ports[i]))
            return;
    if (vcpu_upcall_deliverable(v))
        return;
    memcpy(v->poll_ports, ports, n * sizeof(ports[0]));
    v->nr_poll_ports = n;
    v->poll_deadline_ns = deadline;
    v->polling = true;
    set_state(v, VCPU_BLOCKED);
    timer_requeue(v);                              /* the timeout; the periodic timer stops */
    if (deadline)
        timer_reprogram();
    resched();
}

void domain_pause(struct domain *d, bool pause)
{
    struct vcpu *v;

    d->paused = pause;
    sched_exit_work = true;
    if (d == current_domain() && pause)
        resched();
    if (!pause)
        for_each_vcpu(d, v)
            if (v->run_state == VCPU_RUNNABLE)
                runq_push(&runq, &v->rq);     /* may have been dropped while paused */
}

void sched_add_domain(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d, v) {
        v->state_entry_ns = now_ns();
        v->run_state = VCPU_RUNNABLE;
        runq_push(&runq, &v->rq);
    }
    domain_set_wallclock(d);
}

static bool runnable(const struct vcpu *v)
{
    return v->domain->state == DOMAIN_RUNNING && !v->domain->paused &&
           (v->run_state == VCPU_RUNNABLE || v->run_state == VCPU_RUNNING);
}

/* ---- picking and switching ---------------------------------------------------- */

/* The first runnable vCPU waiting, else cur if it may go on: dropping
 * the ones that stopped being runnable while queued (each was pushed
 * once for each time it became RUNNABLE, so the drops are paid for). */
static struct vcpu *pick_next(struct vcpu *cur)
{
    struct runq_link *l;

    while ((l = runq_pop(&runq)) != NULL) {
        struct vcpu *v = container_of(l, struct vcpu, rq);
        if (runnable(v))
            return v;
    }
    return cur && runnable(cur) ? cur : NULL;
}

static void switch_to(struct vcpu *next, struct cpu_regs *frame)
{
    struct vcpu *prev = current_vcpu;
    uint64_t now = now_ns();

    if (prev && prev != next) {
        prev->runtime_ns += now - prev->slice_start_ns;
        if (prev->run_state == VCPU_RUNNING)
            set_state(prev, VCPU_RUNNABLE);
        arch_save_vcpu(prev, frame);
    }
    if (prev != next) {
        arch_load_vcpu(next, frame);
        current_vcpu = next;
    }
    next->slice_start_ns = now;
    set_state(next, VCPU_RUNNING);
    vcpu_update_time(next);
    vcpu_publish_runstate(next);
}

/* ---- domains ending ------------------------------------------------------------- */

static bool any_domain(void)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domains[i])
            return true;
    return false;
}

static __noreturn void machine_action(unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:
        machine_power_off();
    case SHUTDOWN_reboot:
        machine_restart();
    default:
        printk("domain 0 stopped (%s): hypervisor halted; debug keys still work\n",
               shutdown_reason_name(reason));
        for (;;)
            safe_halt();
    }
}

/* d's vCPUs leave the run and timer queues before d is freed. */
static void forget_vcpus(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d, v) {
        runq_remove(&runq, &v->rq);
        timer_forget(v);
    }
}

/* Destroy every domain that has shut down. The running one is left first:
 * its state is not saved, and the CPU moves to the idle page tables. */
static void reap_stopped(void)
{
    if (!shutdowns_pending)
        return;
    shutdowns_pending = 0;
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];
        if (!d || d->state != DOMAIN_SHUTDOWN)
            continue;
        if (d == current_domain()) {
            current_vcpu->runtime_ns += now_ns() - current_vcpu->slice_start_ns;
            arch_switch_to_idle();
            current_vcpu = NULL;
        }
        forget_vcpus(d);
        if (d->id == 0) {
            dom0_gone = true;
            dom0_reason = d->shutdown_reason;
        }
        domain_reap(d);
    }
    if (dom0_gone && !any_domain())
        machine_action(dom0_reason);
    if (dom0_gone && !current_vcpu)
        log_info("domain 0 has stopped; the machine acts on it when the last "
                 "domain ends\n");
}

/* Nothing can run: wait, interrupts on, until a tick or an event wakes
 * someone. The guest frame above is not touched meanwhile. */
static void idle_wait(void)
{
    safe_halt();
    local_irq_disable();
}

void sched_note_shutdown(void)
{
    shutdowns_pending++;
    sched_exit_work = true;
}

/* The full check, once after each change; it clears the mark only when the
 * running vCPU does go on, i.e. when every condition below is false. */
bool sched_current_goes_on_slow(void)
{
    const struct vcpu *v = current_vcpu;
    bool on = !shutdowns_pending && !need_resched && v && !v->domain->paused &&
              v->run_state == VCPU_RUNNING && v->domain->state == DOMAIN_RUNNING;

    if (on)
        sched_exit_work = false;
    return on;
}

void schedule(struct cpu_regs *frame)
{
    for (;;) {
        struct vcpu *cur, *next;
        reap_stopped();
        cur = current_vcpu;
        if (cur && runnable(cur) && !need_resched) {
            if (cur->run_state != VCPU_RUNNING) {      /* woken while the CPU idled */
                runq_remove(&runq, &cur->rq);
                switch_to(cur, frame);
            }
            return;
        }
        need_resched = false;
        sched_exit_work = true;                     /* checked again after the switch */
        next = pick_next(cur);
        if (next) {
            switch_to(next, frame);
            return;
        }
        if (cur && cur->run_state == VCPU_RUNNING)
            set_state(cur, VCPU_RUNNABLE);          /* paused: not on the CPU */
        idle_wait();
    }
}

void sched_tick(uint64_t now)
{
    struct vcpu *cur = current_vcpu;

    timers_expire(now);
    if (cur && now - cur->slice_start_ns >= SCHED_SLICE_NS)
        resched();
}

void sched_start(void)
{
    struct vcpu *first = pick_next(NULL);

    if (!first)
        panic("sched_start with no runnable domain\n");
    switch_to(first, guest_frame());
    arch_enter_first(first);
}
