/*
 * Unit tests for hypervisor/pv/pirq.c: the pirq and GSI-line state machine
 * (pirq.h), and the PIRQ port of hypervisor/common/event/evtchn.c.
 *
 * A table of 24 GSIs (QEMU's one I/O APIC) with GSI 2 and 4 the
 * hypervisor's. Every rule of pirq.h has a case it accepts and a case it
 * refuses with Xen's errno; a refusal must change no table at all (both
 * are compared with a copy). The line's life is driven through every
 * transition: map, bind (unmask), fire (level: masked until EOI; edge:
 * not), EOI, close, unmap, and the answer to a fire in each state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "evtchn.h"
#include "pirq.h"

#define DOM0 0
#define DOM1 1

static struct gsi_table *g, *g_copy;
static struct pirq_table *t, *t1, *t_copy;

static int setup(void **state)
{
    (void)state;
    g = malloc(sizeof(*g));
    g_copy = malloc(sizeof(*g_copy));
    t = malloc(sizeof(*t));
    t1 = malloc(sizeof(*t1));
    t_copy = malloc(sizeof(*t_copy));
    assert_true(g && g_copy && t && t1 && t_copy);
    memset(g, 0xa5, sizeof(*g));                 /* init must set every field */
    gsi_table_init(g, 24);
    g->line[2].hv_owned = true;
    g->line[4].hv_owned = true;
    g->line[14].level = false;                   /* ISA: edge, high */
    g->line[14].active_low = false;
    pirq_table_init(t);
    pirq_table_init(t1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(g);
    free(g_copy);
    free(t);
    free(t1);
    free(t_copy);
    return 0;
}

static void snapshot(void)
{
    memcpy(g_copy, g, sizeof(*g));
    memcpy(t_copy, t, sizeof(*t));
}

static void unchanged(void)
{
    assert_memory_equal(g, g_copy, sizeof(*g));
    assert_memory_equal(t, t_copy, sizeof(*t));
}

/* A map that must be refused with rc, changing nothing. */
static void map_refused(bool priv, domid_t dom, struct pirq_table *tab, int32_t gsi,
                        int32_t pirq, int rc)
{
    memcpy(g_copy, g, sizeof(*g));
    memcpy(t_copy, tab, sizeof(*tab));
    assert_int_equal(pirq_map_gsi(g, tab, priv, dom, gsi, &pirq), rc);
    assert_memory_equal(g, g_copy, sizeof(*g));
    assert_memory_equal(tab, t_copy, sizeof(*tab));
}

static void test_init(void **state)
{
    (void)state;
    assert_int_equal(g->nr, 24);
    for (unsigned int i = 0; i < PIRQ_MAX_GSIS; i++)
        assert_int_equal(g->line[i].state, GSI_FREE);
    assert_true(g->line[20].level && g->line[20].active_low);
    for (unsigned int p = 0; p < PIRQ_NR; p++)
        assert_int_equal(t->slot[p].gsi, -1);
    gsi_table_init(g_copy, 100000);              /* clipped */
    assert_int_equal(g_copy->nr, PIRQ_MAX_GSIS);
}

static void test_map_privileged_only(void **state)
{
    int32_t pirq = -1;

    (void)state;
    map_refused(false, DOM0, t, 11, -1, -EPERM);
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 11, &pirq), 0);
    assert_int_equal(pirq, 16);                  /* Xen: GSIs get pirqs from 16 up */
    assert_int_equal(t->slot[16].gsi, 11);
    assert_int_equal(g->line[11].state, GSI_MAPPED);
}

static void test_map_gsi_range(void **state)
{
    int32_t pirq = -1;

    (void)state;
    map_refused(true, DOM0, t, -1, -1, -EINVAL);
    map_refused(true, DOM0, t, 24, -1, -EINVAL);
    map_refused(true, DOM0, t, 100000, -1, -EINVAL);
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 23, &pirq), 0);
    map_refused(true, DOM0, t, 0, -1, -EPERM);  /* IRQ 0: never a domain's */
    pirq = -1;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 1, &pirq), 0);
}

