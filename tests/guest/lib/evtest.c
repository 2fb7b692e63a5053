/*
 * Tern guest tests: helpers for the event-channel, timer and time tests
 * (evtest.h).
 */
#include "evtest.h"

#define DEFAULT_PERIOD_NS (10 * MS)

static evtchn_port_t open_ports[EV_MAX_OPEN];
static unsigned int nr_open;

bool ev_require_shared_info(void)
{
    if (shared_info)
        return true;
    test_skip("no shared_info: events and time need it");
    return false;
}

void ev_track(evtchn_port_t port)
{
    if (nr_open < EV_MAX_OPEN)
        open_ports[nr_open++] = port;
    else
        test_error("more than %d ports open in one test", EV_MAX_OPEN);
}

bool ev_loopback_open(struct ev_loopback *l)
{
    long rc = gk_evtchn_alloc_unbound(DOMID_SELF, &l->far);

    if (rc) {
        test_error("alloc_unbound(DOMID_SELF, remote DOMID_SELF) = %s", rc_name(rc));
        return false;
    }
    ev_track(l->far);
    rc = gk_evtchn_bind_interdomain(DOMID_SELF, l->far, &l->near);
    if (rc) {
        test_error("bind_interdomain(DOMID_SELF, %u) = %s", l->far, rc_name(rc));
        return false;
    }
    ev_track(l->near);
    gk_evtchn_mask_port(l->near);
    gk_evtchn_mask_port(l->far);
    gk_evtchn_clear_port(l->near);       /* the event a new binding starts with */
    gk_evtchn_clear_port(l->far);
    return true;
}

evtchn_port_t ev_bind_virq(uint32_t virq)
{
    evtchn_port_t port = 0;
    long rc = gk_evtchn_bind_virq(virq, &port);

    if (rc) {
        test_error("bind_virq(%u, vcpu 0) = %s", virq, rc_name(rc));
        return 0;
    }
    ev_track(port);
    return port;
}

void ev_cleanup(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = DEFAULT_PERIOD_NS };
    struct evtchn_status st;

    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    HYPERVISOR_set_timer_op(0);
    while (nr_open) {
        evtchn_port_t port = open_ports[--nr_open];

        gk_evtchn_set_handler(port, NULL, NULL);
        gk_evtchn_mask_port(port);
        if (ev_status(DOMID_SELF, port, &st) == 0 && st.status != EVTCHNSTAT_closed)
            gk_evtchn_close(port);
    }
    for (unsigned int w = 0; w < NR_EVTCHN_PORTS / 64; w++) {
        shared_info->evtchn_mask[w] = ~0UL;
        shared_info->evtchn_pending[w] = 0;
    }
    HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period);
    events_enable();
}

void ev_record_handler(evtchn_port_t port, struct regs *r, void *data)
{
    struct ev_record *rec = data;

    rec->mask_at_entry = ev_vcpu()->evtchn_upcall_mask;
    rec->port = port;
    rec->ns = time_now_ns();
    rec->rip = r->rip;
    rec->cs = r->cs;
    rec->rflags = r->rflags;
    rec->count++;
}

void ev_record_attach(evtchn_port_t port, struct ev_record *rec)
{
    gk_evtchn_attach(port, ev_record_handler, rec);
}

bool ev_wait_count(const struct ev_record *rec, uint64_t want, uint64_t ns)
{
    uint64_t end = time_now_ns() + ns;

    while (rec->count < want && time_now_ns() < end)
        __asm__ volatile("pause");
    return rec->count >= want;
}

void ev_spin(uint64_t ns)
{
    time_spin_ns(ns);
}

long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return ev_op(EVTCHNOP_status, st);
}

static const char *status_name(uint32_t s)
{
    static const char *const names[] = { "closed", "unbound", "interdomain", "pirq",
                                         "virq", "ipi" };

    return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

int check_status(const char *what, evtchn_port_t port, uint32_t status)
{
    struct evtchn_status st;
    long rc = ev_status(DOMID_SELF, port, &st);

    if (rc) {
        test_failure("%s: status(port %u) = %s, expected 0", what, port, rc_name(rc));
        return 0;
    }
    if (st.status != status) {
        test_failure("%s: port %u is %s, expected %s", what, port, status_name(st.status),
                     status_name(status));
        return 0;
    }
    printk("  ok   %s: port %u is %s\n", what, port, status_name(status));
    return 1;
}

int check_interdomain(const char *what, evtchn_port_t port, domid_t dom, evtchn_port_t remote)
{
    struct evtchn_status st;
    long rc = ev_status(DOMID_SELF, port, &st);

    if (rc || st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != dom ||
        st.u.interdomain.port != remote) {
        test_failure("%s: status(port %u) = %s, %s, dom %u port %u; expected interdomain "
                     "to domain %u port %u", what, port, rc_name(rc), status_name(st.status),
                     st.u.interdomain.dom, st.u.interdomain.port, dom, remote);
        return 0;
    }
    printk("  ok   %s: port %u is interdomain to domain %u port %u\n", what, port, dom,
           remote);
    return 1;
}
