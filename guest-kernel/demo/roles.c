/*
 * Tern guest kernel: roles for running several domains side by side
 * (`make run`, tests/scenarios, make bench). Command-line words:
 *
 *   pingpong=serve:<peer>[:<rounds>]         ping-pong server (pingpong.c)
 *   pingpong=connect:<dom>:<port>[:<rounds>] ping-pong client
 *   grant-offer[=crash], grant-take=<dom>[:<dom>...]  a page granted by a
 *                     domain and mapped by domain 0 (grants.c)
 *   foreign-take=<dom>, foreign-offer  domain 0 maps a domain's page as a
 *                     foreign mapping (foreign.c)
 *   maptrack-flood    (domain 0) map its own grants until the maptrack
 *                     runs out, then unmap them all (maptrack_flood.c)
 *   rings-serve=<dom>[:<dom>...]  (domain 0) the backend's side of the
 *                     console and xenstore ring pages of those domains
 *                     (rings.c)
 *   rings-check=<backend>:<port>  an unprivileged domain checks its ring
 *                     pages and ports, reporting to domain 0's <port>
 *   driver-domain     (domain 0) serve xenstore and the consoles of every
 *                     domain built with domain 0 as its backend, write
 *                     their xenstore trees, until they end
 *                     (backend/driver_domain.c); with shutdown=<dom>[:...]
 *                     ask those domains to power off (backend/toolstack.c)
 *   xs-check=<other> [xs-shutdown]  (an unprivileged domain) check the
 *                     xenstore domain 0 serves: own nodes, refused nodes,
 *                     watches, transactions; then wait for control/shutdown
 *                     (xs_check.c)
 *   xs-devices        (an unprivileged domain) check the virtual devices
 *                     the toolstack wrote for it (xs_devices.c)
 *   blk-check[=ro]    (an unprivileged domain) write, flush, read back and
 *                     verify a pattern over its whole PV block device; =ro:
 *                     a read-only one refuses a write (blk_check.c)
 *   blk-hostile=<how> a block frontend breaking the protocol: bad
 *                     requests, a flood, lying ring indices, or a crash
 *                     with requests in flight (hostile/blk_hostile.c)
 *   blk-bench         (an unprivileged domain) PV block cost per KiB in
 *                     disk-bench's shapes (bench_blk.c)
 *   xs-hostile=long|lie  a xenstore client that floods watches and
 *                     requests, then sends an over-long message, or lies
 *                     about its ring indices (hostile/xs_hostile.c)
 *   echo-input=<n>    (with console=ring) echo n lines of console input read
 *                     from the console ring (echo_input.c)
 *   console=ring      (an unprivileged domain) printk into the PV console
 *                     ring instead of console_io (kernel/console_ring.c)
 *   bench-pingpong    with pingpong=: time round trips and domain switches
 *   demo              with pingpong=: the user-process demo first
 *   gdt-destroy=<first>:<last>  (domain 0) a GDT of our own survives
 *                     destroying those domains (gdt_destroy.c)
 *   memop-preempt=<MiB>  big reservation calls are preempted (memop_preempt.c)
 *   unimpl-probe      calls Tern does not implement, twice each
 *                     (unimpl_probe.c)
 *   multicall-exit=shutdown|crash  a multicall whose middle entry ends the
 *                     domain; the entry after it must not run (multicall_exit.c)
 *   ioport-probe      port I/O at the hypervisor's own devices: all ones
 *                     read, writes dropped (ioport_probe.c)
 *   nic-check         (domain 0) drive the e1000: MAC, link, ARP and ping
 *                     to QEMU's user-network gateway 10.0.2.2 (nic_check.c)
 *   nic-probe=<hex>   (an unprivileged domain) the e1000's configuration
 *                     space and BAR0 at <hex> are out of reach (nic_probe.c)
 *   netfront[=<ms>] [ip=<a.b.c.d>] [ping=<a.b.c.d>[:<n>]]  (an unprivileged
 *                     domain) its vif up, pings, answers (net_ping.c)
 *   net-hostile=lie|crash  a netfront breaking the protocol
 *                     (hostile/net_hostile.c)
 *   bench-net=<a.b.c.d>  ping round trip through domain 0 (bench_net.c)
 *   disk-check[=verify]  (domain 0) identify the IDE drives, write, flush,
 *                     read back and verify a pattern on the first ATA disk
 *                     (disk_check.c)
 *   disk-bench        (domain 0) PIO and DMA cost of sequential 64 KiB and
 *                     random 4 KiB I/O on ata0 master (bench_disk.c)
 *   ide-probe         (an unprivileged domain) the IDE ports: all ones, no
 *                     drive, a blind write that must not land (ide_probe.c)
 *   lines=<n>[:crash|:fault]   n lines, 5 ms of CPU between two, then end;
 *                     :crash panics (SHUTDOWN_crash), :fault faults with no
 *                     trap table (the hypervisor crashes the domain)
 *   console-lie       with console=ring: write lying ring indices
 *                     (console_lie.c)
 *   spin-masked       mask events and spin forever, no hypercall at all
 *   timer-wrap        ask for a periodic timer of 2^64 - 1 ns, say what the
 *                     hypervisor answered, then block forever (timer_wrap.c)
 *   fuzz=<count>      count random hypercalls (fuzz.c)
 *   console-flood     one console_io write of 4 GiB of zeros mapped with
 *                     four frames (console_flood.c)
 *   bench-events      the event and timer benchmarks (bench_events.c)
 *   bench-xenstore    (with console=ring, domain 0 running driver-domain)
 *                     xenstore and console ring costs (bench_xenstore.c)
 *   destroy=<domid>   (domain 0) once every other domain has ended, destroy
 *                     this one with domctl, which is expected never to end
 *   idle, idle-end=<dom>  block for good; (domain 0) destroy those from
 *                     <dom> up at the end (idle.c)
 *
 * Several may be combined; they run in the order above (the ping-pong
 * server's port first of all, so that it is the first free one, then
 * rings-serve's report ports). Then the
 * domain ends: domain 0 (SIF_INITDOMAIN) first waits until every other
 * domain has ended, watching sysctl getdomaininfolist between timer ticks,
 * then powers off, and so does everyone else.
 */
