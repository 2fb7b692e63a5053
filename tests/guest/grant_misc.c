/*
 * Test grant_misc: the grant_table_op sub-ops a v1 guest seldom uses,
 * answered as Xen 4.17 answers them.
 *
 * What: dump_table is -ENOSYS (Xen 4.17 dropped it); get_status_frames for
 * no frames is okay (a v1 table has no status frames); transfer of a frame
 * that is not ours is GNTST_bad_page; cache_flush returns 0; unmap_and_
 * replace with a handle that maps nothing is GNTST_bad_handle.
 * Why: a guest probing for features must get Xen's answers.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "mmtest.h"

static const char test_title[] = "grant_table_op: the seldom-used sub-ops, as Xen answers them";

static void test_main(void)
{
    struct { uint16_t dom; int16_t status; } dump = { DOMID_SELF, 99 };
    struct gnttab_get_status_frames f = { .nr_frames = 0, .dom = DOMID_SELF, .status = 99 };
    struct gnttab_transfer t = { .mfn = hypervisor_frame(), .domid = 0, .ref = 0, .status = 99 };
    struct gnttab_cache_flush c = { 0 };
    struct gnttab_unmap_and_replace r = { .handle = 0, .status = 99 };

    check_rc("dump_table", HYPERVISOR_grant_table_op(GNTTABOP_dump_table, &dump, 1),
             -XEN_ENOSYS);
    check_rc("get_status_frames(0 frames)",
             HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &f, 1), 0);
    check_rc("  status", f.status, GNTST_okay);
    check_rc("transfer(a frame not ours)",
             HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1), 0);
    check_rc("  status", t.status, GNTST_bad_page);
    check_rc("cache_flush", HYPERVISOR_grant_table_op(GNTTABOP_cache_flush, &c, 1), 0);
    check_rc("unmap_and_replace(a handle mapping nothing)",
             HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1), 0);
    check_rc("  status", r.status, GNTST_bad_handle);
    test_success(NULL);
}

const struct guest_test test_grant_misc = { "grant_misc", test_title, test_main };
