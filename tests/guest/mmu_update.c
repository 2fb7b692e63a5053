/*
 * Test mmu_update: hypercall 1, the commands with good arguments.
 *
 * What: MMU_NORMAL_PT_UPDATE of an L1 entry (remapping a test VA from
 * page A to page B and reading through it), of a new table hooked into
 * its parent (done by as_map while setting up), of a word of an ordinary
 * writable page; MMU_PT_UPDATE_PRESERVE_AD keeping the A and D bits that
 * are set; MMU_PT_UPDATE_NO_TRANSLATE; MMU_MACHPHYS_UPDATE of one of our
 * frames, read back through the M2P and restored; a batch of four with
 * success_count through pdone.
 * Why: every guest page-table change goes through this call; Linux uses
 * PRESERVE_AD so the hardware's A/D bits are not lost, and the M2P
 * update is how a PV guest tells the hypervisor its own pfn of a frame.
 * Expected (real Xen 4.17 as dom0): every call 0; the entry reads back
 * with the new frame; PRESERVE_AD keeps A|D, a NORMAL update without them
 * clears them; M2P shows the new pfn; pdone = 4.
 * Fact: Xen rewrites the entries it validates: an L1 entry the guest did
 * not mark US reads back with US and bit 52 (Xen's "guest kernel" marker)
 * set (printed as info).
 * Fact: on an ordinary writable page (no page-table type) NORMAL_PT_UPDATE
 * is a plain checked write of the word.
 */
#include "mmtest.h"

static const char test_title[] = "mmu_update: normal, preserve A/D, no-translate, M2P, batch";

#define PATTERN_A 0xa0a0a0a0a0a0a0a0UL
#define PATTERN_B 0xb0b0b0b0b0b0b0b0UL
#define FLAGS_NO_AD (PTE_PRESENT | PTE_RW)
#define ENTRY_MASK (PTE_ADDR_MASK | PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY)

static void check_entry(const char *what, uint64_t l1e, uint64_t want)
{
    uint64_t got = pt_read(l1e);

    if ((got & ENTRY_MASK) == (want & ENTRY_MASK))
        printk("  ok   %s: entry %#lx\n", what, got);
    else
        test_failure("%s: entry %#lx, expected %#lx (in the bits %#lx)", what, got, want,
                     ENTRY_MASK);
}

static void normal_update(const struct test_page *a, const struct test_page *b, uint64_t l1e)
{
    check_rc("mmu_update(NORMAL, L1 entry -> page B)",
             mmu_update1(l1e | MMU_NORMAL_PT_UPDATE, mfn_pte(b->mfn, PTE_PAGE_RW)), 0);
    invlpg(test_va(0));
    check_entry("after NORMAL", l1e, mfn_pte(b->mfn, PTE_PAGE_RW));
    test_info("entry as Xen rewrote it: %#lx (US %s, bit 52 %s)", pt_read(l1e),
              (pt_read(l1e) & PTE_USER) ? "set" : "clear",
              (pt_read(l1e) & (1UL << 52)) ? "set" : "clear");
    check_true("the test VA reads page B", *test_ptr(0) == PATTERN_B);
    check_rc("mmu_update(NO_TRANSLATE, L1 entry -> page A)",
             mmu_update1(l1e | MMU_PT_UPDATE_NO_TRANSLATE, mfn_pte(a->mfn, PTE_PAGE_RW)), 0);
    invlpg(test_va(0));
    check_true("the test VA reads page A", *test_ptr(0) == PATTERN_A);
}

