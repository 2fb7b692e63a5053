/*
 * Test sched_poll: SCHEDOP_poll, sleeping until one of a list of ports is
 * pending or a timeout passes (public/sched.h).
 *
 * What, with the vCPU's events masked (poll returns at once when an
 * upcall could be delivered) and the ports masked: a poll on a port that
 * nothing raises returns at its timeout; on a port already pending it
 * returns at once, with or without a timeout; on the VIRQ_TIMER port with
 * a single-shot timer 5 ms ahead and a 1 s timeout it returns when the
 * timer makes the port pending (a masked port still wakes its poller); an
 * empty list with a timeout sleeps until the timeout; a timeout already
 * past returns at once; poll leaves events masked. Refused: 129 ports,
 * port 5000 in the list, an unmapped list, an unmapped argument.
 * Why: poll is the PV way to wait for one event without taking upcalls
 * (Linux's spinlock slow path); its timeout is the only bound on the wait.
 * Expected (real Xen 4.17): 0 and the durations above (a timeout is met
 * within Xen's timer slop and at most 50 ms late under QEMU); 129 ports
 * and port 5000 -EINVAL; unmapped list or argument -EFAULT.
 */
#include "evtest.h"

static const char test_title[] =
    "sched_op(poll): timeout, pending port, timer wake-up, empty list, bad arguments";

#define LATE_NS (50 * MS)

static long poll_ports(evtchn_port_t *ports, uint32_t n, uint64_t timeout)
{
    struct sched_poll p = { .ports = (uint64_t)(uintptr_t)ports, .nr_ports = n,
                            .timeout = timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* Polls and checks the time it took: at least min_ns (less the timer
 * slop), at most max_ns. */
static void timed_poll(const char *what, evtchn_port_t *ports, uint32_t n, uint64_t timeout,
                       uint64_t min_ns, uint64_t max_ns)
{
    uint64_t t0 = time_now_ns(), took;
    long rc = poll_ports(ports, n, timeout ? t0 + timeout : 0);

    took = time_now_ns() - t0;
    if (!check_rc(what, rc, 0))
        return;
    if (took + TIMER_EARLY_NS < min_ns || took > max_ns)
        test_failure("  returned after %lu us, expected %lu..%lu us", took / 1000,
                     min_ns / 1000, max_ns / 1000);
    else
        printk("  ok   returned after %lu us\n", took / 1000);
}

static void bad_polls(evtchn_port_t port)
{
    static evtchn_port_t many[129];
    evtchn_port_t bad[2] = { port, 5000 };

    for (unsigned int i = 0; i < 129; i++)
        many[i] = port;
    check_rc("poll(129 ports)", poll_ports(many, 129, 0), -XEN_EINVAL);
    check_rc("poll(a list with port 5000)", poll_ports(bad, 2, 0), -XEN_EINVAL);
    check_rc("poll(unmapped list)", poll_ports(bad_ptr(BAD_VA_UNMAPPED), 1, 0), -XEN_EFAULT);
    check_rc("poll(unmapped argument)",
             HYPERVISOR_sched_op(SCHEDOP_poll, bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
}

static void timer_wakes_poll(evtchn_port_t timer)
{
    uint64_t t0 = time_now_ns(), took;
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = t0 + 5 * MS };

    check_rc("VCPUOP_set_singleshot_timer(now + 5 ms)",
             HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), 0);
    check_rc("poll(VIRQ_TIMER port, masked, 1 s timeout)", poll_ports(&timer, 1, t0 + NS_PER_S),
             0);
    took = time_now_ns() - t0;
    check_true("  -> the timer port is pending", gk_evtchn_port_pending(timer));
    if (took + TIMER_EARLY_NS < 5 * MS || took > 5 * MS + LATE_NS)
        test_failure("  returned after %lu us, expected about 5000 us", took / 1000);
    else
        printk("  ok   returned after %lu us\n", took / 1000);
    gk_evtchn_clear_port(timer);
}

static void test_main(void)
{
    struct ev_loopback l;
    evtchn_port_t timer;

    if (!ev_require_shared_info() || !ev_loopback_open(&l))
        goto out;
    timer = ev_bind_virq(VIRQ_TIMER);
    if (!timer)
        goto out;
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    gk_evtchn_clear_port(timer);
    events_disable();
    timed_poll("poll(a quiet port, timeout 5 ms)", &l.far, 1, 5 * MS, 5 * MS, 5 * MS + LATE_NS);
    gk_evtchn_send(l.near);
    timed_poll("poll(a pending port, timeout 1 s)", &l.far, 1, NS_PER_S, 0, LATE_NS);
    timed_poll("poll(a pending port, no timeout)", &l.far, 1, 0, 0, LATE_NS);
    evtchn_port_t both[2] = { l.near, l.far };
    timed_poll("poll(two ports, the second pending)", both, 2, NS_PER_S, 0, LATE_NS);
    gk_evtchn_clear_port(l.far);
    timer_wakes_poll(timer);
    timed_poll("poll(no ports, timeout 5 ms)", NULL, 0, 5 * MS, 5 * MS, 5 * MS + LATE_NS);
    check_rc("poll(a quiet port, timeout 1 ms ago)",
             poll_ports(&l.far, 1, time_now_ns() - MS), 0);
    check_true("events still masked after the polls", events_masked());
    bad_polls(l.far);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_sched_poll = { "sched_poll", test_title, test_main };
