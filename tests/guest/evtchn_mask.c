/*
 * Test evtchn_mask: per-port masking, EVTCHNOP_unmask and the guest's own
 * unmask (xen-pv-abi.md 3.4).
 *
 * What: an event on a masked port only sets its pending bit: no selector
 * bit, no upcall_pending, no upcall. EVTCHNOP_unmask then clears the mask
 * bit and, the port being pending, raises the upcall, which arrives as
 * the hypercall returns. Unmasking a port with nothing pending raises
 * nothing. With the vCPU's events masked, EVTCHNOP_unmask of a pending
 * port leaves upcall_pending set for later. The guest-side unmask (clear
 * the bit, then raise the upcall itself if the port is pending, as
 * Mini-OS does) gives the same. EVTCHNOP_unmask of port 0 and of ports
 * out of range.
 * Why: a guest masks ports while it cannot take their events and relies
 * on the unmask to re-raise what came in meanwhile; a lost event there is
 * a hung driver.
 * Expected (real Xen 4.17): as above; unmask(0) = 0 (port 0 exists, it
 * is merely reserved), unmask of ports 4096 and 0xffffffff = -EINVAL.
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: masked ports stay silent, unmask re-raises what is pending";

static struct ev_record rec;

static void masked_send(const struct ev_loopback *l)
{
    struct vcpu_info *vi = ev_vcpu();

    check_rc("send(near) with the far end masked", gk_evtchn_send(l->near), 0);
    check_true("  -> the far end is pending", gk_evtchn_port_pending(l->far));
    check_true("  -> no upcall", rec.count == 0);
    check_true("  -> no selector bit", vi->evtchn_pending_sel == 0);
    check_true("  -> no upcall_pending", vi->evtchn_upcall_pending == 0);
    ev_spin(20 * MS);
    check_true("  -> still no upcall 20 ms later", rec.count == 0);
    check_rc("EVTCHNOP_unmask(far)", ev_unmask(l->far), 0);
    check_true("  -> the mask bit is clear", !gk_evtchn_port_masked(l->far));
    check_true("  -> the upcall arrived as the unmask returned", rec.count == 1);
    check_true("  -> for the far end", rec.port == l->far);
    check_true("  -> the port is no longer pending", !gk_evtchn_port_pending(l->far));
}

static void unmask_nothing_pending(const struct ev_loopback *l)
{
    check_rc("EVTCHNOP_unmask(far) again, nothing pending", ev_unmask(l->far), 0);
    gk_evtchn_mask_port(l->far);
    check_rc("EVTCHNOP_unmask(far) masked, nothing pending", ev_unmask(l->far), 0);
    check_true("  -> unmasked", !gk_evtchn_port_masked(l->far));
    ev_spin(5 * MS);
    check_true("  -> no upcall", rec.count == 1);
}

static void unmask_vcpu_masked(const struct ev_loopback *l)
{
    gk_evtchn_mask_port(l->far);
    gk_evtchn_send(l->near);
    events_disable();
    check_rc("EVTCHNOP_unmask(far), pending, the vCPU's events masked",
             ev_unmask(l->far), 0);
    check_true("  -> no upcall yet", rec.count == 1);
    check_true("  -> upcall_pending set", ev_vcpu()->evtchn_upcall_pending == 1);
    events_enable();
    check_true("  -> the upcall once events are enabled", rec.count == 2);
}

static void guest_unmask(const struct ev_loopback *l)
{
    gk_evtchn_mask_port(l->far);
    gk_evtchn_send(l->near);
    check_true("masked again, sent: no upcall", rec.count == 2);
    gk_evtchn_unmask_port(l->far);
    check_true("guest-side unmask of a pending port: the upcall", rec.count == 3);
}

static void test_main(void)
{
    struct ev_loopback l;

    if (!ev_require_shared_info() || !ev_loopback_open(&l))
        goto out;
    memset(&rec, 0, sizeof(rec));
    events_enable();
    gk_evtchn_set_handler(l.far, ev_record_handler, &rec);   /* still masked */
    masked_send(&l);
    unmask_nothing_pending(&l);
    unmask_vcpu_masked(&l);
    guest_unmask(&l);
    check_rc("EVTCHNOP_unmask(0)", ev_unmask(0), 0);
    check_rc("EVTCHNOP_unmask(4096)", ev_unmask(4096), -XEN_EINVAL);
    check_rc("EVTCHNOP_unmask(0xffffffff)", ev_unmask(0xffffffffU), -XEN_EINVAL);
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_evtchn_mask = { "evtchn_mask", test_title, test_main };
