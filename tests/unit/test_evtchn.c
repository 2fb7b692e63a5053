/*
 * Unit tests for hypervisor/common/event/evtchn.c: event-channel ports (the per-port
 * state machine of evtchn.h) and their 2-level delivery into shared_info.
 *
 * Event channels are the one place where a guest's call reaches into
 * another domain's state: a wrong transition leaves an INTERDOMAIN port
 * naming a port that has been freed or reused, and a send on it then raises
 * an event in some unrelated channel of the peer. So three fake domains are
 * built (domain 0 privileged, 1 and 2 not; each with its own calloc'd
 * shared_info), with an environment whose lookup finds only the domains
 * marked present and whose kick and pending callbacks record every call.
 * After every operation check_all() walks every port of every domain and
 * checks the invariants of evtchn.c: port 0 reserved, both ends of an
 * INTERDOMAIN pair name each other (and the peer domain exists), virq_port
 * and the VIRQ ports agree both ways, a free port is bound to vCPU 0 and
 * never left pending.
 *
 * Every operation is driven in every state. Each rule has a case it accepts
 * and a case it refuses; a refusal is checked to return Xen's errno and to
 * change nothing at all: every domain, every shared_info page, the recorded
 * callbacks and the OUT field of the argument are compared before and after.
 * Delivery is checked against Xen's evtchn_2l_set_pending/unmask: one edge
 * per pending bit, no upcall while masked, the selector bit and the kick
 * only when the selector bit is newly set. A long pseudo-random run of all
 * operations over the three domains (with domains going away and coming
 * back) ends the file, checking the invariants and "refusal changes
 * nothing" after each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evtchn.h"
#include "err.h"

#define NR_DOMS 3
#define MISSING ((domid_t)7)           /* a domain id no domain has */
#define POISON 0xdeadbeefU             /* OUT fields start as this */
#define LAST_PORT (EVTCHN_MAX_PORTS - 1)

/* ---- the fake world ------------------------------------------------------- */

static struct evtchn_domain *dom[NR_DOMS];
static struct shared_info *info[NR_DOMS];
static bool present[NR_DOMS];          /* lookup finds only these */
static int env_ctx;                    /* its address is the env's ctx */

struct call {
    domid_t dom;
    unsigned int what;                 /* vCPU for a kick, port for pending */
};

#define MAX_CALLS 64
static struct call kicks[MAX_CALLS], pendings[MAX_CALLS];
static unsigned int nr_kicks, nr_pendings;

static struct evtchn_domain *env_lookup(void *ctx, domid_t id)
{
    assert_ptr_equal(ctx, &env_ctx);
    assert_int_not_equal(id, DOMID_SELF);      /* the module resolves it */
    for (unsigned int i = 0; i < NR_DOMS; i++)
        if (present[i] && dom[i]->id == id)
            return dom[i];
    return NULL;
}

static void env_kick(void *ctx, struct evtchn_domain *d, unsigned int vcpu)
{
    assert_ptr_equal(ctx, &env_ctx);
    assert_true(vcpu < d->nr_vcpus);
    /* Xen's order: upcall_pending and the selector are set before the kick. */
    assert_int_equal(d->shared->vcpu_info[vcpu].evtchn_upcall_pending, 1);
    assert_int_not_equal(d->shared->vcpu_info[vcpu].evtchn_pending_sel, 0);
    if (nr_kicks < MAX_CALLS)
        kicks[nr_kicks] = (struct call){ d->id, vcpu };
    nr_kicks++;
}

static void env_pending(void *ctx, struct evtchn_domain *d, evtchn_port_t port)
{
    assert_ptr_equal(ctx, &env_ctx);
    assert_true(port < EVTCHN_MAX_PORTS);
    assert_true(evtchn_is_pending(d, port));   /* set before pollers wake */
    if (nr_pendings < MAX_CALLS)
        pendings[nr_pendings] = (struct call){ d->id, port };
    nr_pendings++;
}

static const struct evtchn_env env = { env_lookup, env_kick, env_pending, &env_ctx };
/* kick and pending are optional. */
static const struct evtchn_env quiet_env = { env_lookup, NULL, NULL, &env_ctx };

static void clear_calls(void)
{
    nr_kicks = nr_pendings = 0;
}

static void assert_no_calls(void)
{
    assert_int_equal(nr_kicks, 0);
    assert_int_equal(nr_pendings, 0);
}

static void assert_kicked(domid_t id, unsigned int vcpu)
{
    assert_int_equal(nr_kicks, 1);
    assert_int_equal(kicks[0].dom, id);
    assert_int_equal(kicks[0].what, vcpu);
}

static void assert_pending_call(domid_t id, evtchn_port_t port)
{
    assert_int_equal(nr_pendings, 1);
    assert_int_equal(pendings[0].dom, id);
    assert_int_equal(pendings[0].what, port);
}

static void make_domain(unsigned int i, bool privileged)
{
    evtchn_init_domain(dom[i], (domid_t)i, privileged, 1, info[i]);
    present[i] = true;
}

static int setup(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < NR_DOMS; i++) {
        dom[i] = calloc(1, sizeof(*dom[i]));
        info[i] = calloc(1, sizeof(*info[i]));
        assert_non_null(dom[i]);
        assert_non_null(info[i]);
        make_domain(i, i == 0);
    }
    clear_calls();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < NR_DOMS; i++) {
        free(dom[i]);
        free(info[i]);
        dom[i] = NULL;
        info[i] = NULL;
    }
    return 0;
}

/* ---- bits of shared_info, as the guest sees them ---------------------------- */

static bool bit(const uint64_t *words, evtchn_port_t p)
{
    return (words[p / 64] >> (p % 64)) & 1;
}

static bool is_pending(unsigned int i, evtchn_port_t p)
{
    return bit(info[i]->evtchn_pending, p);
}

static uint64_t selector(unsigned int i)
{
    return info[i]->vcpu_info[0].evtchn_pending_sel;
}

static uint8_t upcall(unsigned int i)
{
    return info[i]->vcpu_info[0].evtchn_upcall_pending;
}

static void guest_mask(unsigned int i, evtchn_port_t p)
{
    info[i]->evtchn_mask[p / 64] |= 1ULL << (p % 64);
}

/* What the guest's upcall handler leaves behind: nothing pending. */
static void guest_consume_all(unsigned int i)
{
    memset(info[i]->evtchn_pending, 0, sizeof(info[i]->evtchn_pending));
    info[i]->vcpu_info[0].evtchn_pending_sel = 0;
    info[i]->vcpu_info[0].evtchn_upcall_pending = 0;
}

/* ---- the invariants ----------------------------------------------------------- */

static void check_domain(const struct evtchn_domain *d)
{
    assert_true(d->nr_vcpus <= EVTCHN_MAX_VCPUS);
    assert_int_equal(d->ports[0].state, ECS_RESERVED);
    assert_false(bit(d->shared->evtchn_pending, 0));
    for (evtchn_port_t p = 0; p < EVTCHN_MAX_PORTS; p++) {
        const struct evtchn *c = &d->ports[p];

        assert_true(c->state <= ECS_IPI);
        if (p)
            assert_int_not_equal(c->state, ECS_RESERVED);
        if (c->state == ECS_FREE) {
            assert_int_equal(c->notify_vcpu, 0);
            assert_false(bit(d->shared->evtchn_pending, p));    /* no stale event */
            continue;
        }
        assert_true(c->notify_vcpu < d->nr_vcpus || c->state == ECS_RESERVED);
        if (c->state == ECS_INTERDOMAIN) {
            const struct evtchn_domain *r = env_lookup(&env_ctx, c->u.interdomain.dom);
            evtchn_port_t rp = c->u.interdomain.port;

            assert_non_null(r);                       /* the peer exists */
            assert_true(rp < EVTCHN_MAX_PORTS);
            assert_false(r == d && rp == p);          /* not bound to itself */
            assert_int_equal(r->ports[rp].state, ECS_INTERDOMAIN);
            assert_int_equal(r->ports[rp].u.interdomain.dom, d->id);
            assert_int_equal(r->ports[rp].u.interdomain.port, p);
        } else if (c->state == ECS_VIRQ) {
            uint32_t virq = c->u.virq;
            unsigned int v = virq_is_per_vcpu(virq) ? c->notify_vcpu : 0;

            assert_true(virq < NR_VIRQS);
            assert_int_equal(d->virq_port[v][virq], p);
        }
    }
    for (unsigned int v = 0; v < EVTCHN_MAX_VCPUS; v++)
        for (unsigned int virq = 0; virq < NR_VIRQS; virq++) {
            evtchn_port_t p = d->virq_port[v][virq];

            if (!p)
                continue;
            assert_true(p < EVTCHN_MAX_PORTS);
            assert_true(v < d->nr_vcpus);
            assert_int_equal(d->ports[p].state, ECS_VIRQ);
            assert_int_equal(d->ports[p].u.virq, virq);
            if (virq_is_per_vcpu(virq))
                assert_int_equal(d->ports[p].notify_vcpu, v);
            else
                assert_int_equal(v, 0);
        }
}

