/*
 * vcpu_copy.c: the one-call guest copies (vcpu_copy.h: the direct part,
 * inline; here the walk it falls back to).
 *
 * Rules (those of mm/guest_memory.h, kept here without building a struct
 * guest_space first):
 *  - direct access only when the root loaded in CR3 is v's kernel L4 (so:
 *    v is the running vCPU in guest kernel mode, or a bounce has just
 *    switched it to kernel mode); in guest user mode CR3 holds the user L4
 *    and the copy takes the walk of the kernel tables, as before;
 *  - the range is checked once (guest_range_ok: canonical, no wrap,
 *    outside the hypervisor's slots) before the first access;
 *  - a copy to the guest goes direct only within one page, so a fault
 *    comes before the first byte is written and a failed copy leaves guest
 *    memory unchanged;
 *  - any fault of the direct copy (extable fixup, a short count) falls
 *    back to the walk, which decides: -EFAULT, the destination zeroed.
 */
#include "vcpu_copy.h"

int vcpu_copy_from_walk(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    struct guest_space gs;

    vcpu_guest_space(v, &gs);
    return copy_from_guest(&gs, dst, gva, len);
}

int vcpu_copy_to_walk(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    struct guest_space gs;

    vcpu_guest_space(v, &gs);
    return copy_to_guest(&gs, gva, src, len);
}
