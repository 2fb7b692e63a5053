/*
 * Tern guest kernel: bench-net=<a.b.c.d> (an unprivileged domain with a
 * vif; domain 0 running driver-domain, the peer answering with netfront;
 * tools/bench.py, Tern only): the PV network's cost in instructions
 * executed by the whole machine (guest TSC under -icount: both domains',
 * domain 0's and the hypervisor's together, idle blocking included):
 *
 *   net_ping_round_trip  one ICMP echo request to the peer and its reply:
 *                        our netfront, domain 0's netback and bridge, the
 *                        peer's netfront and stack, and back.
 *
 * One ping first resolves the peer (ARP) and is not counted. Ends with
 * "bench: done", which the bench script waits for.
 */
#include "bench/bench.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "net/net_text.h"
#include "net/netstack.h"
#include "xen/xenbus.h"

#define PINGS      200
#define OPTION_LEN 24
#define WAIT_NS    (5 * NS_PER_S)

static struct netstack stack;

static long ping_all(uint32_t dst, uint64_t *total)
{
    uint64_t rtt, t0;
    long rc = netstack_ping(&stack, dst, 1, WAIT_NS, &rtt);   /* ARP, not counted */

    t0 = tsc_read();
    for (uint16_t seq = 2; rc == 0 && seq < PINGS + 2; seq++)
        rc = netstack_ping(&stack, dst, seq, WAIT_NS, &rtt);
    *total = tsc_read() - t0;
    return rc;
}

bool bench_net_run(void)
{
    char buf[OPTION_LEN];
    uint32_t dst = 0;
    uint64_t total;
    long rc;

    if (!cmdline_option("bench-net", buf, sizeof(buf)))
        return false;
    rc = net_parse_ipv4(buf, &dst) ? 0 : -1;
    rc = rc ?: timer_start() ?: xenbus_init() ?: netstack_up(&stack, 0);
    if (!bench_failed("net_ping_round_trip", rc)) {
        rc = ping_all(dst, &total);
        if (!bench_failed("net_ping_round_trip", rc))
            bench_report("net_ping_round_trip", PINGS, total);
        netstack_down(&stack);
    }
    printk("bench: done\n");
    return true;
}
