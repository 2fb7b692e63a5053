/*
 * Tern guest kernel: the roles a domain can be given on its command line
 * when several run side by side (roles.c), and the parts that play them.
 */
#ifndef GUEST_ROLES_H
#define GUEST_ROLES_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>

/* Runs the roles the command line asks for, then ends the domain (a
 * privileged domain 0 first waits for the others); returns only when the
 * command line asks for none of them. */
void roles_run(void);

/* pingpong.c: pingpong=serve:<peer>[:<rounds>] / connect:<dom>:<port>[:<rounds>]. */
struct pingpong_args {
    bool server;
    domid_t peer;            /* the other domain */
    uint32_t port;           /* client: the server's port; server: the expected one */
    uint32_t rounds;
    bool bench;              /* bench-pingpong: time it, no progress lines */
};
/* Server, first of all: allocates the port the client will bind to. */
long pingpong_publish(const struct pingpong_args *a);
/* Bounces a->rounds events with the peer, then closes the port. */
void pingpong_run(const struct pingpong_args *a);

/* idle.c: idle (blocks for good), idle-end=<dom> (domain 0 destroys
 * those at its end), idle_settle (the ping-pong server waits until every
 * domain but peer is blocked or ended). */
_Noreturn void idle_run(void);
void idle_end(void);
void idle_settle(domid_t peer);

/* nic_check.c: nic-check (domain 0) drives the e1000: ARP and ping to
 * QEMU's user-network gateway; false when not asked for. */
bool nic_check_run(void);
/* net_ping.c: netfront[=<ms>], the domain's vif, pings and echo; false
 * when not asked for. */
bool netfront_run(void);
/* hostile/net_hostile.c: net-hostile=lie|crash; false when not asked for. */
bool net_hostile_run(void);
/* bench/bench_net.c: bench-net=<ip>, the PV network's ping round trip;
 * false when not asked for. */
bool bench_net_run(void);

/* hostile/nic_probe.c: nic-probe=<BAR0 hex> (an unprivileged domain)
 * cannot see the card's configuration space or map its registers. */
bool nic_probe_run(void);

/* maptrack_flood.c: the maptrack-flood role; false when not asked for. */
bool maptrack_flood_run(void);

/* foreign.c: foreign-take / foreign-offer; false when neither. */
bool foreign_run(void);

/* grants.c: grant-offer / grant-take; false when neither. */
bool grants_run(void);

/* rings.c: rings-serve= (domain 0) offers its report ports, first of all;
 * rings_run then plays rings-check= or rings-serve=; false when neither. */
void rings_publish(void);
bool rings_run(void);

/* backend/driver_domain.c: driver-domain (domain 0), xenstored and the
 * console backend of every domain built for it, until they all end; false
 * when not asked for. */
bool driver_domain_run(void);

/* blk_check.c: blk-check[=ro], the domain's PV block device end to end;
 * false when not asked for. */
bool blk_check_run(void);
/* bench/bench_blk.c: blk-bench, the PV block device's cost per KiB;
 * false when not asked for. */
bool blk_bench_run(void);
/* hostile/blk_hostile.c: blk-hostile=<how>, a block frontend breaking
 * the protocol; false when not asked for. */
bool blk_hostile_run(void);

/* hostile/xs_hostile.c: xs-hostile=long|lie, a client breaking the
 * xenstore protocol; false when not asked for. */
bool xs_hostile_run(void);

/* bench/bench_xenstore.c: bench-xenstore, the cost of xenstore and the
 * console ring served by domain 0; false when not asked for. */
bool bench_xenstore_run(void);

/* echo_input.c: echo-input=<n>, console input from the console ring
 * echoed line by line; false when not asked for. */
bool echo_input_run(void);

/* xs_devices.c: xs-devices, the domain's virtual devices in xenstore as
 * a frontend sees them; false when not asked for. */
bool xs_devices_run(void);

/* xs_check.c: xs-check=<other> [xs-shutdown] (an unprivileged domain)
 * checks the xenstore it is served; false when not asked for. */
bool xs_check_run(void);
/* xs_check.c: xs-shutdown, after every other role: wait for
 * control/shutdown and end as it says; false when not asked for. */
bool xs_shutdown_run(void);

/* hostile/console_lie.c: console-lie, a frontend writing lying indices. */
bool console_lie_run(void);

/* memop_preempt.c: the memop-preempt role; false when not asked for. */
bool memop_preempt_run(void);

/* gdt_destroy.c: the gdt-destroy role; false when not asked for. */
bool gdt_destroy_run(void);

/* multicall_exit.c: the multicall-exit role; false when not asked for
 * (when asked for, the domain ends in it). */
bool multicall_exit_run(void);

/* unimpl_probe.c: the unimpl-probe role; false when not asked for. */
bool unimpl_probe_run(void);

/* ioport_probe.c: the ioport-probe role; false when not asked for. */
bool ioport_probe_run(void);

/* disk_check.c: the disk-check role (domain 0's ATA disk); false when
 * not asked for. */
bool disk_check_run(void);
/* bench_disk.c: the disk-bench role (domain 0's direct disk cost); false
 * when not asked for. */
bool disk_bench_run(void);
/* bench_nic.c: the bench-nic role (domain 0 sending UDP through its
 * e1000 directly); false when not asked for. */
bool nic_bench_run(void);
/* ide_probe.c: the ide-probe role (an unprivileged domain at the IDE
 * ports); false when not asked for. */
bool ide_probe_run(void);

/* fuzz.c: `count` random hypercalls, then one summary line. */
void fuzz_run(uint64_t count);

/* timer_wrap.c: asks for a period that wraps "now + period", prints the
 * answer, then blocks for good. */
_Noreturn void timer_wrap_run(void);
/* console_flood.c: one console_io write of 4 GiB of zeros (console-flood);
 * returns when the call returned 0, panics otherwise. */
void console_flood_run(void);

/* bench_events.c: the event-channel and timer benchmarks (bench-events). */
void bench_events_run(void);

#endif /* GUEST_ROLES_H */
