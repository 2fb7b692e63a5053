/*
 * A vCPU's privileged state as hypercalls and the emulation of privileged
 * instructions both set it, so both go through one setter each: the page
 * table bases (mm_hypercalls.c), the debug registers (callbacks.c), the
 * virtual CR0.TS (emulate.c).
 */
#ifndef VCPU_STATE_H
#define VCPU_STATE_H

#include "domain.h"

/* Make the L4 in frame mfn v's kernel (or user) page table: it takes an L4
 * type reference, the old one is released, and CR3 is loaded if v runs in
 * that mode. mfn 0 with user clears the user table. 0 or a negative errno
 * (mm_hypercalls.c). */
int vcpu_set_baseptr(struct vcpu *v, uint64_t mfn, bool user);

/* Set debug register reg (callbacks.c): 0 or -EPERM/-EINVAL/-ENODEV. */
int vcpu_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t val);

/* Set the virtual CR0.TS (and the real one with it; emulate.c). */
void set_virtual_ts(struct vcpu *v, bool ts);

#endif /* VCPU_STATE_H */
