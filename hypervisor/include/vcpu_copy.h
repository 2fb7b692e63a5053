/*
 * vcpu_copy.c: copy to and from a vCPU's guest virtual memory in one call,
 * directly when that vCPU's kernel root is loaded (the hot paths:
 * hypercall arguments, bounce frames, iret frames), else through the
 * software walk of guest_memory.c. Same results as copy_from_guest and
 * copy_to_guest on vcpu_guest_space(v).
 */
#ifndef VCPU_COPY_H
#define VCPU_COPY_H

#include "domain.h"

int vcpu_copy_from(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int vcpu_copy_to(struct vcpu *v, uint64_t gva, const void *src, size_t len);

#endif /* VCPU_COPY_H */
