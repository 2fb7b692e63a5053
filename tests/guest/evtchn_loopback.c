/*
 * Test evtchn_loopback: event_channel_op alloc_unbound, bind_interdomain
 * to ourselves, send and close, watching each port's status.
 *
 * What: alloc_unbound(dom = DOMID_SELF, remote = DOMID_SELF), then
 * bind_interdomain(remote_dom = DOMID_SELF) to it: a loopback channel;
 * both ends' status; the new end starts pending; a send on each end makes
 * the other one pending; binding a port that is not unbound, not offered
 * to us, not allocated or out of range, or of a domain that does not
 * exist; closing one end returns the other to unbound, offered back to us,
 * and it can be bound again; closing twice.
 * Why: this is how one domain connects to another (split drivers, the
 * ping-pong demo), tested within one domain, which both hypervisors allow.
 * Expected (real Xen 4.17, the guest being domain 0): the allocation and
 * the bind return 0; an unbound port's status names the domain that may
 * bind (0: DOMID_SELF stands for the caller); the bound ends point at each
 * other; the new local end is pending, the far end not; every bad bind is
 * -EINVAL, except a domain that does not exist (-ESRCH); closing a freed
 * port again is -EINVAL.
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: alloc_unbound, bind_interdomain to self, send, close";

static void check_unbound_to(const char *what, evtchn_port_t port, domid_t remote)
{
    struct evtchn_status st;
    long rc = ev_status(DOMID_SELF, port, &st);

    if (rc || st.status != EVTCHNSTAT_unbound || st.u.unbound.dom != remote || st.vcpu != 0)
        test_failure("%s: status(port %u) = %s, status %u, remote %u, vcpu %u; expected "
                     "unbound, remote %u, vcpu 0", what, port, rc_name(rc), st.status,
                     st.u.unbound.dom, st.vcpu, remote);
    else
        printk("  ok   %s: port %u is unbound, offered to domain %u\n", what, port, remote);
}

static void bad_binds(evtchn_port_t bound)
{
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
    evtchn_port_t other;

    b.remote_port = bound;
    check_rc("bind_interdomain to a port already bound",
             ev_op(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
    b.remote_port = 0;
    check_rc("bind_interdomain to port 0 (reserved)", ev_op(EVTCHNOP_bind_interdomain, &b),
             -XEN_EINVAL);
    b.remote_port = bound + 20;
    check_rc("bind_interdomain to a free port", ev_op(EVTCHNOP_bind_interdomain, &b),
             -XEN_EINVAL);
    b.remote_port = 5000;
    check_rc("bind_interdomain to port 5000 (past 4096)",
             ev_op(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
    b.remote_dom = 9;
    b.remote_port = 1;
    check_rc("bind_interdomain to domain 9 (none)", ev_op(EVTCHNOP_bind_interdomain, &b),
             -XEN_ESRCH);
    if (check_rc("alloc_unbound(remote domain 7, which does not exist)",
                 gk_evtchn_alloc_unbound(7, &other), 0)) {
        ev_track(other);
        check_unbound_to("allocated for domain 7", other, 7);
        b.remote_dom = DOMID_SELF;
        b.remote_port = other;
        check_rc("bind_interdomain to a port offered to domain 7",
                 ev_op(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
        check_rc("close(the port offered to domain 7)", gk_evtchn_close(other), 0);
    }
}

static void send_both_ways(const struct ev_loopback *l)
{
    check_true("the far end is not pending after the ends were cleared",
               !gk_evtchn_port_pending(l->far));
    check_rc("send(near)", gk_evtchn_send(l->near), 0);
    check_true("  -> the far end is pending", gk_evtchn_port_pending(l->far));
    check_true("  -> the near end is not", !gk_evtchn_port_pending(l->near));
    check_rc("send(far)", gk_evtchn_send(l->far), 0);
    check_true("  -> the near end is pending", gk_evtchn_port_pending(l->near));
    check_true("  -> no upcall raised for masked ports",
               !ev_vcpu()->evtchn_upcall_pending);
    gk_evtchn_clear_port(l->near);
    gk_evtchn_clear_port(l->far);
}

static void close_and_rebind(const struct ev_loopback *l)
{
    evtchn_port_t again;

    check_rc("close(near)", gk_evtchn_close(l->near), 0);
    check_status("the closed end", l->near, EVTCHNSTAT_closed);
    check_unbound_to("the far end after its peer closed", l->far, 0);
    check_rc("send(far) with nobody bound: dropped", gk_evtchn_send(l->far), 0);
    if (check_rc("bind_interdomain to the far end again",
                 gk_evtchn_bind_interdomain(DOMID_SELF, l->far, &again), 0)) {
        ev_track(again);
        check_interdomain("rebound end", again, 0, l->far);
        check_rc("close(far)", gk_evtchn_close(l->far), 0);
        check_unbound_to("the rebound end after the far end closed", again, 0);
        check_rc("close(rebound end)", gk_evtchn_close(again), 0);
        check_status("the rebound end", again, EVTCHNSTAT_closed);
    }
    check_rc("close(near) again", gk_evtchn_close(l->near), -XEN_EINVAL);
    check_rc("close(far) again", gk_evtchn_close(l->far), -XEN_EINVAL);
}

static void test_main(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
    struct ev_loopback l;

    if (!ev_require_shared_info())
        return;
    if (!check_rc("alloc_unbound(DOMID_SELF, remote DOMID_SELF)",
                  ev_op(EVTCHNOP_alloc_unbound, &a), 0))
        return;
    l.far = a.port;
    ev_track(l.far);
    test_info("allocated port %u", a.port);
    check_true("the port is not 0", a.port != 0);
    check_unbound_to("allocated for DOMID_SELF", l.far, 0);
    b.remote_port = l.far;
    if (!check_rc("bind_interdomain(DOMID_SELF, that port)",
                  ev_op(EVTCHNOP_bind_interdomain, &b), 0))
        goto out;
    l.near = b.local_port;
    ev_track(l.near);
    test_info("bound local port %u", l.near);
    check_true("the local port differs from the far one", l.near != l.far);
    check_interdomain("near end", l.near, 0, l.far);
    check_interdomain("far end", l.far, 0, l.near);
    check_true("the new local end starts pending", gk_evtchn_port_pending(l.near));
    check_true("the far end does not", !gk_evtchn_port_pending(l.far));
    gk_evtchn_clear_port(l.near);
    send_both_ways(&l);
    bad_binds(l.far);
    close_and_rebind(&l);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_evtchn_loopback = { "evtchn_loopback", test_title, test_main };
