/*
 * Test mmu_update_args: mmu_update's pointers, counts and partial batches.
 *
 * What: count 0; request arrays at a non-canonical, an unmapped and a
 * hypervisor-range address; an unwritable pdone; a request array whose
 * last three valid entries end at an unmapped page, with count 64 and
 * with count 0x7fffffff; a batch of four whose third entry is invalid; a
 * pointer whose low three bits are 4-7 (an 8-byte misaligned entry
 * address); foreign domains that do not exist.
 * Why: the hypervisor reads a guest array of guest-chosen length and
 * reports progress through a guest pointer (XSA-212: check the whole
 * range, never trust the count); a guest must be able to tell how far a
 * failed batch got, so pdone and the entries before the failure must be
 * exact.
 * Expected (real Xen 4.17 as dom0):
 *  - count 0 -> 0 and *pdone = 0; a bad request array -> -EFAULT, with
 *    pdone 0 when the array is unmapped; a non-canonical or
 *    hypervisor-range array fails Xen's range check before the loop and
 *    pdone is not written at all (either is accepted here);
 *  - the array running into the unmapped page -> -EFAULT with pdone = 3
 *    and those three entries applied, for count 64 and for 0x7fffffff
 *    (Xen only checks that the array starts in guest space and that
 *    count * 16 does not overflow, then faults on the first unreadable
 *    entry);
 *  - the failing batch (entry 2 maps one of our L1 tables writable) ->
 *    -EBUSY, pdone = 2, entries 0 and 1 applied, entries 2 and 3 not
 *    (Xen 4.17 answers a writable mapping of a page-table frame with
 *    -EBUSY: the frame's type is in use);
 *  - ptr & 7 in 4..7 -> -ENOSYS: the command is the low THREE bits of ptr
 *    (public/mmu.h says ptr & 3; Xen masks with 7), so a misaligned entry
 *    address is an unknown command, never a misaligned write;
 *  - foreigndom naming no domain -> -ESRCH.
 * Fact (Xen quirk): an unwritable pdone is not an error: the updates are
 * applied and the call returns 0 (Xen ignores the failed copy-out).
 */
#include "mmtest.h"

static const char test_title[] = "mmu_update: bad pointers, counts, pdone, batches failing half way";

#define EDGE 9                      /* test_va(EDGE) stays unmapped */

static struct test_page a, l1_of_kernel;

/* Sets reqs[i] to map test_va(first + i) to page A (or unmap: mfn 0). */
static void fill(struct mmu_update *reqs, unsigned int n, unsigned int first, bool map)
{
    uint64_t l1e = entry_maddr(test_va(0), 1);

    for (unsigned int i = 0; i < n; i++) {
        reqs[i].ptr = (l1e + 8UL * (first + i)) | MMU_NORMAL_PT_UPDATE;
        reqs[i].val = map ? mfn_pte(a.mfn, PTE_PAGE_RW) : 0;
    }
}

static bool is_mapped(unsigned int i)
{
    return pt_read(entry_maddr(test_va(i), 1)) & PTE_PRESENT;
}

static void unmap_range(unsigned int first, unsigned int n)
{
    struct mmu_update reqs[8];

    fill(reqs, n, first, false);
    if (HYPERVISOR_mmu_update(reqs, n, NULL, DOMID_SELF) != 0)
        test_error("unmapping test VAs %u..%u failed", first, first + n - 1);
    for (unsigned int i = first; i < first + n; i++)
        invlpg(test_va(i));
}

static void bad_arrays(void)
{
    static const struct { const char *what; uint64_t va; } bad[] = {
        { "non-canonical", BAD_VA_NONCANONICAL },
        { "unmapped", BAD_VA_UNMAPPED },
        { "hypervisor-range", BAD_VA_HYPERVISOR },
    };
    unsigned int done = 0xdead;
    char what[80];

    check_rc("mmu_update(NULL, count 0)", HYPERVISOR_mmu_update(NULL, 0, &done, DOMID_SELF), 0);
    check_rc("pdone after count 0", done, 0);
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        done = 0xdead;
        snprintf(what, sizeof(what), "mmu_update(%s request array)", bad[i].what);
        check_rc(what, HYPERVISOR_mmu_update(bad_ptr(bad[i].va), 1, &done, DOMID_SELF),
                 -XEN_EFAULT);
        test_info("pdone %s", done == 0xdead ? "not written" : rc_name(done));
        check_true("pdone is 0 or not written", done == 0 || done == 0xdead);
    }
}

