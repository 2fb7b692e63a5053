/*
 * Tern guest kernel: event-channel and timer benchmarks (command-line word
 * `bench-events`; tools/bench.py runs them on Tern and on Xen, under QEMU
 * -icount, where the TSC counts instructions). Same output as bench.c:
 *
 *   evtchn_send_masked   EVTCHNOP_send on a loopback channel whose far end
 *                        is masked: the pending bit is set, no upcall (the
 *                        bit is cleared again between two sends)
 *   evtchn_send_upcall   the same with the far end unmasked: the send, the
 *                        upcall to a handler that counts, and the iret
 *                        hypercall back
 *   evtchn_unmask        EVTCHNOP_unmask of a masked port with nothing
 *                        pending (re-masked in guest memory between two)
 *   timer_virq_latency   from a set_timer_op deadline 100 us ahead to the
 *                        VIRQ_TIMER handler, the vCPU blocked meanwhile
 *                        (how late a timer event arrives)
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "bench/bench.h"
#include "demo/roles.h"
#include "kernel/time.h"

#define SEND_ITERATIONS   2000
#define TIMER_ITERATIONS  50
#define TIMER_AHEAD_NS    100000UL

struct loopback {
    evtchn_port_t near, far;         /* send on near, far becomes pending */
};

static volatile uint64_t handled;
static volatile uint64_t handler_tsc;

static void count_event(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    handler_tsc = tsc_read();
    handled++;
}

/* far: alloc_unbound offered to ourselves; near: bound to it. */
static bool loopback_open(struct loopback *l)
{
    long rc = gk_evtchn_alloc_unbound(DOMID_SELF, &l->far);

    if (rc == 0)
        rc = gk_evtchn_bind_interdomain(DOMID_SELF, l->far, &l->near);
    if (bench_failed("loopback", rc))
        return false;
    gk_evtchn_clear_port(l->near);
    gk_evtchn_clear_port(l->far);
    return true;
}

static void bench_send_masked(const struct loopback *l)
{
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < SEND_ITERATIONS; i++) {
        gk_evtchn_send(l->near);
        gk_evtchn_clear_port(l->far);
    }
    bench_report("evtchn_send_masked", SEND_ITERATIONS, tsc_read() - t0);
}

static void bench_send_upcall(const struct loopback *l)
{
    uint64_t before = handled, t0;

    gk_evtchn_attach(l->far, count_event, NULL);
    t0 = tsc_read();
    for (unsigned int i = 0; i < SEND_ITERATIONS; i++)
        gk_evtchn_send(l->near);
    t0 = tsc_read() - t0;
    gk_evtchn_mask_port(l->far);
    if (handled - before != SEND_ITERATIONS)
        printk("bench: evtchn_send_upcall error=%ld\n",
               -(long)(SEND_ITERATIONS - (handled - before)));
    else
        bench_report("evtchn_send_upcall", SEND_ITERATIONS, t0);
}

static void bench_unmask(const struct loopback *l)
{
    struct evtchn_unmask u = { .port = l->far };
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < SEND_ITERATIONS; i++) {
        HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
        gk_evtchn_mask_port(l->far);
    }
    bench_report("evtchn_unmask", SEND_ITERATIONS, tsc_read() - t0);
}

static bool handled_since(void *arg)
{
    return handled != *(const uint64_t *)arg;
}

static void bench_timer(void)
{
    uint64_t total = 0, ns_per_tsc_q32;
    evtchn_port_t port;

    timer_stop();
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    if (bench_failed("timer_virq_latency", gk_evtchn_bind_virq(VIRQ_TIMER, &port)))
        return;
    gk_evtchn_attach(port, count_event, NULL);
    ns_per_tsc_q32 = ((NS_PER_S << 32) / (time_tsc_hz() ? time_tsc_hz() : NS_PER_S));
    for (unsigned int i = 0; i < TIMER_ITERATIONS; i++) {
        uint64_t before = handled, t0 = tsc_read(), now = time_now_ns();
        uint64_t deadline = now + TIMER_AHEAD_NS;
        uint64_t deadline_tsc = t0 + (TIMER_AHEAD_NS << 32) / ns_per_tsc_q32;

        HYPERVISOR_set_timer_op(deadline);
        time_wait_until(handled_since, &before, 0);
        total += handler_tsc > deadline_tsc ? handler_tsc - deadline_tsc : 0;
    }
    bench_report("timer_virq_latency", TIMER_ITERATIONS, total);
    gk_evtchn_detach(port);
}

void bench_events_run(void)
{
    struct loopback l;

    events_enable();
    if (!shared_info) {
        printk("bench: events error=%d\n", -XEN_ENOSYS);
        return;
    }
    if (loopback_open(&l)) {
        bench_send_masked(&l);
        bench_send_upcall(&l);
        bench_unmask(&l);
        gk_evtchn_detach(l.near);
        gk_evtchn_detach(l.far);
    }
    bench_timer();
}
