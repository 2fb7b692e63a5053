/*
 * Test evtchn_status: EVTCHNOP_status of a port in each state, through
 * both event_channel_op and the compat form (hypercall 16).
 *
 * What: port 0 (reserved) and a free port read as closed; an unbound port
 * names the domain it is offered to; interdomain ends name each other; a
 * VIRQ port names its VIRQ (VIRQ_TIMER 0, VIRQ_DEBUG 1) and vCPU 0; an
 * IPI port its vCPU; a closed port is closed again. dom = our own id (0)
 * works like DOMID_SELF; a domain that does not exist is -ESRCH; ports
 * 4096 and 0xffffffff are -EINVAL. The compat form takes { u32 cmd; the
 * argument struct } with the struct at offset 4 (Xen's struct evtchn_op,
 * 28 bytes) and gives the same answers. Free ports between the ones in
 * use and 4096 are printed for the record: Xen answers "closed" only for
 * ports in the buckets it has allocated so far (64 ports), -EINVAL past
 * them.
 * Why: status is how a guest (and its tools) finds out what a port is;
 * every state must read back as what the binding made it.
 * Expected (real Xen 4.17): as above.
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: status of closed, unbound, interdomain, VIRQ, IPI ports; compat op";

/* Xen's struct evtchn_op: the union of the argument structs, whose
 * members are at most 4-byte aligned, follows cmd directly (28 bytes). */
struct evtchn_op_compat {
    uint32_t cmd;
    struct evtchn_status status;
};
_Static_assert(offsetof(struct evtchn_op_compat, status) == 4, "evtchn_op.u at 4");

static void check_virq(evtchn_port_t port, uint32_t virq)
{
    struct evtchn_status st;
    long rc = ev_status(DOMID_SELF, port, &st);

    if (rc || st.status != EVTCHNSTAT_virq || st.u.virq != virq || st.vcpu != 0)
        test_failure("status(VIRQ %u port %u) = %s, status %u, virq %u, vcpu %u", virq,
                     port, rc_name(rc), st.status, st.u.virq, st.vcpu);
    else
        printk("  ok   VIRQ %u port %u: status virq, virq %u, vcpu 0\n", virq, port, virq);
}

static void by_domain(evtchn_port_t port)
{
    struct evtchn_status st;

    check_rc("status(dom 0 = ourselves, unbound port)", ev_status(0, port, &st), 0);
    check_rc("  status", st.status, EVTCHNSTAT_unbound);
    check_rc("status(dom 7, which does not exist)", ev_status(7, 1, &st), -XEN_ESRCH);
    check_rc("status(port 4096)", ev_status(DOMID_SELF, 4096, &st), -XEN_EINVAL);
    check_rc("status(port 0xffffffff)", ev_status(DOMID_SELF, 0xffffffffU, &st), -XEN_EINVAL);
}

/* For the record: where the hypervisor stops answering for free ports. */
static void free_port_range(void)
{
    static const uint32_t ports[] = { 30, 63, 64, 127, 128, 255, 256, 511, 1023, 1024, 4095 };
    struct evtchn_status st;

    for (unsigned int i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        long rc = ev_status(DOMID_SELF, ports[i], &st);

        test_info("status(free port %u) = %s%s", ports[i], rc_name(rc),
                  rc == 0 ? (st.status == EVTCHNSTAT_closed ? ", closed" : ", not closed!")
                          : "");
    }
}

static void compat(evtchn_port_t unbound)
{
    struct evtchn_op_compat op = { .cmd = EVTCHNOP_status };

    op.status.dom = DOMID_SELF;
    op.status.port = unbound;
    check_rc("event_channel_op_compat(status, unbound port)",
             HYPERVISOR_event_channel_op_compat(&op), 0);
    check_rc("  status", op.status.status, EVTCHNSTAT_unbound);
    op.status.port = 4096;
    check_rc("event_channel_op_compat(status, port 4096)",
             HYPERVISOR_event_channel_op_compat(&op), -XEN_EINVAL);
    op.cmd = 99;
    check_rc("event_channel_op_compat(cmd 99)", HYPERVISOR_event_channel_op_compat(&op),
             -XEN_ENOSYS);
    check_rc("event_channel_op_compat(unmapped op)",
             HYPERVISOR_event_channel_op_compat(bad_ptr(BAD_VA_UNMAPPED)), -XEN_EFAULT);
}

static void test_main(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    struct ev_loopback l;
    evtchn_port_t timer, debug, spare;

    if (!ev_require_shared_info())
        return;
    check_status("port 0 (reserved)", 0, EVTCHNSTAT_closed);
    if (!ev_loopback_open(&l))
        goto out;
    check_status("a free port", l.near + 10, EVTCHNSTAT_closed);
    check_interdomain("near end", l.near, 0, l.far);
    check_interdomain("far end", l.far, 0, l.near);
    timer = ev_bind_virq(VIRQ_TIMER);
    debug = ev_bind_virq(VIRQ_DEBUG);
    if (timer)
        check_virq(timer, VIRQ_TIMER);
    if (debug)
        check_virq(debug, VIRQ_DEBUG);
    if (check_rc("bind_ipi(vcpu 0)", ev_op(EVTCHNOP_bind_ipi, &ipi), 0)) {
        ev_track(ipi.port);
        check_status("IPI port", ipi.port, EVTCHNSTAT_ipi);
    }
    if (check_rc("alloc_unbound(DOMID_SELF)", gk_evtchn_alloc_unbound(DOMID_SELF, &spare), 0)) {
        ev_track(spare);
        check_status("unbound port", spare, EVTCHNSTAT_unbound);
        by_domain(spare);
        compat(spare);
        check_rc("close(unbound port)", gk_evtchn_close(spare), 0);
        check_status("the port closed", spare, EVTCHNSTAT_closed);
    }
    free_port_range();
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_evtchn_status = { "evtchn_status", test_title, test_main };