static void bad_pdone(void)
{
    struct mmu_update req;
    long rc;

    fill(&req, 1, 5, true);
    rc = HYPERVISOR_mmu_update(&req, 1, bad_ptr(BAD_VA_UNMAPPED), DOMID_SELF);
    check_rc("mmu_update(1 valid request, unmapped pdone)", rc, 0);
    check_true("the request was applied all the same", is_mapped(5));
    unmap_range(5, 1);
}

/* Three valid requests at the very end of the page before test_va(EDGE). */
static void short_array(unsigned int count)
{
    struct mmu_update *reqs = (struct mmu_update *)(uintptr_t)(test_va(EDGE) - 3 * sizeof(*reqs));
    unsigned int done = 0xdead;
    char what[80];

    fill(reqs, 3, 1, true);
    snprintf(what, sizeof(what), "mmu_update(3 valid requests before an unmapped page, "
             "count %#x)", count);
    check_rc(what, HYPERVISOR_mmu_update(reqs, count, &done, DOMID_SELF), -XEN_EFAULT);
    check_rc("pdone = the entries done", done, 3);
    check_true("the three entries were applied", is_mapped(1) && is_mapped(2) && is_mapped(3));
    unmap_range(1, 3);
}

static void half_way(void)
{
    struct mmu_update reqs[4];
    unsigned int done = 0xdead;

    fill(reqs, 4, 1, true);
    reqs[2].val = mfn_pte(l1_of_kernel.mfn, PTE_PAGE_RW);   /* writable page table */
    check_rc("mmu_update(batch of 4, entry 2 maps a page table writable)",
             HYPERVISOR_mmu_update(reqs, 4, &done, DOMID_SELF), -XEN_EBUSY);
    check_rc("pdone = index of the failing entry", done, 2);
    check_true("entries 0 and 1 were applied", is_mapped(1) && is_mapped(2));
    check_true("entries 2 and 3 were not", !is_mapped(3) && !is_mapped(4));
    unmap_range(1, 2);
}

static void commands_and_domains(void)
{
    uint64_t l1e = entry_maddr(test_va(6), 1);
    uint64_t val = mfn_pte(a.mfn, PTE_PAGE_RW);
    struct mmu_update req = { .ptr = l1e, .val = val };
    char what[80];

    for (unsigned int cmd = 4; cmd < 8; cmd++) {
        snprintf(what, sizeof(what), "mmu_update(ptr & 7 = %u: misaligned entry address)", cmd);
        check_rc(what, mmu_update1(l1e | cmd, val), -XEN_ENOSYS);
    }
    check_true("nothing was written", !is_mapped(6));
    check_rc("mmu_update(foreigndom 0x7ff4, DOMID_INVALID)",
             HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_INVALID), -XEN_ESRCH);
    check_rc("mmu_update(foreigndom 5, no such domain)",
             HYPERVISOR_mmu_update(&req, 1, NULL, 5), -XEN_ESRCH);
    check_true("nothing was written", !is_mapped(6));
}

static void test_main(void)
{
    struct test_page edge;

    if (!tp_alloc(&a) || !tp_alloc(&edge))
        return;
    l1_of_kernel.mfn = table_mfn(VIRT_BASE, 1);
    if (!check_rc("as_map(test VA 0 -> page A)", map_at(test_va(0), a.mfn, PTE_PAGE_RW), 0) ||
        !check_rc("as_map(the page before the edge)",
                  map_at(test_va(EDGE - 1), edge.mfn, PTE_PAGE_RW), 0))
        goto out;
    bad_arrays();
    bad_pdone();
    short_array(64);
    short_array(0x7fffffff);
    half_way();
    commands_and_domains();
    unmap_at(test_va(0));
    unmap_at(test_va(EDGE - 1));
out:
    tp_free(&a);
    tp_free(&edge);
    test_success(NULL);
}

const struct guest_test test_mmu_update_args = { "mmu_update_args", test_title, test_main };