static void check_all(void)
{
    for (unsigned int i = 0; i < NR_DOMS; i++)
        if (present[i])
            check_domain(dom[i]);
}

/* ---- snapshots: a refusal changes nothing ------------------------------------- */

struct snapshot {
    struct evtchn_domain d[NR_DOMS];
    struct shared_info s[NR_DOMS];
    bool present[NR_DOMS];
    unsigned int nr_kicks, nr_pendings;
};

static struct snapshot *snap_take(void)
{
    struct snapshot *s = malloc(sizeof(*s));

    assert_non_null(s);
    for (unsigned int i = 0; i < NR_DOMS; i++) {
        s->d[i] = *dom[i];
        s->s[i] = *info[i];
        s->present[i] = present[i];
    }
    s->nr_kicks = nr_kicks;
    s->nr_pendings = nr_pendings;
    return s;
}

static void snap_check(struct snapshot *s)
{
    for (unsigned int i = 0; i < NR_DOMS; i++) {
        assert_memory_equal(dom[i], &s->d[i], sizeof(s->d[i]));
        assert_memory_equal(info[i], &s->s[i], sizeof(s->s[i]));
        assert_int_equal(present[i], s->present[i]);
    }
    assert_int_equal(nr_kicks, s->nr_kicks);
    assert_int_equal(nr_pendings, s->nr_pendings);
    free(s);
}

/* call must return -err and change nothing. */
#define REFUSED(err, call)                                   \
    do {                                                     \
        struct snapshot *s_ = snap_take();                   \
        assert_int_equal((call), -(err));                    \
        snap_check(s_);                                      \
        check_all();                                         \
    } while (0)

/* ---- one wrapper per operation: OUT fields untouched on a refusal ------------- */

static int try_alloc(unsigned int caller, domid_t dom_arg, domid_t remote, evtchn_port_t *out)
{
    struct evtchn_alloc_unbound a = { .dom = dom_arg, .remote_dom = remote, .port = POISON };
    int rc = evtchn_alloc_unbound(&env, dom[caller], &a);

    assert_int_equal(a.dom, dom_arg);
    assert_int_equal(a.remote_dom, remote);
    if (rc)
        assert_int_equal(a.port, POISON);
    if (out)
        *out = a.port;
    return rc;
}

static evtchn_port_t alloc_ok(unsigned int caller, domid_t dom_arg, domid_t remote)
{
    evtchn_port_t p;

    clear_calls();
    assert_int_equal(try_alloc(caller, dom_arg, remote, &p), 0);
    assert_true(p > 0 && p < EVTCHN_MAX_PORTS);
    assert_no_calls();                 /* nothing is delivered by allocating */
    check_all();
    return p;
}

static int try_bind(unsigned int caller, domid_t remote, evtchn_port_t rport, evtchn_port_t *out)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = rport,
                                         .local_port = POISON };
    int rc = evtchn_bind_interdomain(&env, dom[caller], &b);

    assert_int_equal(b.remote_dom, remote);
    assert_int_equal(b.remote_port, rport);
    if (rc)
        assert_int_equal(b.local_port, POISON);
    if (out)
        *out = b.local_port;
    return rc;
}

static evtchn_port_t bind_ok(unsigned int caller, domid_t remote, evtchn_port_t rport)
{
    evtchn_port_t p;

    clear_calls();
    assert_int_equal(try_bind(caller, remote, rport, &p), 0);
    assert_true(p > 0 && p < EVTCHN_MAX_PORTS);
    check_all();
    return p;
}

static int try_virq(unsigned int caller, uint32_t virq, uint32_t vcpu, evtchn_port_t *out)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu, .port = POISON };
    int rc = evtchn_bind_virq(dom[caller], &b);

    assert_int_equal(b.virq, virq);
    assert_int_equal(b.vcpu, vcpu);
    if (rc)
        assert_int_equal(b.port, POISON);
    if (out)
        *out = b.port;
    return rc;
}

static evtchn_port_t virq_ok(unsigned int caller, uint32_t virq, uint32_t vcpu)
{
    evtchn_port_t p;

    clear_calls();
    assert_int_equal(try_virq(caller, virq, vcpu, &p), 0);
    assert_true(p > 0 && p < EVTCHN_MAX_PORTS);
    assert_no_calls();
    check_all();
    return p;
}

static int try_ipi(unsigned int caller, uint32_t vcpu, evtchn_port_t *out)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu, .port = POISON };
    int rc = evtchn_bind_ipi(dom[caller], &b);

    assert_int_equal(b.vcpu, vcpu);
    if (rc)
        assert_int_equal(b.port, POISON);
    if (out)
        *out = b.port;
    return rc;
}

static evtchn_port_t ipi_ok(unsigned int caller)
{
    evtchn_port_t p;

    clear_calls();
    assert_int_equal(try_ipi(caller, 0, &p), 0);
    assert_true(p > 0 && p < EVTCHN_MAX_PORTS);
    assert_no_calls();
    check_all();
    return p;
}

static void close_ok(unsigned int caller, evtchn_port_t p)
{
    clear_calls();
    assert_int_equal(evtchn_close(&env, dom[caller], p), 0);
    assert_int_equal(dom[caller]->ports[p].state, ECS_FREE);
    assert_no_calls();
    check_all();
}

static void send_ok(unsigned int caller, evtchn_port_t p)
{
    clear_calls();
    assert_int_equal(evtchn_send(&env, dom[caller], p), 0);
    check_all();
}

static int try_status(unsigned int caller, domid_t dom_arg, evtchn_port_t port,
                      struct evtchn_status *st)
{
    int rc;

    memset(st, 0xa5, sizeof(*st));
    st->dom = dom_arg;
    st->port = port;
    rc = evtchn_status(&env, dom[caller], st);
    assert_int_equal(st->dom, dom_arg);
    assert_int_equal(st->port, port);
    if (rc)
        assert_int_equal(st->status, 0xa5a5a5a5U);
    return rc;
}

static struct evtchn_status status_ok(unsigned int caller, domid_t dom_arg, evtchn_port_t port)
{
    struct evtchn_status st;
    struct snapshot *s = snap_take();

    assert_int_equal(try_status(caller, dom_arg, port, &st), 0);
    snap_check(s);                     /* status only reads */
    return st;
}

/* An interdomain pair: a offers a port to b, b binds to it. Returns a's
 * port in *pa and b's in *pb; b's new port is pending, as on Xen. */
static void connect(unsigned int a, unsigned int b, evtchn_port_t *pa, evtchn_port_t *pb)
{
    *pa = alloc_ok(a, DOMID_SELF, (domid_t)b);
    *pb = bind_ok(b, (domid_t)a, *pa);
}

/* ---- set-up ------------------------------------------------------------------- */

static void test_init(void **state)
{
    (void)state;
    check_all();
    for (unsigned int i = 0; i < NR_DOMS; i++) {
        assert_int_equal(dom[i]->id, i);
        assert_int_equal(dom[i]->privileged, i == 0);
        assert_int_equal(dom[i]->nr_vcpus, 1);
        assert_ptr_equal(dom[i]->shared, info[i]);
        assert_int_equal(dom[i]->ports[0].state, ECS_RESERVED);
        for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
            assert_int_equal(dom[i]->ports[p].state, ECS_FREE);
    }
}

