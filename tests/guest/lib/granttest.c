/*
 * Tern guest tests: helpers for the grant-table tests (granttest.h).
 * No assertions here by design: each helper returns what it got, and the
 * tests that call it (grant_map, grant_copy, grant_transfer) check it.
 */
#include "granttest.h"

volatile struct grant_entry_v1 *gt_map_own_table(uint64_t va)
{
    uint64_t frames[1];
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1,
                                    .frame_list = hc_ptr(frames) };

    if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1) || s.status ||
        map_at(va, frames[0], PTE_PAGE_RW)) {
        test_error("could not set up and map our grant table");
        return NULL;
    }
    return (volatile struct grant_entry_v1 *)(uintptr_t)va;
}

void gt_grant(volatile struct grant_entry_v1 *table, grant_ref_t ref, domid_t to,
              uint64_t mfn, uint16_t extra_flags)
{
    table[ref].flags = 0;
    table[ref].domid = to;
    table[ref].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    table[ref].flags = (uint16_t)(GTF_permit_access | extra_flags);
}
