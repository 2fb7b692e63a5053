/*
 * A domain's I/O capabilities (iocap.c, pure): which I/O ports and which
 * interrupt lines it has been granted, one bit each, as NOVA keeps a port
 * space per protection domain and Xen an iocap per domain. A new domain
 * has none; the builder grants domain 0 every port the hypervisor does not
 * drive itself (guest_io.c) and, as the driver-domain work lands, the
 * interrupt lines of the devices it drives. Granting is the toolstack's
 * policy; the hypervisor only ever checks the bits.
 *
 * Invariant: an access of several bytes is granted only when every byte's
 * port is; nothing past port 0xffff or IRQ_LIMIT is ever granted.
 */
#ifndef IOCAP_H
#define IOCAP_H

#include "lib.h"

#define IOCAP_PORTS 0x10000u
#define IOCAP_IRQS  256u             /* GSIs and legacy IRQs */

struct iocap {
    uint64_t ports[IOCAP_PORTS / 64];
    uint64_t irqs[IOCAP_IRQS / 64];
};

/* Nothing granted. */
void iocap_init(struct iocap *c);
/* Grant or take back ports [first, last] (clipped to 0xffff). */
void iocap_permit_ports(struct iocap *c, unsigned int first, unsigned int last);
void iocap_deny_ports(struct iocap *c, unsigned int first, unsigned int last);
/* Is an access of size bytes at port granted, every byte of it? */
bool iocap_ports_ok(const struct iocap *c, unsigned int port, unsigned int size);
/* Grant, take back, check one interrupt line. */
void iocap_permit_irq(struct iocap *c, unsigned int irq);
void iocap_deny_irq(struct iocap *c, unsigned int irq);
bool iocap_irq_ok(const struct iocap *c, unsigned int irq);

#endif /* IOCAP_H */
