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
 * Domain 0 ending: with no other domain left, the machine does what its
 * shutdown reason says (power off, reboot, or halt after a crash), as on
 * Xen. Unlike Xen, if other domains still run, the action waits until the
 * last of them has ended rather than killing them.
 */
#include "console.h"
#include "domain.h"
#include "power.h"
#include "sched.h"
#include <public/event_channel.h>
#include <public/sched.h>
#include <asm/cpu.h>
#include <asm/guest.h>

static bool need_resched;
static unsigned int shutdowns_pending;          /* domains shut down, not yet reaped */
static bool dom0_gone;
static unsigned int dom0_reason;

/* ---- event-channel environment ------------------------------------------ */

static struct evtchn_domain *env_lookup(void *ctx, domid_t id)
{
    struct domain *d = domain_by_id(id);

    (void)ctx;
    return d && d->state == DOMAIN_RUNNING ? &d->evtchn : NULL;
}

static struct domain *owner_of(struct evtchn_domain *e)
{
    return (struct domain *)((char *)e - __builtin_offsetof(struct domain, evtchn));
}

static void env_kick(void *ctx, struct evtchn_domain *e, unsigned int vcpu)
{
    (void)ctx;
    (void)vcpu;
    vcpu_wake(&owner_of(e)->vcpu0);
}

static void env_pending(void *ctx, struct evtchn_domain *e, evtchn_port_t port)
{
    struct vcpu *v = &owner_of(e)->vcpu0;

    (void)ctx;
    if (!owner_of(e)->polling)
        return;
    for (unsigned int i = 0; i < v->nr_poll_ports; i++)
        if (v->poll_ports[i] == port)
            vcpu_wake(v);
}

const struct evtchn_env evtchn_env = { env_lookup, env_kick, env_pending, NULL };

/* ---- run states ------------------------------------------------------------ */

static void set_state(struct vcpu *v, enum vcpu_run_state s)
{
    uint64_t now = now_ns();

    v->state_time_ns[v->run_state] += now - v->state_entry_ns;
    v->state_entry_ns = now;
    v->run_state = s;
}

void vcpu_wake(struct vcpu *v)
{
    if (v->run_state == VCPU_BLOCKED) {
        v->domain->polling = false;
        v->poll_deadline_ns = 0;
        set_state(v, VCPU_RUNNABLE);
    }
}

void sched_yield(void)
{
    need_resched = true;
}

static bool upcall_deliverable(struct vcpu *v)
{
    const struct vcpu_info *vi = vcpu_info_of(v);

    return vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}

void sched_block(struct vcpu *v)
{
    vcpu_info_of(v)->evtchn_upcall_mask = 0;       /* block enables events */
    if (upcall_deliverable(v))
        return;                                    /* no lost wake-up */
    set_state(v, VCPU_BLOCKED);
    need_resched = true;
}

void sched_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline)
{
    for (unsigned int i = 0; i < n; i++)
        if (evtchn_is_pending(&v->domain->evtchn, ports[i]))
            return;
    if (upcall_deliverable(v))
        return;
    memcpy(v->poll_ports, ports, n * sizeof(ports[0]));
    v->nr_poll_ports = n;
    v->poll_deadline_ns = deadline;
    v->domain->polling = true;
    if (deadline)
        timer_reprogram();
    set_state(v, VCPU_BLOCKED);
    need_resched = true;
}

void domain_pause(struct domain *d, bool pause)
{
    d->paused = pause;
    if (d == current_domain && pause)
        need_resched = true;
}

void sched_add_domain(struct domain *d)
{
    d->vcpu0.state_entry_ns = now_ns();
    d->vcpu0.run_state = VCPU_RUNNABLE;
    domain_set_wallclock(d);
}

static bool runnable(const struct vcpu *v)
{
    return v->domain->state == DOMAIN_RUNNING && !v->domain->paused &&
           (v->run_state == VCPU_RUNNABLE || v->run_state == VCPU_RUNNING);
}

