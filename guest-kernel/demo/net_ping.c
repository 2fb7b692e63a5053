/*
 * Tern guest kernel: the netfront role (an unprivileged domain).
 *
 *   netfront[=<ms>]        bring the domain's vif 0 up (net/netfront.c),
 *                          answer pings and UDP echo (port 7) for <ms>
 *                          (default 2000) after its own pings, then close
 *                          the device and end every grant;
 *   answers=<p>[:<d>]      end the serving as soon as <p> pings were
 *                          answered and <d> datagrams echoed (default 0)
 *                          and the backend took the replies, <ms> being the
 *                          limit: a peer's count, not the host's speed,
 *                          decides when the role is done;
 *   ip=<a.b.c.d>           its address (default: ip= of its vif's backend
 *                          directory);
 *   ping=<a.b.c.d>[:<n>[:<ms>]]  first send <n> (default 4) echo requests,
 *                          one after the other's answer (and <ms> of
 *                          serving, default 0), printing each round trip,
 *                          then the summary;
 *   udp=<a.b.c.d>[:<port>[:<n>]]  then <n> (default 4) datagrams of 512
 *                          bytes to that UDP echo service (default port 7),
 *                          each checked when it comes back.
 *
 * Prints "netfront: FAIL: ..." when something does not work; it sends
 * only to the address ping= names and to those that asked it something.
 */
#include <public/errno.h>
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "net/net_text.h"
#include "net/netstack.h"
#include "xen/xenbus.h"

#define FIRST_NS  (5 * NS_PER_S)      /* the first includes the peer's start and ARP */
#define PING_NS   NS_PER_S
#define OPT_LEN   32

static struct netstack stack;

