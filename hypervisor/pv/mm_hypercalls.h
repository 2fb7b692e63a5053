/*
 * The page-table hypercalls (mm_hypercalls.c): what other hypercalls use
 * of them.
 */
#ifndef MM_HYPERCALLS_H
#define MM_HYPERCALLS_H

#include "lib.h"

/* The validated L1 that maps guest address va in the tables rooted at
 * cr3 (a machine address), or -EINVAL (va not a guest address, no L1
 * there, a superpage). */
int64_t guest_l1_of(uint64_t cr3, uint64_t va);

#endif /* MM_HYPERCALLS_H */