#include "xen/control.h"
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/process.h"
#include "demo/roles.h"
#include "kernel/time.h"

#define OPTION_LEN        64
#define DEFAULT_ROUNDS    1000
#define LINE_SPIN_NS      (5 * NS_PER_MS)

/* Reads a decimal number at *p and moves past it; false if none. */
static bool parse_u64(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = *p;

    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    *p = s;
    *out = v;
    return true;
}

/* ":<number>" at *p, if there is one. */
static bool parse_field(const char **p, uint64_t *out)
{
    if (**p != ':')
        return false;
    (*p)++;
    return parse_u64(p, out);
}

static bool parse_pingpong(struct pingpong_args *a)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("pingpong", buf, sizeof(buf));
    uint64_t peer, port = 1, rounds = DEFAULT_ROUNDS;

    if (!v)
        return false;
    memset(a, 0, sizeof(*a));
    if (strncmp(v, "serve", 5) == 0) {
        v += 5;
        a->server = true;
    } else if (strncmp(v, "connect", 7) == 0) {
        v += 7;
    } else {
        printk("roles: pingpong=%s: want serve:<peer> or connect:<dom>:<port>\n", buf);
        return false;
    }
    if (!parse_field(&v, &peer) || (!a->server && !parse_field(&v, &port)) ||
        (*v && !parse_field(&v, &rounds)) || *v || peer >= DOMID_FIRST_RESERVED ||
        rounds == 0 || rounds > 0xffffffffU) {
        printk("roles: pingpong=%s: bad value\n", buf);
        return false;
    }
    a->peer = (domid_t)peer;
    a->port = (uint32_t)port;
    a->rounds = (uint32_t)rounds;
    a->bench = cmdline_option("bench-pingpong", buf, sizeof(buf)) != NULL;
    return true;
}

/* lines=<n>[:crash|:fault] */
static bool run_lines(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("lines", buf, sizeof(buf));
    uint64_t n;

    if (!v)
        return false;
    if (!parse_u64(&v, &n) || (*v && strcmp(v, ":crash") && strcmp(v, ":fault"))) {
        printk("roles: lines=%s: want <n>[:crash|:fault]\n", buf);
        return false;
    }
    for (uint64_t i = 1; i <= n; i++) {
        printk("lines: %lu of %lu (system time %lu ms)\n", i, n, time_now_ns() / NS_PER_MS);
        time_spin_ns(LINE_SPIN_NS);
    }
    if (strcmp(v, ":crash") == 0)
        panic("lines: crashing on purpose after %lu lines", n);
    if (strcmp(v, ":fault") == 0)
        crash_on_purpose("no-handler");
    return true;
}

_Noreturn static void spin_masked(void)
{
    printk("spin-masked: events masked, spinning forever without a hypercall\n");
    events_disable();
    for (;;)
        __asm__ volatile("pause");
}

