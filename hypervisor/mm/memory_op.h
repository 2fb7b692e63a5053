/* memory_op sub-ops that live in their own files. */
#ifndef MEMORY_OP_H
#define MEMORY_OP_H

#include "domain.h"

/* increase_reservation, decrease_reservation, populate_physmap: cmd is the
 * whole memory_op command (sub-op and continuation start). Returns the
 * number of extents done, or a negative errno when nothing could start. */
int64_t memory_reservation(struct vcpu *v, uint64_t cmd, uint64_t arg);
/* XENMEM_exchange (memory_exchange.c). */
int64_t memory_exchange(struct vcpu *v, uint64_t arg);

#endif /* MEMORY_OP_H */
