/*
 * Test mmuext_page: MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE, the obsolete
 * superpage commands and unknown commands.
 *
 * What: CLEAR_PAGE of a page full of a pattern; COPY_PAGE of it into
 * another; CLEAR_PAGE and COPY_PAGE (as destination) of one of our page
 * tables; COPY_PAGE from, and CLEAR_PAGE of, a hypervisor frame;
 * MARK_SUPER and UNMARK_SUPER; unknown commands 14, 21, 255 and
 * 0xffffffff.
 * Why: CLEAR and COPY write a whole frame named by the guest, so the
 * destination must be a frame the guest could map writable, and the
 * source one it could map at all (else: a way to overwrite a page table,
 * or to read the hypervisor).
 * Expected (real Xen 4.17 as dom0): clear and copy -> 0 with the contents
 * right; a page table as destination -> -EINVAL; a hypervisor frame as
 * source or destination -> -EINVAL; MARK_SUPER/UNMARK_SUPER ->
 * -EOPNOTSUPP (PV superpages were removed from Xen); unknown commands ->
 * -ENOSYS.
 */
#include "mmtest.h"

static const char test_title[] = "mmuext_op: CLEAR_PAGE, COPY_PAGE, MARK_SUPER, unknown commands";

#define PATTERN 0xc3c3c3c3c3c3c3c3UL

static bool all_words(const uint64_t *p, uint64_t v)
{
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        if (p[i] != v)
            return false;
    return true;
}

static long copy_page(uint64_t dst, uint64_t src)
{
    struct mmuext_op op = { .cmd = MMUEXT_COPY_PAGE, .arg1.mfn = dst, .arg2.src_mfn = src };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static void clear_and_copy(void)
{
    struct test_page a, b;

    if (!tp_alloc(&a) || !tp_alloc(&b))
        return;
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        a.va[i] = PATTERN + i;
    check_rc("COPY_PAGE(b <- a)", copy_page(b.mfn, a.mfn), 0);
    check_true("b holds a's contents", memcmp(a.va, b.va, PAGE_SIZE) == 0);
    check_rc("CLEAR_PAGE(a)", mmuext1(MMUEXT_CLEAR_PAGE, a.mfn), 0);
    check_true("a is all zero", all_words(a.va, 0));
    check_true("b is untouched", b.va[1] == PATTERN + 1);
    tp_free(&a);
    tp_free(&b);
}

static void forbidden_frames(void)
{
    uint64_t l1 = table_mfn(VIRT_BASE, 1), hv = hypervisor_frame();
    struct test_page a;

    if (!tp_alloc(&a))
        return;
    check_rc("CLEAR_PAGE of one of our L1 tables", mmuext1(MMUEXT_CLEAR_PAGE, l1),
             -XEN_EINVAL);
    check_rc("COPY_PAGE into one of our L1 tables", copy_page(l1, a.mfn), -XEN_EINVAL);
    check_rc("COPY_PAGE from one of our L1 tables (reading is fine)", copy_page(a.mfn, l1), 0);
    if (hv) {
        check_rc("COPY_PAGE from a hypervisor frame", copy_page(a.mfn, hv), -XEN_EINVAL);
        check_rc("CLEAR_PAGE of a hypervisor frame", mmuext1(MMUEXT_CLEAR_PAGE, hv),
                 -XEN_EINVAL);
    }
    tp_free(&a);
}

static void obsolete_and_unknown(void)
{
    static const unsigned int unknown[] = { 14, 21, 255, 0xffffffff };
    struct test_page a;
    char what[64];

    if (!tp_alloc(&a))
        return;
    check_rc("MARK_SUPER", mmuext1(MMUEXT_MARK_SUPER, a.mfn), -XEN_EOPNOTSUPP);
    check_rc("UNMARK_SUPER", mmuext1(MMUEXT_UNMARK_SUPER, a.mfn), -XEN_EOPNOTSUPP);
    for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        snprintf(what, sizeof(what), "mmuext_op(cmd %#x)", unknown[i]);
        check_rc(what, mmuext1(unknown[i], a.mfn), -XEN_ENOSYS);
    }
    tp_free(&a);
}

static void test_main(void)
{
    clear_and_copy();
    forbidden_frames();
    obsolete_and_unknown();
    test_success(NULL);
}

const struct guest_test test_mmuext_page = { "mmuext_page", test_title, test_main };
