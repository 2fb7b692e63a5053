/*
 * Test pirq_gsi: a device interrupt delivered to domain 0 as an event
 * channel (PHYSDEVOP_map_pirq, EVTCHNOP_bind_pirq, PHYSDEVOP_eoi), with
 * the e1000 (QEMU's "-nic user,model=e1000", given to every boot by the
 * runner) raising its line on demand through its ICS register.
 *
 * What: the e1000's GSI is its PCI interrupt line (configuration byte
 * 0x3c). map_pirq of it with pirq -1 gives a pirq of 16 or more (Xen
 * hands GSIs pirqs from 16 up); mapping it again gives the same pirq, and
 * naming another pirq for it is -EEXIST; irq_status_query says "needs
 * EOI"; bind_pirq gives a port whose status is "pirq" with that pirq,
 * and a second bind is -EEXIST. Then the line fires: the card's LSC cause
 * unmasked (IMS) and raised (ICS) makes the port pending; the cause
 * cleared (ICR read) and raised again: whether the event comes before
 * our EOI is printed, not judged (Tern keeps the level line masked
 * until the EOI; Xen force-EOIs a line left in flight after 1 ms); after
 * PHYSDEVOP_eoi it comes (the line is still asserted), and with the
 * cause cleared and EOIed, nothing more. After close, a raised line
 * brings nothing; unmap works once (-EINVAL the second time), and eoi of
 * the unmapped pirq is -EINVAL. Refused throughout: GSI -1 and 100000
 * (-EINVAL), map type 99 (-EINVAL), a domain that does not exist
 * (-ESRCH), bind_pirq of pirq 100000 (-EINVAL) and of an unmapped pirq
 * (-EPERM), eoi/unmap/status of pirq 100000 (-EINVAL), setup_gsi of GSI
 * 100000 (-EINVAL), map_pirq of GSI 0 (-EPERM: IRQ 0 is never a
 * domain's). The hypervisor's own lines (the timer's GSI 2, the serial
 * port's GSI 4) map, but bind_pirq of them is -EBUSY, and setup_gsi of
 * the serial line (in use) -EEXIST. setup_gsi of the e1000's GSI (level,
 * active high, as QEMU's MADT says) works once, then -EEXIST.
 * Why: issue 16 and 17: domain 0's drivers (the toy's e1000, Linux's
 * every driver and its ACPI SCI) take their interrupts this way.
 * Expected (real Xen 4.17): as above.
 */
#include "test.h"
#include "drivers/e1000.h"
#include "kernel/events.h"
#include "kernel/time.h"
#include "xen/pirq.h"
#include <public/event_channel.h>
#include <public/physdev.h>

static const char test_title[] = "pirqs: the e1000's GSI mapped, bound, fired, EOIed, closed";

static struct e1000 nic;

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static long map_gsi(domid_t dom, int32_t type, int32_t gsi, int32_t *pirq)
{
    struct physdev_map_pirq m = { .domid = dom, .type = type, .index = gsi, .pirq = *pirq };
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);

    *pirq = m.pirq;
    return rc;
}

static long unmap(int32_t pirq)
{
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    return HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u);
}

static long bind(uint32_t pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq b = { .pirq = pirq, .flags = BIND_PIRQ__WILL_SHARE };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

    *port = b.port;
    return rc;
}

static long status_query(uint32_t pirq, uint32_t *flags)
{
    struct physdev_irq_status_query q = { .irq = pirq };
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q);

    *flags = q.flags;
    return rc;
}

/* Level-triggered, active high: how QEMU's MADT says its PCI lines
 * (ISA IRQs 5, 9, 10, 11) signal. */
static long setup_gsi(int32_t gsi)
{
    struct physdev_setup_gsi s = { .gsi = gsi, .triggering = 1, .polarity = 0 };

    return HYPERVISOR_physdev_op(PHYSDEVOP_setup_gsi, &s);
}

