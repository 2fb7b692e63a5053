/*
 * Tern guest kernel: pirqs (see pirq.h). Every call is one hypercall or
 * two; a half-done bind (mapped, not bound) is undone before the error
 * goes back, so the caller never holds a mapping it does not know of.
 */
#include "xen/pirq.h"
#include "kernel/events.h"
#include "xen/hypercall.h"
#include <public/physdev.h>
#include <public/xen.h>

static long unmap(int32_t pirq)
{
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    return HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u);
}

long gk_pirq_bind_gsi(uint32_t gsi, int32_t *pirq, evtchn_port_t *port)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = (int32_t)gsi, .pirq = -1,
    };
    struct evtchn_bind_pirq b = { .flags = 0 };
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);

    if (rc)
        return rc;
    b.pirq = (uint32_t)m.pirq;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);
    if (rc) {
        unmap(m.pirq);
        return rc;
    }
    *pirq = m.pirq;
    *port = b.port;
    return 0;
}

long gk_pirq_eoi(int32_t pirq)
{
    struct physdev_eoi e = { .irq = (uint32_t)pirq };

    return HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &e);
}

void gk_pirq_release(int32_t pirq, evtchn_port_t port)
{
    if (port)
        gk_evtchn_detach(port);
    if (pirq >= 0)
        unmap(pirq);
}
