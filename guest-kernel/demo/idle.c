/*
 * Tern guest kernel: domains that only exist, for the scale rows of
 * `make bench` (tools/bench.py) and the 128-domain scenarios. Command-line
 * words (see roles.c):
 *
 *   idle            stop the periodic timer and block for good: the domain
 *                   is there, counted among the running, and never asks
 *                   for the CPU; domain 0 ends it with idle-end
 *   idle-end=<dom>  (domain 0, at its end) destroy every domain from <dom>
 *                   up that has not ended, before waiting for the rest
 *   bench-pingpong  (the ping-pong server, domain 0) also: before the first
 *                   answer, wait until every domain but the peer is
 *                   blocked or ended, so the timed rounds and switches
 *                   share the CPU with nobody else (idle_settle)
 *
 * Why: a hypervisor path that scans every domain (the run queue, the timer
 * queue, event delivery) shows up as a round trip or a switch that costs
 * more with 128 domains present than with 2; the idle domains make the
 * difference visible without adding work of their own.
 */
#include <public/errno.h>
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define OPTION_LEN      16
#define SETTLE_POLL_NS  (10 * NS_PER_MS)

_Noreturn void idle_run(void)
{
    printk("idle: blocked for good (domain 0 ends us)\n");
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);   /* no event is ever bound */
}

/* Domains other than us and peer that run and are not blocked; < 0: error. */
static long busy_others(domid_t peer)
{
    struct xen_domctl_getdomaininfo info;
    long busy = 0, rc;
    domid_t next = 1;

    while ((rc = control_next_domain(next, &info)) == 1) {
        if (info.domain != peer && control_domain_running(&info) &&
            !(info.flags & XEN_DOMINF_blocked))
            busy++;
        if (info.domain >= DOMID_FIRST_RESERVED - 1)
            break;
        next = (domid_t)(info.domain + 1);
    }
    return rc < 0 ? rc : busy;
}

void idle_settle(domid_t peer)
{
    long n;

    while ((n = busy_others(peer)) > 0)
        time_sleep_ns(SETTLE_POLL_NS);
    if (n < 0)
        printk("idle: the domain list cannot be read (%ld)\n", n);
}

void idle_end(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("idle-end", buf, sizeof(buf));
    struct xen_domctl_getdomaininfo info;
    unsigned int ended = 0;
    domid_t next = 0;

    if (!v)
        return;
    while (*v >= '0' && *v <= '9' && next < 1000)
        next = (domid_t)(next * 10 + (domid_t)(*v++ - '0'));
    if (*v || next == 0) {
        printk("idle: idle-end=%s: want a domain id other than 0\n", buf);
        return;
    }
    while (control_next_domain(next, &info) == 1) {
        if (control_domain_running(&info) && control_destroy(info.domain) == 0)
            ended++;
        if (info.domain >= DOMID_FIRST_RESERVED - 1)
            break;
        next = (domid_t)(info.domain + 1);
    }
    printk("idle: %u idle domains destroyed\n", ended);
}
