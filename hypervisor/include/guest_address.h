/*
 * The one check of an address a guest names (a hypercall buffer, a
 * callback, a segment base, a breakpoint, a stack): every caller uses
 * these, so there is one copy of the rule to get right.
 *
 *   is_canonical      bits 63:47 all equal: an address the CPU accepts;
 *   guest_address_ok  canonical and outside the hypervisor's L4 slots
 *                     256-271 (HV_VIRT_START..HV_VIRT_END), which no guest
 *                     pointer may reach whatever its page tables say;
 *   guest_range_ok    [va, va + len) does not wrap, both ends are guest
 *                     addresses and in the same half: each half's guest
 *                     addresses are contiguous (the upper half's start at
 *                     HV_VIRT_END), so such a range holds nothing else.
 */
#ifndef GUEST_ADDRESS_H
#define GUEST_ADDRESS_H

#include "layout.h"
#include "lib.h"

static inline bool is_canonical(uint64_t va)
{
    uint64_t top = va >> 47;

    return top == 0 || top == 0x1ffff;
}

static inline bool guest_address_ok(uint64_t va)
{
    return is_canonical(va) && (va < HV_VIRT_START || va >= HV_VIRT_END);
}

/* The rule above in the fewest tests (it runs before every direct guest
 * access): the guest's upper-half addresses are all of [HV_VIRT_END, 2^64),
 * so a range starting there is fine unless it wraps; the lower half is
 * [0, 2^47), so a range starting there must end by 2^47; nothing else is
 * a guest's. tests/unit/test_guest_address.c checks it against the rule
 * as written. */
static inline bool guest_range_ok(uint64_t va, uint64_t len)
{
    if (len == 0)
        return true;
    if (va >= HV_VIRT_END)
        return len - 1 <= ~va;                   /* va + len - 1 does not wrap */
    return va < (1ULL << 47) && len <= (1ULL << 47) - va;
}

#endif /* GUEST_ADDRESS_H */
