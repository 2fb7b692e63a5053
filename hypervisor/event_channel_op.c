/*
 * event_channel_op.c: event_channel_op (#32) and its compat form (#16).
 * Decode: copy the argument struct in once, run the state machine in
 * evtchn.c on the copy, copy the result out. Only then act on it.
 */
#include "evtchn_glue.h"
#include "err.h"
#include "hypercall.h"
#include "sched.h"
#include <public/event_channel.h>

union evtchn_args {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
};

static size_t arg_size(uint64_t cmd)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_close:            return sizeof(struct evtchn_close);
    case EVTCHNOP_send:             return sizeof(struct evtchn_send);
    case EVTCHNOP_status:           return sizeof(struct evtchn_status);
    case EVTCHNOP_alloc_unbound:    return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_ipi:         return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_vcpu:        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:           return sizeof(struct evtchn_unmask);
    case EVTCHNOP_reset:            return sizeof(struct evtchn_reset);
    default:                        return 0;
    }
}

/* Run cmd on the copied arguments; *out is set when results must go back. */
static int run(struct domain *d, uint64_t cmd, union evtchn_args *u, bool *out)
{
    struct evtchn_domain *e = &d->evtchn;

    *out = cmd == EVTCHNOP_bind_interdomain || cmd == EVTCHNOP_bind_virq ||
           cmd == EVTCHNOP_status || cmd == EVTCHNOP_alloc_unbound ||
           cmd == EVTCHNOP_bind_ipi;
    switch (cmd) {
    case EVTCHNOP_bind_interdomain:
        return evtchn_bind_interdomain(&evtchn_env, e, &u->bind_interdomain);
    case EVTCHNOP_bind_virq:     return evtchn_bind_virq(e, &u->bind_virq);
    case EVTCHNOP_close:         return evtchn_close(&evtchn_env, e, u->close.port);
    case EVTCHNOP_send:          return evtchn_send(&evtchn_env, e, u->send.port);
    case EVTCHNOP_status:        return evtchn_status(&evtchn_env, e, &u->status);
    case EVTCHNOP_alloc_unbound: return evtchn_alloc_unbound(&evtchn_env, e, &u->alloc_unbound);
    case EVTCHNOP_bind_ipi:      return evtchn_bind_ipi(e, &u->bind_ipi);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(e, u->bind_vcpu.port, u->bind_vcpu.vcpu);
    case EVTCHNOP_unmask:        return evtchn_unmask(&evtchn_env, e, u->unmask.port);
    default:                     return evtchn_reset(&evtchn_env, e, u->reset.dom);
    }
}

static int64_t event_channel_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    size_t size = arg_size(cmd);
    union evtchn_args u;
    struct guest_space gs;
    bool out;
    int rc;

    if (!size)
        return -ENOSYS;
    vcpu_guest_space(v, &gs);
    if (copy_from_guest(&gs, &u, arg, size))
        return -EFAULT;
    rc = run(v->domain, cmd, &u, &out);
    if (rc == 0 && out && copy_to_guest(&gs, arg, &u, size))
        return -EFAULT;
    return rc;
}

int64_t do_event_channel_op(struct vcpu *v, const struct hypercall_args *a)
{
    return event_channel_op(v, a->a1, a->a2);
}

/* The compat form: struct evtchn_op { u32 cmd; union u; } at arg, 28
 * bytes: every member of the union is 4-byte aligned, so it starts at 4. */
int64_t do_event_channel_op_compat(struct vcpu *v, const struct hypercall_args *a)
{
    struct guest_space gs;
    uint32_t cmd;

    vcpu_guest_space(v, &gs);
    if (copy_from_guest(&gs, &cmd, a->a1, sizeof(cmd)))
        return -EFAULT;
    return event_channel_op(v, cmd, a->a1 + 4);
}
