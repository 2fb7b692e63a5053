/* Shared by the page-table hypercalls and the CR3 emulation. */
#ifndef MM_HYPERCALLS_H
#define MM_HYPERCALLS_H

#include "domain.h"

/* Make the L4 in frame mfn v's kernel (or user) page table: it takes an L4
 * type reference, the old one is released, and CR3 is loaded if v runs in
 * that mode. mfn 0 with user clears the user table. 0 or a negative errno. */
int vcpu_set_baseptr(struct vcpu *v, uint64_t mfn, bool user);

/* Set debug register reg (callbacks.c): 0 or -EPERM/-EINVAL/-ENODEV. */
int vcpu_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t val);

/* Set the virtual CR0.TS (and the real one with it). */
void set_virtual_ts(struct vcpu *v, bool ts);

#endif /* MM_HYPERCALLS_H */
