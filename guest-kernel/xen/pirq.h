/*
 * Tern guest kernel: physical interrupts as event channels, for domain
 * 0's drivers (Xen's PHYSDEVOP_map_pirq, EVTCHNOP_bind_pirq and
 * PHYSDEVOP_eoi). A bound pirq's port is left masked and without handler:
 * the caller attaches one (kernel/events.h). After servicing the device,
 * the caller says gk_pirq_eoi(): a level-triggered line stays masked in
 * the hypervisor until then.
 */
#ifndef GUEST_PIRQ_H
#define GUEST_PIRQ_H

#include <stdint.h>
#include <public/event_channel.h>

/* Maps GSI gsi of this domain to a pirq (any free one) and binds it to
 * a new port. 0, or the hypervisor's error (nothing left mapped). */
long gk_pirq_bind_gsi(uint32_t gsi, int32_t *pirq, evtchn_port_t *port);
/* The device behind pirq has been serviced. */
long gk_pirq_eoi(int32_t pirq);
/* Closes port and unmaps pirq (either may be 0 / -1: skipped). */
void gk_pirq_release(int32_t pirq, evtchn_port_t port);

#endif /* GUEST_PIRQ_H */