static void test_init_clamps_vcpus_and_clears_old_state(void **state)
{
    (void)state;
    (void)ipi_ok(1);
    (void)virq_ok(1, VIRQ_TIMER, 0);
    evtchn_init_domain(dom[1], 1, false, 32, info[1]);
    assert_int_equal(dom[1]->nr_vcpus, EVTCHN_MAX_VCPUS);
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
        assert_int_equal(dom[1]->ports[p].state, ECS_FREE);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], 0);
    guest_consume_all(1);
    check_all();
}

static void test_virq_classes(void **state)
{
    (void)state;
    for (unsigned int v = 0; v < NR_VIRQS; v++)
        assert_int_equal(virq_is_per_vcpu(v), v == VIRQ_TIMER || v == VIRQ_DEBUG ||
                                                  v == VIRQ_XENOPROF || v == VIRQ_XENPMU);
}

/* ---- alloc_unbound ---------------------------------------------------------- */

static void test_alloc_unbound_self_ports_from_1(void **state)
{
    struct evtchn_status st;

    (void)state;
    assert_int_equal(alloc_ok(1, DOMID_SELF, 2), 1);
    assert_int_equal(alloc_ok(1, DOMID_SELF, 2), 2);
    assert_int_equal(alloc_ok(1, 1, 0), 3);                  /* own id = DOMID_SELF */
    assert_int_equal(dom[1]->ports[1].state, ECS_UNBOUND);
    assert_int_equal(dom[1]->ports[1].u.unbound.remote, 2);
    st = status_ok(1, DOMID_SELF, 3);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
    for (unsigned int i = 0; i < NR_DOMS; i++)
        assert_false(is_pending(i, 1) || is_pending(i, 2) || is_pending(i, 3));
}

static void test_alloc_unbound_remote_self_is_caller(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = alloc_ok(2, DOMID_SELF, DOMID_SELF);
    assert_int_equal(dom[2]->ports[p].u.unbound.remote, 2);
}

static void test_alloc_unbound_for_another_domain_privileged(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = alloc_ok(0, 1, 2);                   /* dom0 makes dom1 a port for dom2 */
    assert_int_equal(p, 1);
    assert_int_equal(dom[1]->ports[p].state, ECS_UNBOUND);
    assert_int_equal(dom[1]->ports[p].u.unbound.remote, 2);
    assert_int_equal(dom[0]->ports[1].state, ECS_FREE);      /* not in dom0's table */
    (void)bind_ok(2, 1, p);                  /* and dom2 may bind to it */
}

/* On Xen, remote_dom DOMID_SELF names the caller (current->domain), even
 * when the port is made in another domain: a toolstack pre-allocates a port
 * in a guest for itself. */
static void test_alloc_unbound_for_another_domain_remote_self(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = alloc_ok(0, 2, DOMID_SELF);
    assert_int_equal(dom[2]->ports[p].u.unbound.remote, 0);
    q = bind_ok(0, 2, p);
    assert_int_equal(dom[0]->ports[q].u.interdomain.dom, 2);
    REFUSED(EINVAL, try_bind(2, DOMID_SELF, p, NULL));    /* not offered to dom2 */
}

static void test_alloc_unbound_for_another_domain_unprivileged(void **state)
{
    (void)state;
    REFUSED(EPERM, try_alloc(1, 2, 1, NULL));
    REFUSED(EPERM, try_alloc(1, 0, DOMID_SELF, NULL));
    REFUSED(EPERM, try_alloc(2, 1, 2, NULL));
}

static void test_alloc_unbound_missing_domain(void **state)
{
    (void)state;
    REFUSED(ESRCH, try_alloc(0, MISSING, 0, NULL));
    present[2] = false;                      /* gone from the domain list */
    REFUSED(ESRCH, try_alloc(0, 2, 0, NULL));
}

static void test_alloc_unbound_exhaustion(void **state)
{
    (void)state;
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++) {
        evtchn_port_t got;
        assert_int_equal(try_alloc(1, DOMID_SELF, 2, &got), 0);
        assert_int_equal(got, p);            /* lowest free, from 1 */
    }
    check_all();
    REFUSED(ENOSPC, try_alloc(1, DOMID_SELF, 2, NULL));
    REFUSED(ENOSPC, try_alloc(0, 1, 2, NULL));      /* privileged: same table */
    close_ok(1, 500);
    assert_int_equal(alloc_ok(1, DOMID_SELF, 0), 500);    /* the hole is reused */
    close_ok(1, LAST_PORT);
    assert_int_equal(alloc_ok(0, 1, 0), LAST_PORT);
    REFUSED(ENOSPC, try_alloc(1, DOMID_SELF, 2, NULL));
}

/* ---- bind_interdomain ------------------------------------------------------- */

static void test_bind_interdomain_connects_both_ends(void **state)
{
    evtchn_port_t p, q;
    struct evtchn_status st;

    (void)state;
    (void)ipi_ok(2);                         /* so the ends get different numbers */
    p = alloc_ok(1, DOMID_SELF, 2);
    q = bind_ok(2, 1, p);
    assert_int_equal(p, 1);
    assert_int_equal(q, 2);
    assert_int_equal(dom[1]->ports[p].state, ECS_INTERDOMAIN);
    assert_int_equal(dom[1]->ports[p].u.interdomain.dom, 2);
    assert_int_equal(dom[1]->ports[p].u.interdomain.port, q);
    assert_int_equal(dom[2]->ports[q].state, ECS_INTERDOMAIN);
    assert_int_equal(dom[2]->ports[q].u.interdomain.dom, 1);
    assert_int_equal(dom[2]->ports[q].u.interdomain.port, p);
    /* The new local end fires once (Xen: notifications on the unbound end
     * may have been lost); the offering end does not. */
    assert_true(is_pending(2, q));
    assert_int_equal(selector(2), 1);
    assert_int_equal(upcall(2), 1);
    assert_kicked(2, 0);
    assert_pending_call(2, q);
    assert_false(is_pending(1, p));
    assert_int_equal(upcall(1), 0);
    st = status_ok(2, DOMID_SELF, q);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.interdomain.dom, 1);
    assert_int_equal(st.u.interdomain.port, p);
}

static void test_bind_interdomain_masked_local_port_no_upcall(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    guest_mask(2, 1);                        /* the port bind will pick */
    p = alloc_ok(1, DOMID_SELF, 2);
    q = bind_ok(2, 1, p);
    assert_int_equal(q, 1);
    assert_true(is_pending(2, q));
    assert_int_equal(selector(2), 0);
    assert_int_equal(upcall(2), 0);
    assert_int_equal(nr_kicks, 0);
    assert_pending_call(2, q);               /* a poller still wakes */
}

static void test_bind_interdomain_offered_to_someone_else(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, 2);
    REFUSED(EINVAL, try_bind(0, 1, p, NULL));      /* privilege does not help */
    REFUSED(EINVAL, try_bind(1, DOMID_SELF, p, NULL));
    REFUSED(EINVAL, try_bind(1, 1, p, NULL));
    p = alloc_ok(1, DOMID_SELF, MISSING);
    REFUSED(EINVAL, try_bind(2, 1, p, NULL));
}

static void test_bind_interdomain_port_not_unbound(void **state)
{
    evtchn_port_t ipi, virq, a, b;

    (void)state;
    ipi = ipi_ok(1);
    virq = virq_ok(1, VIRQ_DEBUG, 0);
    connect(1, 2, &a, &b);
    REFUSED(EINVAL, try_bind(2, 1, 0, NULL));            /* reserved */
    REFUSED(EINVAL, try_bind(2, 1, 100, NULL));          /* free */
    REFUSED(EINVAL, try_bind(2, 1, ipi, NULL));
    REFUSED(EINVAL, try_bind(2, 1, virq, NULL));
    REFUSED(EINVAL, try_bind(2, 1, a, NULL));            /* already bound: twice */
    REFUSED(EINVAL, try_bind(0, 1, a, NULL));            /* nor by a third domain */
    REFUSED(EINVAL, try_bind(1, 2, b, NULL));            /* nor back from the peer */
}

