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
#include <asm/cpu.h>
#include <asm/guest_access.h>

/* The rules are at the top of vcpu_copy.c; the direct part is inline
 * because it is a few instructions on every hot path. */
static inline bool vcpu_copy_direct(const struct vcpu *v, uint64_t gva, size_t len)
{
    /* The walk's root (v->cr3, the kernel L4) is the one in CR3: the CPU
     * translates exactly as the walk would. */
    return len && guest_range_ok(gva, len) && read_cr3() == v->cr3;
}

/* The walk (after one more direct try): vcpu_copy.c. */
int vcpu_copy_from_walk(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int vcpu_copy_to_walk(struct vcpu *v, uint64_t gva, const void *src, size_t len);

/* The direct copy in: a size known at compile time in whole quadwords
 * (most argument structs) takes rep movsq with no tail test. */
static inline bool vcpu_copy_raw_from(void *dst, uint64_t gva, size_t len)
{
    if (__builtin_constant_p(len) && len % sizeof(uint64_t) == 0)
        return guest_copy_words(dst, (const uint64_t *)gva, len / sizeof(uint64_t)) == 0;
    return guest_copy_raw(dst, (const void *)gva, len) == 0;
}

static inline int vcpu_copy_from(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    if (vcpu_copy_direct(v, gva, len) && vcpu_copy_raw_from(dst, gva, len))
        return 0;
    return vcpu_copy_from_walk(v, dst, gva, len);
}

/* One 32-bit value (a port, a count): a single load when direct. */
static inline int vcpu_read_u32(struct vcpu *v, uint64_t gva, uint32_t *out)
{
    uint64_t x;

    if (vcpu_copy_direct(v, gva, sizeof(*out)) &&
        (x = guest_load_u32((const uint32_t *)gva)) <= UINT32_MAX) {
        *out = (uint32_t)x;
        return 0;
    }
    return vcpu_copy_from_walk(v, out, gva, sizeof(*out));
}

/* Direct only within one page: a fault comes before the first byte. A
 * single quadword (a size known at compile time) is one store, which
 * writes all or nothing wherever the page ends. */
static inline bool vcpu_copy_raw_to(uint64_t gva, const void *src, size_t len)
{
    uint64_t word;

    if (__builtin_constant_p(len) && len == sizeof(word)) {
        memcpy(&word, src, sizeof(word));
        return guest_store_u64((uint64_t *)gva, word) == 0;
    }
    return (gva & (PAGE_SIZE - 1)) + len <= PAGE_SIZE &&
           guest_copy_raw((void *)gva, src, len) == 0;
}

static inline int vcpu_copy_to(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    if (vcpu_copy_direct(v, gva, len) && vcpu_copy_raw_to(gva, src, len))
        return 0;
    return vcpu_copy_to_walk(v, gva, src, len);
}

#endif /* VCPU_COPY_H */