/* Does port become pending within ms milliseconds? */
static bool arrives(evtchn_port_t port, unsigned int ms)
{
    uint64_t deadline = time_now_ns() + ms * NS_PER_MS;

    while (time_now_ns() < deadline)
        if (gk_evtchn_port_pending(port))
            return true;
    return gk_evtchn_port_pending(port);
}

static void refusals(void)
{
    int32_t pirq = -1;
    evtchn_port_t port;
    uint32_t flags;

    check_rc("map_pirq(GSI -1)", map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, -1, &pirq), -XEN_EINVAL);
    pirq = -1;
    check_rc("map_pirq(GSI 100000)", map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, 100000, &pirq),
             -XEN_EINVAL);
    pirq = -1;
    check_rc("map_pirq(type 99)", map_gsi(DOMID_SELF, 99, 11, &pirq), -XEN_EINVAL);
    pirq = -1;
    check_rc("map_pirq(domain 1000)", map_gsi(1000, MAP_PIRQ_TYPE_GSI, 11, &pirq), -XEN_ESRCH);
    check_rc("bind_pirq(pirq 100000)", bind(100000, &port), -XEN_EINVAL);
    check_rc("bind_pirq(unmapped pirq 40)", bind(40, &port), -XEN_EPERM);
    check_rc("eoi(pirq 100000)", gk_pirq_eoi(100000), -XEN_EINVAL);
    check_rc("unmap_pirq(pirq 100000)", unmap(100000), -XEN_EINVAL);
    check_rc("irq_status_query(pirq 100000)", status_query(100000, &flags), -XEN_EINVAL);
    check_rc("setup_gsi(GSI 100000)", setup_gsi(100000), -XEN_EINVAL);
}

/* Map then bind gsi: the two answers. */
static void map_then_bind(int32_t gsi, long *map_rc, long *bind_rc)
{
    int32_t pirq = -1;
    evtchn_port_t port = 0;

    *map_rc = map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, gsi, &pirq);
    *bind_rc = *map_rc ? *map_rc : bind((uint32_t)pirq, &port);
    if (*bind_rc == 0)
        gk_evtchn_close(port);
    if (*map_rc == 0)
        unmap(pirq);
}

/* GSI 0 is nobody's; the hypervisor's timer (GSI 2 on QEMU, ISA IRQ 0)
 * and serial port (GSI 4) lines are mapped but not bound. */
static void hypervisors_lines(void)
{
    long map_rc, bind_rc;

    map_then_bind(0, &map_rc, &bind_rc);
    check_rc("map_pirq(GSI 0)", map_rc, -XEN_EPERM);
    map_then_bind(2, &map_rc, &bind_rc);
    check_rc("map_pirq(GSI 2, the timer's)", map_rc, 0);
    check_rc("  ... bind_pirq of it", bind_rc, -XEN_EBUSY);
    map_then_bind(4, &map_rc, &bind_rc);
    check_rc("map_pirq(GSI 4, the serial port's)", map_rc, 0);
    check_rc("  ... bind_pirq of it", bind_rc, -XEN_EBUSY);
    check_rc("setup_gsi(GSI 4, in use)", setup_gsi(4), -XEN_EEXIST);
}

