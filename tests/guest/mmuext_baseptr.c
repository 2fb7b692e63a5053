/*
 * Test mmuext_baseptr: switching address spaces (MMUEXT_NEW_BASEPTR and
 * MMUEXT_NEW_USER_BASEPTR).
 *
 * What: two new address spaces, each an L4 built bottom-up by the kernel
 * (guest-kernel/kernel/mm.c: the kernel's entries plus a private chain mapping
 * SPACE_VA to page A in one and page B in the other) and pinned;
 * NEW_BASEPTR to the first, the second, the first again (then twice to
 * the L4 already loaded, a no-op switch) and back to the
 * builder's L4, reading SPACE_VA (and kernel data) in each; NEW_BASEPTR to
 * a frame that is not a valid L4 (a writable page, an L3 of ours, a
 * hypervisor frame); NEW_USER_BASEPTR to the first space's L4 (twice), to 0
 * (none) and to a writable page; finally both spaces unpinned and freed.
 * Why: this is a context switch; the hypervisor must take a type
 * reference on the new L4 and drop the old one, and must only load
 * validated L4s.
 * Expected (real Xen 4.17 as dom0): switches -> 0 and SPACE_VA reads the
 * space's own page; bad L4s -> -EINVAL; NEW_USER_BASEPTR to an L4 or 0
 * -> 0, to a writable page -> -EINVAL; destroying the spaces -> 0.
 */
#include "mmtest.h"

static const char test_title[] = "mmuext_op: NEW_BASEPTR between two L4s and back, NEW_USER_BASEPTR";

#define SPACE_VA  0x0000140000000000UL      /* L4 slot 40: private per space */
#define PATTERN_A 0xa5a5a5a5a5a5a5a5UL
#define PATTERN_B 0xb6b6b6b6b6b6b6b6UL

static const volatile uint64_t *const space_word = (const volatile uint64_t *)SPACE_VA;
static volatile uint64_t kernel_word = 0x4b4b4b4b;

static void switch_and_read(struct addr_space *as, const char *name, uint64_t want)
{
    char what[80];

    snprintf(what, sizeof(what), "NEW_BASEPTR to %s", name);
    if (!check_rc(what, as_switch(as), 0))
        return;
    check_true("kernel data still reads the same", kernel_word == 0x4b4b4b4b);
    snprintf(what, sizeof(what), "SPACE_VA reads %s's page", name);
    check_true(what, *space_word == want);
}

/* NEW_BASEPTR to the L4 already loaded, twice: a no-op switch that must
 * neither take nor drop a reference (the spaces' teardown below fails
 * if the L4's type count is off). */
static void same_again(struct addr_space *as)
{
    for (unsigned int i = 0; i < 2; i++)
        check_rc("NEW_BASEPTR to the L4 already loaded", mmuext1(MMUEXT_NEW_BASEPTR, as->l4_mfn),
                 0);
    check_true("SPACE_VA still reads space one's page", *space_word == PATTERN_A);
}

static void bad_base(void)
{
    struct test_page page;
    uint64_t l3 = table_mfn(VIRT_BASE, 3), hv = hypervisor_frame();

    if (!tp_alloc(&page))
        return;
    check_rc("NEW_BASEPTR to a writable page", mmuext1(MMUEXT_NEW_BASEPTR, page.mfn),
             -XEN_EINVAL);
    check_rc("NEW_BASEPTR to one of our L3s", mmuext1(MMUEXT_NEW_BASEPTR, l3), -XEN_EINVAL);
    if (hv)
        check_rc("NEW_BASEPTR to a hypervisor frame", mmuext1(MMUEXT_NEW_BASEPTR, hv),
                 -XEN_EINVAL);
    check_rc("NEW_USER_BASEPTR to a writable page",
             mmuext1(MMUEXT_NEW_USER_BASEPTR, page.mfn), -XEN_EINVAL);
    check_true("still in the builder's space", as_current() == &kernel_space);
    tp_free(&page);
}

static void test_main(void)
{
    static struct addr_space one, two;
    struct test_page a, b;

    if (!tp_alloc(&a) || !tp_alloc(&b))
        return;
    a.va[0] = PATTERN_A;
    b.va[0] = PATTERN_B;
    if (check_rc("build space one (SPACE_VA -> page A) and pin its L4",
                 as_create(&one, SPACE_VA, mfn_pte(a.mfn, PTE_PAGE_RW)), 0) &&
        check_rc("build space two (SPACE_VA -> page B) and pin its L4",
                 as_create(&two, SPACE_VA, mfn_pte(b.mfn, PTE_PAGE_RW)), 0)) {
        test_info("space one: L4 mfn %#lx, %u tables; space two: L4 mfn %#lx",
                  one.l4_mfn, one.nr_tables, two.l4_mfn);
        switch_and_read(&one, "space one", PATTERN_A);
        switch_and_read(&two, "space two", PATTERN_B);
        switch_and_read(&one, "space one", PATTERN_A);
        same_again(&one);
        check_rc("NEW_BASEPTR back to the builder's L4", as_switch(&kernel_space), 0);
        check_true("kernel data reads the same", kernel_word == 0x4b4b4b4b);
        check_rc("NEW_USER_BASEPTR to space one's L4",
                 mmuext1(MMUEXT_NEW_USER_BASEPTR, one.l4_mfn), 0);
        check_rc("NEW_USER_BASEPTR to space one's L4 again",
                 mmuext1(MMUEXT_NEW_USER_BASEPTR, one.l4_mfn), 0);
        check_rc("NEW_USER_BASEPTR to 0 (none)", mmuext1(MMUEXT_NEW_USER_BASEPTR, 0), 0);
        bad_base();
    }
    if (one.l4_mfn)
        check_rc("destroy space one (unpin, tables freed)", as_destroy(&one), 0);
    if (two.l4_mfn)
        check_rc("destroy space two", as_destroy(&two), 0);
    tp_free(&a);
    tp_free(&b);
    test_success(NULL);
}

const struct guest_test test_mmuext_baseptr = { "mmuext_baseptr", test_title, test_main };
