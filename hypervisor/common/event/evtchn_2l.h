/*
 * evtchn_2l.h: EVTCHNOP_send and the 2-level delivery it ends in, as
 * always-inline functions (pure). evtchn.c builds the model's
 * evtchn_send and evtchn_set_pending from them; evtchn_glue.c builds the
 * hypercall's send from the same text with its own constant environment,
 * so the compiler resolves env->lookup, kick and pending to direct code:
 * one definition, two call sites, and the hot one has no indirect calls.
 *
 * Invariants:
 *  - a send acts only on a port below EVTCHN_MAX_PORTS (else -EINVAL), in
 *    state INTERDOMAIN (to its peer, when the peer's domain is found by
 *    env->lookup: a dying domain is not, and the event is dropped), IPI
 *    (to our own vCPU) or UNBOUND (dropped, 0); any other state -EINVAL;
 *  - pending, then selector, then upcall_pending are set in the order of
 *    Xen's evtchn_2l_set_pending, each with one atomic operation, so a
 *    guest clearing them concurrently never loses an event; a masked or
 *    already pending port sets nothing more;
 *  - the mask bits are the guest's: only read here.
 */
#ifndef EVTCHN_2L_H
#define EVTCHN_2L_H

#include "evtchn.h"
#include "err.h"

#define EVTCHN_BITS 64                       /* bits per pending/mask word */

#define EVTCHN_INLINE static inline __attribute__((always_inline))

EVTCHN_INLINE bool evtchn_test_and_set(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ULL << bit;

    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

EVTCHN_INLINE bool evtchn_test_bit(const uint64_t *word, unsigned int bit)
{
    return (__atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit) & 1;
}

/* Port of d has just become pending (its bit went from 0 to 1): the rest
 * of Xen's order, the selector and upcall_pending unless it is masked,
 * then a poller's wake-up. */
EVTCHN_INLINE void evtchn_2l_newly_pending(const struct evtchn_env *e, struct evtchn_domain *d,
                                           evtchn_port_t port)
{
    struct shared_info *s = d->shared;
    unsigned int w = port / EVTCHN_BITS, b = port % EVTCHN_BITS;
    unsigned int v = d->ports[port].notify_vcpu;

    if (!evtchn_test_bit(&s->evtchn_mask[w], b)) {
        struct vcpu_info *vi = evtchn_vcpu_info(d, v);

        if (!evtchn_test_and_set(&vi->evtchn_pending_sel, w)) {
            __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
            if (e->kick)
                e->kick(e->ctx, d, v);
        }
    }
    if (e->pending)
        e->pending(e->ctx, d, port);
}

/* Mark port of d pending; tell its vCPU when the event is deliverable. */
EVTCHN_INLINE void evtchn_2l_set_pending(const struct evtchn_env *e, struct evtchn_domain *d,
                                         evtchn_port_t port)
{
    if (evtchn_test_and_set(&d->shared->evtchn_pending[port / EVTCHN_BITS],
                            port % EVTCHN_BITS))
        return;                              /* already pending: one edge only */
    evtchn_2l_newly_pending(e, d, port);
}

/* The far end of an INTERDOMAIN port, or NULL when its domain is gone. */
EVTCHN_INLINE struct evtchn_domain *evtchn_2l_peer(const struct evtchn_env *e,
                                                   struct evtchn_domain *d,
                                                   const struct evtchn *p)
{
    return p->u.interdomain.dom == d->id ? d : e->lookup(e->ctx, p->u.interdomain.dom);
}

EVTCHN_INLINE int evtchn_2l_send(const struct evtchn_env *e, struct evtchn_domain *d,
                                 evtchn_port_t port)
{
    const struct evtchn *p;
    struct evtchn_domain *r;

    if (port >= EVTCHN_MAX_PORTS)
        return -EINVAL;
    p = &d->ports[port];
    if (__builtin_expect(p->state == ECS_INTERDOMAIN, 1)) {
        r = evtchn_2l_peer(e, d, p);
        if (r)
            evtchn_2l_set_pending(e, r, p->u.interdomain.port);
        return 0;
    }
    if (p->state == ECS_IPI) {
        evtchn_2l_set_pending(e, d, port);
        return 0;
    }
    return p->state == ECS_UNBOUND ? 0 : -EINVAL;   /* unbound: dropped, as on Xen */
}

#endif /* EVTCHN_2L_H */
