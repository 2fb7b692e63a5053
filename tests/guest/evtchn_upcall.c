/*
 * Test evtchn_upcall: an event sent to ourselves arrives through the event
 * callback, as xen-pv-abi.md 2.2-2.3 and 3.4 describe.
 *
 * What: with upcalls enabled, a send on a loopback channel whose far end
 * is unmasked enters the event callback before the hypercall returns; the
 * frame is the interrupted kernel context (CS 0xe030, saved mask 0 in CS
 * bits 32-39, IF set), events are masked inside the handler and unmasked
 * again after it; the pending, selector and upcall_pending bits are all
 * clear afterwards. With the vCPU's mask set, a send only leaves
 * upcall_pending and the selector bit set; clearing the mask alone lets
 * the upcall in at the hypervisor's next return to us, and clearing it
 * followed by a hypercall at that hypercall's return; SCHEDOP_block with
 * an upcall pending and events masked unmasks them and returns at once
 * (no lost wake-up), the upcall arriving on its way back. Two ports pending
 * at once take one upcall; an event raised from inside the handler is
 * handled by the same upcall (the loop re-checks upcall_pending). An IPI
 * port bound to our vCPU delivers a send to ourselves too.
 * Why: the upcall is the only way events reach a PV kernel; its frame and
 * the mask protocol are what every guest's entry code relies on.
 * Expected (real Xen 4.17): as above; the upcall's RIP is inside the
 * hypercall page (the return of the hypercall's syscall).
 */
#include "evtest.h"

static const char test_title[] =
    "event channels: the upcall on a send to ourselves, its frame, the vCPU mask";

static struct ev_record rec, rec2;
static evtchn_port_t chain_to;

/* Records, and the first time also sends on chain_to (from inside the upcall). */
static void chaining_handler(evtchn_port_t port, struct regs *r, void *data)
{
    ev_record_handler(port, r, data);
    if (chain_to) {
        gk_evtchn_send(chain_to);
        chain_to = 0;
    }
}

static void check_frame(void)
{
    uint64_t page = (uint64_t)(uintptr_t)hypercall_page;

    check_true("the upcall came before the send returned", rec.count == 1);
    check_true("  for the far end", rec.port != 0);
    check_true("  events were masked inside the handler", rec.mask_at_entry == 1);
    check_true("  frame RIP inside the hypercall page", rec.rip >= page && rec.rip < page + 4096);
    check_rc("  frame CS (kernel context, saved mask 0)", (long)rec.cs, 0xe030);
    check_true("  frame RFLAGS.IF = 1 (events were enabled)", (rec.rflags & RFLAGS_IF) != 0);
    check_true("  afterwards events are enabled again", !events_masked());
    check_true("  upcall_pending is clear", !ev_vcpu()->evtchn_upcall_pending);
    check_true("  the selector is clear", ev_vcpu()->evtchn_pending_sel == 0);
    test_info("upcall frame: rip %#lx (hypercall page + %#lx), cs %#lx, rflags %#lx",
              rec.rip, rec.rip - page, rec.cs, rec.rflags);
}

static void masked_vcpu(const struct ev_loopback *l)
{
    uint64_t before = rec.count;

    events_disable();
    check_rc("send(near) with the vCPU's events masked", gk_evtchn_send(l->near), 0);
    check_true("  -> no upcall", rec.count == before);
    check_true("  -> upcall_pending set", ev_vcpu()->evtchn_upcall_pending == 1);
    check_true("  -> the far port's selector bit set",
               (ev_vcpu()->evtchn_pending_sel >> (l->far / 64)) & 1);
    events_enable();                 /* clears the mask, then a hypercall */
    check_true("unmask + hypercall: the upcall at once", rec.count == before + 1);

    events_disable();
    gk_evtchn_send(l->near);
    ev_vcpu()->evtchn_upcall_mask = 0;   /* no hypercall this time */
    check_true("mask cleared without a hypercall: the upcall arrives within 100 ms",
               ev_wait_count(&rec, before + 2, 100 * MS));

    events_disable();
    gk_evtchn_send(l->near);
    check_rc("sched_op(block), events masked, an upcall pending",
             HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
    check_true("  -> returned at once, the upcall delivered on the way",
               rec.count == before + 3);
    check_true("  -> events enabled", !events_masked());
}

static void two_ports_one_upcall(const struct ev_loopback *a, const struct ev_loopback *b)
{
    uint64_t upcalls = upcalls_seen, before = rec.count, before2 = rec2.count;

    events_disable();
    gk_evtchn_send(a->near);
    gk_evtchn_send(b->near);
    events_enable();
    check_true("two ports pending at once: both handled", rec.count == before + 1 &&
               rec2.count == before2 + 1);
    check_rc("  in one upcall", (long)(upcalls_seen - upcalls), 1);

    upcalls = upcalls_seen;
    chain_to = b->near;
    gk_evtchn_set_handler(a->far, chaining_handler, &rec);
    gk_evtchn_send(a->near);
    check_true("an event sent from inside the handler is handled too",
               rec2.count == before2 + 2);
    check_rc("  by the same upcall (the loop re-checks)", (long)(upcalls_seen - upcalls), 1);
}

static void ipi(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    struct evtchn_status st;
    struct ev_record r = { 0 };

    if (!check_rc("bind_ipi(vcpu 0)", ev_op(EVTCHNOP_bind_ipi, &b), 0))
        return;
    ev_track(b.port);
    check_status("IPI port", b.port, EVTCHNSTAT_ipi);
    ev_status(DOMID_SELF, b.port, &st);
    check_rc("  its vcpu", st.vcpu, 0);
    ev_record_attach(b.port, &r);
    check_rc("send(IPI port)", gk_evtchn_send(b.port), 0);
    check_true("  -> an upcall for the IPI port", r.count == 1 && r.port == b.port);
    gk_evtchn_mask_port(b.port);
    gk_evtchn_set_handler(b.port, NULL, NULL);
}

static void test_main(void)
{
    struct ev_loopback a, b;

    if (!ev_require_shared_info() || !ev_loopback_open(&a) || !ev_loopback_open(&b))
        goto out;
    memset(&rec, 0, sizeof(rec));
    memset(&rec2, 0, sizeof(rec2));
    events_enable();
    ev_record_attach(a.far, &rec);
    ev_record_attach(b.far, &rec2);
    check_rc("send(near) with the far end unmasked", gk_evtchn_send(a.near), 0);
    check_frame();
    check_true("the far end is no longer pending", !gk_evtchn_port_pending(a.far));
    masked_vcpu(&a);
    two_ports_one_upcall(&a, &b);
    ipi();
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_evtchn_upcall = { "evtchn_upcall", test_title, test_main };
