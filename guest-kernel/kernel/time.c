/*
 * Tern guest kernel: system time, the wall clock, VIRQ_TIMER and sleeping
 * (time.h).
 *
 * Reading vcpu_time_info follows its version protocol: an odd version or
 * one that changed while we copied means the hypervisor was writing, so
 * read again. Then (xen-pv-abi.md 3.2)
 *     now = system_time + (((tsc - tsc_timestamp) << tsc_shift) * mul >> 32)
 * with a 128-bit product. Sleeping arms the single-shot timer with
 * set_timer_op and blocks: SCHEDOP_block unmasks events and returns at
 * once if one is already pending, so checking the condition with events
 * masked first loses no wake-up.
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/process.h"
#include "kernel/time.h"

#define SECONDS_PER_DAY 86400ULL

volatile uint64_t timer_ticks;
volatile uint64_t preemptions;
static evtchn_port_t tick_port;
static bool preemption;
static volatile bool resched_wanted;

/* ---- reading the clocks --------------------------------------------------- */

struct time_record {
    uint64_t tsc_timestamp, system_time;
    uint32_t mul;
    int8_t shift;
};

static void read_record(struct time_record *rec, uint64_t *tsc)
{
    const volatile struct vcpu_time_info *t = &this_vcpu_info()->time;
    uint32_t version;

    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        rec->tsc_timestamp = t->tsc_timestamp;
        rec->system_time = t->system_time;
        rec->mul = t->tsc_to_system_mul;
        rec->shift = t->tsc_shift;
        *tsc = tsc_read();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);
}

uint64_t time_now_ns(void)
{
    struct time_record rec;
    uint64_t tsc, delta;

    if (!shared_info)
        return 0;
    read_record(&rec, &tsc);
    delta = tsc - rec.tsc_timestamp;
    delta = rec.shift >= 0 ? delta << rec.shift : delta >> -rec.shift;
    return rec.system_time + (uint64_t)(((unsigned __int128)delta * rec.mul) >> 32);
}

uint64_t time_tsc_hz(void)
{
    struct time_record rec;
    uint64_t tsc, hz;

    if (!shared_info)
        return 0;
    read_record(&rec, &tsc);
    if (!rec.mul)
        return 0;
    hz = (uint64_t)((NS_PER_S << 32) / rec.mul);
    return rec.shift >= 0 ? hz >> rec.shift : hz << -rec.shift;
}

void time_wallclock(uint64_t *sec, uint32_t *nsec)
{
    const volatile struct shared_info *s = shared_info;
    uint64_t base_sec, now = time_now_ns(), ns;
    uint32_t version, base_nsec;

    *sec = 0;
    *nsec = 0;
    if (!s)
        return;
    do {
        version = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        base_sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        base_nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != s->wc_version);
    ns = base_nsec + now % NS_PER_S;
    *sec = base_sec + now / NS_PER_S + ns / NS_PER_S;
    *nsec = (uint32_t)(ns % NS_PER_S);
}

static bool leap_year(unsigned int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned int time_year(uint64_t sec)
{
    uint64_t days = sec / SECONDS_PER_DAY;
    unsigned int year = 1970;

    while (days >= (leap_year(year) ? 366U : 365U)) {
        days -= leap_year(year) ? 366U : 365U;
        year++;
    }
    return year;
}

/* ---- VIRQ_TIMER ------------------------------------------------------------- */

static void tick(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)data;
    timer_ticks++;
    if (preemption && regs_user_mode(r))
        resched_wanted = true;
}

long timer_start(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = TICK_NS };
    evtchn_port_t port;
    long rc;

    if (tick_port)
        return 0;
    if (!shared_info)
        return -XEN_ENOSYS;
    rc = gk_evtchn_bind_virq(VIRQ_TIMER, &port);
    if (rc)
        return rc;
    tick_port = gk_evtchn_attach(port, tick, NULL);
    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period);
}

void timer_stop(void)
{
    if (tick_port)
        gk_evtchn_detach(tick_port);
    tick_port = 0;
}

uint32_t timer_port(void)
{
    return tick_port;
}

/* ---- waiting ------------------------------------------------------------------ */

bool time_wait_until(bool (*cond)(void *), void *arg, uint64_t deadline_ns)
{
    unsigned int was = events_disable();
    bool done;

    for (;;) {
        done = cond(arg);
        if (done || (deadline_ns && time_now_ns() >= deadline_ns))
            break;
        if (deadline_ns)
            HYPERVISOR_set_timer_op(deadline_ns);
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);   /* unmasks; upcalls run here */
        events_disable();
    }
    events_restore(was);
    return done;
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

void time_sleep_ns(uint64_t ns)
{
    if (!shared_info || timer_start() != 0) {
        time_spin_ns(ns);            /* no VIRQ_TIMER to wake us: burn it */
        return;
    }
    time_wait_until(never, NULL, time_now_ns() + ns);
}

void time_spin_ns(uint64_t ns)
{
    uint64_t end = time_now_ns() + ns;

    if (!shared_info)
        return;
    while (time_now_ns() < end)
        __asm__ volatile("pause");
}

/* ---- preemption --------------------------------------------------------------- */

void time_init(void)
{
    long rc = timer_start();

    if (rc)
        printk("time: no VIRQ_TIMER (%ld): processes are not preempted\n", rc);
    else
        time_enable_preemption(true);
}

void time_enable_preemption(bool on)
{
    preemption = on;
}

void preempt_point(struct regs *r)
{
    if (!resched_wanted)
        return;
    resched_wanted = false;
    if (preemption && regs_user_mode(r)) {
        preemptions++;
        schedule();                  /* process.c: the next runnable process */
    }
}
