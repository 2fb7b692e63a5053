/*
 * Tern guest kernel: the memop-preempt role, the attack test of issue 10's
 * hole 7 (long memory operations with interrupts off).
 *
 *   memop-preempt=<MiB>   (a domain with that much room below max_mem)
 *                         take <MiB> in 2 MiB extents with one
 *                         increase_reservation, give them back with one
 *                         decrease_reservation, under a 1 ms timer
 *
 * A hypercall the hypervisor cuts into continuations returns to the guest
 * with its rip back on the `syscall` instruction, so that it runs again;
 * an event that is pending then is delivered first, and the upcall's
 * frame shows that rip. So an upcall whose interrupted rip is the
 * memory_op stub's `syscall` proves the operation was preempted part way:
 * that depends on no host speed, only on a tick falling inside a call that
 * zeroes megabytes (tried again, up to ROUNDS times, until one does).
 * Zeroing 512 MiB in one go (256 extents of 2 MiB), as before the fix,
 * never showed one. Prints "memop-preempt: FAIL: ..." when a check does
 * not hold and one summary line.
 */
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "demo/roles.h"
#include "kernel/time.h"
#include <public/errno.h>

#define ORDER         9                          /* 2 MiB extents */
#define MAX_EXTENTS   256
#define ROUNDS        20
#define PERIOD_NS     1000000UL                  /* 1 ms */
#define OPTION_LEN    32
#define SYSCALL_AT    8                          /* push rcx; push r11; mov $n,%eax */

static uint64_t extents[MAX_EXTENTS];
static volatile unsigned int ticks, mid_call;

static void on_tick(evtchn_port_t port, struct regs *r, void *data)
{
    uint64_t at = (uint64_t)(uintptr_t)&hypercall_page[__HYPERVISOR_memory_op *
                                                        HYPERCALL_STUB_SIZE] + SYSCALL_AT;

    (void)port;
    (void)data;
    ticks++;
    if (r->rip == at)
        mid_call++;
}

static long reservation(unsigned int cmd, uint64_t n)
{
    struct xen_memory_reservation r = {
        .extent_start = hc_ptr(extents), .nr_extents = n, .extent_order = ORDER,
        .mem_flags = 0, .domid = DOMID_SELF,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

/* One round: all n extents in one call and back in one call. */
static bool round_trip(uint64_t n)
{
    long got = reservation(XENMEM_increase_reservation, n), back;

    if (got != (long)n)
        printk("memop-preempt: FAIL: increase_reservation of %lu extents gave %ld\n", n, got);
    if (got <= 0)
        return false;
    back = reservation(XENMEM_decrease_reservation, (uint64_t)got);
    if (back != got)
        printk("memop-preempt: FAIL: decrease_reservation of %ld extents gave %ld\n", got,
               back);
    return got == (long)n && back == got;
}

static long start_ticks(evtchn_port_t *port)
{
    struct vcpu_set_periodic_timer period = { .period_ns = PERIOD_NS };
    long rc;

    timer_stop();
    rc = gk_evtchn_bind_virq(VIRQ_TIMER, port);
    if (rc)
        return rc;
    gk_evtchn_attach(*port, on_tick, NULL);
    events_enable();
    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period);
}

static void run(uint64_t n)
{
    evtchn_port_t port;
    unsigned int round = 0;
    bool ok = true;
    long rc = start_ticks(&port);

    if (rc) {
        printk("memop-preempt: FAIL: could not start a 1 ms timer (%ld)\n", rc);
        return;
    }
    while (ok && !mid_call && round < ROUNDS) {
        ok = round_trip(n);
        round++;
    }
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    gk_evtchn_detach(port);
    if (!mid_call)
        printk("memop-preempt: FAIL: no tick ever interrupted the calls (%u ticks in %u "
               "rounds)\n", ticks, round);
    printk("memop-preempt: %lu MiB in 2 MiB extents, %u rounds, %u ticks, %u inside the calls\n",
           n * 2, round, ticks, mid_call);
}

bool memop_preempt_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("memop-preempt", buf, sizeof(buf));
    uint64_t mib = 0;

    if (!v)
        return false;
    while (*v >= '0' && *v <= '9' && mib <= 2 * MAX_EXTENTS)
        mib = mib * 10 + (uint64_t)(*v++ - '0');
    if (*v || mib < 2 || mib > 2 * MAX_EXTENTS || !shared_info) {
        printk("roles: memop-preempt=%s: want 2-%u MiB (and shared_info)\n", buf,
               2 * MAX_EXTENTS);
        return true;
    }
    run(mib / 2);
    return true;
}
