/*
 * Test evtchn_errors: what event_channel_op refuses, and EVTCHNOP_reset.
 *
 * What: close, send and bind_vcpu of port 0, of a free port and of ports
 * out of range; send on a VIRQ port; a second bind_virq of the same VIRQ;
 * bind_virq of VIRQ 24 and up, of a global VIRQ on vCPU 1, of a per-vCPU
 * VIRQ on vCPU 1 (which we do not have); bind_ipi to vCPU 1; bind_vcpu of
 * interdomain, per-vCPU VIRQ and IPI ports; alloc_unbound for another
 * domain that does not exist; an unknown command; argument pointers that
 * are unmapped, not canonical or in the hypervisor; EVTCHNOP_reset of
 * ourselves (every port closed) and of a domain that does not exist.
 * Why: the port table is state the hypervisor keeps for the guest; every
 * way of naming a port or vCPU that does not fit must be refused without
 * changing anything.
 * Expected (real Xen 4.17, as domain 0 with one vCPU): bad ports -EINVAL;
 * send on a VIRQ port -EINVAL; second bind_virq -EEXIST; VIRQ >= 24
 * -EINVAL; global VIRQ on vCPU 1 -EINVAL; per-vCPU VIRQ or IPI on vCPU 1
 * -ENOENT; bind_vcpu to vCPU 0 of an interdomain port 0, of a VIRQ_TIMER
 * or IPI port -EINVAL, to vCPU 1 -ENOENT; alloc_unbound for domain 7
 * -ESRCH; unknown command -ENOSYS; bad pointers -EFAULT; reset of
 * ourselves 0, of domain 7 -ESRCH.
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: bad ports, double binds, bad VIRQs and vCPUs, bad pointers, reset";

static long close_op(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return ev_op(EVTCHNOP_close, &c);
}

static long bind_vcpu_op(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return ev_op(EVTCHNOP_bind_vcpu, &b);
}

static long bind_virq_op(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = ev_op(EVTCHNOP_bind_virq, &b);

    if (rc == 0)
        ev_track(b.port);
    return rc;
}

static void bad_ports(evtchn_port_t free_port)
{
    static const struct { uint32_t port; const char *name; } bad[] = {
        { 4096, "4096" }, { 5000, "5000" }, { 0x7fffffff, "0x7fffffff" },
        { 0xffffffff, "0xffffffff" },
    };
    char what[64];

    check_rc("close(port 0)", close_op(0), -XEN_EINVAL);
    check_rc("send(port 0)", ev_send(0), -XEN_EINVAL);
    snprintf(what, sizeof(what), "close(free port %u)", free_port);
    check_rc(what, close_op(free_port), -XEN_EINVAL);
    snprintf(what, sizeof(what), "send(free port %u)", free_port);
    check_rc(what, ev_send(free_port), -XEN_EINVAL);
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(what, sizeof(what), "close(port %s)", bad[i].name);
        check_rc(what, close_op(bad[i].port), -XEN_EINVAL);
        snprintf(what, sizeof(what), "send(port %s)", bad[i].name);
        check_rc(what, ev_send(bad[i].port), -XEN_EINVAL);
        snprintf(what, sizeof(what), "bind_vcpu(port %s, vcpu 0)", bad[i].name);
        check_rc(what, bind_vcpu_op(bad[i].port, 0), -XEN_EINVAL);
    }
}

static void virqs(void)
{
    evtchn_port_t timer = ev_bind_virq(VIRQ_TIMER);

    if (!timer)
        return;
    check_rc("bind_virq(VIRQ_TIMER) again", bind_virq_op(VIRQ_TIMER, 0), -XEN_EEXIST);
    check_rc("send(VIRQ_TIMER port)", ev_send(timer), -XEN_EINVAL);
    check_rc("bind_vcpu(VIRQ_TIMER port, vcpu 0): per-vCPU", bind_vcpu_op(timer, 0),
             -XEN_EINVAL);
    if (check_rc("bind_virq(VIRQ_DEBUG)", bind_virq_op(VIRQ_DEBUG, 0), 0))
        check_rc("bind_virq(VIRQ_DEBUG) again", bind_virq_op(VIRQ_DEBUG, 0), -XEN_EEXIST);
    check_rc("bind_virq(24 = NR_VIRQS)", bind_virq_op(NR_VIRQS, 0), -XEN_EINVAL);
    check_rc("bind_virq(0xffffffff)", bind_virq_op(0xffffffffU, 0), -XEN_EINVAL);
    check_rc("bind_virq(VIRQ_DOM_EXC (global), vcpu 1)", bind_virq_op(VIRQ_DOM_EXC, 1),
             -XEN_EINVAL);
    check_rc("bind_virq(VIRQ_TIMER, vcpu 1): no such vCPU", bind_virq_op(VIRQ_TIMER, 1),
             -XEN_ENOENT);
    check_rc("bind_virq(VIRQ_CONSOLE (global), vcpu 0)", bind_virq_op(VIRQ_CONSOLE, 0), 0);
    check_rc("close(VIRQ_TIMER port)", close_op(timer), 0);
    if (check_rc("bind_virq(VIRQ_TIMER) after closing it", bind_virq_op(VIRQ_TIMER, 0), 0))
        test_info("VIRQ_TIMER bound again");
}

static void vcpus(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 1 };
    struct ev_loopback l;

    check_rc("bind_ipi(vcpu 1): no such vCPU", ev_op(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT);
    ipi.vcpu = 0;
    if (check_rc("bind_ipi(vcpu 0)", ev_op(EVTCHNOP_bind_ipi, &ipi), 0)) {
        ev_track(ipi.port);
        check_rc("bind_vcpu(IPI port, vcpu 0)", bind_vcpu_op(ipi.port, 0), -XEN_EINVAL);
    }
    if (!ev_loopback_open(&l))
        return;
    check_rc("bind_vcpu(interdomain port, vcpu 0)", bind_vcpu_op(l.near, 0), 0);
    check_rc("bind_vcpu(unbound-side port, vcpu 0)", bind_vcpu_op(l.far, 0), 0);
    check_rc("bind_vcpu(interdomain port, vcpu 1): no such vCPU", bind_vcpu_op(l.near, 1),
             -XEN_ENOENT);
}

static void bad_args(void)
{
    struct evtchn_alloc_unbound a = { .dom = 7, .remote_dom = DOMID_SELF };

    check_rc("alloc_unbound(dom 7, which does not exist)", ev_op(EVTCHNOP_alloc_unbound, &a),
             -XEN_ESRCH);
    check_rc("event_channel_op(cmd 99)", ev_op(99, &a), -XEN_ENOSYS);
    test_info("event_channel_op(expand_array, FIFO ABI not in use) = %s",
              rc_name(ev_op(12 /* EVTCHNOP_expand_array */, &a)));
    test_info("event_channel_op(set_priority, FIFO ABI not in use) = %s",
              rc_name(ev_op(13 /* EVTCHNOP_set_priority */, &a)));
    check_rc("alloc_unbound(unmapped argument)",
             ev_op(EVTCHNOP_alloc_unbound, bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
    check_rc("status(non-canonical argument)",
             ev_op(EVTCHNOP_status, bad_ptr(BAD_VA_NONCANONICAL)), -XEN_EFAULT);
    check_rc("bind_virq(argument in the hypervisor's range)",
             ev_op(EVTCHNOP_bind_virq, bad_ptr(BAD_VA_HYPERVISOR)), -XEN_EFAULT);
    check_rc("send(unmapped argument)", ev_op(EVTCHNOP_send, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
    check_rc("send(argument in the hypervisor's range)",
             ev_op(EVTCHNOP_send, bad_ptr(BAD_VA_HYPERVISOR)), -XEN_EFAULT);
    check_rc("unmask(non-canonical argument)",
             ev_op(EVTCHNOP_unmask, bad_ptr(BAD_VA_NONCANONICAL)), -XEN_EFAULT);
}

static void reset(void)
{
    struct evtchn_reset r = { .dom = 7 };
    evtchn_port_t p1, p2;

    check_rc("reset(dom 7, which does not exist)", ev_op(EVTCHNOP_reset, &r), -XEN_ESRCH);
    if (!check_rc("alloc_unbound twice before the reset",
                  gk_evtchn_alloc_unbound(DOMID_SELF, &p1) ?:
                  gk_evtchn_alloc_unbound(DOMID_SELF, &p2),
                  0))
        return;
    r.dom = DOMID_SELF;
    check_rc("reset(DOMID_SELF)", ev_op(EVTCHNOP_reset, &r), 0);
    check_status("first port after the reset", p1, EVTCHNSTAT_closed);
    check_status("second port after the reset", p2, EVTCHNSTAT_closed);
}

static void test_main(void)
{
    evtchn_port_t probe;

    if (!ev_require_shared_info())
        return;
    if (!check_rc("alloc_unbound (to find a free port)",
                  gk_evtchn_alloc_unbound(DOMID_SELF, &probe), 0))
        return;
    check_rc("close(it)", close_op(probe), 0);
    bad_ports(probe + 5);
    virqs();
    vcpus();
    bad_args();
    ev_cleanup();                    /* the reset closes everything anyway */
    reset();
    test_success(NULL);
    ev_cleanup();
}

const struct guest_test test_evtchn_errors = { "evtchn_errors", test_title, test_main };
