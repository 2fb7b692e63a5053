/*
 * Tern guest kernel: the ping-pong demo, two domains bouncing events over
 * an interdomain event channel (command line, see roles.c):
 *
 *   pingpong=serve:<peer>[:<rounds>]              the server
 *   pingpong=connect:<server>:<port>[:<rounds>]   the client
 *
 * There is no xenstore to publish a port in, so the port is agreed on the
 * command lines: the server allocates it with alloc_unbound(remote = peer)
 * before anything else binds a port, so it gets the first free one (1 on
 * a fresh domain), and says which it got; the client binds to the port
 * its command line names, retrying while the server has not allocated it
 * yet. The client's new port starts out pending (the hypervisor fires a
 * fresh interdomain binding once); the client clears that, then sends the
 * first ping. Each side answers every event with one send, so events
 * strictly alternate and can never coalesce: `rounds` round trips, the
 * progress every tenth, a final line, and both close their ports.
 *
 * With `bench-pingpong` the server first waits until every other domain
 * is blocked (idle.c), the progress lines are left out, the client
 * prints the cost of a round trip and, once the rounds are over, both
 * sides call SCHEDOP_yield in a loop and the server prints the cost of a
 * switch to the other domain and back, per switch ("bench: ..." lines).
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "bench/bench.h"
#include "demo/roles.h"
#include "kernel/time.h"

#define CONNECT_TIMEOUT_NS (20 * NS_PER_S)   /* the peer may start late */
#define STALL_TIMEOUT_NS   (5 * NS_PER_S)    /* no answer this long: stalled */
#define RETRY_NS           (10 * NS_PER_MS)
#define SWITCH_YIELDS      2000

struct pingpong {
    const struct pingpong_args *args;
    evtchn_port_t port;              /* ours */
    volatile uint32_t received;      /* events handled by on_event */
    uint32_t answered;               /* of those, the main loop has acted on */
    uint64_t start_tsc, start_ns;
};

static struct pingpong pp;

static void on_event(evtchn_port_t port, struct regs *r, void *data)
{
    struct pingpong *p = data;

    (void)port;
    (void)r;
    p->received++;
}

static bool event_arrived(void *arg)
{
    const struct pingpong *p = arg;

    return p->received != p->answered;
}

long pingpong_publish(const struct pingpong_args *a)
{
    long rc = gk_evtchn_alloc_unbound(a->peer, &pp.port);

    pp.args = a;
    if (rc) {
        printk("pingpong: alloc_unbound for domain %u failed: %ld\n", a->peer, rc);
        return rc;
    }
    printk("pingpong: serving domain %u on port %u (%u rounds)\n", a->peer, pp.port,
           a->rounds);
    if (pp.port != a->port)
        printk("pingpong: note: port %u, not the %u the client is told\n", pp.port, a->port);
    return 0;
}

/* The client's bind, retried while the server has not offered the port. */
static long connect(const struct pingpong_args *a)
{
    uint64_t deadline = time_now_ns() + CONNECT_TIMEOUT_NS;
    long rc;

    printk("pingpong: connecting to domain %u port %u (%u rounds)\n", a->peer, a->port,
           a->rounds);
    while ((rc = gk_evtchn_bind_interdomain(a->peer, a->port, &pp.port)) != 0) {
        if ((rc != -XEN_EINVAL && rc != -XEN_ESRCH) || time_now_ns() >= deadline) {
            printk("pingpong: bind_interdomain(domain %u, port %u) failed: %ld\n",
                   a->peer, a->port, rc);
            return rc;
        }
        time_sleep_ns(RETRY_NS);
    }
    printk("pingpong: local port %u bound to domain %u port %u\n", pp.port, a->peer,
           a->port);
    gk_evtchn_clear_port(pp.port);      /* the one event every new binding starts with */
    return 0;
}

static void progress(const struct pingpong *p)
{
    uint32_t n = p->answered, tenth = p->args->rounds / 10;

    if (p->args->bench || tenth == 0 || n % tenth != 0)
        return;
    printk("pingpong: %s %u/%u\n", p->args->server ? "answered" : "round trip", n,
           p->args->rounds);
}

/* One event in, one event out (the client sends no more after the last). */
static bool bounce(struct pingpong *p, uint64_t timeout_ns)
{
    if (!time_wait_until(event_arrived, p, time_now_ns() + timeout_ns)) {
        printk("pingpong: stalled: no event from domain %u after %u of %u rounds\n",
               p->args->peer, p->answered, p->args->rounds);
        return false;
    }
    if (p->answered == 0) {          /* the clock starts at the first event in */
        p->start_tsc = tsc_read();
        p->start_ns = time_now_ns();
    }
    p->answered++;
    if (p->args->server || p->answered < p->args->rounds)
        gk_evtchn_send(p->port);
    progress(p);
    return true;
}

/* The time is from the first event in to the last: rounds - 1 round trips
 * (the first one may include the server still starting up). */
static void report(const struct pingpong *p)
{
    uint64_t tsc = tsc_read() - p->start_tsc, ns = time_now_ns() - p->start_ns;
    uint32_t n = p->answered > 1 ? p->answered - 1 : 1;

    printk("pingpong: %u %s with domain %u; %lu us for the last %u (%lu ns each); done\n",
           p->answered, p->args->server ? "pings answered" : "round trips", p->args->peer,
           ns / 1000, n, ns / n);
    if (p->args->bench && !p->args->server)
        bench_report("pingpong_round_trip", n, tsc);
}

/* Both sides yield SWITCH_YIELDS times; with the other side yielding too,
 * each yield is a switch to it and back. The server reports per switch. */
static void bench_switch(const struct pingpong_args *a)
{
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < SWITCH_YIELDS; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if (a->server)
        bench_report("domain_switch", 2 * SWITCH_YIELDS, tsc_read() - t0);
}

void pingpong_run(const struct pingpong_args *a)
{
    bool ok = true;

    pp.args = a;
    pp.received = pp.answered = 0;
    if (timer_start() != 0 || (!a->server && connect(a) != 0) || (a->server && !pp.port))
        return;
    if (a->server && a->bench)
        idle_settle(a->peer);           /* the timed rounds share the CPU with nobody */
    gk_evtchn_attach(pp.port, on_event, &pp);
    if (!a->server)
        gk_evtchn_send(pp.port);        /* the first ping */
    ok = bounce(&pp, CONNECT_TIMEOUT_NS);   /* the other side may still be busy */
    while (ok && pp.answered < a->rounds)
        ok = bounce(&pp, STALL_TIMEOUT_NS);
    if (ok)
        report(&pp);
    if (ok && a->bench)
        bench_switch(a);
    gk_evtchn_detach(pp.port);
}