static void test_hypervisors_line_mapped_not_bound(void **state)
{
    int32_t pirq = 4, p3 = 3, gsi;

    (void)state;

    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 4, &pirq), 0);   /* as Xen */
    snapshot();
    assert_int_equal(pirq_bind_check(g, t, 4), -EBUSY);
    unchanged();
    assert_int_equal(pirq_unmap(g, t, true, 4, &gsi), 0);
    assert_true(g->line[4].hv_owned);            /* still the hypervisor's */
    assert_int_equal(pirq_setup_gsi(g, true, 4, 0, 0), -EEXIST);
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 3, &p3), 0);
    assert_int_equal(pirq_bind_check(g, t, 3), 0);
}

static void test_map_pirq_choice(void **state)
{
    int32_t pirq = 14, again = -1, other = 15;

    (void)state;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 14, &pirq), 0);
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 14, &again), 0);
    assert_int_equal(again, 14);                 /* the GSI's own pirq */
    snapshot();
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 14, &pirq), 0);
    unchanged();                                 /* the same mapping again */
    map_refused(true, DOM0, t, 14, 15, -EEXIST); /* the GSI has another pirq */
    map_refused(true, DOM0, t, 15, 14, -EEXIST); /* the pirq has another GSI */
    map_refused(true, DOM0, t, 15, PIRQ_NR, -EINVAL);
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 15, &other), 0);
}

static void test_map_pirqs_run_out(void **state)
{
    int32_t pirq;

    (void)state;
    for (int32_t p = 0; p < PIRQ_NR; p++)
        t->slot[p].gsi = 23;                     /* every pirq taken */
    pirq = -1;
    snapshot();
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 5, &pirq), -ENOSPC);
    unchanged();
    t->slot[PIRQ_NR - 1].gsi = -1;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 5, &pirq), 0);
    assert_int_equal(pirq, PIRQ_NR - 1);         /* then from the top down */
}

static void test_map_never_shared(void **state)
{
    int32_t pirq = -1, p1 = -1;

    (void)state;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 10, &pirq), 0);
    map_refused(true, DOM1, t1, 10, -1, -EBUSY);
    assert_int_equal(pirq_map_gsi(g, t1, true, DOM1, 9, &p1), 0);
    assert_int_equal(g->line[9].owner, DOM1);
}

static void test_unmap(void **state)
{
    int32_t pirq = -1, gsi = -7;

    (void)state;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 10, &pirq), 0);
    snapshot();
    assert_int_equal(pirq_unmap(g, t, false, pirq, &gsi), -EPERM);
    assert_int_equal(pirq_unmap(g, t, true, -1, &gsi), -EINVAL);
    assert_int_equal(pirq_unmap(g, t, true, PIRQ_NR, &gsi), -EINVAL);
    assert_int_equal(pirq_unmap(g, t, true, pirq + 1, &gsi), -EINVAL);   /* not mapped */
    unchanged();
    assert_int_equal(pirq_unmap(g, t, true, pirq, &gsi), 0);
    assert_int_equal(gsi, 10);
    assert_int_equal(g->line[10].state, GSI_FREE);
    assert_int_equal(t->slot[pirq].gsi, -1);
    assert_int_equal(pirq_unmap(g, t, true, pirq, &gsi), -EINVAL);       /* twice */
}

static void test_setup_gsi(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(pirq_setup_gsi(g, false, 20, 1, 1), -EPERM);
    assert_int_equal(pirq_setup_gsi(g, true, 24, 1, 1), -EINVAL);
    assert_int_equal(pirq_setup_gsi(g, true, -3, 1, 1), -EINVAL);
    assert_int_equal(pirq_setup_gsi(g, true, 4, 0, 0), -EEXIST);   /* the hv's, in use */
    unchanged();
    assert_int_equal(pirq_setup_gsi(g, true, 20, 0, 0), 0);
    assert_false(g->line[20].level);
    assert_false(g->line[20].active_low);
    snapshot();
    assert_int_equal(pirq_setup_gsi(g, true, 20, 1, 1), -EEXIST);   /* once */
    unchanged();
}

static int32_t bound(int32_t gsi, evtchn_port_t port);