/* ---- picking and switching ---------------------------------------------------- */

static int slot_of(const struct domain *d)
{
    for (int i = 0; i < MAX_DOMAINS; i++)
        if (domains[i] == d)
            return i;
    return -1;
}

/* The next runnable vCPU after cur in slot order (cur itself last). */
static struct vcpu *pick_next(struct domain *cur)
{
    int start = cur ? slot_of(cur) : -1;

    for (int k = 1; k <= MAX_DOMAINS; k++) {
        struct domain *d = domains[(start + k + MAX_DOMAINS) % MAX_DOMAINS];
        if (d && runnable(&d->vcpu0))
            return &d->vcpu0;
    }
    return NULL;
}

static void switch_to(struct vcpu *next, struct cpu_regs *frame)
{
    struct domain *prev = current_domain;
    uint64_t now = now_ns();

    if (prev && prev != next->domain) {
        prev->vcpu0.runtime_ns += now - prev->vcpu0.slice_start_ns;
        if (prev->vcpu0.run_state == VCPU_RUNNING)
            set_state(&prev->vcpu0, VCPU_RUNNABLE);
        arch_save_vcpu(&prev->vcpu0, frame);
    }
    if (!prev || prev != next->domain) {
        arch_load_vcpu(next, frame);
        current_domain = next->domain;
    }
    next->slice_start_ns = now;
    set_state(next, VCPU_RUNNING);
    vcpu_update_time(next);
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
        if (d == current_domain) {
            d->vcpu0.runtime_ns += now_ns() - d->vcpu0.slice_start_ns;
            arch_switch_to_idle();
            current_domain = NULL;
        }
        if (d->id == 0) {
            dom0_gone = true;
            dom0_reason = d->shutdown_reason;
        }
        domain_reap(d);
    }
    if (dom0_gone && !any_domain())
        machine_action(dom0_reason);
    if (dom0_gone && !current_domain)
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

/* An event upcall, if one is deliverable and the guest has a callback. */
static void deliver_upcall(struct vcpu *v, struct cpu_regs *frame)
{
    if (!v->cb_event.address || !upcall_deliverable(v))
        return;
    bounce_event(v, frame);
}

void sched_note_shutdown(void)
{
    shutdowns_pending++;
}

/* Everything but the common case: reaping, switching, idling. */
static __attribute__((noinline)) void exit_to_guest_slow(struct cpu_regs *frame)
{
    for (;;) {
        struct domain *cur;
        struct vcpu *next;
        reap_stopped();
        cur = current_domain;
        if (cur && runnable(&cur->vcpu0) && !need_resched)
            break;
        need_resched = false;
        next = pick_next(cur);
        if (next) {
            switch_to(next, frame);
            break;
        }
        if (cur && cur->vcpu0.run_state == VCPU_RUNNING)
            set_state(&cur->vcpu0, VCPU_RUNNABLE);   /* paused: not on the CPU */
        idle_wait();
    }
    deliver_upcall(&current_domain->vcpu0, frame);
}

void exit_to_guest(struct cpu_regs *frame)
{
    struct domain *c = current_domain;

    /* The common case, kept short: the running vCPU simply goes on. */
    if (likely(!shutdowns_pending && !need_resched && c && !c->paused &&
               c->vcpu0.run_state == VCPU_RUNNING && c->state == DOMAIN_RUNNING)) {
        if (unlikely(c->vcpu0.cb_event.address != 0))
            deliver_upcall(&c->vcpu0, frame);
        return;
    }
    exit_to_guest_slow(frame);
}

void sched_tick(uint64_t now)
{
    struct domain *cur = current_domain;

    timers_expire(now);
    if (cur && now - cur->vcpu0.slice_start_ns >= SCHED_SLICE_NS)
        need_resched = true;
}

void sched_start(void)
{
    struct vcpu *first = pick_next(NULL);

    if (!first)
        panic("sched_start with no runnable domain\n");
    switch_to(first, guest_frame());
    arch_enter_first(first);
}