static bool run_console_flood(void)
{
    char buf[OPTION_LEN];

    if (!cmdline_option("console-flood", buf, sizeof(buf)))
        return false;
    console_flood_run();
    return true;
}

static bool run_fuzz(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("fuzz", buf, sizeof(buf));
    uint64_t count;

    if (!v)
        return false;
    if (!parse_u64(&v, &count) || *v) {
        printk("roles: fuzz=%s: want a count\n", buf);
        return false;
    }
    fuzz_run(count);
    return true;
}

/* destroy=<domid>: 0 when absent or bad. */
static domid_t destroy_target(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("destroy", buf, sizeof(buf));
    uint64_t id;

    if (!v)
        return DOMID_NONE;
    if (!parse_u64(&v, &id) || *v || id == 0 || id >= DOMID_FIRST_RESERVED) {
        printk("roles: destroy=%s: want a domain id other than 0\n", buf);
        return DOMID_NONE;
    }
    return (domid_t)id;
}

/* Domain 0 with destroy=<id>: once only that domain is left, destroy it. */
static void destroy_when_alone(domid_t id)
{
    long rc;

    if (control_wait_others(id) != 0)
        return;
    printk("roles: every other domain has ended; destroying domain %u\n", id);
    rc = control_destroy(id);
    if (rc)
        printk("roles: domctl destroydomain(%u) failed: %ld\n", id, rc);
}

_Noreturn static void domain_end(domid_t destroy, bool bench)
{
    if (start_info.flags & SIF_INITDOMAIN) {
        if (destroy != DOMID_NONE)
            destroy_when_alone(destroy);
        idle_end();
        control_wait_others(DOMID_NONE);
        if (bench)
            printk("bench: done\n");
        printk("roles: all done; powering off\n");
    }
    guest_shutdown(SHUTDOWN_poweroff);
}

void roles_run(void)
{
    char buf[OPTION_LEN];
    struct pingpong_args pp;
    bool pingpong = parse_pingpong(&pp), bench = false, any = pingpong, bench_events;
    domid_t destroy = destroy_target();

    if (pingpong && pp.server && pingpong_publish(&pp) != 0)
        pingpong = false;
    rings_publish();
    /* With a ping-pong peer, the event rows run once it has ended: while it
     * boots or is torn down, that work would land inside the timer row's
     * blocked wait (round robin gives it the CPU until it blocks), which is
     * not the cost of a timer event. Xen's run has no peer at all. */
    bench_events = cmdline_option("bench-events", buf, sizeof(buf)) != NULL;
    bench = any |= bench_events;
    if (bench_events && !pingpong)
        bench_events_run();
    if (pingpong && cmdline_option("demo", buf, sizeof(buf))) {
        time_init();
        process_demo();
    }
    if (pingpong)
        pingpong_run(&pp);
    if (bench_events && pingpong) {
        if (start_info.flags & SIF_INITDOMAIN)
            control_wait_others(DOMID_NONE);
        bench_events_run();
    }
    bench |= pingpong && pp.bench;
    any |= rings_run();
    any |= driver_domain_run();
    any |= blk_check_run();
    any |= xs_check_run();
    any |= xs_devices_run();
    any |= blk_hostile_run();
    any |= blk_bench_run();
    any |= xs_hostile_run();
    any |= echo_input_run();
    any |= bench_xenstore_run();
    any |= grants_run();
    any |= foreign_run();
    any |= maptrack_flood_run();
    any |= ioport_probe_run();
    any |= nic_check_run();
    any |= nic_probe_run();
    any |= netfront_run();
    any |= net_hostile_run();
    any |= bench_net_run();
    any |= nic_bench_run();
    any |= disk_check_run();
    any |= disk_bench_run();
    any |= ide_probe_run();
    any |= gdt_destroy_run();
    any |= memop_preempt_run();
    any |= unimpl_probe_run();
    any |= multicall_exit_run();
    any |= run_lines();
    any |= console_lie_run();
    any |= run_fuzz();
    any |= run_console_flood();
    any |= xs_shutdown_run();
    if (cmdline_option("spin-masked", buf, sizeof(buf)))
        spin_masked();
    if (cmdline_option("idle", buf, sizeof(buf)))
        idle_run();
    if (cmdline_option("timer-wrap", buf, sizeof(buf)))
        timer_wrap_run();
    if (any || destroy != DOMID_NONE)
        domain_end(destroy, bench);
}
