/*
 * event_channel_op.c: event_channel_op (#32) and its compat form (#16).
 * Decode: copy the argument struct in once, run the state machine in
 * evtchn.c on the copy, copy the result out. Only then act on it.
 *
 * One table, evtchn_cmds, says everything per command: how many bytes of
 * argument it reads, whether they go back to the guest, and what runs.
 * A command without an entry (the FIFO ABI's, any larger
 * number) gets -ENOSYS before guest memory is touched. Every size is that
 * of a member of union evtchn_args, so a copy never overruns the union;
 * results go back only when the command succeeded.
 *
 * EVTCHNOP_send and EVTCHNOP_unmask, the two commands on every event's
 * path, skip the table: their whole argument is one port, read with one
 * load, and they call the model directly (send through evtchn_send_fast,
 * the model's send with the environment resolved at compile time). They
 * keep every rule: the port is checked by the model's code as for the
 * table's commands. The hypercall's entry, do_event_channel_op, is
 * evtchn_send_entry.S: it reads the port in assembly and takes a
 * loopback send itself, and hands everything it does not read to
 * event_channel_op_c here, which is the definition.
 */
#include "evtchn_glue.h"
#include "err.h"
#include "hypercall.h"
#include "pirq_glue.h"
#include "vcpu_copy.h"
#include <public/event_channel.h>

_Static_assert(sizeof(struct evtchn_send) == sizeof(evtchn_port_t) &&
               sizeof(struct evtchn_unmask) == sizeof(evtchn_port_t),
               "send and unmask read one port");

union evtchn_args {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
};

/* A command on the copied arguments; 0 or a negative errno. */
typedef int (*evtchn_cmd_fn)(struct evtchn_domain *e, union evtchn_args *u);

struct evtchn_cmd {
    size_t size;                 /* bytes of argument copied in */
    bool copy_back;              /* on success, the same bytes go back out */
    evtchn_cmd_fn fn;            /* NULL: no such command */
};

static int op_bind_interdomain(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_bind_interdomain(&evtchn_env, e, &u->bind_interdomain);
}

static int op_bind_virq(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_bind_virq(e, &u->bind_virq);
}

static int op_bind_pirq(struct evtchn_domain *e, union evtchn_args *u)
{
    return pirq_bind_evtchn(e, &u->bind_pirq);
}

static int op_close(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_close(&evtchn_env, e, u->close.port);
}

static int op_send(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_send(&evtchn_env, e, u->send.port);
}

static int op_status(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_status(&evtchn_env, e, &u->status);
}

static int op_alloc_unbound(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_alloc_unbound(&evtchn_env, e, &u->alloc_unbound);
}

static int op_bind_ipi(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_bind_ipi(e, &u->bind_ipi);
}

static int op_bind_vcpu(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_bind_vcpu(e, u->bind_vcpu.port, u->bind_vcpu.vcpu);
}

static int op_unmask(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_unmask(&evtchn_env, e, u->unmask.port);
}

static int op_reset(struct evtchn_domain *e, union evtchn_args *u)
{
    return evtchn_reset(&evtchn_env, e, u->reset.dom);
}

/* The size of member m of the union: the copy cannot outgrow it. */
#define ARG(m) sizeof(((union evtchn_args *)NULL)->m)

static const struct evtchn_cmd evtchn_cmds[] = {
    /* command                      argument size          back   function */
    [EVTCHNOP_bind_interdomain] = { ARG(bind_interdomain), true,  op_bind_interdomain },
    [EVTCHNOP_bind_virq]        = { ARG(bind_virq),        true,  op_bind_virq },
    [EVTCHNOP_bind_pirq]        = { ARG(bind_pirq),        true,  op_bind_pirq },
    [EVTCHNOP_close]            = { ARG(close),            false, op_close },
    [EVTCHNOP_send]             = { ARG(send),             false, op_send },
    [EVTCHNOP_status]           = { ARG(status),           true,  op_status },
    [EVTCHNOP_alloc_unbound]    = { ARG(alloc_unbound),    true,  op_alloc_unbound },
    [EVTCHNOP_bind_ipi]         = { ARG(bind_ipi),         true,  op_bind_ipi },
    [EVTCHNOP_bind_vcpu]        = { ARG(bind_vcpu),        false, op_bind_vcpu },
    [EVTCHNOP_unmask]           = { ARG(unmask),           false, op_unmask },
    [EVTCHNOP_reset]            = { ARG(reset),            false, op_reset },
};
#undef ARG

/* The entry for cmd, or NULL: the guest then gets -ENOSYS. */
static const struct evtchn_cmd *evtchn_cmd_lookup(uint64_t cmd)
{
    if (cmd >= ARRAY_SIZE(evtchn_cmds) || !evtchn_cmds[cmd].fn)
        return NULL;
    return &evtchn_cmds[cmd];
}

/* Out of line: its union is stack the send and unmask path does not need. */
static __attribute__((noinline)) int64_t event_channel_op(struct vcpu *v, uint64_t cmd,
                                                          uint64_t arg)
{
    const struct evtchn_cmd *c = evtchn_cmd_lookup(cmd);
    union evtchn_args u;
    int rc;

    if (!c)
        return unimpl_enosys(v->domain, UNIMPL_EVENT_CHANNEL_OP, cmd);
    if (vcpu_copy_from(v, &u, arg, c->size))
        return -EFAULT;
    rc = c->fn(&v->domain->evtchn, &u);
    if (rc == 0 && c->copy_back && vcpu_copy_to(v, arg, &u, c->size))
        return -EFAULT;
    return rc;
}

/* The port at arg through the walk, or -EFAULT. */
static __attribute__((noinline)) int64_t port_read_walk(struct vcpu *v, uint64_t arg)
{
    evtchn_port_t port;

    if (vcpu_copy_from_walk(v, &port, arg, sizeof(port)))
        return -EFAULT;
    return port;
}

/* The port at arg (struct evtchn_send, struct evtchn_unmask: one
 * evtchn_port_t), or -EFAULT: vcpu_read_u32's single load, with the
 * value in a register instead of a stack slot on the direct path. */
static inline int64_t port_read(struct vcpu *v, uint64_t arg)
{
    uint64_t x;

    if (vcpu_copy_direct(v, arg, sizeof(evtchn_port_t)) &&
        (x = guest_load_u32((const uint32_t *)arg)) <= UINT32_MAX)
        return (int64_t)x;
    return port_read_walk(v, arg);
}

int64_t event_channel_op_c(struct vcpu *v, const struct hypercall_args *a)
{
    int64_t port;

    if (a->a1 != EVTCHNOP_send && a->a1 != EVTCHNOP_unmask)
        return event_channel_op(v, a->a1, a->a2);
    port = port_read(v, a->a2);
    if (port < 0)
        return port;
    if (a->a1 == EVTCHNOP_send)
        return evtchn_send_fast(&v->domain->evtchn, (evtchn_port_t)port);
    return evtchn_unmask(&evtchn_env, &v->domain->evtchn, (evtchn_port_t)port);
}

/* The compat form: struct evtchn_op { u32 cmd; union u; } at arg, 28
 * bytes: every member of the union is 4-byte aligned, so it starts at 4. */
int64_t do_event_channel_op_compat(struct vcpu *v, const struct hypercall_args *a)
{
    uint32_t cmd;

    if (vcpu_copy_from(v, &cmd, a->a1, sizeof(cmd)))
        return -EFAULT;
    return event_channel_op(v, cmd, a->a1 + 4);
}
