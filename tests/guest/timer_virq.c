/*
 * Test timer_virq: VIRQ_TIMER from the single-shot timer (vcpu_op and
 * set_timer_op) and the periodic timer (xen-pv-abi.md 3.6, 3.7).
 *
 * What: with VIRQ_TIMER bound and both timers stopped, no event comes;
 * a single-shot timer 5 ms ahead fires once, not before its deadline; one
 * in the past fires at once; a stopped one never fires; the flag
 * VCPU_SSHOTTMR_future with a past deadline is ignored (no -ETIME, the
 * timer fires at once); the periodic timer at 2 ms
 * fires about every 2 ms until stopped; periods under 1 ms are -EINVAL;
 * set_timer_op with a deadline 5 ms ahead fires once, with 0 cancels, in
 * the past fires at once, with -1 and with a deadline 2^51 ns ahead (the
 * two "huge" cases) fires after 100 ms; SCHEDOP_block with a
 * timer armed returns once the timer event has been handled, with events
 * enabled; vcpu_op on vCPU 1, is_up, get_runstate_info, an unknown command.
 * Why: the timer is the guest's only clock interrupt: scheduling, sleeps
 * and timeouts all hang on it.
 * Expected (real Xen 4.17): every call 0 except as noted; events on time
 * within Xen's timer slop (50 us early at most) and not more than 50 ms
 * late under QEMU; vcpu_op on vCPU 1 -ENOENT; periods of 0 and 999999 ns
 * -EINVAL; unknown command -ENOSYS.
 */
#include "evtest.h"

static const char test_title[] =
    "VIRQ_TIMER: single-shot and periodic timers, set_timer_op, block until the timer";

#define LATE_NS (50 * MS)

static struct ev_record rec;

static long singleshot(uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline, .flags = flags };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

static long periodic(uint64_t period)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

/* Checks that exactly one more event came, at deadline or later. */
static void check_fired_once(const char *what, uint64_t before, uint64_t deadline)
{
    bool came = ev_wait_count(&rec, before + 1, 200 * MS);

    ev_spin(15 * MS);                /* a second one would come in this time */
    if (!came) {
        test_failure("%s: no VIRQ_TIMER within 200 ms", what);
        return;
    }
    check_true(what, rec.count == before + 1);
    if (rec.ns + TIMER_EARLY_NS < deadline || rec.ns > deadline + LATE_NS)
        test_failure("  fired at %ld us from its deadline (allowed: -%lu..+%lu us)",
                     (long)(rec.ns - deadline) / 1000, TIMER_EARLY_NS / 1000, LATE_NS / 1000);
    else
        printk("  ok   fired %ld us after its deadline\n", (long)(rec.ns - deadline) / 1000);
}

static void quiet(const char *what, uint64_t ns)
{
    uint64_t before = rec.count;

    ev_spin(ns);
    check_true(what, rec.count == before);
}

static void singleshot_timer(void)
{
    uint64_t before = rec.count, deadline = time_now_ns() + 5 * MS;

    check_rc("VCPUOP_set_singleshot_timer(now + 5 ms)", singleshot(deadline, 0), 0);
    check_fired_once("  -> fired once", before, deadline);
    before = rec.count;
    check_rc("VCPUOP_set_singleshot_timer(1 ms ago)", singleshot(time_now_ns() - MS, 0), 0);
    check_true("  -> fired within 5 ms", ev_wait_count(&rec, before + 1, 5 * MS));
    check_rc("VCPUOP_set_singleshot_timer(now + 5 ms)", singleshot(time_now_ns() + 5 * MS, 0), 0);
    check_rc("VCPUOP_stop_singleshot_timer", HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer,
                                                                0, NULL), 0);
    quiet("  -> no event in 20 ms", 20 * MS);
    before = rec.count;
    check_rc("VCPUOP_set_singleshot_timer(1 ms ago, VCPU_SSHOTTMR_future): flag ignored",
             singleshot(time_now_ns() - MS, VCPU_SSHOTTMR_future), 0);
    check_true("  -> fired within 5 ms", ev_wait_count(&rec, before + 1, 5 * MS));
}

static void periodic_timer(void)
{
    uint64_t before, n, start;

    check_rc("VCPUOP_set_periodic_timer(0)", periodic(0), -XEN_EINVAL);
    check_rc("VCPUOP_set_periodic_timer(999999 ns)", periodic(999999), -XEN_EINVAL);
    before = rec.count;
    start = time_now_ns();
    check_rc("VCPUOP_set_periodic_timer(2 ms)", periodic(2 * MS), 0);
    ev_spin(50 * MS);
    n = rec.count - before;
    test_info("%lu periodic events in %lu ms at 2 ms", n, (time_now_ns() - start) / MS);
    check_true("  -> between 5 and 26 events in 50 ms", n >= 5 && n <= 26);
    check_rc("VCPUOP_stop_periodic_timer", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer,
                                                              0, NULL), 0);
    ev_spin(3 * MS);                 /* one may have been on its way */
    quiet("  -> no event in 30 ms", 30 * MS);
}