static void test_bind_interdomain_port_out_of_range(void **state)
{
    (void)state;
    (void)alloc_ok(1, DOMID_SELF, 2);
    REFUSED(EINVAL, try_bind(2, 1, EVTCHN_MAX_PORTS, NULL));
    REFUSED(EINVAL, try_bind(2, 1, 4096, NULL));
    REFUSED(EINVAL, try_bind(2, 1, 0xffffffffU, NULL));
    REFUSED(EINVAL, try_bind(2, DOMID_SELF, EVTCHN_MAX_PORTS, NULL));
}

static void test_bind_interdomain_missing_domain(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, 2);
    REFUSED(ESRCH, try_bind(2, MISSING, p, NULL));
    present[1] = false;
    REFUSED(ESRCH, try_bind(2, 1, p, NULL));
    present[1] = true;
    (void)bind_ok(2, 1, p);
}

static void test_bind_interdomain_local_table_full(void **state)
{
    evtchn_port_t p, got;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, 2);
    for (unsigned int n = 1; n < EVTCHN_MAX_PORTS; n++)
        assert_int_equal(try_ipi(2, 0, &got), 0);
    check_all();
    REFUSED(ENOSPC, try_bind(2, 1, p, NULL));
    assert_int_equal(dom[1]->ports[p].state, ECS_UNBOUND);   /* still offered */
    close_ok(2, 7);
    assert_int_equal(bind_ok(2, 1, p), 7);
}

static void test_bind_interdomain_loopback(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, DOMID_SELF);
    q = bind_ok(1, DOMID_SELF, p);
    assert_int_not_equal(p, q);
    assert_int_equal(dom[1]->ports[p].u.interdomain.dom, 1);
    assert_int_equal(dom[1]->ports[p].u.interdomain.port, q);
    assert_int_equal(dom[1]->ports[q].u.interdomain.dom, 1);
    assert_int_equal(dom[1]->ports[q].u.interdomain.port, p);
    assert_true(is_pending(1, q));
    assert_kicked(1, 0);
    guest_consume_all(1);
    send_ok(1, p);                           /* p rings q ... */
    assert_true(is_pending(1, q));
    assert_false(is_pending(1, p));
    assert_kicked(1, 0);
    guest_consume_all(1);
    send_ok(1, q);                           /* ... and q rings p */
    assert_true(is_pending(1, p));
    assert_false(is_pending(1, q));
    REFUSED(EINVAL, try_bind(1, DOMID_SELF, p, NULL));   /* bound: twice refused */
}

static void test_bind_interdomain_loopback_by_own_id(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = alloc_ok(2, 2, 2);
    q = bind_ok(2, 2, p);
    assert_int_equal(dom[2]->ports[q].u.interdomain.dom, 2);
    REFUSED(EINVAL, try_bind(1, 2, p, NULL));
}

/* ---- bind_virq -------------------------------------------------------------- */

static void test_bind_virq_per_vcpu(void **state)
{
    evtchn_port_t p;
    struct evtchn_status st;

    (void)state;
    p = virq_ok(1, VIRQ_TIMER, 0);
    assert_int_equal(p, 1);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], p);
    st = status_ok(1, DOMID_SELF, p);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.virq, VIRQ_TIMER);
    assert_false(is_pending(1, p));
}

static void test_bind_virq_global(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = virq_ok(0, VIRQ_CONSOLE, 0);
    assert_int_equal(dom[0]->virq_port[0][VIRQ_CONSOLE], p);
    assert_int_equal(dom[0]->ports[p].u.virq, VIRQ_CONSOLE);
}

static void test_bind_virq_every_number(void **state)
{
    (void)state;
    for (uint32_t v = 0; v < NR_VIRQS; v++)
        assert_int_equal(virq_ok(2, v, 0), v + 1);
    for (uint32_t v = 0; v < NR_VIRQS; v++)
        REFUSED(EEXIST, try_virq(2, v, 0, NULL));
}

static void test_bind_virq_vcpu_out_of_range(void **state)
{
    (void)state;
    REFUSED(ENOENT, try_virq(1, VIRQ_TIMER, 1, NULL));
    REFUSED(ENOENT, try_virq(1, VIRQ_DEBUG, EVTCHN_MAX_VCPUS, NULL));
    REFUSED(ENOENT, try_virq(1, VIRQ_XENPMU, 0xffffffffU, NULL));
}

/* Xen checks "global VIRQs on vCPU 0" before the vCPU exists: -EINVAL. */
static void test_bind_virq_global_on_other_vcpu(void **state)
{
    (void)state;
    REFUSED(EINVAL, try_virq(1, VIRQ_CONSOLE, 1, NULL));
    REFUSED(EINVAL, try_virq(1, VIRQ_DOM_EXC, 0xffffffffU, NULL));
    REFUSED(EINVAL, try_virq(1, VIRQ_ARGO, 3, NULL));
}

static void test_bind_virq_number_out_of_range(void **state)
{
    (void)state;
    REFUSED(EINVAL, try_virq(1, NR_VIRQS, 0, NULL));
    REFUSED(EINVAL, try_virq(1, 0xffffffffU, 0, NULL));
    REFUSED(EINVAL, try_virq(1, NR_VIRQS, 5, NULL));     /* checked first */
}

static void test_bind_virq_twice(void **state)
{
    evtchn_port_t t, c;

    (void)state;
    t = virq_ok(1, VIRQ_TIMER, 0);
    c = virq_ok(1, VIRQ_CON_RING, 0);
    REFUSED(EEXIST, try_virq(1, VIRQ_TIMER, 0, NULL));
    REFUSED(EEXIST, try_virq(1, VIRQ_CON_RING, 0, NULL));
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], t);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_CON_RING], c);
    (void)virq_ok(2, VIRQ_TIMER, 0);         /* per domain: another may */
}

static void test_bind_virq_again_after_close(void **state)
{
    evtchn_port_t t, ipi;

    (void)state;
    t = virq_ok(1, VIRQ_TIMER, 0);
    ipi = ipi_ok(1);
    close_ok(1, t);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], 0);
    assert_int_equal(virq_ok(1, VIRQ_TIMER, 0), t);      /* lowest free again */
    close_ok(1, t);
    close_ok(1, ipi);
    (void)ipi_ok(1);
    assert_int_equal(virq_ok(1, VIRQ_TIMER, 0), 2);
}

static void test_bind_virq_table_full(void **state)
{
    evtchn_port_t got;

    (void)state;
    for (unsigned int n = 1; n < EVTCHN_MAX_PORTS; n++)
        assert_int_equal(try_ipi(1, 0, &got), 0);
    REFUSED(ENOSPC, try_virq(1, VIRQ_TIMER, 0, NULL));
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], 0);
}

/* ---- bind_ipi ---------------------------------------------------------------- */

static void test_bind_ipi(void **state)
{
    evtchn_port_t p;
    struct evtchn_status st;

    (void)state;
    p = ipi_ok(1);
    assert_int_equal(p, 1);
    assert_int_equal(dom[1]->ports[p].state, ECS_IPI);
    st = status_ok(1, DOMID_SELF, p);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(ipi_ok(1), 2);          /* any number of them */
}

static void test_bind_ipi_refused(void **state)
{
    evtchn_port_t got;

    (void)state;
    REFUSED(ENOENT, try_ipi(1, 1, NULL));
    REFUSED(ENOENT, try_ipi(1, 0xffffffffU, NULL));
    for (unsigned int n = 1; n < EVTCHN_MAX_PORTS; n++)
        assert_int_equal(try_ipi(1, 0, &got), 0);
    assert_int_equal(got, LAST_PORT);
    check_all();
    REFUSED(ENOSPC, try_ipi(1, 0, NULL));
}

/* ---- bind_vcpu ---------------------------------------------------------------- */

static void test_bind_vcpu_allowed(void **state)
{
    evtchn_port_t u, a, b, g;
    struct snapshot *s;

    (void)state;
    u = alloc_ok(1, DOMID_SELF, 2);
    connect(1, 2, &a, &b);
    g = virq_ok(1, VIRQ_CONSOLE, 0);
    s = snap_take();
    assert_int_equal(evtchn_bind_vcpu(dom[1], u, 0), 0);
    assert_int_equal(evtchn_bind_vcpu(dom[1], a, 0), 0);
    assert_int_equal(evtchn_bind_vcpu(dom[1], g, 0), 0);
    snap_check(s);                           /* vCPU 0 already: no change */
    check_all();
}

