/*
 * Test mmuext_pin: MMUEXT_PIN_L1..L4_TABLE and MMUEXT_UNPIN_TABLE.
 *
 * What: for each level, an empty read-only frame pinned, pinned again,
 * unpinned, unpinned again, then made writable again; an L1 holding a
 * writable mapping pinned (its page then cannot become a table); an L2
 * whose entry points at a frame that cannot be an L1 (it is mapped
 * writable); a frame pinned as L1 pinned again as L2; pinning a frame that
 * is not ours and one beyond RAM; a batch [pin, pin again, unpin] and its
 * pdone; an unwritable pdone; a bad ops pointer; count 0.
 * Why: pinning is how a guest keeps a table validated while nothing
 * references it (Linux pins every process's L4); pins are not nested, and
 * a pin must not be able to retype a frame in use.
 * Expected (real Xen 4.17 as dom0): pin -> 0; pin twice -> -EINVAL; unpin
 * -> 0; unpin an unpinned frame -> -EINVAL; the frame is writable again
 * after the unpin; pinning the writable page as L1, or an L2 pointing at
 * it, -> -EINVAL; the L1 pinned as L2 -> -EINVAL; a frame not ours ->
 * -EINVAL; beyond RAM -> -EINVAL; the batch -> -EINVAL with pdone = 1
 * (the first pin stays); count 0 -> 0; bad ops -> -EFAULT.
 */
#include "mmtest.h"

static const char test_title[] = "mmuext_op: pin and unpin L1-L4, twice, wrong level, batches";

static void pin_each_level(void)
{
    static const unsigned int pin_cmd[] = { MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE,
                                            MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
    struct test_page t;
    char what[64];

    for (unsigned int level = 1; level <= 4; level++) {
        if (!tp_alloc_table(&t))
            return;
        snprintf(what, sizeof(what), "pin an empty frame as L%u", level);
        check_rc(what, mmuext1(pin_cmd[level - 1], t.mfn), 0);
        snprintf(what, sizeof(what), "pin it again as L%u", level);
        check_rc(what, mmuext1(pin_cmd[level - 1], t.mfn), -XEN_EINVAL);
        check_rc("unpin it", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), 0);
        check_rc("unpin it again", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), -XEN_EINVAL);
        check_rc("make it writable again", pfn_set_writable(t.pfn), 0);
        t.table = false;
        tp_free(&t);
    }
}

static void pin_with_content(void)
{
    struct test_page l1, l2, page;

    if (!tp_alloc(&page) || !tp_alloc(&l1) || !tp_alloc(&l2))
        return;
    l1.va[0] = mfn_pte(page.mfn, PTE_PAGE_RW);
    l2.va[0] = mfn_pte(page.mfn, PTE_TABLE);          /* page is no L1: writable */
    check_rc("make the L1 read-only", pfn_set_readonly(l1.pfn), 0);
    l1.table = true;
    check_rc("make the L2 read-only", pfn_set_readonly(l2.pfn), 0);
    l2.table = true;
    check_rc("pin an L1 mapping a page writable", mmuext1(MMUEXT_PIN_L1_TABLE, l1.mfn), 0);
    check_rc("pin that L1 again as L2", mmuext1(MMUEXT_PIN_L2_TABLE, l1.mfn), -XEN_EINVAL);
    check_rc("pin an L2 whose entry is a writable page",
             mmuext1(MMUEXT_PIN_L2_TABLE, l2.mfn), -XEN_EINVAL);
    check_rc("unpin the L1", mmuext1(MMUEXT_UNPIN_TABLE, l1.mfn), 0);
    tp_free(&l2);
    tp_free(&l1);
    tp_free(&page);
}

static void foreign_frames(void)
{
    uint64_t hv = hypervisor_frame();
    long max_page = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    if (hv)
        check_rc("pin a hypervisor frame as L1", mmuext1(MMUEXT_PIN_L1_TABLE, hv), -XEN_EINVAL);
    check_rc("pin a frame beyond RAM as L1",
             mmuext1(MMUEXT_PIN_L1_TABLE, (uint64_t)max_page + 0x100000), -XEN_EINVAL);
    if (hv)
        check_rc("unpin a hypervisor frame", mmuext1(MMUEXT_UNPIN_TABLE, hv), -XEN_EINVAL);
}

static void batch(void)
{
    struct test_page t;
    struct mmuext_op ops[3];
    unsigned int done = 0xdead;

    if (!tp_alloc_table(&t))
        return;
    memset(ops, 0, sizeof(ops));
    ops[0].cmd = MMUEXT_PIN_L1_TABLE;
    ops[1].cmd = MMUEXT_PIN_L1_TABLE;
    ops[2].cmd = MMUEXT_UNPIN_TABLE;
    ops[0].arg1.mfn = ops[1].arg1.mfn = ops[2].arg1.mfn = t.mfn;
    check_rc("mmuext_op([pin, pin again, unpin])",
             HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF), -XEN_EINVAL);
    check_rc("pdone", done, 1);
    check_rc("the first pin held: unpin", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), 0);
    check_rc("mmuext_op([pin], unwritable pdone)",
             HYPERVISOR_mmuext_op(ops, 1, bad_ptr(BAD_VA_UNMAPPED), DOMID_SELF), 0);
    check_rc("that pin held: unpin", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), 0);
    tp_free(&t);
    done = 0xdead;
    check_rc("mmuext_op(NULL, count 0)", HYPERVISOR_mmuext_op(NULL, 0, &done, DOMID_SELF), 0);
    check_rc("pdone after count 0", done, 0);
    check_rc("mmuext_op(unmapped ops)",
             HYPERVISOR_mmuext_op(bad_ptr(BAD_VA_UNMAPPED), 1, NULL, DOMID_SELF), -XEN_EFAULT);
    check_rc("mmuext_op(non-canonical ops)",
             HYPERVISOR_mmuext_op(bad_ptr(BAD_VA_NONCANONICAL), 1, NULL, DOMID_SELF),
             -XEN_EFAULT);
}

static void test_main(void)
{
    pin_each_level();
    pin_with_content();
    foreign_frames();
    batch();
    test_success(NULL);
}

const struct guest_test test_mmuext_pin = { "mmuext_pin", test_title, test_main };