static void test_setup_gsi_of_a_routed_line(void **state)
{
    int32_t pirq = -1;

    (void)state;
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 21, &pirq), 0);
    assert_int_equal(pirq_setup_gsi(g, true, 21, 0, 0), 0);   /* mapped, not routed */
    (void)bound(22, 3);
    snapshot();
    assert_int_equal(pirq_setup_gsi(g, true, 22, 0, 0), -EEXIST);
    unchanged();
}

/* Maps gsi and binds its pirq to port; the pirq. */
static int32_t bound(int32_t gsi, evtchn_port_t port)
{
    int32_t pirq = -1, line = -1;

    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, gsi, &pirq), 0);
    assert_int_equal(pirq_bind_check(g, t, (uint32_t)pirq), 0);
    pirq_bound(g, t, (uint32_t)pirq, port, &line);
    assert_int_equal(line, gsi);
    assert_int_equal(g->line[gsi].state, GSI_BOUND);
    return pirq;
}

static void test_bind_rules(void **state)
{
    int32_t pirq;

    (void)state;
    assert_int_equal(pirq_bind_check(g, t, PIRQ_NR), -EINVAL);
    assert_int_equal(pirq_bind_check(g, t, 30), -EPERM);            /* not mapped */
    pirq = bound(11, 5);
    assert_int_equal(pirq_bind_check(g, t, (uint32_t)pirq), -EEXIST);
}

static void test_level_line_waits_for_eoi(void **state)
{
    domid_t owner = 99;
    uint16_t pirq = 0;
    int32_t p = bound(11, 5), gsi = -1;
    bool unmask = true;

    (void)state;
    assert_int_equal(pirq_eoi(g, t, (uint32_t)p, &unmask, &gsi), 0);
    assert_false(unmask);                        /* nothing in flight: line stays */
    assert_int_equal(pirq_fire(g, 11, &owner, &pirq), PIRQ_FIRE_LEVEL);
    assert_int_equal(owner, DOM0);
    assert_int_equal(pirq, p);
    assert_int_equal(g->line[11].state, GSI_IN_FLIGHT);
    assert_int_equal(pirq_fire(g, 11, &owner, &pirq), PIRQ_FIRE_MASK);  /* masked now */
    assert_int_equal(pirq_eoi(g, t, (uint32_t)p, &unmask, &gsi), 0);
    assert_true(unmask);
    assert_int_equal(gsi, 11);
    assert_int_equal(g->line[11].state, GSI_BOUND);
    assert_int_equal(pirq_eoi(g, t, PIRQ_NR, &unmask, &gsi), -EINVAL);
    assert_int_equal(pirq_eoi(g, t, 40, &unmask, &gsi), -EINVAL);   /* not mapped */
}

static void test_edge_line_acked_at_once(void **state)
{
    domid_t owner;
    uint16_t pirq;

    (void)state;
    (void)bound(14, 6);
    assert_int_equal(pirq_fire(g, 14, &owner, &pirq), PIRQ_FIRE_EDGE);
    assert_int_equal(g->line[14].state, GSI_BOUND);
    assert_int_equal(pirq_fire(g, 14, &owner, &pirq), PIRQ_FIRE_EDGE);
}

static void test_stray_fires_mask(void **state)
{
    domid_t owner;
    uint16_t pirq;
    int32_t p = -1;

    (void)state;
    assert_int_equal(pirq_fire(g, 11, &owner, &pirq), PIRQ_FIRE_MASK);   /* free */
    assert_int_equal(pirq_map_gsi(g, t, true, DOM0, 11, &p), 0);
    assert_int_equal(pirq_fire(g, 11, &owner, &pirq), PIRQ_FIRE_MASK);   /* mapped */
    assert_int_equal(pirq_fire(g, 500, &owner, &pirq), PIRQ_FIRE_MASK);  /* no GSI */
}

