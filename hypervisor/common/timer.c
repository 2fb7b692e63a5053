/*
 * timer.c: system time, the vcpu_time_info every guest reads, the wall
 * clock in shared_info, and the guests' single-shot and periodic timers.
 *
 * System time is nanoseconds since timer_init(), from the TSC scaled with
 * the same 32.32 fraction the guests get (time_scale.c), so a guest's own
 * computation and the hypervisor's agree. Each update of a vcpu_time_info
 * or of the wall clock makes its version odd first and even after, with a
 * barrier between, so a guest never uses a half-written record.
 *
 * The tick is armed for the first deadline due (at most 1 ms ahead, for
 * the scheduler): a guest timer raises VIRQ_TIMER on its vCPU within a few
 * microseconds of its deadline; a deadline already past fires at once.
 *
 * A blocked vCPU's periodic timer is stopped, as on Xen: it neither fires
 * nor keys the vCPU in the queue, so a vCPU blocked until a single-shot
 * deadline wakes once, not once a period; on waking it fires once if its
 * deadline has passed and counts the next period from then
 * (timer_vcpu_woken). sched.c re-keys a vCPU when it blocks and wakes.
 *
 * Every sum of a time and a guest-chosen amount goes through deadline.c
 * and saturates at STIME_MAX, so no deadline wraps into the past: a
 * periodic timer is due at most once per period and the tick is never
 * re-armed at once for a timer that is not really due.
 *
 * The vCPUs with a deadline armed are kept in a min-heap (timerq.c) keyed
 * by the earliest of their three deadlines, re-keyed whenever one of them
 * changes (here, and by sched.c for a poll's timeout): finding the next
 * deadline and firing the ones due cost O(log n) each, never a scan over
 * every domain, so a tick or a set_timer_op costs the same with 200
 * domains as with 2.
 */
#include "evtchn_glue.h"
#include "console.h"
#include "deadline.h"
#include "sched.h"
#include "timer.h"
#include "time_scale.h"
#include "wallclock.h"
#include <public/xen.h>
#include <public/event_channel.h>
#include <asm/cpu.h>
#include <asm/guest_traps.h>
#include <asm/time.h>

#define DEFAULT_PERIOD_NS 10000000ULL   /* PV vCPUs: 100 Hz, as Xen */

static struct time_scale scale;
static uint64_t tsc_at_zero;
static struct wallclock wallclock;      /* the epoch's time at system time 0:
                                           the RTC's at boot, then settime's */

uint64_t now_ns(void)
{
    return time_scale_delta(rdtsc() - tsc_at_zero, &scale);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return (b && (!a || b < a)) ? b : a;
}

/* The periodic deadline, 0 (none) while the timer is stopped or the vCPU
 * blocked. */
static uint64_t periodic_due(const struct vcpu *v)
{
    return v->periodic_ns && v->run_state != VCPU_BLOCKED ? v->periodic_next_ns : 0;
}

static uint64_t armed_ns;             /* when the armed tick fires; 0 after it did */
static struct timerq_entry *timer_slots[MAX_DOMAINS * MAX_VCPUS];
static struct timerq timers = { timer_slots, 0, MAX_DOMAINS * MAX_VCPUS };

void timer_requeue(struct vcpu *v)
{
    uint64_t key = earliest(earliest(v->singleshot_ns, periodic_due(v)),
                            v->poll_deadline_ns);

    timerq_set(&timers, &v->timer, key);    /* one slot per vCPU: never full */
}

void timer_forget(struct vcpu *v)
{
    timerq_set(&timers, &v->timer, 0);
}

/* Arm the next tick for the first thing due: a guest timer, a poll's
 * timeout, or the scheduler's next look one tick from now. A tick already
 * armed earlier is never pushed back, so no guest re-arming its timers can
 * hold off the scheduler's tick. */
void timer_reprogram(void)
{
    uint64_t now = now_ns(), next = deadline_add(now, TICK_NS);
    const struct timerq_entry *first = timerq_first(&timers);

    if (first)
        next = earliest(next, first->key);
    if (armed_ns && armed_ns <= next)
        return;
    armed_ns = next;
    arch_tick_program(deadline_us_until(next, now, TICK_NS / 1000));
}

