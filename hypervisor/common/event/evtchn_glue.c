/*
 * evtchn_glue.c: what the pure event-channel model (evtchn.c) asks of the
 * rest of the hypervisor: a running domain by id, a kick for the vCPU an
 * event is bound to, and a wake-up for a vCPU polling the port that just
 * became pending. Only running domains can be found, so a port is never
 * bound to, or sent to, a domain that is being torn down.
 */
#include "domain.h"
#include "evtchn_glue.h"
#include "sched.h"

static struct evtchn_domain *env_lookup(void *ctx, domid_t id)
{
    struct domain *d = domain_by_id(id);

    (void)ctx;
    return d && d->state == DOMAIN_RUNNING ? &d->evtchn : NULL;
}

static struct domain *owner_of(struct evtchn_domain *e)
{
    return (struct domain *)((char *)e - __builtin_offsetof(struct domain, evtchn));
}

static void env_kick(void *ctx, struct evtchn_domain *e, unsigned int vcpu)
{
    struct domain *d = owner_of(e);

    (void)ctx;
    if (vcpu < d->nr_vcpus)
        vcpu_wake(d->vcpu[vcpu]);
}

static bool polls(const struct vcpu *v, evtchn_port_t port)
{
    for (unsigned int i = 0; v->polling && i < v->nr_poll_ports; i++)
        if (v->poll_ports[i] == port)
            return true;
    return false;
}

static void env_pending(void *ctx, struct evtchn_domain *e, evtchn_port_t port)
{
    struct vcpu *v;

    (void)ctx;
    for_each_vcpu(owner_of(e), v)
        if (polls(v, port))
            vcpu_wake(v);
}

const struct evtchn_env evtchn_env = { env_lookup, env_kick, env_pending, NULL };
