/*
 * Tern guest kernel: a hostile domain (command line timer-wrap) that asks
 * for a periodic timer whose period wraps the hypervisor's "now + period"
 * (2^64 - 1 ns, issue 10 hole 6), prints what it was told, and then stays
 * blocked for good, so that a hypervisor which took the period would keep
 * its timer due, and re-arm its own tick at once after every tick, for the
 * rest of the run while the other domains try to finish. Domain 0 ends it
 * (destroy=<id>).
 */
#include <public/vcpu.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "demo/roles.h"

static long set_period(uint64_t ns)
{
    struct vcpu_set_periodic_timer p = { .period_ns = ns };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

_Noreturn void timer_wrap_run(void)
{
    long rc = set_period(UINT64_MAX);

    printk("timer-wrap: VCPUOP_set_periodic_timer(2^64 - 1) = %ld\n", rc);
    printk("timer-wrap: blocked for good\n");
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
