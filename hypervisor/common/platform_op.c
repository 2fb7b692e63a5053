/*
 * platform_op.c: platform_op (#7), the machine's operations for domain 0
 * (include/public/platform.h): the wall clock (settime32/64), what the
 * firmware told (firmware_info), the physical CPUs (get_cpuinfo) and ACPI
 * S5 (enter_acpi_sleep). The decisions are platform_rules.c's and
 * wallclock.c's; this file copies the request in once, acts, and copies
 * the answer out. Every other command is -ENOSYS, named once per domain
 * at loglvl=debug.
 *
 * S5 is Xen's power-off: the machine goes off from inside the call and the
 * caller never sees it return. Here every domain is shut down first
 * (reason poweroff), so the scheduler tears each down and counts its
 * frames back before domain 0's reason powers the machine off, writing
 * domain 0's PM1 control values (power.c).
 */
#include "acpi_madt.h"
#include "console.h"
#include "err.h"
#include "hypercall.h"
#include "platform_rules.h"
#include "power.h"
#include "timer.h"
#include "unimpl.h"
#include "wallclock.h"
#include "vcpu_copy.h"
#include <asm/apic.h>
#include <public/sched.h>

/* The boot CPU's ACPI processor UID from the MADT, or PLATFORM_NO_ACPI_ID. */
static uint32_t boot_cpu_acpi_id(uint32_t apic_id)
{
    bool from_firmware;
    const struct acpi_madt_info *m = acpi_madt(&from_firmware);
    unsigned int n = m->nr_cpus < MADT_MAX_CPUS ? m->nr_cpus : MADT_MAX_CPUS;

    for (unsigned int i = 0; from_firmware && i < n; i++)
        if (m->cpu_apic_ids[i] == apic_id)
            return m->cpu_acpi_ids[i];
    return PLATFORM_NO_ACPI_ID;
}

static int64_t settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    struct wallclock wc = wallclock_from_settime(secs, nsecs, system_time);

    time_set_wallclock(&wc);
    return 0;
}

static int64_t settime64(const struct xenpf_settime64 *st)
{
    if (st->mbz)
        return -EINVAL;
    return settime(st->secs, st->nsecs, st->system_time);
}

static int64_t get_cpuinfo(struct xen_platform_op *op)
{
    uint32_t apic_id = lapic_id();

    pcpuinfo_answer(&op->u.pcpu_info, apic_id, boot_cpu_acpi_id(apic_id));
    return 0;
}

static void shutdown_every_domain(void)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domains[i])
            domain_shutdown(domains[i], SHUTDOWN_poweroff);
}

static int64_t enter_acpi_sleep(struct vcpu *v, const struct xenpf_enter_acpi_sleep *r)
{
    int rc = acpi_sleep_check(r, power_has_pm1a());

    if (rc)
        return rc;
    log_info("d%u: ACPI S5 asked (platform_op, PM1a %#x, PM1b %#x): every domain "
             "stops, then the machine powers off\n", v->domain->id, r->val_a, r->val_b);
    power_use_dom0_s5(r->val_a, r->val_b);
    shutdown_every_domain();
    return 0;
}

/* The command's result; *answer is set when op goes back to the guest. */
static int64_t dispatch(struct vcpu *v, struct xen_platform_op *op, bool *answer)
{
    switch (op->cmd) {
    case XENPF_settime32:
        return settime(op->u.settime32.secs, op->u.settime32.nsecs,
                       op->u.settime32.system_time);
    case XENPF_settime64:
        return settime64(&op->u.settime64);
    case XENPF_firmware_info:
        *answer = true;
        return firmware_info_answer(&op->u.firmware_info, 0);
    case XENPF_get_cpuinfo:
        *answer = true;
        return get_cpuinfo(op);
    case XENPF_enter_acpi_sleep:
        return enter_acpi_sleep(v, &op->u.enter_acpi_sleep);
    default:
        return unimpl_enosys(v->domain, UNIMPL_PLATFORM_OP, op->cmd);
    }
}

int64_t do_platform_op(struct vcpu *v, const struct hypercall_args *a)
{
    struct xen_platform_op op;
    bool answer = false;
    int64_t rc;

    if (vcpu_copy_from(v, &op, a->a1, sizeof(op)))
        return -EFAULT;
    rc = platform_gate(op.interface_version, v->domain->privileged);
    if (rc)
        return rc;
    rc = dispatch(v, &op, &answer);
    if (rc == 0 && answer && vcpu_copy_to(v, a->a1, &op, sizeof(op)))
        return -EFAULT;
    return rc;
}
