/*
 * evtchn.c: event-channel ports and 2-level delivery. Pure: other domains
 * and vCPU wake-ups are reached through struct evtchn_env.
 *
 * Invariants:
 *  - port 0 is RESERVED; ports >= EVTCHN_MAX_PORTS do not exist (-EINVAL);
 *  - an INTERDOMAIN port and its peer always name each other; closing one
 *    end (or destroying its domain) returns the other to UNBOUND, offered
 *    back to the domain that closed, so no port ever points at a freed one;
 *  - a domain binds only to a port offered to it (UNBOUND with its id as
 *    remote); only a privileged domain names a domain other than itself in
 *    alloc_unbound, status and reset;
 *  - virq_port[v][virq] is non-zero exactly when that port is VIRQ bound to
 *    virq on v;
 *  - a PIRQ port that closes (close, reset, teardown) is reported to
 *    pirq_closed before it is freed, so its line never fires into a port
 *    that another binding may reuse;
 *  - the guest owns the mask bits; the hypervisor only reads them, and sets
 *    pending, selector and upcall_pending bits in the order of Xen's
 *    evtchn_2l_set_pending, so the guest never misses an event.
 */
#include "evtchn.h"
#include "evtchn_2l.h"
#include "err.h"

#define BITS EVTCHN_BITS

static bool test_and_set(uint64_t *word, unsigned int bit)
{
    return evtchn_test_and_set(word, bit);
}

static bool test_and_clear(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const uint64_t *word, unsigned int bit)
{
    return evtchn_test_bit(word, bit);
}

bool virq_is_per_vcpu(unsigned int virq)
{
    return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
           virq == VIRQ_XENPMU;
}

void evtchn_init_domain(struct evtchn_domain *d, domid_t id, bool privileged,
                        unsigned int nr_vcpus, struct shared_info *shared)
{
    memset(d, 0, sizeof(*d));
    d->id = id;
    d->privileged = privileged;
    d->nr_vcpus = MIN(nr_vcpus, (unsigned int)EVTCHN_MAX_VCPUS);
    d->shared = shared;
    d->ports[0].state = ECS_RESERVED;
}

static struct evtchn *port_of(struct evtchn_domain *d, evtchn_port_t port)
{
    return port < EVTCHN_MAX_PORTS ? &d->ports[port] : NULL;
}

/* The lowest free port, or -ENOSPC. */
static int64_t get_free_port(struct evtchn_domain *d)
{
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
        if (d->ports[p].state == ECS_FREE)
            return p;
    return -ENOSPC;
}

/* The domain a guest-supplied id names: itself for DOMID_SELF, another
 * only for a privileged caller. */
static int resolve(const struct evtchn_env *e, struct evtchn_domain *d, domid_t id,
                   struct evtchn_domain **out)
{
    if (id == DOMID_SELF || id == d->id) {
        *out = d;
        return 0;
    }
    if (!d->privileged)
        return -EPERM;
    *out = e->lookup(e->ctx, id);
    return *out ? 0 : -ESRCH;
}

/* ---- delivery (2-level) -------------------------------------------------- */

void evtchn_set_pending(const struct evtchn_env *e, struct evtchn_domain *d,
                        evtchn_port_t port)
{
    evtchn_2l_set_pending(e, d, port);
}

bool evtchn_is_pending(const struct evtchn_domain *d, evtchn_port_t port)
{
    return port < EVTCHN_MAX_PORTS &&
           test_bit(&d->shared->evtchn_pending[port / BITS], port % BITS);
}

/* An unmasked port that was pending: the event it held back now goes to
 * its vCPU (kept out of line: unmask's usual case has nothing pending). */
