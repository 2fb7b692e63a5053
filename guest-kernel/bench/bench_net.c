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
 *   net_udp_domu_per_kib a stream of full-size UDP datagrams to the peer's
 *                        byte counter (net/udp_sink.c), per KiB that
 *                        ARRIVED there: what was dropped on the way (a
 *                        full rx ring) costs but does not count.
 *
 * bench-udp=<a.b.c.d>:<port> adds net_udp_nic_pv_per_kib: the same stream
 * to a counter beyond the NIC (tools/bench.py's, on the host's 127.0.0.1,
 * which QEMU's user network shows as 10.0.2.2): through netback, the
 * bridge and domain 0's e1000 driver, per KiB the card took (see
 * udp_stream); bench_nic.c is its baseline without the split driver.
 *
 * One ping first resolves the peer (ARP) and is not counted; the stream
 * starts after the counter has answered once. Ends with "bench: done",
 * which the bench script waits for.
 */
#include <public/errno.h>
#include "bench/bench.h"
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "net/net_text.h"
#include "net/netstack.h"
#include "net/udp_sink.h"
#include "xen/xenbus.h"

#define PINGS      200
#define STREAM     (2u << 20)      /* bytes sent per UDP stream */
#define ASKS       3               /* tries of the final count (it may be dropped) */
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

static long count_after(uint32_t dst, uint16_t port, struct udp_sink *out)
{
    long rc = -1;

    for (int i = 0; rc && i < ASKS; i++)
        rc = netstack_sink_count(&stack, dst, port, WAIT_NS, out);
    return rc;
}

/* The stream to dst:port's counter. Between guests the clock stops at the
 * counter's answer (the whole path is the machine's) and the figure is per
 * KiB that arrived. Beyond the NIC (nic) it stops when netback has
 * answered the last frame (it answers once it copied a frame in, then
 * bridges it to the card in the same pass: at most the last frame's trip
 * to the card is left out of 2 MiB), and the figure is per KiB sent: the host's answer comes in host time, which
 * -icount cannot make the same on every run, and what the host drops
 * after the card is not ours. */
static void udp_stream(const char *row, uint32_t dst, uint16_t port, bool nic)
{
    struct udp_sink before = { 0 }, after = { 0 };
    uint32_t sent = 0;
    uint64_t t0, total = 0;
    long rc = netstack_sink_count(&stack, dst, port, WAIT_NS, &before);

    t0 = tsc_read();
    for (; rc == 0 && sent < STREAM; sent += NETSTACK_UDP_MAX)
        rc = netstack_udp_send(&stack, dst, port, NETSTACK_UDP_MAX, WAIT_NS);
    if (nic) {
        rc = rc ?: netstack_tx_drain(&stack, WAIT_NS);
        total = tsc_read() - t0;
    }
    rc = rc ?: count_after(dst, port, &after);
    total = nic ? total : tsc_read() - t0;
    bench_report_stream(row, after.bytes - before.bytes, sent, total, rc, nic);
}

/* bench-udp=<ip>:<port>, if given. */
static void udp_to_nic(void)
{
    char buf[OPTION_LEN];
    uint32_t dst;
    uint16_t port;

    if (!cmdline_option("bench-udp", buf, sizeof(buf)))
        return;
    if (!net_parse_ipv4_port(buf, &dst, &port)) {
        bench_failed("net_udp_nic_pv_per_kib", -XEN_EINVAL);
        return;
    }
    udp_stream("net_udp_nic_pv_per_kib", dst, port, true);
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
        udp_stream("net_udp_domu_per_kib", dst, UDP_SINK_PORT, false);
        udp_to_nic();
        netstack_down(&stack);
    }
    printk("bench: done\n");
    return true;
}
