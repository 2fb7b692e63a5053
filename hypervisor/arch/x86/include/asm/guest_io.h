/*
 * A guest's in/out instructions, once its virtual IOPL allowed them
 * (arch/x86/guest_io.c): the real port, the domain's PCI configuration
 * latch, configuration space through it, or nothing, as ioport.c decides.
 */
#ifndef ASM_GUEST_IO_H
#define ASM_GUEST_IO_H

#include "domain.h"

/* An in of size 1, 2 or 4 at port: the value (all ones when refused). */
uint32_t guest_io_read(struct domain *d, unsigned int port, unsigned int size);
/* An out of size 1, 2 or 4 at port: done, or dropped when refused. */
void guest_io_write(struct domain *d, unsigned int port, unsigned int size, uint32_t val);
/* Grant the hardware domain (domain 0) every port the hypervisor does not
 * drive itself; PCI configuration ports stay mediated, never granted. */
void guest_io_grant_hardware_domain(struct domain *d);

#endif /* ASM_GUEST_IO_H */
