/*
 * Test timer_periodic_bound: the limits of the periodic timer and of every
 * deadline a guest hands the hypervisor (issue 10, hole 6).
 *
 * What, with VIRQ_TIMER bound and both timers stopped:
 * - VCPUOP_set_periodic_timer refuses periods above Xen's STIME_DELTA_MAX
 *   (2^62 - 1 ns, about 146 years): 2^62, 2^63 and 2^64 - 1 are -EINVAL and
 *   leave the timer stopped (no VIRQ_TIMER for 50 ms); the bound itself is
 *   accepted and its first tick is 146 years away (no event for 50 ms).
 * - VCPUOP_set_singleshot_timer at 2^62 and at 2^63 - 1 (the last positive
 *   system time), with and without VCPU_SSHOTTMR_future, is accepted and
 *   does not fire (no event for 50 ms); at 2^63 and at 2^64 - 1 (negative
 *   as Xen's signed s_time_t: in the past) it fires once, at once.
 * - set_timer_op at 2^63 - 1: the "huge timeout" rule, one event after
 *   100 ms, not a wrapped deadline.
 * - SCHEDOP_poll (events masked) on the VIRQ_TIMER port with a timeout of
 *   2^63 - 1 and a single-shot timer 5 ms ahead returns when the timer
 *   makes the port pending, not at once; with a timeout of 2^64 - 1 (in
 *   the past, as above) on a quiet port it returns at once.
 * Why: a period near 2^64 made Tern's "now + period" wrap into the past:
 * the timer was always due and the hypervisor re-armed the APIC timer a
 * microsecond ahead after every tick, for as long as the domain lived.
 * Every deadline must saturate instead of wrapping.
 * Expected (real Xen 4.17): as above; the timer events counted by the
 * handler are 0 in every quiet window, whatever the interleaving, since
 * no timer that could fire is armed then.
 */
#include "evtest.h"

static const char test_title[] =
    "timer bounds: periodic above STIME_DELTA_MAX refused, far deadlines never fire";

#define STIME_DELTA_MAX ((1UL << 62) - 1)
#define STIME_MAX       ((1UL << 63) - 1)
#define QUIET_NS        (50 * MS)
#define SAFETY_NS       (10 * NS_PER_S)

static struct ev_record rec;

static long periodic(uint64_t period)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

static long singleshot(uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline, .flags = flags };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