static __attribute__((noinline)) void unmask_deliver(const struct evtchn_env *e,
                                                     struct evtchn_domain *d,
                                                     evtchn_port_t port)
{
    unsigned int v = d->ports[port].notify_vcpu;

    if (!test_and_set(&evtchn_vcpu_info(d, v)->evtchn_pending_sel, port / BITS)) {
        __atomic_store_n(&evtchn_vcpu_info(d, v)->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
        if (e->kick)
            e->kick(e->ctx, d, v);
    }
}

int evtchn_unmask(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared;
    unsigned int w = port / BITS, b = port % BITS;

    if (!port_of(d, port))
        return -EINVAL;
    if (test_and_clear(&s->evtchn_mask[w], b) && test_bit(&s->evtchn_pending[w], b))
        unmask_deliver(e, d, port);
    return 0;
}

void evtchn_send_virq(const struct evtchn_env *e, struct evtchn_domain *d,
                      unsigned int vcpu, unsigned int virq)
{
    evtchn_port_t port;

    if (vcpu >= d->nr_vcpus || virq >= NR_VIRQS)
        return;
    port = d->virq_port[vcpu][virq];
    if (port)
        evtchn_set_pending(e, d, port);
}

/* ---- binding --------------------------------------------------------------- */

int evtchn_alloc_unbound(const struct evtchn_env *e, struct evtchn_domain *d,
                         struct evtchn_alloc_unbound *a)
{
    struct evtchn_domain *owner;
    int rc = resolve(e, d, a->dom, &owner);
    int64_t port;

    if (rc)
        return rc;
    port = get_free_port(owner);
    if (port < 0)
        return (int)port;
    owner->ports[port] = (struct evtchn){ .state = ECS_UNBOUND };
    /* DOMID_SELF names the caller, as on Xen (current->domain). */
    owner->ports[port].u.unbound.remote = a->remote_dom == DOMID_SELF ? d->id
                                                                       : a->remote_dom;
    a->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_interdomain(const struct evtchn_env *e, struct evtchn_domain *d,
                            struct evtchn_bind_interdomain *b)
{
    domid_t rid = b->remote_dom == DOMID_SELF ? d->id : b->remote_dom;
    struct evtchn_domain *r = rid == d->id ? d : e->lookup(e->ctx, rid);
    struct evtchn *rp;
    int64_t port;

    if (!r)
        return -ESRCH;
    rp = port_of(r, b->remote_port);
    if (!rp || rp->state != ECS_UNBOUND || rp->u.unbound.remote != d->id)
        return -EINVAL;                      /* not offered to us */
    port = get_free_port(d);
    if (port < 0)
        return (int)port;
    d->ports[port] = (struct evtchn){ .state = ECS_INTERDOMAIN };
    d->ports[port].u.interdomain.dom = r->id;
    d->ports[port].u.interdomain.port = b->remote_port;
    rp->state = ECS_INTERDOMAIN;
    rp->u.interdomain.dom = d->id;
    rp->u.interdomain.port = (evtchn_port_t)port;
    b->local_port = (evtchn_port_t)port;
    evtchn_set_pending(e, d, (evtchn_port_t)port);   /* as Xen: the new end fires once */
    return 0;
}

int evtchn_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *b)
{
    int64_t port;

    if (b->virq >= NR_VIRQS)
        return -EINVAL;
    if (!virq_is_per_vcpu(b->virq) && b->vcpu != 0)
        return -EINVAL;                      /* global VIRQs on vCPU 0 (Xen: before -ENOENT) */
    if (b->vcpu >= d->nr_vcpus)
        return -ENOENT;
    if (d->virq_port[b->vcpu][b->virq])
        return -EEXIST;
    port = get_free_port(d);
    if (port < 0)
        return (int)port;
    d->ports[port] = (struct evtchn){ .state = ECS_VIRQ, .notify_vcpu = (uint16_t)b->vcpu };
    d->ports[port].u.virq = b->virq;
    d->virq_port[b->vcpu][b->virq] = (evtchn_port_t)port;
    b->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *b)
{
    int64_t port;

    if (b->vcpu >= d->nr_vcpus)
        return -ENOENT;
    port = get_free_port(d);
    if (port < 0)
        return (int)port;
    d->ports[port] = (struct evtchn){ .state = ECS_IPI, .notify_vcpu = (uint16_t)b->vcpu };
    b->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_bind_pirq_port(struct evtchn_domain *d, uint32_t pirq, evtchn_port_t *port)
{
    int64_t p = get_free_port(d);

    if (p < 0)
        return (int)p;
    d->ports[p] = (struct evtchn){ .state = ECS_PIRQ, .notify_vcpu = 0 };
    d->ports[p].u.pirq = pirq;
    *port = (evtchn_port_t)p;
    return 0;
}

int evtchn_bind_vcpu(struct evtchn_domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn *p = port_of(d, port);

    if (vcpu >= d->nr_vcpus)
        return -ENOENT;
    if (!p)
        return -EINVAL;
    switch (p->state) {
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        p->notify_vcpu = (uint16_t)vcpu;
        return 0;
    case ECS_VIRQ:
        if (virq_is_per_vcpu(p->u.virq))
            return -EINVAL;
        p->notify_vcpu = (uint16_t)vcpu;
        return 0;
    default:
        return -EINVAL;
    }
}

/* ---- closing --------------------------------------------------------------- */

/* Free one port of d; an interdomain peer is offered back to d. */
static void close_port(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port)
{
    struct evtchn *p = &d->ports[port];

    /* A global VIRQ's slot is vCPU 0's, even after bind_vcpu moved it. */
    if (p->state == ECS_VIRQ)
        d->virq_port[virq_is_per_vcpu(p->u.virq) ? p->notify_vcpu : 0][p->u.virq] = 0;
    if (p->state == ECS_PIRQ && d->pirq_closed)
        d->pirq_closed(d, p->u.pirq, port);
    if (p->state == ECS_INTERDOMAIN) {
        struct evtchn_domain *r = p->u.interdomain.dom == d->id
                                      ? d : e->lookup(e->ctx, p->u.interdomain.dom);
        if (r) {
            struct evtchn *rp = &r->ports[p->u.interdomain.port];
            /* An INTERDOMAIN port and its peer name each other (above). */
            ASSERT(rp->state == ECS_INTERDOMAIN && rp->u.interdomain.dom == d->id &&
                   rp->u.interdomain.port == port);
            rp->state = ECS_UNBOUND;
            rp->u.unbound.remote = d->id;
        }
    }
    *p = (struct evtchn){ .state = ECS_FREE };
    /* As Xen's free_evtchn: no stale event for the port's next channel. */
    test_and_clear(&d->shared->evtchn_pending[port / BITS], port % BITS);
}

int evtchn_close(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port)
{
    struct evtchn *p = port_of(d, port);

    if (!p || p->state == ECS_FREE || p->state == ECS_RESERVED)
        return -EINVAL;
    close_port(e, d, port);
    return 0;
}

int evtchn_reset(const struct evtchn_env *e, struct evtchn_domain *d, domid_t dom)
{
    struct evtchn_domain *t;
    int rc = resolve(e, d, dom, &t);

    if (rc)
        return rc;
    evtchn_destroy_domain(e, t);
    return 0;
}

void evtchn_destroy_domain(const struct evtchn_env *e, struct evtchn_domain *d)
{
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
        if (d->ports[p].state != ECS_FREE)
            close_port(e, d, p);
}

/* ---- send and status ------------------------------------------------------- */

/* The model's send; the hypercall's (evtchn_glue.c) is the same inline. */
int evtchn_send(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port)
{
    return evtchn_2l_send(e, d, port);
}

int evtchn_status(const struct evtchn_env *e, struct evtchn_domain *d, struct evtchn_status *s)
{
    static const uint32_t status_of[] = {
        [ECS_FREE] = EVTCHNSTAT_closed, [ECS_RESERVED] = EVTCHNSTAT_closed,
        [ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
        [ECS_VIRQ] = EVTCHNSTAT_virq, [ECS_IPI] = EVTCHNSTAT_ipi,
        [ECS_PIRQ] = EVTCHNSTAT_pirq,
    };
    struct evtchn_domain *t;
    struct evtchn *p;
    int rc = resolve(e, d, s->dom, &t);

    if (rc)
        return rc;
    p = port_of(t, s->port);
    if (!p)
        return -EINVAL;
    memset(&s->u, 0, sizeof(s->u));
    s->status = status_of[p->state];
    s->vcpu = p->notify_vcpu;
    if (p->state == ECS_UNBOUND)
        s->u.unbound.dom = p->u.unbound.remote;
    else if (p->state == ECS_INTERDOMAIN) {
        s->u.interdomain.dom = p->u.interdomain.dom;
        s->u.interdomain.port = p->u.interdomain.port;
    } else if (p->state == ECS_VIRQ)
        s->u.virq = p->u.virq;
    else if (p->state == ECS_PIRQ)
        s->u.pirq = p->u.pirq;
    return 0;
}
