/*
 * Test grant_setup: a domain's own grant table (grant_table_op #20):
 * query_size, setup_table, get_version/set_version, swap_grant_ref.
 *
 * What: query_size of ourselves gives nr_frames and Xen's default maximum
 * of 64; setup_table for 1, then 4 frames returns their MFNs (ours by the
 * M2P? no: the table is the hypervisor's, shared with us, so mapping it
 * works but it is no frame of our p2m), which we map and write an entry
 * into; setup_table beyond the maximum is GNTST_general_error; a count
 * other than 1 for setup_table is -EINVAL; an unreadable uop is -EFAULT;
 * an unknown domain is GNTST_bad_domain; get_version says 1; set_version
 * 1 is accepted; swap_grant_ref exchanges two unused entries and refuses
 * a reference past the table.
 * Why: every split driver starts here: a frontend grants its ring page
 * through this table (Linux and Mini-OS call setup_table or map the
 * frames first thing).
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "mmtest.h"

static const char test_title[] = "grant table: query_size, setup_table, versions, swap";

static long op(unsigned int cmd, void *uop, unsigned int count)
{
    return HYPERVISOR_grant_table_op(cmd, uop, count);
}

static void query(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    check_rc("query_size(self)", op(GNTTABOP_query_size, &q, 1), 0);
    check_rc("  status", q.status, GNTST_okay);
    test_info("nr_frames %u, max_nr_frames %u", q.nr_frames, q.max_nr_frames);
    check_rc("  max_nr_frames (Xen's default)", q.max_nr_frames, 64);
    q = (struct gnttab_query_size){ .dom = 1000 };
    check_rc("query_size(a domain that does not exist)", op(GNTTABOP_query_size, &q, 1), 0);
    check_rc("  status", q.status, GNTST_bad_domain);
}

static uint64_t frame_list[8];

static long setup(unsigned int n, int16_t *status)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = n,
                                    .frame_list = hc_ptr(frame_list) };
    long rc = op(GNTTABOP_setup_table, &s, 1);

    *status = s.status;
    return rc;
}

/* Map the table's first frame and write an entry through it. */
static void use_frame(uint64_t mfn)
{
    volatile struct grant_entry_v1 *e;

    if (!check_rc("map the first grant frame", map_at(test_va(0), mfn, PTE_PAGE_RW), 0))
        return;
    e = (volatile struct grant_entry_v1 *)(uintptr_t)test_va(0);
    e[9].frame = 0x1234;
    check_true("  an entry written through it reads back", e[9].frame == 0x1234);
    e[9].frame = 0;
    unmap_at(test_va(0));
}

static void setup_tables(void)
{
    int16_t st = 0;

    check_rc("setup_table(1 frame)", setup(1, &st), 0);
    check_rc("  status", st, GNTST_okay);
    use_frame(frame_list[0]);
    check_rc("setup_table(4 frames)", setup(4, &st), 0);
    check_rc("  status", st, GNTST_okay);
    check_true("  4 distinct frames", frame_list[0] != frame_list[1] &&
               frame_list[1] != frame_list[2] && frame_list[2] != frame_list[3]);
    check_rc("setup_table(65 frames)", setup(65, &st), 0);
    check_rc("  status", st, GNTST_general_error);
    check_rc("setup_table with count 2", op(GNTTABOP_setup_table, frame_list, 2), -XEN_EINVAL);
    check_rc("setup_table with an unreadable uop",
             op(GNTTABOP_setup_table, bad_ptr(BAD_VA_UNMAPPED), 1), -XEN_EFAULT);
}

static void versions(void)
{
    struct gnttab_get_version g = { .dom = DOMID_SELF };
    struct gnttab_set_version s = { .version = 1 };

    check_rc("get_version(self)", op(GNTTABOP_get_version, &g, 1), 0);
    check_rc("  version", g.version, 1);
    check_rc("set_version(1)", op(GNTTABOP_set_version, &s, 1), 0);
    check_rc("  version in force", s.version, 1);
}

static void swap(void)
{
    struct gnttab_swap_grant_ref w = { .ref_a = 10, .ref_b = 11 };

    check_rc("swap_grant_ref(10, 11)", op(GNTTABOP_swap_grant_ref, &w, 1), 0);
    check_rc("  status", w.status, GNTST_okay);
    w = (struct gnttab_swap_grant_ref){ .ref_a = 10, .ref_b = 1u << 30 };
    check_rc("swap_grant_ref(10, past the table)", op(GNTTABOP_swap_grant_ref, &w, 1), 0);
    check_rc("  status", w.status, GNTST_bad_gntref);
}

static void test_main(void)
{
    query();
    setup_tables();
    versions();
    swap();
    check_rc("an unknown grant_table_op", op(99, frame_list, 1), -XEN_ENOSYS);
    test_success(NULL);
}

const struct guest_test test_grant_setup = { "grant_setup", test_title, test_main };