static void test_bind_vcpu_refused(void **state)
{
    evtchn_port_t u, t, ipi;

    (void)state;
    u = alloc_ok(1, DOMID_SELF, 2);
    t = virq_ok(1, VIRQ_TIMER, 0);
    ipi = ipi_ok(1);
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], t, 0));     /* per-vCPU VIRQ */
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], ipi, 0));
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], 0, 0));     /* reserved */
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], 200, 0));   /* free */
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], EVTCHN_MAX_PORTS, 0));
    REFUSED(EINVAL, evtchn_bind_vcpu(dom[1], 0xffffffffU, 0));
    REFUSED(ENOENT, evtchn_bind_vcpu(dom[1], u, 1));     /* no such vCPU */
    REFUSED(ENOENT, evtchn_bind_vcpu(dom[1], u, 0xffffffffU));
    REFUSED(ENOENT, evtchn_bind_vcpu(dom[1], 0xffffffffU, 1));   /* vCPU first */
}

/* ---- close -------------------------------------------------------------------- */

static void test_close_unbound(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, 2);
    close_ok(1, p);
    assert_int_equal(status_ok(1, DOMID_SELF, p).status, EVTCHNSTAT_closed);
    REFUSED(EINVAL, try_bind(2, 1, p, NULL));        /* no longer offered */
    assert_int_equal(alloc_ok(1, DOMID_SELF, 0), p);
}

static void test_close_interdomain_offers_peer_back(void **state)
{
    evtchn_port_t a, b;
    struct evtchn_status st;

    (void)state;
    connect(1, 2, &a, &b);
    close_ok(2, b);                          /* the binding end closes */
    assert_int_equal(dom[1]->ports[a].state, ECS_UNBOUND);
    assert_int_equal(dom[1]->ports[a].u.unbound.remote, 2);
    st = status_ok(1, DOMID_SELF, a);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 2);
    b = bind_ok(2, 1, a);                    /* and 2 may bind again */
    close_ok(1, a);                          /* now the offering end closes */
    assert_int_equal(dom[2]->ports[b].state, ECS_UNBOUND);
    assert_int_equal(dom[2]->ports[b].u.unbound.remote, 1);
    assert_int_equal(bind_ok(1, 2, b), a);   /* the roles swap */
}

/* The peer of an INTERDOMAIN port must name it back: a broken pair is a
 * hypervisor bug, and closing it trips the ASSERT instead of freeing a
 * port some other channel uses. */
static void closing_broken_pair(void)
{
    evtchn_close(&env, dom[2], 1);
}

static void test_close_checks_peer_points_back(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    connect(1, 2, &a, &b);
    assert_int_equal(b, 1);
    dom[1]->ports[a].u.interdomain.port = b + 1;     /* as if corrupted */
    expect_assert_failure(closing_broken_pair());
}

static void test_close_loopback(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, DOMID_SELF);
    q = bind_ok(1, DOMID_SELF, p);
    close_ok(1, p);
    assert_int_equal(dom[1]->ports[q].state, ECS_UNBOUND);
    assert_int_equal(dom[1]->ports[q].u.unbound.remote, 1);
    close_ok(1, q);
    REFUSED(EINVAL, evtchn_close(&env, dom[1], q));
}

static void test_close_virq_and_ipi(void **state)
{
    evtchn_port_t t, g, ipi;

    (void)state;
    t = virq_ok(1, VIRQ_TIMER, 0);
    g = virq_ok(1, VIRQ_DOM_EXC, 0);
    ipi = ipi_ok(1);
    close_ok(1, t);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], 0);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_DOM_EXC], g);
    close_ok(1, g);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_DOM_EXC], 0);
    close_ok(1, ipi);
    clear_calls();
    evtchn_send_virq(&env, dom[1], 0, VIRQ_TIMER);
    assert_no_calls();
    assert_int_equal(info[1]->evtchn_pending[0], 0);
}

static void test_close_refused(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    REFUSED(EINVAL, evtchn_close(&env, dom[1], 0));              /* reserved */
    REFUSED(EINVAL, evtchn_close(&env, dom[1], p + 1));          /* free */
    REFUSED(EINVAL, evtchn_close(&env, dom[1], EVTCHN_MAX_PORTS));
    REFUSED(EINVAL, evtchn_close(&env, dom[1], 0xffffffffU));
    REFUSED(EINVAL, evtchn_close(&env, dom[2], p));              /* not 2's port */
    close_ok(1, p);
    REFUSED(EINVAL, evtchn_close(&env, dom[1], p));              /* twice */
}

/* Xen's free_evtchn clears the pending bit, so a port reused for a new
 * channel does not start with the old channel's event. */
static void test_close_clears_pending(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = ipi_ok(1);
    send_ok(1, p);
    assert_true(is_pending(1, p));
    close_ok(1, p);
    assert_false(is_pending(1, p));
    guest_consume_all(1);
    q = ipi_ok(1);
    assert_int_equal(q, p);
    send_ok(1, q);                           /* the new channel's first event */
    assert_true(is_pending(1, q));
    assert_kicked(1, 0);
}

/* ---- send --------------------------------------------------------------------- */

static void test_send_interdomain(void **state)
{
    evtchn_port_t a, b;

    (void)state;
    (void)ipi_ok(2);
    connect(1, 2, &a, &b);
    guest_consume_all(2);
    send_ok(1, a);
    assert_true(is_pending(2, b));
    assert_int_equal(selector(2), 1);
    assert_int_equal(upcall(2), 1);
    assert_kicked(2, 0);
    assert_pending_call(2, b);
    assert_int_equal(info[1]->evtchn_pending[0], 0);   /* the sender: nothing */
    assert_int_equal(upcall(1), 0);
    send_ok(2, b);                           /* and the other way */
    assert_true(is_pending(1, a));
    assert_kicked(1, 0);
}

static void test_send_ipi(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    send_ok(1, p);
    assert_true(is_pending(1, p));
    assert_int_equal(upcall(1), 1);
    assert_kicked(1, 0);
    assert_pending_call(1, p);
    send_ok(1, p);                           /* still pending: one edge */
    assert_no_calls();
}

static void test_send_unbound_dropped(void **state)
{
    evtchn_port_t p;
    struct snapshot *s;

    (void)state;
    p = alloc_ok(1, DOMID_SELF, 2);
    s = snap_take();
    assert_int_equal(evtchn_send(&env, dom[1], p), 0);
    snap_check(s);
}

static void test_send_after_peer_closed(void **state)
{
    evtchn_port_t a, b;
    struct snapshot *s;

    (void)state;
    connect(1, 2, &a, &b);
    close_ok(2, b);
    guest_consume_all(2);
    s = snap_take();
    assert_int_equal(evtchn_send(&env, dom[1], a), 0);  /* unbound now: dropped */
    snap_check(s);
}

static void test_send_refused(void **state)
{
    evtchn_port_t t, g;

    (void)state;
    t = virq_ok(1, VIRQ_TIMER, 0);
    g = virq_ok(1, VIRQ_CONSOLE, 0);
    REFUSED(EINVAL, evtchn_send(&env, dom[1], t));
    REFUSED(EINVAL, evtchn_send(&env, dom[1], g));
    REFUSED(EINVAL, evtchn_send(&env, dom[1], 0));
    REFUSED(EINVAL, evtchn_send(&env, dom[1], 100));
    REFUSED(EINVAL, evtchn_send(&env, dom[1], EVTCHN_MAX_PORTS));
    REFUSED(EINVAL, evtchn_send(&env, dom[1], 0xffffffffU));
}

/* ---- status ------------------------------------------------------------------- */