static void tick(void)
{
    armed_ns = 0;
    sched_tick(now_ns());
    timer_reprogram();
}

void timer_init(void)
{
    uint64_t hz = tsc_hz();
    int64_t rtc;

    if (!hz) {
        hz = 1000000000ULL;
        log_warn("time: TSC not calibrated; assuming 1 GHz\n");
    }
    time_scale_for(hz, &scale);
    tsc_at_zero = rdtsc();
    rtc = arch_rtc_seconds();
    if (rtc < 0) {
        log_warn("time: the RTC cannot be read; wall clock starts at the epoch\n");
        rtc = 0;
    }
    wallclock = (struct wallclock){ (uint64_t)rtc, 0 };
    log_info("time: TSC %lu Hz (scale %#x >> %d), wall clock %ld s since the epoch\n",
             hz, scale.mul_frac, scale.shift, rtc);
    arch_tick_start(tick);
}

void vcpu_update_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &vcpu_info_of(v)->time;
    uint64_t tsc = rdtsc();

    t->version++;                                   /* odd: being written */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = time_scale_delta(tsc - tsc_at_zero, &scale);
    t->tsc_to_system_mul = scale.mul_frac;
    t->tsc_shift = scale.shift;
    t->flags = 0;                                   /* no promise of a stable TSC */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

void domain_set_wallclock(struct domain *d)
{
    wallclock_publish(d->shared_info, &wallclock);
    vcpu_set_periodic(d->vcpu[0], DEFAULT_PERIOD_NS);   /* Xen's default, vCPU 0 */
}

/* XENPF_settime: one wall clock for the machine, so every domain's
 * shared_info changes now (Xen keeps no per-domain offset for PV guests
 * unless a toolstack sets one; Tern has none). */
void time_set_wallclock(const struct wallclock *wc)
{
    wallclock = *wc;
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domains[i])
            wallclock_publish(domains[i]->shared_info, &wallclock);
}

void vcpu_set_singleshot(struct vcpu *v, uint64_t abs_ns)
{
    v->singleshot_ns = abs_ns;
    timer_requeue(v);
    if (abs_ns)
        timer_reprogram();
}

void vcpu_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    v->periodic_ns = period_ns;
    v->periodic_next_ns = period_ns ? deadline_add(now_ns(), period_ns) : 0;
    timer_requeue(v);
    if (period_ns)
        timer_reprogram();
}

static void fire(struct vcpu *v)
{
    evtchn_send_virq(&evtchn_env, &v->domain->evtchn, v->id, VIRQ_TIMER);
}

static void expire_vcpu(struct vcpu *v, uint64_t now)
{
    if (v->singleshot_ns && now >= v->singleshot_ns) {
        v->singleshot_ns = 0;
        fire(v);
    }
    if (periodic_due(v) && now >= v->periodic_next_ns) {
        v->periodic_next_ns = deadline_periodic_next(v->periodic_next_ns, v->periodic_ns, now);
        fire(v);
    }
    if (v->poll_deadline_ns && now >= v->poll_deadline_ns) {
        vcpu_wake(v);                               /* poll timed out: returns 0 */
        v->poll_deadline_ns = 0;                    /* due once, woken or not */
    }
}

void timer_vcpu_woken(struct vcpu *v)
{
    if (deadline_periodic_wake(&v->periodic_next_ns, v->periodic_ns, now_ns()))
        fire(v);
    timer_requeue(v);                               /* its periodic deadline counts again */
    if (v->periodic_ns)
        timer_reprogram();
}

/* Every vCPU whose earliest deadline is due, first due first; a vCPU of
 * a domain that is no longer running just leaves the queue. */
void timers_expire(uint64_t now)
{
    struct timerq_entry *e;

    while ((e = timerq_first(&timers)) != NULL && e->key <= now) {
        struct vcpu *v = container_of(e, struct vcpu, timer);
        if (v->domain->state != DOMAIN_RUNNING) {
            timer_forget(v);
            continue;
        }
        expire_vcpu(v, now);
        timer_requeue(v);
    }
}