/* Map, bind, status: the pirq and its port, or false. */
static bool map_and_bind(uint32_t gsi, int32_t *pirq, evtchn_port_t *port)
{
    int32_t again = -1, other;
    evtchn_port_t spare;
    uint32_t flags = 0;
    struct evtchn_status st;

    *pirq = -1;
    if (!check_rc("map_pirq(the e1000's GSI, pirq -1)",
                  map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, (int32_t)gsi, pirq), 0))
        return false;
    test_info("GSI %u is pirq %d", gsi, *pirq);
    check_true("  ... a pirq from 16 up", *pirq >= 16);
    check_rc("map_pirq again", map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, (int32_t)gsi, &again), 0);
    check_rc("  ... the same pirq", again, *pirq);
    other = *pirq + 1;
    check_rc("map_pirq(same GSI, another pirq)",
             map_gsi(DOMID_SELF, MAP_PIRQ_TYPE_GSI, (int32_t)gsi, &other), -XEN_EEXIST);
    check_rc("irq_status_query", status_query((uint32_t)*pirq, &flags), 0);
    check_true("  ... needs EOI", flags & XENIRQSTAT_needs_eoi);
    if (!check_rc("bind_pirq", bind((uint32_t)*pirq, port), 0))
        return false;
    check_rc("status of its port", gk_evtchn_status(*port, &st), 0);
    check_rc("  ... is pirq", st.status, EVTCHNSTAT_pirq);
    check_rc("  ... of our pirq", st.u.pirq, *pirq);
    check_rc("bind_pirq again", bind((uint32_t)*pirq, &spare),
             -XEN_EEXIST);
    return true;
}

/* The line fires, waits for the EOI, fires again after it. */
static void fire(int32_t pirq, evtchn_port_t port)
{
    e1000_irq_ack(&nic);
    e1000_irq_enable(&nic, E1000_INT_LSC);
    e1000_irq_raise(&nic, E1000_INT_LSC);
    check_true("the raised line makes the port pending", arrives(port, 100));
    e1000_irq_ack(&nic);
    gk_evtchn_clear_port(port);
    e1000_irq_raise(&nic, E1000_INT_LSC);
    test_info("raised again before the EOI: %s within 20 ms",
              arrives(port, 20) ? "delivered" : "not delivered");
    gk_evtchn_clear_port(port);
    check_rc("eoi", gk_pirq_eoi(pirq), 0);
    check_true("  ... and the still raised line fires", arrives(port, 100));
    e1000_irq_ack(&nic);
    gk_evtchn_clear_port(port);
    check_rc("eoi", gk_pirq_eoi(pirq), 0);
    check_true("  ... with the cause cleared: nothing", !arrives(port, 20));
}

static void close_and_unmap(int32_t pirq, evtchn_port_t port)
{
    check_rc("close the port", gk_evtchn_close(port), 0);
    e1000_irq_raise(&nic, E1000_INT_LSC);
    check_true("raised after close: the port stays quiet", !gk_evtchn_port_pending(port) &&
               !arrives(port, 20));
    e1000_irq_ack(&nic);
    check_rc("unmap_pirq", unmap(pirq), 0);
    check_rc("unmap_pirq again", unmap(pirq), -XEN_EINVAL);
    check_rc("eoi of the unmapped pirq", gk_pirq_eoi(pirq), -XEN_EINVAL);
}

static void test_main(void)
{
    int32_t pirq;
    evtchn_port_t port;
    unsigned int gsi;

    if (!check_rc("physdev_op(set_iopl, 1)", set_iopl(1), 0))
        return;
    if (check_rc("e1000_find", e1000_find(&nic), 0) &&
        check_rc("e1000_map (BAR0)", e1000_map(&nic), 0)) {
        e1000_irq_enable(&nic, 0);
        gsi = e1000_irq_line(&nic);
        test_info("the e1000's interrupt line is %u", gsi);
        check_rc("setup_gsi(its GSI, level, high)", setup_gsi((int32_t)gsi), 0);
        check_rc("setup_gsi of it again", setup_gsi((int32_t)gsi), -XEN_EEXIST);
        refusals();
        hypervisors_lines();
        if (check_true("a line between 1 and 23", gsi >= 1 && gsi < 24) &&
            map_and_bind(gsi, &pirq, &port)) {
            fire(pirq, port);
            close_and_unmap(pirq, port);
        }
        e1000_irq_enable(&nic, 0);
    }
    e1000_stop(&nic);
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);    /* the next tests expect IOPL 0 */
    test_success(NULL);
}

const struct guest_test test_pirq_gsi = { "pirq_gsi", test_title, test_main };
