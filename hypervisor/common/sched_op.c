/*
 * sched_op.c: sched_op (#29) and its legacy form sched_op_compat (#6).
 * Yield, block and poll hand the CPU back to the scheduler (sched.c),
 * which switches on the way back to the guest; the hypercall itself has
 * already returned 0 by then. A shutdown also takes effect on that way.
 */
#include "deadline.h"
#include "err.h"
#include "hypercall.h"
#include "sched.h"
#include "vcpu_copy.h"
#include <public/sched.h>

static int64_t read_reason(struct vcpu *v, uint64_t arg, unsigned int *reason)
{
    struct sched_shutdown ss;

    if (vcpu_copy_from(v, &ss, arg, sizeof(ss)))
        return -EFAULT;
    *reason = ss.reason & 0xff;          /* Xen keeps the reason as a byte */
    return 0;
}

static int64_t sched_shutdown(struct vcpu *v, uint64_t arg)
{
    unsigned int reason;
    int64_t rc = read_reason(v, arg, &reason);

    if (rc == 0)
        domain_shutdown(v->domain, reason);
    return rc;
}

static int64_t sched_shutdown_code(struct vcpu *v, uint64_t arg)
{
    unsigned int reason;
    int64_t rc = read_reason(v, arg, &reason);

    if (rc == 0) {
        v->domain->shutdown_code = reason;
        v->domain->has_shutdown_code = true;
    }
    return rc;
}

static int64_t sched_poll_op(struct vcpu *v, uint64_t arg)
{
    uint32_t ports[SCHED_POLL_MAX];
    struct sched_poll p;

    if (vcpu_copy_from(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > SCHED_POLL_MAX)
        return -EINVAL;
    if (vcpu_copy_from(v, ports, p.ports, p.nr_ports * sizeof(uint32_t)))
        return -EFAULT;
    for (unsigned int i = 0; i < p.nr_ports; i++)
        if (ports[i] >= EVTCHN_MAX_PORTS)
            return -EINVAL;
    sched_poll(v, ports, p.nr_ports, deadline_from_guest(p.timeout));
    return 0;
}

int64_t do_sched_op(struct vcpu *v, const struct hypercall_args *a)
{
    switch (a->a1) {
    case SCHEDOP_yield:         sched_yield(); return 0;
    case SCHEDOP_block:         sched_block(v); return 0;
    case SCHEDOP_poll:          return sched_poll_op(v, a->a2);
    case SCHEDOP_shutdown:      return sched_shutdown(v, a->a2);
    case SCHEDOP_shutdown_code: return sched_shutdown_code(v, a->a2);
    default:                    return unimpl_enosys(v->domain, UNIMPL_SCHED_OP, a->a1);
    }
}

int64_t do_sched_op_compat(struct vcpu *v, const struct hypercall_args *a)
{
    switch (a->a1) {
    case SCHEDOP_yield:
        sched_yield();
        return 0;
    case SCHEDOP_block:
        sched_block(v);
        return 0;
    case SCHEDOP_shutdown:               /* the reason is the argument itself */
        domain_shutdown(v->domain, (unsigned int)(a->a2 & 0xff));
        return 0;
    default:
        return unimpl_enosys(v->domain, UNIMPL_SCHED_OP_COMPAT, a->a1);
    }
}