static void print_ip(const char *what, uint32_t ip)
{
    printk("%s%u.%u.%u.%u", what, ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

static uint32_t number(const char *s, uint32_t dflt)
{
    uint32_t v = 0;

    if (!s || !*s)
        return dflt;
    for (; *s >= '0' && *s <= '9' && v < 1000000; s++)
        v = v * 10 + (uint32_t)(*s - '0');
    return v;
}

/* ping=<a.b.c.d>[:<n>[:<ms>]] into *dst, *count and *gap_ms; false if
 * absent or bad. */
static bool ping_option(uint32_t *dst, uint32_t *count, uint32_t *gap_ms)
{
    char buf[OPT_LEN];
    const char *v = cmdline_option("ping", buf, sizeof(buf));
    char *colon, *gap;

    if (!v)
        return false;
    colon = strstr(buf, ":");
    if (colon)
        *colon = '\0';
    gap = colon ? strstr(colon + 1, ":") : NULL;
    if (gap)
        *gap = '\0';
    *count = colon ? number(colon + 1, 4) : 4;
    *gap_ms = gap ? number(gap + 1, 0) : 0;
    if (!net_parse_ipv4(buf, dst)) {
        printk("netfront: FAIL: ping=%s is no IPv4 address\n", buf);
        return false;
    }
    return true;
}

static void serve_until(uint64_t end)
{
    while (time_now_ns() < end)
        netstack_poll(&stack, end);
}

static bool answered(uint32_t pings, uint32_t datagrams)
{
    return stack.pings_answered >= pings && stack.udp_echoed >= datagrams &&
           netfront_tx_idle(&stack.nf);
}

/* Serve until end, or until the counts of answers= are reached. */
static void serve(uint64_t end)
{
    char buf[OPT_LEN];
    const char *colon;
    uint32_t pings, datagrams;

    if (!cmdline_option("answers", buf, sizeof(buf))) {
        serve_until(end);
        return;
    }
    colon = strstr(buf, ":");
    pings = number(buf, 0);
    datagrams = colon ? number(colon + 1, 0) : 0;
    while (time_now_ns() < end && !answered(pings, datagrams))
        netstack_poll(&stack, end);
}

static void pings(uint32_t dst, uint32_t count, uint32_t gap_ms)
{
    uint64_t rtt, min = ~0ull, max = 0, sum = 0;
    uint32_t ok = 0;

    for (uint32_t seq = 1; seq <= count; seq++) {
        if (netstack_ping(&stack, dst, (uint16_t)seq, seq == 1 ? FIRST_NS : PING_NS, &rtt)) {
            print_ip("ping: no answer from ", dst);
            printk(" to seq %u\n", seq);
            continue;
        }
        ok++;
        sum += rtt;
        min = rtt < min ? rtt : min;
        max = rtt > max ? rtt : max;
        print_ip("ping: echo reply from ", dst);
        printk(": seq %u, round trip %lu ns\n", seq, rtt);
        serve_until(time_now_ns() + (uint64_t)gap_ms * NS_PER_MS);
    }
    printk("ping: %u of %u answered", ok, count);
    if (ok)
        printk("; round trip min %lu, avg %lu, max %lu ns", min, sum / ok, max);
    printk("\n");
}

static void udp_echoes(uint32_t dst, uint32_t port, uint32_t count)
{
    uint64_t rtt;
    uint32_t ok = 0;

    for (uint32_t i = 1; i <= count; i++) {
        if (netstack_udp_echo(&stack, dst, (uint16_t)port, 0x54000000u | i, 512,
                              i == 1 ? FIRST_NS : PING_NS, &rtt)) {
            print_ip("udp: no echo from ", dst);
            printk(":%u of datagram %u\n", port, i);
            continue;
        }
        ok++;
        print_ip("udp: 512 bytes echoed intact by ", dst);
        printk(":%u: datagram %u, round trip %lu ns\n", port, i, rtt);
    }
    printk("udp: %u of %u datagrams echoed\n", ok, count);
}

static void print_connected(void)
{
    const uint8_t *m = stack.nf.mac;

    printk("netfront: vif 0 connected to domain %u: mac %02x:%02x:%02x:%02x:%02x:%02x",
           stack.nf.be_dom, m[0], m[1], m[2], m[3], m[4], m[5]);
    print_ip(", ip ", stack.ip);
    printk("\n");
}

/* udp=<a.b.c.d>[:<port>[:<n>]]: the datagrams, if asked for. */
static void udp_option(void)
{
    char buf[OPT_LEN];
    char *colon, *n;
    uint32_t dst;

    if (!cmdline_option("udp", buf, sizeof(buf)))
        return;
    colon = strstr(buf, ":");
    if (colon)
        *colon = '\0';
    n = colon ? strstr(colon + 1, ":") : NULL;
    if (n)
        *n = '\0';
    if (!net_parse_ipv4(buf, &dst)) {
        printk("netfront: FAIL: udp=%s is no IPv4 address\n", buf);
        return;
    }
    udp_echoes(dst, colon ? number(colon + 1, NETSTACK_ECHO_PORT) : NETSTACK_ECHO_PORT,
               n ? number(n + 1, 4) : 4);
}

bool netfront_run(void)
{
    char buf[OPT_LEN];
    const char *linger = cmdline_option("netfront", buf, sizeof(buf));
    uint32_t ip = 0, dst, count, gap, ms;
    int rc;

    if (!linger)
        return false;
    ms = number(linger, 2000);
    if (cmdline_option("ip", buf, sizeof(buf)) && !net_parse_ipv4(buf, &ip))
        printk("netfront: ip=%s is no IPv4 address; the vif's own is used\n", buf);
    rc = (int)timer_start();                     /* VIRQ_TIMER ends our waits */
    rc = rc ?: xenbus_init() ?: netstack_up(&stack, ip);
    if (rc) {
        printk("netfront: FAIL: no network: %d\n", rc);
        return true;
    }
    print_connected();
    if (ping_option(&dst, &count, &gap))
        pings(dst, count, gap);
    udp_option();
    serve(time_now_ns() + (uint64_t)ms * NS_PER_MS);
    printk("netfront: answered %u pings, echoed %u datagrams, ignored %u frames\n",
           stack.pings_answered, stack.udp_echoed, stack.ignored);
    netstack_down(&stack);
    printk("netfront: closed\n");
    return true;
}