/* A negative deadline, or one more than 2^50 ns ahead: Xen fires in 100 ms. */
static void huge_timeout(const char *what, uint64_t deadline)
{
    uint64_t before = rec.count, t0 = time_now_ns();

    check_rc(what, HYPERVISOR_set_timer_op(deadline), 0);
    if (!ev_wait_count(&rec, before + 1, 300 * MS)) {
        test_failure("  -> no event within 300 ms, expected one after 100 ms");
        return;
    }
    if (rec.ns - t0 + TIMER_EARLY_NS < 100 * MS || rec.ns - t0 > 100 * MS + LATE_NS)
        test_failure("  -> fired after %lu us, expected 100 ms", (rec.ns - t0) / 1000);
    else
        printk("  ok     -> fired after %lu us (100 ms)\n", (rec.ns - t0) / 1000);
}

static void timer_op(void)
{
    uint64_t before = rec.count, deadline = time_now_ns() + 5 * MS;

    check_rc("set_timer_op(now + 5 ms)", HYPERVISOR_set_timer_op(deadline), 0);
    check_fired_once("  -> fired once", before, deadline);
    check_rc("set_timer_op(now + 5 ms)", HYPERVISOR_set_timer_op(time_now_ns() + 5 * MS), 0);
    check_rc("set_timer_op(0): cancel", HYPERVISOR_set_timer_op(0), 0);
    quiet("  -> no event in 20 ms", 20 * MS);
    before = rec.count;
    check_rc("set_timer_op(1 ms ago)", HYPERVISOR_set_timer_op(time_now_ns() - MS), 0);
    check_true("  -> fired within 5 ms", ev_wait_count(&rec, before + 1, 5 * MS));
    huge_timeout("set_timer_op(-1)", (uint64_t)-1);
    huge_timeout("set_timer_op(now + 2^51 ns)", time_now_ns() + (1UL << 51));
    HYPERVISOR_set_timer_op(0);
}

static void block_until_timer(void)
{
    uint64_t before = rec.count, deadline = time_now_ns() + 5 * MS;

    events_disable();
    HYPERVISOR_set_timer_op(deadline);
    check_rc("sched_op(block) with events masked and a timer 5 ms ahead",
             HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
    check_true("  -> the timer event was handled on the way back", rec.count == before + 1);
    check_true("  -> not before its deadline", time_now_ns() + TIMER_EARLY_NS >= deadline);
    check_true("  -> events are enabled (block unmasks them)", !events_masked());
}

static void vcpu_ops(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = 10 * MS };
    struct vcpu_runstate_info rs;

    check_rc("vcpu_op(is_up, vcpu 0)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    check_rc("vcpu_op(is_up, vcpu 1)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT);
    check_rc("vcpu_op(set_periodic_timer 10 ms, vcpu 1)",
             HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 1, &period), -XEN_ENOENT);
    check_rc("vcpu_op(cmd 99)", HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS);
    memset(&rs, 0xff, sizeof(rs));
    if (check_rc("vcpu_op(get_runstate_info)",
                 HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0)) {
        check_rc("  state", rs.state, RUNSTATE_running);
        check_true("  time running > 0", rs.time[RUNSTATE_running] > 0);
        check_true("  state entered in the past", rs.state_entry_time <= time_now_ns());
        test_info("running %lu ms, runnable %lu ms, blocked %lu ms, offline %lu ms",
                  rs.time[0] / MS, rs.time[1] / MS, rs.time[2] / MS, rs.time[3] / MS);
    }
    check_rc("vcpu_op(get_runstate_info, unmapped)",
             HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
}

static void test_main(void)
{
    evtchn_port_t port;

    if (!ev_require_shared_info())
        return;
    memset(&rec, 0, sizeof(rec));
    events_enable();
    vcpu_ops();
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    check_rc("VCPUOP_stop_periodic_timer", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer,
                                                              0, NULL), 0);
    check_rc("VCPUOP_stop_singleshot_timer", HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer,
                                                                0, NULL), 0);
    ev_record_attach(port, &rec);
    ev_spin(2 * MS);
    rec.count = 0;
    quiet("both timers stopped: no event in 30 ms", 30 * MS);
    singleshot_timer();
    periodic_timer();
    timer_op();
    block_until_timer();
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_timer_virq = { "timer_virq", test_title, test_main };
