/*
 * Tern guest kernel: leaving the domain.
 *
 * SCHEDOP_shutdown stops every vCPU and reports the reason; it does not
 * return. If it does anyway (a broken hypervisor), we say so and yield
 * forever: a host-side runner's timeout then ends the run.
 */
#include <stdarg.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

_Noreturn void guest_shutdown(uint32_t reason)
{
    struct sched_shutdown arg = { .reason = reason };
    long rc;

    console_ring_flush();
    rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);

    printk("guest: SCHEDOP_shutdown(%u) returned %ld; spinning\n", reason, rc);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

_Noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("PANIC: %s\n", buf);
    guest_shutdown(SHUTDOWN_crash);
}
