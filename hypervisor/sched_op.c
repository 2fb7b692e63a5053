/*
 * sched_op.c: sched_op (#29) and its legacy form sched_op_compat (#6).
 * One vCPU per CPU for now, so yield returns at once; block and poll wait
 * for event channels, which arrive with the events issue (-ENOSYS until
 * then). A shutdown takes effect on the way back to the guest.
 */
#include "err.h"
#include "hypercall.h"
#include <public/sched.h>

static int64_t read_reason(struct vcpu *v, uint64_t arg, unsigned int *reason)
{
    struct sched_shutdown ss;
    struct guest_space gs;

    vcpu_guest_space(v, &gs);
    if (copy_from_guest(&gs, &ss, arg, sizeof(ss)))
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

int64_t do_sched_op(struct vcpu *v, const struct hypercall_args *a)
{
    switch (a->a1) {
    case SCHEDOP_yield:         return 0;
    case SCHEDOP_shutdown:      return sched_shutdown(v, a->a2);
    case SCHEDOP_shutdown_code: return sched_shutdown_code(v, a->a2);
    default:                    return -ENOSYS;
    }
}

int64_t do_sched_op_compat(struct vcpu *v, const struct hypercall_args *a)
{
    switch (a->a1) {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_shutdown:               /* the reason is the argument itself */
        domain_shutdown(v->domain, (unsigned int)(a->a2 & 0xff));
        return 0;
    default:
        return -ENOSYS;
    }
}
