/*
 * evtchn_glue.c: what the pure event-channel model (evtchn.c) asks of the
 * rest of the hypervisor: a running domain by id, a kick for the vCPU an
 * event is bound to, and a wake-up for a vCPU polling the port that just
 * became pending. Only running domains can be found, so a port is never
 * bound to, or sent to, a domain that is being torn down.
 *
 * evtchn_send_fast is the model's send (evtchn_2l.h) compiled against this
 * constant environment: the lookup, the kick and the poll check become
 * direct code, with every rule of the model's send unchanged. The kick and
 * the poll check first test what makes them act (a blocked vCPU, a vCPU
 * in SCHEDOP_poll) inline, so a send to a running vCPU makes no call.
 */
#include "domain.h"
#include "evtchn_glue.h"
#include "evtchn_2l.h"
#include <asm/evtchn_offsets.h>
#include "hypercall.h"
#include "sched.h"

static inline struct evtchn_domain *env_lookup(void *ctx, domid_t id)
{
    struct domain *d = domain_by_id(id);

    (void)ctx;
    return d && d->state == DOMAIN_RUNNING ? &d->evtchn : NULL;
}

static inline struct domain *owner_of(struct evtchn_domain *e)
{
    return (struct domain *)((char *)e - __builtin_offsetof(struct domain, evtchn));
}

/* vcpu_wake acts on a blocked vCPU only: the test is repeated here so
 * that a running one costs no call. */
static inline void env_kick(void *ctx, struct evtchn_domain *e, unsigned int vcpu)
{
    struct domain *d = owner_of(e);

    (void)ctx;
    if (vcpu < d->nr_vcpus && d->vcpu[vcpu]->run_state == VCPU_BLOCKED)
        vcpu_wake(d->vcpu[vcpu]);
}

static bool polls(const struct vcpu *v, evtchn_port_t port)
{
    for (unsigned int i = 0; i < v->nr_poll_ports; i++)
        if (v->poll_ports[i] == port)
            return true;
    return false;
}

/* Out of line: a vCPU in SCHEDOP_poll is the rare case. */
static __attribute__((noinline)) void wake_pollers(struct domain *d, evtchn_port_t port)
{
    struct vcpu *v;

    for_each_vcpu(d, v)
        if (v->polling && polls(v, port))
            vcpu_wake(v);
}

static inline void env_pending(void *ctx, struct evtchn_domain *e, evtchn_port_t port)
{
    struct domain *d = owner_of(e);
    struct vcpu *v;

    (void)ctx;
    for_each_vcpu(d, v)
        if (v->polling) {
            wake_pollers(d, port);
            return;
        }
}

const struct evtchn_env evtchn_env = { env_lookup, env_kick, env_pending, NULL };

int64_t evtchn_send_fast(struct evtchn_domain *d, evtchn_port_t port)
{
    return evtchn_2l_send(&evtchn_env, d, port);
}

int64_t evtchn_newly_pending_fast(struct evtchn_domain *d, evtchn_port_t port)
{
    evtchn_2l_newly_pending(&evtchn_env, d, port);
    return 0;
}

int64_t evtchn_unmask_fast(struct evtchn_domain *d, evtchn_port_t port)
{
    return evtchn_unmask(&evtchn_env, d, port);
}

#define OFF(t, f) __builtin_offsetof(t, f)
_Static_assert(OFF(struct hypercall_args, a1) == EVF_HA_A1 &&
               OFF(struct hypercall_args, a2) == EVF_HA_A2 && EVTCHNOP_send == EVF_OP_SEND &&
               EVTCHNOP_unmask == EVF_OP_UNMASK,
               "the hypercall's arguments");
_Static_assert(OFF(struct domain, evtchn) == EVF_D_EVTCHN &&
               OFF(struct domain, evtchn.id) == EVF_D_ID &&
               OFF(struct domain, evtchn.shared) == EVF_D_SHARED &&
               OFF(struct domain, evtchn.ports) == EVF_D_PORTS, "domain.evtchn");
_Static_assert(sizeof(struct evtchn) == EVF_PORT_SIZE &&
               OFF(struct evtchn, state) == EVF_PORT_STATE &&
               OFF(struct evtchn, u.interdomain.dom) == EVF_PORT_DOM &&
               OFF(struct evtchn, u.interdomain.port) == EVF_PORT_PEER &&
               sizeof(((struct evtchn *)0)->state) == 1 &&
               sizeof(((struct evtchn *)0)->u.interdomain.dom) == 2, "struct evtchn");
_Static_assert(OFF(struct evtchn, notify_vcpu) == EVF_PORT_VCPU &&
               sizeof(((struct evtchn *)0)->notify_vcpu) == 2 &&
               OFF(struct shared_info, evtchn_mask) == EVF_SI_MASK &&
               OFF(struct vcpu_info, evtchn_pending_sel) == EVF_VI_SEL &&
               OFF(struct vcpu, polling) == EVF_V_POLLING &&
               sizeof(((struct vcpu *)0)->polling) == 1, "the delivery's fields");
/* evtchn_send_entry.S looks for a poller on the calling vCPU only. */
_Static_assert(EVTCHN_MAX_VCPUS == 1 && MAX_VCPUS == 1, "one vCPU per domain");
_Static_assert(ECS_INTERDOMAIN == EVF_INTERDOMAIN && EVTCHN_MAX_PORTS == EVF_MAX_PORTS &&
               OFF(struct shared_info, evtchn_pending) == EVF_SI_PENDING,
               "event constants");
