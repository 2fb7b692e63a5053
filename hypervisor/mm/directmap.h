/*
 * Machine memory as the hypervisor sees it: the direct map covers physical
 * addresses [0, directmap_top) at DIRECTMAP_VIRT_START, so any physical
 * address below that is reachable by plain arithmetic.
 */
#ifndef DIRECTMAP_H
#define DIRECTMAP_H

#include "lib.h"
#include "layout.h"

extern uint64_t directmap_top;     /* first physical address not mapped */

/* True when [pa, pa + len) lies entirely inside the direct map. */
static inline bool phys_is_mapped(uint64_t pa, uint64_t len)
{
    return !range_wraps(pa, len) && pa <= directmap_top &&
           len <= directmap_top - pa;
}

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(DIRECTMAP_VIRT_START + pa);
}

static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    if (v >= HV_IMAGE_VIRT && v < HV_IMAGE_VIRT + HV_IMAGE_MAX)
        return v - HV_LOAD_OFFSET;
    return v - DIRECTMAP_VIRT_START;
}

#endif /* DIRECTMAP_H */
