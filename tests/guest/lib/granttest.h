/*
 * Tern guest tests: helpers for the grant-table tests, which grant pages
 * to ourselves (domain 0 on Tern and on Xen alike).
 */
#ifndef TESTS_GUEST_GRANTTEST_H
#define TESTS_GUEST_GRANTTEST_H

#include "mmtest.h"

/* Our table's first frame (setup_table of 1 frame), mapped writable at
 * va: its entries, or NULL and ERROR reported. */
volatile struct grant_entry_v1 *gt_map_own_table(uint64_t va);

/* Entry ref of that table grants frame mfn to domain `to`, written as a
 * granter must: domid and frame, a barrier, then flags with the type. */
void gt_grant(volatile struct grant_entry_v1 *table, grant_ref_t ref, domid_t to,
              uint64_t mfn, uint16_t extra_flags);

#endif /* TESTS_GUEST_GRANTTEST_H */