static long poll1(evtchn_port_t *port, uint64_t timeout)
{
    struct sched_poll p = { .ports = (uint64_t)(uintptr_t)port, .nr_ports = 1,
                            .timeout = timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void stop_timers(void)
{
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    HYPERVISOR_set_timer_op(0);
}

/* No VIRQ_TIMER may arrive for QUIET_NS. */
static void quiet(const char *what)
{
    uint64_t before = rec.count;

    ev_spin(QUIET_NS);
    if (rec.count == before)
        printk("  ok   %s: no VIRQ_TIMER in %lu ms\n", what, QUIET_NS / MS);
    else
        test_failure("%s: %lu VIRQ_TIMER events in %lu ms, expected none", what,
                     rec.count - before, QUIET_NS / MS);
}

/* Exactly one more event within 200 ms (and no second one 15 ms later). */
static void fires_once(const char *what, uint64_t before)
{
    bool came = ev_wait_count(&rec, before + 1, 200 * MS);

    ev_spin(15 * MS);
    if (!came)
        test_failure("%s: no VIRQ_TIMER within 200 ms", what);
    else
        check_rc(what, (long)(rec.count - before), 1);
}

static void periodic_bound(void)
{
    check_rc("VCPUOP_set_periodic_timer(2^64 - 1)", periodic(UINT64_MAX), -XEN_EINVAL);
    quiet("  -> refused: the timer stays stopped");
    check_rc("VCPUOP_set_periodic_timer(2^63)", periodic(1UL << 63), -XEN_EINVAL);
    check_rc("VCPUOP_set_periodic_timer(2^62, one above the bound)", periodic(1UL << 62),
             -XEN_EINVAL);
    quiet("  -> refused: the timer stays stopped");
    check_rc("VCPUOP_set_periodic_timer(2^62 - 1, the bound)", periodic(STIME_DELTA_MAX), 0);
    quiet("  -> its first tick is 146 years away");
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
}

static void singleshot_far(void)
{
    uint64_t before;

    check_rc("VCPUOP_set_singleshot_timer(2^62)", singleshot(1UL << 62, 0), 0);
    quiet("  -> not due");
    check_rc("VCPUOP_set_singleshot_timer(2^63 - 1)", singleshot(STIME_MAX, 0), 0);
    quiet("  -> not due");
    check_rc("VCPUOP_set_singleshot_timer(2^63 - 1, VCPU_SSHOTTMR_future)",
             singleshot(STIME_MAX, VCPU_SSHOTTMR_future), 0);
    quiet("  -> not due");
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    before = rec.count;
    check_rc("VCPUOP_set_singleshot_timer(2^63: a negative system time)",
             singleshot(1UL << 63, 0), 0);
    fires_once("  -> in the past: fired once", before);
    before = rec.count;
    check_rc("VCPUOP_set_singleshot_timer(2^64 - 1, VCPU_SSHOTTMR_future)",
             singleshot(UINT64_MAX, VCPU_SSHOTTMR_future), 0);
    fires_once("  -> in the past: fired once", before);
}

static void timer_op_far(void)
{
    uint64_t before = rec.count, t0 = time_now_ns();

    check_rc("set_timer_op(2^63 - 1)", HYPERVISOR_set_timer_op(STIME_MAX), 0);
    if (!ev_wait_count(&rec, before + 1, 300 * MS)) {
        test_failure("  -> no event within 300 ms, expected one after 100 ms");
        return;
    }
    if (rec.ns - t0 + TIMER_EARLY_NS < 100 * MS)
        test_failure("  -> fired after %lu us, expected 100 ms", (rec.ns - t0) / 1000);
    else
        printk("  ok     -> fired after %lu us (the 100 ms rule)\n", (rec.ns - t0) / 1000);
    HYPERVISOR_set_timer_op(0);
}

/* With events masked: the timer port wakes a poll whose timeout is far. */
static void poll_far(evtchn_port_t timer)
{
    uint64_t t0, took;
    evtchn_port_t port = timer;

    events_disable();
    gk_evtchn_clear_port(timer);
    t0 = time_now_ns();
    check_rc("VCPUOP_set_singleshot_timer(now + 5 ms)", singleshot(t0 + 5 * MS, 0), 0);
    check_rc("poll(VIRQ_TIMER port, timeout 2^63 - 1)", poll1(&port, STIME_MAX), 0);
    took = time_now_ns() - t0;
    check_true("  -> returned because the timer port is pending", gk_evtchn_port_pending(timer));
    if (took + TIMER_EARLY_NS < 5 * MS)
        test_failure("  returned after %lu us, before the timer (5000 us)", took / 1000);
    else
        printk("  ok   returned after %lu us\n", took / 1000);
    gk_evtchn_clear_port(timer);
    singleshot(time_now_ns() + SAFETY_NS, 0);  /* bounds the wait if the timeout were "never" */
    check_rc("poll(VIRQ_TIMER port, timeout 2^64 - 1: in the past)", poll1(&port, UINT64_MAX),
             0);
    check_true("  -> returned at once, the port still quiet", !gk_evtchn_port_pending(timer));
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    gk_evtchn_clear_port(timer);
    events_enable();
}

static void test_main(void)
{
    evtchn_port_t port;

    if (!ev_require_shared_info())
        return;
    memset(&rec, 0, sizeof(rec));
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    events_disable();
    stop_timers();
    gk_evtchn_clear_port(port);          /* a tick raised before the stop */
    ev_record_attach(port, &rec);
    events_enable();
    quiet("both timers stopped");
    periodic_bound();
    singleshot_far();
    timer_op_far();
    poll_far(port);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_timer_periodic_bound = {
    "timer_periodic_bound", test_title, test_main,
};