static void preserve_ad(const struct test_page *b, uint64_t l1e)
{
    check_rc("mmu_update(NORMAL, with A|D)",
             mmu_update1(l1e | MMU_NORMAL_PT_UPDATE, mfn_pte(b->mfn, PTE_PAGE_RW)), 0);
    check_entry("A|D set", l1e, mfn_pte(b->mfn, PTE_PAGE_RW));
    check_rc("mmu_update(PRESERVE_AD, without A|D)",
             mmu_update1(l1e | MMU_PT_UPDATE_PRESERVE_AD, mfn_pte(b->mfn, FLAGS_NO_AD)), 0);
    check_entry("PRESERVE_AD kept A|D", l1e, mfn_pte(b->mfn, PTE_PAGE_RW));
    check_rc("mmu_update(NORMAL, without A|D)",
             mmu_update1(l1e | MMU_NORMAL_PT_UPDATE, mfn_pte(b->mfn, FLAGS_NO_AD)), 0);
    check_entry("NORMAL cleared A|D", l1e, mfn_pte(b->mfn, FLAGS_NO_AD));
    check_rc("mmu_update(PRESERVE_AD, nothing to keep)",
             mmu_update1(l1e | MMU_PT_UPDATE_PRESERVE_AD, mfn_pte(b->mfn, FLAGS_NO_AD)), 0);
    check_entry("still without A|D", l1e, mfn_pte(b->mfn, FLAGS_NO_AD));
    invlpg(test_va(0));
}

static void machphys(const struct test_page *a)
{
    uint64_t other = a->pfn + 1;

    check_rc("mmu_update(MACHPHYS, our frame -> another pfn)",
             mmu_update1((a->mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, other), 0);
    check_rc("M2P shows the new pfn", (long)mfn_to_pfn(a->mfn), (long)other);
    check_rc("mmu_update(MACHPHYS, back to its pfn)",
             mmu_update1((a->mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, a->pfn), 0);
    check_rc("M2P restored", (long)mfn_to_pfn(a->mfn), (long)a->pfn);
}

static void batch(const struct test_page *a, const struct test_page *b, uint64_t l1e)
{
    struct mmu_update req[4];
    unsigned int done = 0xdead, i;

    for (i = 0; i < 4; i++) {
        req[i].ptr = (l1e + 8 * (i + 1)) | MMU_NORMAL_PT_UPDATE;
        req[i].val = mfn_pte((i & 1) ? b->mfn : a->mfn, PTE_PAGE_RW);
    }
    check_rc("mmu_update(batch of 4, pdone)",
             HYPERVISOR_mmu_update(req, 4, &done, DOMID_SELF), 0);
    check_rc("pdone", done, 4);
    for (i = 0; i < 4; i++)
        check_true((i & 1) ? "batched VA reads page B" : "batched VA reads page A",
                   *test_ptr(i + 1) == ((i & 1) ? PATTERN_B : PATTERN_A));
    for (i = 0; i < 4; i++)
        req[i].val = 0;
    done = 0xdead;
    check_rc("mmu_update(batch of 4 unmaps)", HYPERVISOR_mmu_update(req, 4, &done, DOMID_SELF), 0);
    check_rc("pdone", done, 4);
    for (i = 1; i <= 4; i++)
        invlpg(test_va(i));
}

static void plain_page_write(const struct test_page *a)
{
    check_rc("mmu_update(NORMAL) of a word of an ordinary writable page",
             mmu_update1((a->mfn << PAGE_SHIFT) + 8, 0x1234), 0);
    check_rc("the word was written", (long)a->va[1], 0x1234);
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
    if (check_rc("as_map(test VA -> page A), creating its tables",
                 map_at(test_va(0), a.mfn, PTE_PAGE_RW), 0) &&
        (l1e = entry_maddr(test_va(0), 1)) != 0) {
        check_true("the test VA reads page A", *test_ptr(0) == PATTERN_A);
        normal_update(&a, &b, l1e);
        preserve_ad(&b, l1e);
        batch(&a, &b, l1e);
        unmap_at(test_va(0));
    }
    machphys(&a);
    plain_page_write(&a);
    tp_free(&a);
    tp_free(&b);
    test_success(NULL);
}

const struct guest_test test_mmu_update = { "mmu_update", test_title, test_main };
