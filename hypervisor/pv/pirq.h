/*
 * Physical interrupts for domains (pirq.c, pure): which GSI each domain's
 * pirq numbers name, which event channel a pirq is bound to, and the
 * state of every GSI line the hypervisor may route for a domain.
 *
 * A GSI line:   FREE -> MAPPED (one domain, one pirq) -> BOUND (a port;
 *               the line unmasked) -> IN_FLIGHT (level only: it fired, the
 *               line is masked until the domain's PHYSDEVOP_eoi) -> BOUND.
 * Closing the port returns BOUND/IN_FLIGHT to MAPPED (line masked);
 * unmapping returns any state to FREE (line masked).
 *
 * Invariants (pirq.c enforces them, the unit test checks them):
 *  1. only a privileged domain maps, unmaps or sets up a GSI (-EPERM);
 *  2. a GSI is in [0, nr) of the table (-EINVAL) and not 0 (-EPERM); the
 *     hypervisor's own lines (timer, cascade, serial, keyboard) may be
 *     mapped but never bound (-EBUSY) nor set up (-EEXIST), as on Xen;
 *  3. a pirq is in [0, PIRQ_NR) (-EINVAL); a domain's pirq names at most
 *     one GSI and a GSI at most one (domain, pirq): a line is never
 *     shared (another domain's mapping: -EBUSY);
 *  4. a pirq binds to one port at most (-EEXIST), and only when mapped
 *     (-EPERM, as Xen's pirq_access_permitted);
 *  6. a GSI's trigger and polarity are set up once (-EEXIST after), and
 *     never while the line is routed (bound: -EEXIST);
 *  5. a line is unmasked only while BOUND; a fire in any other state asks
 *     for the line to be masked (a stray interrupt is never delivered).
 */
#ifndef PIRQ_H
#define PIRQ_H

#include "lib.h"
#include <public/event_channel.h>
#include <public/physdev.h>
#include <public/xen.h>

#define PIRQ_NR        256    /* pirqs per domain */
#define PIRQ_MAX_GSIS  192    /* GSIs routed on vectors 0x30..0xef */
#define PIRQ_ISA_GSIS  16     /* Xen hands out pirqs from here for GSIs */

enum gsi_state { GSI_FREE, GSI_MAPPED, GSI_BOUND, GSI_IN_FLIGHT };

struct gsi_line {
    uint8_t state;            /* enum gsi_state */
    bool hv_owned;            /* the hypervisor's own line: never mapped */
    bool level, active_low;   /* how the line signals (MADT or setup_gsi) */
    bool set_up;              /* trigger and polarity fixed: setup_gsi -EEXIST */
    domid_t owner;            /* MAPPED and on: the domain, its pirq */
    uint16_t pirq;
};

struct gsi_table {
    unsigned int nr;          /* GSIs [0, nr) exist (0: no I/O APIC) */
    struct gsi_line line[PIRQ_MAX_GSIS];
};

struct pirq_slot {
    int16_t gsi;              /* -1: not mapped */
    evtchn_port_t port;       /* 0: not bound */
    uint32_t fired;           /* events delivered since it was mapped */
};

/* One per domain. Larger than the heap's small objects, so its pages go
 * back to the frame allocator when the domain is torn down. */
struct pirq_table {
    struct pirq_slot slot[PIRQ_NR];
};

/* Every line FREE, level/active-low (PCI's way), not set up; nr clipped. */
void gsi_table_init(struct gsi_table *g, unsigned int nr);
void pirq_table_init(struct pirq_table *t);

/* PHYSDEVOP_map_pirq of type GSI: *pirq < 0 asks for any (the GSI's own
 * pirq if dom has mapped it already); the pirq used goes into *pirq. */
int pirq_map_gsi(struct gsi_table *g, struct pirq_table *t, bool privileged,
                 domid_t dom, int32_t gsi, int32_t *pirq);
/* PHYSDEVOP_unmap_pirq; *gsi: the line to mask. */
int pirq_unmap(struct gsi_table *g, struct pirq_table *t, bool privileged,
               int32_t pirq, int32_t *gsi);
/* PHYSDEVOP_setup_gsi. */
int pirq_setup_gsi(struct gsi_table *g, bool privileged, int32_t gsi,
                   uint8_t triggering, uint8_t polarity);

/* EVTCHNOP_bind_pirq: may pirq be bound? Then pirq_bound() once the port
 * exists; *gsi: the line to route and unmask. */
int pirq_bind_check(const struct gsi_table *g, const struct pirq_table *t, uint32_t pirq);
void pirq_bound(struct gsi_table *g, struct pirq_table *t, uint32_t pirq,
                evtchn_port_t port, int32_t *gsi);
/* Port (bound to pirq) closed: true and *gsi if a line must be masked. */
bool pirq_unbind(struct gsi_table *g, struct pirq_table *t, uint32_t pirq,
                 evtchn_port_t port, int32_t *gsi);

/* PHYSDEVOP_eoi: 0 and *unmask (the line waited for this EOI) and *gsi. */
int pirq_eoi(struct gsi_table *g, const struct pirq_table *t, uint32_t pirq,
             bool *unmask, int32_t *gsi);
/* PHYSDEVOP_irq_status_query's flags (the same for every pirq in range). */
int pirq_status(uint32_t pirq, uint32_t *flags);

/* The line fired. */
enum pirq_fire_action {
    PIRQ_FIRE_MASK,           /* nobody is bound: mask it, deliver nothing */
    PIRQ_FIRE_EDGE,           /* deliver to the owner's port */
    PIRQ_FIRE_LEVEL,          /* mask it until the EOI, deliver */
};
enum pirq_fire_action pirq_fire(struct gsi_table *g, uint32_t gsi, domid_t *owner,
                                uint16_t *pirq);

#endif /* PIRQ_H */