static void test_unbind(void **state)
{
    int32_t p = bound(11, 5), gsi = -1;
    domid_t owner;
    uint16_t pirq;

    (void)state;
    snapshot();
    assert_false(pirq_unbind(g, t, (uint32_t)p, 6, &gsi));          /* not its port */
    assert_false(pirq_unbind(g, t, PIRQ_NR, 5, &gsi));
    unchanged();
    assert_true(pirq_unbind(g, t, (uint32_t)p, 5, &gsi));
    assert_int_equal(gsi, 11);
    assert_int_equal(g->line[11].state, GSI_MAPPED);
    assert_int_equal(pirq_fire(g, 11, &owner, &pirq), PIRQ_FIRE_MASK);
    assert_int_equal(pirq_bind_check(g, t, (uint32_t)p), 0);         /* bindable again */
}

static void test_unmap_of_a_bound_pirq(void **state)
{
    int32_t p = bound(11, 5), gsi = -1;

    (void)state;
    assert_int_equal(pirq_unmap(g, t, true, p, &gsi), 0);
    assert_int_equal(g->line[11].state, GSI_FREE);
    assert_false(pirq_unbind(g, t, (uint32_t)p, 5, &gsi));   /* the old port: no line */
    (void)bound(11, 7);                          /* mapped and bound anew */
    assert_false(pirq_unbind(g, t, (uint32_t)p, 5, &gsi));   /* still not the old port's */
    assert_int_equal(g->line[11].state, GSI_BOUND);
}

static void test_status(void **state)
{
    uint32_t flags = 0;

    (void)state;
    assert_int_equal(pirq_status(3, &flags), 0);
    assert_int_equal(flags, XENIRQSTAT_needs_eoi);
    assert_int_equal(pirq_status(PIRQ_NR, &flags), -EINVAL);
}

/* ---- the PIRQ port in evtchn.c ---- */

static uint32_t closed_pirq;
static evtchn_port_t closed_port;
static unsigned int closed_calls;

static void on_closed(struct evtchn_domain *d, uint32_t pirq, evtchn_port_t port)
{
    (void)d;
    closed_pirq = pirq;
    closed_port = port;
    closed_calls++;
}

static struct evtchn_domain *lookup_none(void *ctx, domid_t id)
{
    (void)ctx;
    (void)id;
    return NULL;
}

static void test_evtchn_pirq_port(void **state)
{
    static const struct evtchn_env env = { lookup_none, NULL, NULL, NULL };
    struct shared_info *sh = calloc(1, sizeof(*sh));
    struct evtchn_domain *d = calloc(1, sizeof(*d));
    struct evtchn_status st = { .dom = DOMID_SELF };
    evtchn_port_t port = 0;

    (void)state;
    assert_true(sh && d);
    evtchn_init_domain(d, 0, true, 1, sh);
    assert_int_equal(evtchn_bind_pirq_port(d, 16, &port), 0);
    assert_int_equal(port, 1);
    st.port = port;
    assert_int_equal(evtchn_status(&env, d, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_pirq);
    assert_int_equal(st.u.pirq, 16);
    assert_int_equal(evtchn_send(&env, d, port), -EINVAL);          /* not sendable */
    assert_int_equal(evtchn_close(&env, d, port), 0);
    assert_int_equal(closed_calls, 0);           /* no hook set: nothing called */
    d->pirq_closed = on_closed;
    assert_int_equal(evtchn_bind_pirq_port(d, 17, &port), 0);
    evtchn_destroy_domain(&env, d);              /* teardown closes it too */
    assert_int_equal(closed_calls, 1);
    assert_int_equal(closed_pirq, 17);
    assert_int_equal(closed_port, port);
    assert_int_equal(evtchn_status(&env, d, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    free(sh);
    free(d);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_init), T(test_map_privileged_only), T(test_map_gsi_range),
        T(test_hypervisors_line_mapped_not_bound), T(test_map_pirq_choice), T(test_map_pirqs_run_out),
        T(test_map_never_shared), T(test_unmap), T(test_setup_gsi),
        T(test_setup_gsi_of_a_routed_line), T(test_bind_rules),
        T(test_level_line_waits_for_eoi), T(test_edge_line_acked_at_once),
        T(test_stray_fires_mask), T(test_unbind), T(test_unmap_of_a_bound_pirq),
        T(test_status), T(test_evtchn_pirq_port),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