static void test_status_every_state(void **state)
{
    evtchn_port_t u, a, b, v, ipi;
    struct evtchn_status st;

    (void)state;
    u = alloc_ok(1, DOMID_SELF, 0);
    connect(1, 2, &a, &b);
    v = virq_ok(1, VIRQ_ENOMEM, 0);
    ipi = ipi_ok(1);

    st = status_ok(1, DOMID_SELF, 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.interdomain.dom, 0);         /* no stale bytes */
    assert_int_equal(st.u.interdomain.port, 0);
    st = status_ok(1, DOMID_SELF, 500);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(st.u.interdomain.port, 0);
    st = status_ok(1, DOMID_SELF, LAST_PORT);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    st = status_ok(1, DOMID_SELF, u);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
    assert_int_equal(st.u.interdomain.port, 0);
    st = status_ok(1, DOMID_SELF, a);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 2);
    assert_int_equal(st.u.interdomain.port, b);
    st = status_ok(1, DOMID_SELF, v);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.u.virq, VIRQ_ENOMEM);
    st = status_ok(1, DOMID_SELF, ipi);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.virq, 0);
    st = status_ok(1, 1, ipi);                         /* own id */
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
}

static void test_status_other_domain(void **state)
{
    evtchn_port_t a, b;
    struct evtchn_status st;

    (void)state;
    connect(1, 2, &a, &b);
    st = status_ok(0, 2, b);                           /* privileged: yes */
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 1);
    assert_int_equal(st.u.interdomain.port, a);
    REFUSED(EPERM, try_status(1, 2, b, &st));          /* a peer: no */
    REFUSED(EPERM, try_status(2, 0, 0, &st));
    REFUSED(ESRCH, try_status(0, MISSING, 1, &st));
}

static void test_status_port_out_of_range(void **state)
{
    struct evtchn_status st;

    (void)state;
    REFUSED(EINVAL, try_status(1, DOMID_SELF, EVTCHN_MAX_PORTS, &st));
    REFUSED(EINVAL, try_status(1, DOMID_SELF, 0xffffffffU, &st));
    REFUSED(EINVAL, try_status(0, 1, EVTCHN_MAX_PORTS, &st));
}

/* ---- unmask (2-level) ------------------------------------------------------ */

static void test_unmask_pending_masked_raises_once(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    guest_mask(1, p);
    send_ok(1, p);
    assert_true(is_pending(1, p));           /* pending, but masked: */
    assert_int_equal(selector(1), 0);        /* no selector bit, */
    assert_int_equal(upcall(1), 0);          /* no upcall, */
    assert_int_equal(nr_kicks, 0);           /* no kick */
    assert_pending_call(1, p);
    clear_calls();
    assert_int_equal(evtchn_unmask(&env, dom[1], p), 0);
    assert_false(bit(info[1]->evtchn_mask, p));
    assert_true(is_pending(1, p));
    assert_int_equal(selector(1), 1);
    assert_int_equal(upcall(1), 1);
    assert_kicked(1, 0);
    assert_int_equal(nr_pendings, 0);
    check_all();
    clear_calls();
    assert_int_equal(evtchn_unmask(&env, dom[1], p), 0);   /* not masked: nothing */
    assert_no_calls();
}

static void test_unmask_not_pending(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    guest_mask(1, p);
    clear_calls();
    assert_int_equal(evtchn_unmask(&env, dom[1], p), 0);
    assert_false(bit(info[1]->evtchn_mask, p));
    assert_false(is_pending(1, p));
    assert_int_equal(selector(1), 0);
    assert_int_equal(upcall(1), 0);
    assert_no_calls();
    check_all();
}

static void test_unmask_selector_already_set(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = ipi_ok(1);
    q = ipi_ok(1);
    guest_mask(1, q);
    send_ok(1, q);
    send_ok(1, p);                           /* sets selector word 0 */
    assert_kicked(1, 0);
    info[1]->vcpu_info[0].evtchn_upcall_pending = 0;   /* guest took the upcall, */
    clear_calls();                                      /* not yet the selector */
    assert_int_equal(evtchn_unmask(&env, dom[1], q), 0);
    assert_false(bit(info[1]->evtchn_mask, q));
    assert_int_equal(upcall(1), 0);          /* the guest will still see q */
    assert_no_calls();
}

static void test_unmask_high_word(void **state)
{
    evtchn_port_t got;

    (void)state;
    for (unsigned int n = 1; n <= 130; n++)
        assert_int_equal(try_ipi(1, 0, &got), 0);
    assert_int_equal(got, 130);
    check_all();
    guest_mask(1, 130);
    send_ok(1, 130);
    assert_int_equal(selector(1), 0);
    clear_calls();
    assert_int_equal(evtchn_unmask(&env, dom[1], 130), 0);
    assert_int_equal(selector(1), 1ULL << 2);          /* word 130 / 64 */
    assert_kicked(1, 0);
}

static void test_unmask_port_range(void **state)
{
    struct snapshot *s;

    (void)state;
    REFUSED(EINVAL, evtchn_unmask(&env, dom[1], EVTCHN_MAX_PORTS));
    REFUSED(EINVAL, evtchn_unmask(&env, dom[1], 0xffffffffU));
    guest_mask(1, 300);                      /* a free port: valid, as on Xen */
    s = snap_take();
    assert_int_equal(evtchn_unmask(&env, dom[1], 300), 0);
    assert_false(bit(info[1]->evtchn_mask, 300));
    guest_mask(1, 300);
    snap_check(s);                           /* only the mask bit moved */
}

/* ---- set_pending and is_pending ----------------------------------------------- */

static void test_set_pending_edge(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    clear_calls();
    evtchn_set_pending(&env, dom[1], p);
    assert_true(evtchn_is_pending(dom[1], p));
    assert_int_equal(selector(1), 1);
    assert_int_equal(upcall(1), 1);
    assert_kicked(1, 0);
    assert_pending_call(1, p);
    check_all();
    clear_calls();
    info[1]->vcpu_info[0].evtchn_upcall_pending = 0;
    info[1]->vcpu_info[0].evtchn_pending_sel = 0;
    evtchn_set_pending(&env, dom[1], p);     /* already pending: no second edge */
    assert_no_calls();
    assert_int_equal(selector(1), 0);
    assert_int_equal(upcall(1), 0);
}

static void test_set_pending_masked(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    guest_mask(1, p);
    clear_calls();
    evtchn_set_pending(&env, dom[1], p);
    assert_true(is_pending(1, p));
    assert_int_equal(selector(1), 0);
    assert_int_equal(upcall(1), 0);
    assert_int_equal(nr_kicks, 0);
    assert_pending_call(1, p);
    check_all();
}

static void test_set_pending_selector_already_set(void **state)
{
    evtchn_port_t p, q;

    (void)state;
    p = ipi_ok(1);
    q = ipi_ok(1);
    evtchn_set_pending(&env, dom[1], p);
    info[1]->vcpu_info[0].evtchn_upcall_pending = 0;
    clear_calls();
    evtchn_set_pending(&env, dom[1], q);     /* same word, selector set: no kick */
    assert_true(is_pending(1, q));
    assert_int_equal(upcall(1), 0);
    assert_int_equal(nr_kicks, 0);
    assert_pending_call(1, q);
}

static void test_set_pending_selector_words(void **state)
{
    evtchn_port_t got;

    (void)state;
    for (unsigned int n = 1; n < EVTCHN_MAX_PORTS; n++)
        assert_int_equal(try_ipi(2, 0, &got), 0);
    clear_calls();
    evtchn_set_pending(&env, dom[2], 63);
    evtchn_set_pending(&env, dom[2], 64);
    evtchn_set_pending(&env, dom[2], LAST_PORT);
    assert_int_equal(selector(2), (1ULL << 0) | (1ULL << 1) | (1ULL << (LAST_PORT / 64)));
    assert_int_equal(info[2]->evtchn_pending[0], 1ULL << 63);
    assert_int_equal(info[2]->evtchn_pending[1], 1);
    assert_int_equal(info[2]->evtchn_pending[LAST_PORT / 64], 1ULL << (LAST_PORT % 64));
    assert_int_equal(nr_kicks, 3);           /* each newly set selector bit */
    assert_int_equal(nr_pendings, 3);
    check_all();
}

