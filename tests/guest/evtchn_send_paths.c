/*
 * Test evtchn_send_paths: each condition of EVTCHNOP_send's fast case (a
 * loopback port read directly from the guest) against its other outcome.
 *
 * What: with the vCPU's events masked and the far end unmasked, a send
 * sets the far end's pending bit, its selector bit and upcall_pending;
 * with the far end still pending, a second send (selector and
 * upcall_pending cleared by us in between) sets nothing more; with events
 * enabled the upcall arrives as the send returns; a send on a masked far
 * end sets the pending bit only. The near end closed between two sends:
 * the first 0, the second -EINVAL, and a send on the far end (now
 * unbound) 0 and dropped. A send on an IPI port marks that port pending.
 * Send and unmask with argument pointers that are not readable: the
 * lowest page (unmapped), the last bytes below 2^47 (crossing into the
 * non-canonical hole), the top page of the address space (unmapped), the
 * last 2 bytes (wrapping); send and unmask of port 1024 and of the highest
 * free port.
 * Why: Tern takes a loopback send in assembly and hands every other case
 * to the C model; each split must give the model's answer, and a lost or
 * duplicated edge is a hung or spinning driver.
 * Expected (real Xen 4.17, as domain 0 with one vCPU): as above; the
 * unreadable pointers -EFAULT, the bad ports -EINVAL.
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: each condition of the send's fast case, and its other outcome";

#define FAR_SEL(l) (1ULL << ((l)->far / 64))

static struct ev_record rec;

static long send_op_at(uint64_t va)
{
    return ev_op(EVTCHNOP_send, (void *)va);
}

static long unmask_op_at(uint64_t va)
{
    return ev_op(EVTCHNOP_unmask, (void *)va);
}

/* Events masked on the vCPU: the bits are there to read, no upcall. */
static void unmasked_far_end(const struct ev_loopback *l)
{
    struct vcpu_info *vi = ev_vcpu();

    events_disable();
    gk_evtchn_unmask_port(l->far);
    __atomic_and_fetch(&vi->evtchn_pending_sel, ~FAR_SEL(l), __ATOMIC_SEQ_CST);
    vi->evtchn_upcall_pending = 0;
    check_rc("send(near), far end unmasked, events masked", ev_send(l->near), 0);
    check_true("  -> the far end is pending", gk_evtchn_port_pending(l->far));
    check_true("  -> its selector bit is set", (vi->evtchn_pending_sel & FAR_SEL(l)) != 0);
    check_true("  -> upcall_pending is set", vi->evtchn_upcall_pending == 1);
    check_true("  -> no upcall while events are masked", rec.count == 0);
    __atomic_and_fetch(&vi->evtchn_pending_sel, ~FAR_SEL(l), __ATOMIC_SEQ_CST);
    vi->evtchn_upcall_pending = 0;
    check_rc("send(near) again, the far end still pending", ev_send(l->near), 0);
    check_true("  -> no selector bit: one edge only", (vi->evtchn_pending_sel & FAR_SEL(l)) == 0);
    check_true("  -> no upcall_pending", vi->evtchn_upcall_pending == 0);
    gk_evtchn_clear_port(l->far);
    events_enable();
    check_true("  -> nothing delivered for the cleared edge", rec.count == 0);
}

static void upcall_and_masked(const struct ev_loopback *l)
{
    check_rc("send(near), events enabled", ev_send(l->near), 0);
    check_true("  -> the upcall arrived as the send returned", rec.count == 1);
    check_true("  -> for the far end", rec.port == l->far);
    gk_evtchn_mask_port(l->far);
    check_rc("send(near), far end masked", ev_send(l->near), 0);
    check_true("  -> the far end is pending", gk_evtchn_port_pending(l->far));
    check_true("  -> no upcall_pending", ev_vcpu()->evtchn_upcall_pending == 0);
    check_true("  -> no upcall", rec.count == 1);
    gk_evtchn_clear_port(l->far);
}

static void closed_between_sends(const struct ev_loopback *l)
{
    check_rc("send(near) before the close", ev_send(l->near), 0);
    gk_evtchn_clear_port(l->far);
    check_rc("close(near)", gk_evtchn_close(l->near), 0);
    check_rc("send(near) after the close", ev_send(l->near), -XEN_EINVAL);
    check_rc("send(far), its peer gone: dropped", ev_send(l->far), 0);
    check_true("  -> the closed near end is not pending", !gk_evtchn_port_pending(l->near));
}

static void ipi_port(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };

    if (!check_rc("bind_ipi(vcpu 0)", ev_op(EVTCHNOP_bind_ipi, &ipi), 0))
        return;
    ev_track(ipi.port);
    gk_evtchn_mask_port(ipi.port);
    gk_evtchn_clear_port(ipi.port);
    check_rc("send(IPI port)", ev_send(ipi.port), 0);
    check_true("  -> the IPI port is pending", gk_evtchn_port_pending(ipi.port));
    gk_evtchn_clear_port(ipi.port);
}

static void bad_arguments(void)
{
    static const struct { uint64_t va; const char *name; } bad[] = {
        { BAD_VA_UNMAPPED, "the lowest mapped-out page" },
        { (1ULL << 47) - 2, "2 bytes below 2^47" },
        { 0xfffffffffffff000ULL, "the top page" },
        { 0xfffffffffffffffeULL, "the last 2 bytes" },
    };
    char what[80];

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(what, sizeof(what), "send(argument at %s)", bad[i].name);
        check_rc(what, send_op_at(bad[i].va), -XEN_EFAULT);
        snprintf(what, sizeof(what), "unmask(argument at %s)", bad[i].name);
        check_rc(what, unmask_op_at(bad[i].va), -XEN_EFAULT);
    }
    check_rc("send(port 1024)", ev_send(1024), -XEN_EINVAL);
    check_rc("unmask(port 1024)", ev_unmask(1024), -XEN_EINVAL);
    check_rc("send(port 1023, free)", ev_send(1023), -XEN_EINVAL);
}

static void test_main(void)
{
    struct ev_loopback l;

    if (!ev_require_shared_info() || !ev_loopback_open(&l))
        goto out;
    memset(&rec, 0, sizeof(rec));
    gk_evtchn_set_handler(l.far, ev_record_handler, &rec);   /* still masked */
    unmasked_far_end(&l);
    upcall_and_masked(&l);
    closed_between_sends(&l);
    ipi_port();
    bad_arguments();
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_evtchn_send_paths = {
    "evtchn_send_paths", test_title, test_main
};
