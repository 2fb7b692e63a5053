/*
 * Test mmuext_flush: the TLB flush commands of mmuext_op.
 *
 * What: MMUEXT_TLB_FLUSH_LOCAL, _MULTI (bitmap with vCPU 0), _ALL and
 * MMUEXT_INVLPG_LOCAL, _MULTI, _ALL, each after an L1 entry of a VA the
 * kernel has just read was changed with mmu_update (which does not flush),
 * then reading the VA; the MULTI forms with an unmapped and a
 * non-canonical bitmap pointer; INVLPG of a non-canonical address; a
 * flush with a foreigndom that is not DOMID_SELF; a batch of all six.
 * Why: mmu_update leaves the guest's TLB to the guest; these are the only
 * ways it has to flush, and the MULTI forms read a guest pointer.
 * Expected (real Xen 4.17 as dom0): every flush -> 0 and the VA then reads
 * the new page; bad bitmap -> -EINVAL; INVLPG of a non-canonical address
 * -> 0 (Xen ignores it); foreigndom 5 (no such domain) -> -ESRCH; the
 * batch -> 0 with pdone 6.
 * Fact (Xen quirk): a bitmap pointer mmuext_op cannot read gives -EINVAL
 * (Xen turns the failed copy into -EINVAL), while the same bad bitmap in
 * update_va_mapping's flags gives -EFAULT.
 */
#include "mmtest.h"

static const char test_title[] = "mmuext_op: TLB_FLUSH and INVLPG, LOCAL/MULTI/ALL, bad bitmaps";

#define PATTERN_A 0xa7a7a7a7a7a7a7a7UL
#define PATTERN_B 0xb8b8b8b8b8b8b8b8UL

static uint64_t vcpu_mask __attribute__((aligned(8))) = 1;   /* vCPU 0 */

static struct mmuext_op flush_op(unsigned int cmd)
{
    struct mmuext_op op;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.arg1.linear_addr = test_va(0);
    op.arg2.vcpumask = hc_ptr(&vcpu_mask);
    return op;
}

static const struct { const char *name; unsigned int cmd; } flushes[] = {
    { "TLB_FLUSH_LOCAL", MMUEXT_TLB_FLUSH_LOCAL },
    { "INVLPG_LOCAL", MMUEXT_INVLPG_LOCAL },
    { "TLB_FLUSH_MULTI", MMUEXT_TLB_FLUSH_MULTI },
    { "INVLPG_MULTI", MMUEXT_INVLPG_MULTI },
    { "TLB_FLUSH_ALL", MMUEXT_TLB_FLUSH_ALL },
    { "INVLPG_ALL", MMUEXT_INVLPG_ALL },
};
#define NR_FLUSHES (sizeof(flushes) / sizeof(flushes[0]))

static void each_flush(const struct test_page *a, const struct test_page *b, uint64_t l1e)
{
    char what[80];

    for (unsigned int i = 0; i < NR_FLUSHES; i++) {
        const struct test_page *p = (i & 1) ? a : b;
        struct mmuext_op op = flush_op(flushes[i].cmd);

        (void)*test_ptr(0);                           /* the TLB holds the old page */
        if (mmu_update1(l1e, mfn_pte(p->mfn, PTE_PAGE_RW)) != 0)
            test_error("mmu_update of the test entry failed");
        snprintf(what, sizeof(what), "mmuext_op(%s)", flushes[i].name);
        check_rc(what, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
        check_true((i & 1) ? "then the VA reads page A" : "then the VA reads page B",
                   *test_ptr(0) == ((i & 1) ? PATTERN_A : PATTERN_B));
    }
}

static void bad_args(void)
{
    struct mmuext_op ops[NR_FLUSHES];
    unsigned int done = 0xdead;
    struct mmuext_op op;

    op = flush_op(MMUEXT_TLB_FLUSH_MULTI);
    op.arg2.vcpumask = BAD_VA_UNMAPPED;
    check_rc("mmuext_op(TLB_FLUSH_MULTI, unmapped bitmap)",
             HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    op = flush_op(MMUEXT_INVLPG_MULTI);
    op.arg2.vcpumask = BAD_VA_NONCANONICAL;
    check_rc("mmuext_op(INVLPG_MULTI, non-canonical bitmap)",
             HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
    op = flush_op(MMUEXT_INVLPG_LOCAL);
    op.arg1.linear_addr = BAD_VA_NONCANONICAL;
    check_rc("mmuext_op(INVLPG_LOCAL, non-canonical address)",
             HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    op = flush_op(MMUEXT_TLB_FLUSH_LOCAL);
    check_rc("mmuext_op(TLB_FLUSH_LOCAL, foreigndom 5)",
             HYPERVISOR_mmuext_op(&op, 1, NULL, 5), -XEN_ESRCH);
    for (unsigned int i = 0; i < NR_FLUSHES; i++)
        ops[i] = flush_op(flushes[i].cmd);
    check_rc("mmuext_op(all six flushes in one batch)",
             HYPERVISOR_mmuext_op(ops, NR_FLUSHES, &done, DOMID_SELF), 0);
    check_rc("pdone", done, NR_FLUSHES);
}

static void test_main(void)
{
    struct test_page a, b;
    uint64_t l1e;

    if (!tp_alloc(&a) || !tp_alloc(&b))
        return;
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
        a.va[i] = PATTERN_A;
        b.va[i] = PATTERN_B;
    }
    if (check_rc("as_map(test VA -> page A)", map_at(test_va(0), a.mfn, PTE_PAGE_RW), 0) &&
        (l1e = entry_maddr(test_va(0), 1)) != 0) {
        each_flush(&a, &b, l1e);
        unmap_at(test_va(0));
    }
    bad_args();
    tp_free(&a);
    tp_free(&b);
    test_success(NULL);
}

const struct guest_test test_mmuext_flush = { "mmuext_flush", test_title, test_main };