static void test_set_pending_without_callbacks(void **state)
{
    struct evtchn_bind_interdomain bi;
    evtchn_port_t p, a, b;

    (void)state;
    p = ipi_ok(1);
    evtchn_set_pending(&quiet_env, dom[1], p);
    assert_true(is_pending(1, p));
    assert_int_equal(upcall(1), 1);
    a = alloc_ok(1, DOMID_SELF, 2);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = a };
    assert_int_equal(evtchn_bind_interdomain(&quiet_env, dom[2], &bi), 0);
    b = bi.local_port;
    assert_true(is_pending(2, b));
    guest_mask(1, a);
    assert_int_equal(evtchn_send(&quiet_env, dom[2], b), 0);
    assert_int_equal(evtchn_unmask(&quiet_env, dom[1], a), 0);
    assert_true(is_pending(1, a));
    assert_no_calls();
    check_all();
}

static void test_is_pending(void **state)
{
    evtchn_port_t p;

    (void)state;
    p = ipi_ok(1);
    assert_false(evtchn_is_pending(dom[1], p));
    send_ok(1, p);
    assert_true(evtchn_is_pending(dom[1], p));
    assert_false(evtchn_is_pending(dom[1], p + 1));
    assert_false(evtchn_is_pending(dom[2], p));          /* per domain */
    /* The guest's bits, up to the last word of shared_info: only ports
     * that exist are reported. */
    memset(info[1]->evtchn_pending, 0xff, sizeof(info[1]->evtchn_pending));
    assert_true(evtchn_is_pending(dom[1], LAST_PORT));
    assert_false(evtchn_is_pending(dom[1], EVTCHN_MAX_PORTS));
    assert_false(evtchn_is_pending(dom[1], 64 * 64 - 1));
    assert_false(evtchn_is_pending(dom[1], 0xffffffffU));
    guest_consume_all(1);
}

/* ---- send_virq ----------------------------------------------------------------- */

static void test_send_virq_only_when_bound(void **state)
{
    evtchn_port_t t, c;
    struct snapshot *s;

    (void)state;
    s = snap_take();
    evtchn_send_virq(&env, dom[1], 0, VIRQ_TIMER);      /* not bound: nothing */
    snap_check(s);
    t = virq_ok(1, VIRQ_TIMER, 0);
    c = virq_ok(1, VIRQ_CONSOLE, 0);
    evtchn_send_virq(&env, dom[1], 0, VIRQ_TIMER);
    assert_true(is_pending(1, t));
    assert_false(is_pending(1, c));
    assert_kicked(1, 0);
    assert_pending_call(1, t);
    clear_calls();
    evtchn_send_virq(&env, dom[1], 0, VIRQ_CONSOLE);
    assert_true(is_pending(1, c));
    assert_int_equal(nr_kicks, 0);           /* selector already set */
    assert_pending_call(1, c);
    assert_false(is_pending(2, t));          /* only that domain */
    check_all();
}

static void test_send_virq_out_of_range(void **state)
{
    struct snapshot *s;

    (void)state;
    (void)virq_ok(1, VIRQ_TIMER, 0);
    s = snap_take();
    evtchn_send_virq(&env, dom[1], 1, VIRQ_TIMER);            /* no such vCPU */
    evtchn_send_virq(&env, dom[1], EVTCHN_MAX_VCPUS, VIRQ_TIMER);
    evtchn_send_virq(&env, dom[1], 0xffffffffU, VIRQ_TIMER);
    evtchn_send_virq(&env, dom[1], 0, NR_VIRQS);               /* no such VIRQ */
    evtchn_send_virq(&env, dom[1], 0, 0xffffffffU);
    evtchn_send_virq(&env, dom[1], 0, VIRQ_DEBUG);             /* not bound */
    snap_check(s);
}

/* ---- reset and destroy ----------------------------------------------------------- */

/* Ports of every kind in domain 1, with peers in 0 and 2 and a loopback. */
struct web {
    evtchn_port_t to0, from0, to2, from2, unbound, loop_a, loop_b, timer, ipi;
};

static void build_web(struct web *w)
{
    connect(1, 0, &w->to0, &w->from0);           /* 1 offered, 0 bound */
    connect(2, 1, &w->from2, &w->to2);           /* 2 offered, 1 bound */
    w->unbound = alloc_ok(1, DOMID_SELF, 2);
    w->loop_a = alloc_ok(1, DOMID_SELF, DOMID_SELF);
    w->loop_b = bind_ok(1, DOMID_SELF, w->loop_a);
    w->timer = virq_ok(1, VIRQ_TIMER, 0);
    w->ipi = ipi_ok(1);
    evtchn_send_virq(&env, dom[1], 0, VIRQ_TIMER);
    check_all();
}

static void assert_web_torn_down(const struct web *w)
{
    for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
        assert_int_equal(dom[1]->ports[p].state, ECS_FREE);
    assert_int_equal(dom[1]->ports[0].state, ECS_RESERVED);
    assert_int_equal(dom[1]->virq_port[0][VIRQ_TIMER], 0);
    assert_int_equal(info[1]->evtchn_pending[0], 0);
    /* Peers in other domains are offered back to domain 1, pointing at nothing. */
    assert_int_equal(dom[0]->ports[w->from0].state, ECS_UNBOUND);
    assert_int_equal(dom[0]->ports[w->from0].u.unbound.remote, 1);
    assert_int_equal(dom[2]->ports[w->from2].state, ECS_UNBOUND);
    assert_int_equal(dom[2]->ports[w->from2].u.unbound.remote, 1);
}

static void test_reset_self(void **state)
{
    struct web w;

    (void)state;
    build_web(&w);
    clear_calls();
    assert_int_equal(evtchn_reset(&env, dom[1], DOMID_SELF), 0);
    assert_no_calls();
    check_all();
    assert_web_torn_down(&w);
    assert_int_equal(virq_ok(1, VIRQ_TIMER, 0), 1);    /* usable again */
    assert_int_equal(bind_ok(1, 2, w.from2), 2);
}

static void test_reset_self_by_own_id(void **state)
{
    struct web w;

    (void)state;
    build_web(&w);
    assert_int_equal(evtchn_reset(&env, dom[1], 1), 0);
    check_all();
    assert_web_torn_down(&w);
}

static void test_reset_other_domain(void **state)
{
    struct web w;

    (void)state;
    build_web(&w);
    REFUSED(EPERM, evtchn_reset(&env, dom[2], 1));     /* a peer may not */
    REFUSED(EPERM, evtchn_reset(&env, dom[1], 0));
    REFUSED(ESRCH, evtchn_reset(&env, dom[0], MISSING));
    assert_int_equal(evtchn_reset(&env, dom[0], 1), 0);   /* privileged may */
    check_all();
    assert_web_torn_down(&w);
}

static void test_destroy_domain(void **state)
{
    struct web w;
    struct snapshot *s;

    (void)state;
    build_web(&w);
    clear_calls();
    evtchn_destroy_domain(&env, dom[1]);
    assert_no_calls();
    present[1] = false;                      /* the domain is gone */
    check_all();                             /* nobody names it as a peer */
    assert_int_equal(dom[0]->ports[w.from0].state, ECS_UNBOUND);
    assert_int_equal(dom[2]->ports[w.from2].state, ECS_UNBOUND);
    guest_consume_all(0);
    guest_consume_all(2);
    s = snap_take();
    assert_int_equal(evtchn_send(&env, dom[0], w.from0), 0);   /* dropped */
    assert_int_equal(evtchn_send(&env, dom[2], w.from2), 0);
    snap_check(s);
    close_ok(0, w.from0);
    close_ok(2, w.from2);
    REFUSED(ESRCH, try_bind(2, 1, w.to0, NULL));
}

/* The peer of an interdomain port is missing from the list (the env broke
 * the invariant, e.g. a domain freed without evtchn_destroy_domain): send,
 * close and destroy skip it rather than follow the id, and touch only the
 * caller's own ports. */
static void test_peer_missing_from_lookup(void **state)
{
    evtchn_port_t a, b, c, d2;
    struct snapshot *s;

    (void)state;
    connect(1, 2, &a, &b);
    connect(1, 2, &c, &d2);
    present[2] = false;
    s = snap_take();
    assert_int_equal(evtchn_send(&env, dom[1], a), 0);
    snap_check(s);
    assert_int_equal(evtchn_close(&env, dom[1], a), 0);
    assert_int_equal(dom[1]->ports[a].state, ECS_FREE);
    evtchn_destroy_domain(&env, dom[1]);
    assert_int_equal(dom[1]->ports[c].state, ECS_FREE);
    assert_int_equal(dom[2]->ports[b].state, ECS_INTERDOMAIN);   /* untouched */
    assert_int_equal(dom[2]->ports[d2].state, ECS_INTERDOMAIN);
    make_domain(2, false);                   /* domain 2 is re-created */
    memset(info[2], 0, sizeof(*info[2]));
    check_all();
}

static void test_destroy_empty_domain(void **state)
{
    struct snapshot *s;

    (void)state;
    s = snap_take();
    evtchn_destroy_domain(&env, dom[2]);
    snap_check(s);
}

/* ---- a long random walk -------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng >> 33) % n);
}

static evtchn_port_t rnd_port(void)
{
    switch (rnd(16)) {
    case 0:  return EVTCHN_MAX_PORTS + rnd(4);
    case 1:  return 0xffffffffU;
    default: return rnd(40);
    }
}

static domid_t rnd_dom(void)
{
    switch (rnd(8)) {
    case 0:  return DOMID_SELF;
    case 1:  return MISSING;
    default: return (domid_t)rnd(NR_DOMS);
    }
}

/* Mostly a port of the remote domain that is offered to domain i, so that
 * binds succeed often; otherwise any port. */
static evtchn_port_t rnd_offered_port(unsigned int i, domid_t remote)
{
    unsigned int r = remote == DOMID_SELF ? i : remote;
    evtchn_port_t start = rnd(40);

    if (rnd(4) == 0 || r >= NR_DOMS || !present[r])
        return rnd_port();
    for (evtchn_port_t n = 0; n < 40; n++) {
        evtchn_port_t p = (start + n) % 40;
        if (dom[r]->ports[p].state == ECS_UNBOUND && dom[r]->ports[p].u.unbound.remote == i)
            return p;
    }
    return rnd_port();
}

static int random_op(unsigned int i, uint32_t op)
{
    struct evtchn_domain *d = dom[i];
    struct evtchn_alloc_unbound au;
    struct evtchn_bind_interdomain bi;
    struct evtchn_bind_virq bv;
    struct evtchn_bind_ipi bp;
    struct evtchn_status st;

    switch (op) {
    case 0:
        au = (struct evtchn_alloc_unbound){ .dom = rnd(4) ? DOMID_SELF : rnd_dom(),
                                            .remote_dom = rnd_dom() };
        return evtchn_alloc_unbound(&env, d, &au);
    case 1:
    case 2:
        bi = (struct evtchn_bind_interdomain){ .remote_dom = rnd_dom() };
        bi.remote_port = rnd_offered_port(i, bi.remote_dom);
        return evtchn_bind_interdomain(&env, d, &bi);
    case 3:
        bv = (struct evtchn_bind_virq){ .virq = rnd(NR_VIRQS + 2), .vcpu = rnd(8) ? 0 : 1 };
        return evtchn_bind_virq(d, &bv);
    case 4:
        bp = (struct evtchn_bind_ipi){ .vcpu = rnd(8) ? 0 : 1 };
        return evtchn_bind_ipi(d, &bp);
    case 5:
    case 6:
        return evtchn_close(&env, d, rnd_port());
    case 7:
    case 8:
        return evtchn_send(&env, d, rnd_port());
    case 9:
        st = (struct evtchn_status){ .dom = rnd_dom(), .port = rnd_port() };
        return evtchn_status(&env, d, &st);
    case 10:
        return evtchn_unmask(&env, d, rnd_port());
    case 11:
        return evtchn_bind_vcpu(d, rnd_port(), rnd(8) ? 0 : 1);
    case 12:
        evtchn_send_virq(&env, d, 0, rnd(NR_VIRQS));
        return 0;
    default:
        return rnd(20) ? 0 : evtchn_reset(&env, d, rnd(2) ? DOMID_SELF : rnd_dom());
    }
}

static void test_random_walk(void **state)
{
    unsigned int gone = 0;

    (void)state;
    for (unsigned int step = 0; step < 6000; step++) {
        unsigned int i = rnd(NR_DOMS);
        evtchn_port_t p = rnd(40);
        struct snapshot *s;
        int rc;

        clear_calls();
        switch (rnd(40)) {
        case 0:                              /* the guest flips a mask bit */
            info[i]->evtchn_mask[p / 64] ^= 1ULL << (p % 64);
            continue;
        case 1:                              /* the guest handles its events */
            guest_consume_all(i);
            continue;
        case 2:                              /* a domain dies, or comes back */
            if (i == 0)
                break;
            if (present[i]) {
                evtchn_destroy_domain(&env, dom[i]);
                present[i] = false;
                guest_consume_all(i);
                gone++;
            } else {
                memset(info[i], 0, sizeof(*info[i]));
                make_domain(i, false);
            }
            check_all();
            continue;
        default:
            break;
        }
        if (!present[i])
            continue;
        s = snap_take();
        rc = random_op(i, rnd(14));
        assert_true(rc == 0 || rc == -EINVAL || rc == -EPERM || rc == -ESRCH ||
                    rc == -ENOENT || rc == -EEXIST || rc == -ENOSPC);
        if (rc)
            snap_check(s);
        else
            free(s);
        check_all();
    }
    assert_true(gone > 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init),
        T(test_init_clamps_vcpus_and_clears_old_state),
        T(test_virq_classes),
        T(test_alloc_unbound_self_ports_from_1),
        T(test_alloc_unbound_remote_self_is_caller),
        T(test_alloc_unbound_for_another_domain_privileged),
        T(test_alloc_unbound_for_another_domain_remote_self),
        T(test_alloc_unbound_for_another_domain_unprivileged),
        T(test_alloc_unbound_missing_domain),
        T(test_alloc_unbound_exhaustion),
        T(test_bind_interdomain_connects_both_ends),
        T(test_bind_interdomain_masked_local_port_no_upcall),
        T(test_bind_interdomain_offered_to_someone_else),
        T(test_bind_interdomain_port_not_unbound),
        T(test_bind_interdomain_port_out_of_range),
        T(test_bind_interdomain_missing_domain),
        T(test_bind_interdomain_local_table_full),
        T(test_bind_interdomain_loopback),
        T(test_bind_interdomain_loopback_by_own_id),
        T(test_bind_virq_per_vcpu),
        T(test_bind_virq_global),
        T(test_bind_virq_every_number),
        T(test_bind_virq_vcpu_out_of_range),
        T(test_bind_virq_global_on_other_vcpu),
        T(test_bind_virq_number_out_of_range),
        T(test_bind_virq_twice),
        T(test_bind_virq_again_after_close),
        T(test_bind_virq_table_full),
        T(test_bind_ipi),
        T(test_bind_ipi_refused),
        T(test_bind_vcpu_allowed),
        T(test_bind_vcpu_refused),
        T(test_close_unbound),
        T(test_close_interdomain_offers_peer_back),
        T(test_close_checks_peer_points_back),
        T(test_close_loopback),
        T(test_close_virq_and_ipi),
        T(test_close_refused),
        T(test_close_clears_pending),
        T(test_send_interdomain),
        T(test_send_ipi),
        T(test_send_unbound_dropped),
        T(test_send_after_peer_closed),
        T(test_send_refused),
        T(test_status_every_state),
        T(test_status_other_domain),
        T(test_status_port_out_of_range),
        T(test_unmask_pending_masked_raises_once),
        T(test_unmask_not_pending),
        T(test_unmask_selector_already_set),
        T(test_unmask_high_word),
        T(test_unmask_port_range),
        T(test_set_pending_edge),
        T(test_set_pending_masked),
        T(test_set_pending_selector_already_set),
        T(test_set_pending_selector_words),
        T(test_set_pending_without_callbacks),
        T(test_is_pending),
        T(test_send_virq_only_when_bound),
        T(test_send_virq_out_of_range),
        T(test_reset_self),
        T(test_reset_self_by_own_id),
        T(test_reset_other_domain),
        T(test_destroy_domain),
        T(test_peer_missing_from_lookup),
        T(test_destroy_empty_domain),
        T(test_random_walk),
    };

    return cmocka_run_group_tests_name("evtchn", tests, NULL, NULL);
}
