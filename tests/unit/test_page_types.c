/*
 * Unit tests for hypervisor/mm/page_types.c: the frame table and the page-type rules of
 * direct paging (owner, general count, type and type count, pins, and the
 * PTE rules of Xen's 64-bit PV ABI, docs/xen-pv-abi.md 1.1, 1.2 and 1.9).
 *
 * These rules are all that stands between a PV guest and the whole machine:
 * a guest that maps a frame it does not own, keeps a writable mapping of one
 * of its own page tables, builds a superpage or a linear table, or writes
 * the hypervisor's L4 slots owns the hypervisor. So every rule has a test
 * that a conforming request is accepted and one that a breaking one is
 * refused (-EINVAL, -EBUSY or -EPERM: which one Xen gives is the hypercall
 * layer's concern), and a refusal is checked to change no frame record
 * (the whole page_info array is compared before and after) and, for
 * mod_entry, not the entry either.
 *
 * The machine is fake: NR 4 KiB frames on the heap, reached through the
 * frame() callback; fill_hv_slots() writes a recognisable value (a present
 * entry for a hypervisor frame, with the slot number in bits 52-62) into L4
 * slots 256-271. Frames 0-7 and 120-127 are OWNER_NONE (hypervisor, free),
 * 8-71 belong to domain 1 (A(n)), 72-119 to domain 2 (B(n)). The page_info
 * array and the checker's scratch buffer are heap blocks of exactly the
 * size page_types.c may use, so AddressSanitizer catches a stray index.
 *
 * mm_check_invariants() runs after every operation (CHECK) and must return
 * 0; references the test itself holds on a type (CR3-like) are declared in
 * extra[]. A bare general reference (get_page alone) cannot be declared to
 * the checker, so after one the test asserts that the checker reports
 * exactly that frame (CHECK_BAD), which also shows the reference was taken.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_types.h"
#include "err.h"

#define NR      128u
#define D1      ((uint16_t)1)
#define D2      ((uint16_t)2)
#define A(n)    (8u + (uint64_t)(n))      /* domain 1: A(0)..A(63) */
#define B(n)    (72u + (uint64_t)(n))     /* domain 2: B(0)..B(47) */
#define HVF     2u                        /* a hypervisor frame (OWNER_NONE) */
#define FREEF   124u                      /* a free frame (OWNER_NONE) */
#define HV_MFN  1u                        /* what the hypervisor slots map */

#define P       PTE_P
#define RW      PTE_RW
#define US      PTE_US
#define RO_     (PTE_P)
#define RW_     (PTE_P | PTE_RW)
#define BIT(n)  (1ULL << (n))

static struct frame_table ft;
static uint8_t *machine;                  /* NR frames of fake memory */
static uint32_t *scratch;                 /* 3 * NR counters for the checker */
static uint32_t extra[NR];                /* type refs the test holds (CR3s) */
static int ctx_marker;

/* ---- the fake machine ------------------------------------------------------ */

static void *fake_frame(void *ctx, uint64_t mfn)
{
    assert_ptr_equal(ctx, &ctx_marker);
    assert_true(mfn < NR);
    return machine + mfn * PAGE_SIZE;
}

static uint64_t hv_slot(unsigned int i)
{
    return (HV_MFN << PAGE_SHIFT) | P | RW | PTE_A | PTE_D | ((uint64_t)i << 52);
}

static void fake_fill_hv_slots(void *ctx, uint64_t *l4)
{
    assert_ptr_equal(ctx, &ctx_marker);
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        l4[i] = hv_slot(i);
}

static uint64_t *tbl(uint64_t mfn)
{
    assert_true(mfn < NR);
    return (uint64_t *)(void *)(machine + mfn * PAGE_SIZE);
}

static uint64_t pte(uint64_t mfn, uint64_t flags)
{
    return (mfn << PAGE_SHIFT) | flags;
}

static int setup(void **state)
{
    (void)state;
    machine = aligned_alloc(PAGE_SIZE, NR * PAGE_SIZE);
    scratch = malloc(3 * NR * sizeof(uint32_t));
    ft.pages = malloc(NR * sizeof(struct page_info));
    assert_non_null(machine);
    assert_non_null(scratch);
    assert_non_null(ft.pages);
    memset(machine, 0, NR * PAGE_SIZE);
    memset(ft.pages, 0xa5, NR * sizeof(struct page_info));   /* ft_init clears */
    memset(extra, 0, sizeof(extra));
    ft.nr = NR;
    ft.frame = fake_frame;
    ft.direct = NULL;
    ft.fill_hv_slots = fake_fill_hv_slots;
    ft.ctx = &ctx_marker;
    ft.nx = true;
    ft_init(&ft);
    for (uint64_t m = A(0); m <= A(63); m++)
        ft.pages[m].owner = D1;
    for (uint64_t m = B(0); m <= B(47); m++)
        ft.pages[m].owner = D2;
    return 0;
}

/* The same machine, its frames reached through ft->direct (the
 * hypervisor's direct map) instead of frame(). */
static int setup_direct(void **state)
{
    setup(state);
    ft.direct = machine;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(machine);
    free(scratch);
    free(ft.pages);
    machine = NULL;
    scratch = NULL;
    ft.pages = NULL;
    return 0;
}

/* ---- checking ---------------------------------------------------------------- */

static void check_at(const char *file, int line)
{
    uint64_t bad = UINT64_MAX;
    int rc = mm_check_invariants(&ft, extra, scratch, &bad);

    if (rc != 0) {
        print_error("%s:%d: mm_check_invariants = %d at mfn %llu\n", file, line, rc,
                    (unsigned long long)bad);
        _fail(file, line);
    }
}

/* The checker must refuse the current state and name frame mfn. */
static void check_bad_at(uint64_t mfn, const uint32_t *xt, const char *file, int line)
{
    uint64_t bad = UINT64_MAX;
    int rc = mm_check_invariants(&ft, xt, scratch, &bad);

    if (rc != -EINVAL || bad != mfn) {
        print_error("%s:%d: mm_check_invariants = %d at mfn %llu, expected -EINVAL at %llu\n",
                    file, line, rc, (unsigned long long)bad, (unsigned long long)mfn);
        _fail(file, line);
    }
}

#define CHECK()          check_at(__FILE__, __LINE__)
#define CHECK_BAD(mfn)   check_bad_at((mfn), extra, __FILE__, __LINE__)

/* The call succeeds and every invariant holds afterwards. */
#define OK(call) do { assert_int_equal((call), 0); CHECK(); } while (0)

/* A refusal: one of the errors page_types.c answers with (which one matches what
 * Xen says is the hypercall layer's concern, checked by the guest tests). */
static void refusal_at(int rc, const char *file, int line)
{
    if (rc != -EINVAL && rc != -EBUSY && rc != -EPERM) {
        print_error("%s:%d: returned %d, expected a refusal\n", file, line, rc);
        _fail(file, line);
    }
}

/* The call is refused and no frame record changes. */
#define REFUSED(call) do {                                                   \
        struct page_info before_[NR];                                        \
        memcpy(before_, ft.pages, sizeof(before_));                          \
        refusal_at((call), __FILE__, __LINE__);                              \
        CHECK();                                                             \
        assert_memory_equal(before_, ft.pages, sizeof(before_));             \
    } while (0)

/* mod_entry is refused, no frame record changes, and neither does the entry. */
#define MOD_REFUSED(t, i, v, o, ad) do {                                     \
        uint64_t old_ = ((t) < NR && (i) < 512) ? tbl(t)[(i)] : 0;           \
        REFUSED(mod_entry(&ft, (t), (i), (v), (o), (ad)));                   \
        if ((t) < NR && (i) < 512)                                           \
            assert_int_equal(tbl(t)[(i)], old_);                             \
    } while (0)

#define MOD(t, i, v, o) OK(mod_entry(&ft, (t), (i), (v), (o), false))

/* Frame record: general count, type count, type. */
#define EXPECT(m, c, tc, ty) do {                                            \
        assert_int_equal(ft.pages[(m)].count, (c));                          \
        assert_int_equal(ft.pages[(m)].type_count, (tc));                    \
        assert_int_equal(ft.pages[(m)].type, (ty));                          \
    } while (0)

#define PINNED(m)   assert_true(ft.pages[(m)].flags & PGF_pinned)
#define UNPINNED(m) assert_false(ft.pages[(m)].flags & PGF_pinned)

static void pin(uint64_t mfn, unsigned int level, uint16_t owner)
{
    OK(pin_table(&ft, mfn, owner, level));
    PINNED(mfn);
    assert_int_equal(ft.pages[mfn].type, level_pgt(level));
}

static void unpin(uint64_t mfn, uint16_t owner)
{
    OK(unpin_table(&ft, mfn, owner));
    UNPINNED(mfn);
}

/* Every frame record is back to nothing (owners aside). */
static void assert_all_zero(void)
{
    for (uint64_t m = 0; m < NR; m++) {
        if (ft.pages[m].count || ft.pages[m].type_count || ft.pages[m].type ||
            ft.pages[m].flags)
            print_error("mfn %llu: count %u type_count %u type %u flags %u\n",
                        (unsigned long long)m, ft.pages[m].count, ft.pages[m].type_count,
                        ft.pages[m].type, ft.pages[m].flags);
        EXPECT(m, 0, 0, PGT_none);
        assert_int_equal(ft.pages[m].flags, 0);
    }
}

/* A test-held type reference (like a CR3), declared to the checker. */
static void hold(uint64_t mfn, uint16_t owner, enum page_type t)
{
    assert_int_equal(get_page_and_type(&ft, mfn, owner, t), 0);
    extra[mfn]++;
    CHECK();
}

static void release(uint64_t mfn)
{
    put_page_and_type(&ft, mfn);
    extra[mfn]--;
    CHECK();
}

/* Make frame m look as if the test held n writable type references. */
static void fake_writable_refs(uint64_t m, uint32_t n)
{
    ft.pages[m].type = PGT_writable;
    ft.pages[m].type_count += n;
    ft.pages[m].count += n;
    extra[m] += n;
    CHECK();
}

/* Target for an entry of an Ln table, made fresh: an empty (untyped) frame. */
static uint64_t empty_target(unsigned int n)
{
    return A(40 + n);
}

/* ---- frame table and general references ------------------------------------- */

static void test_ft_init_clears_everything(void **state)
{
    (void)state;
    ft_init(&ft);
    for (uint64_t m = 0; m < NR; m++) {
        assert_int_equal(ft.pages[m].owner, OWNER_NONE);
        EXPECT(m, 0, 0, PGT_none);
        assert_int_equal(ft.pages[m].flags, 0);
    }
    CHECK();
    assert_int_equal(mm_check_invariants(&ft, NULL, scratch, &(uint64_t){0}), 0);
}

/* Table sizes that are not powers of two: every entry below nr is the
 * unowned one, field for field, and the entry at nr is not written. */
static void test_ft_init_any_size_stops_at_nr(void **state)
{
    const struct page_info fresh = { .owner = OWNER_NONE };
    const uint64_t sizes[] = { 1, 2, 3, 5, 64, 65, NR - 1 };
    uint8_t garbage[sizeof(struct page_info)];

    (void)state;
    memset(garbage, 0xa5, sizeof(garbage));
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        memset(ft.pages, 0xa5, NR * sizeof(struct page_info));
        ft.nr = sizes[i];
        ft_init(&ft);
        for (uint64_t m = 0; m < sizes[i]; m++)
            assert_memory_equal(&ft.pages[m], &fresh, sizeof(fresh));
        assert_memory_equal(&ft.pages[sizes[i]], garbage, sizeof(garbage));
    }
    ft.nr = NR;
    ft_init(&ft);
}

static void test_level_conversions(void **state)
{
    (void)state;
    assert_int_equal(pgt_level(PGT_none), 0);
    assert_int_equal(pgt_level(PGT_writable), 0);
    assert_int_equal(pgt_level(PGT_seg_desc), 0);
    for (unsigned int l = 1; l <= 4; l++) {
        assert_int_equal(pgt_level(level_pgt(l)), l);
    }
    assert_int_equal(level_pgt(1), PGT_l1);
    assert_int_equal(level_pgt(4), PGT_l4);
    CHECK();
}

static void test_get_page_owner_match(void **state)
{
    (void)state;
    assert_int_equal(get_page(&ft, A(0), D1), 0);
    EXPECT(A(0), 1, 0, PGT_none);
    CHECK_BAD(A(0));                    /* an undeclared general reference */
    assert_int_equal(get_page(&ft, A(0), D1), 0);
    EXPECT(A(0), 2, 0, PGT_none);
    CHECK_BAD(A(0));
    put_page(&ft, A(0));
    CHECK_BAD(A(0));
    put_page(&ft, A(0));
    EXPECT(A(0), 0, 0, PGT_none);
    CHECK();
    assert_int_equal(get_page(&ft, B(0), D2), 0);
    CHECK_BAD(B(0));
    put_page(&ft, B(0));
    CHECK();
}

static void test_get_page_wrong_owner_refused(void **state)
{
    (void)state;
    REFUSED(get_page(&ft, A(0), D2));
    REFUSED(get_page(&ft, B(0), D1));
    REFUSED(get_page(&ft, A(0), 3));
}

static void test_get_page_owner_none_refused(void **state)
{
    (void)state;
    REFUSED(get_page(&ft, HVF, D1));    /* hypervisor frame */
    REFUSED(get_page(&ft, FREEF, D1));  /* free frame */
    REFUSED(get_page(&ft, HVF, OWNER_NONE));   /* nobody may ask as nobody */
    REFUSED(get_page(&ft, FREEF, OWNER_NONE));
}

static void test_get_page_out_of_range_refused(void **state)
{
    (void)state;
    REFUSED(get_page(&ft, NR, D1));
    REFUSED(get_page(&ft, NR + 1000, D1));
    REFUSED(get_page(&ft, UINT64_MAX, D1));
    REFUSED(get_page(&ft, (uint64_t)1 << 40, D1));
    put_page(&ft, NR);                  /* harmless */
    put_page(&ft, UINT64_MAX);
    CHECK();
}

static void test_get_page_count_overflow_refused(void **state)
{
    (void)state;
    fake_writable_refs(A(0), PAGE_COUNT_MAX - 1);
    assert_int_equal(get_page(&ft, A(0), D1), 0);        /* reaches MAX */
    assert_int_equal(ft.pages[A(0)].count, PAGE_COUNT_MAX);
    CHECK_BAD(A(0));
    {
        struct page_info before = ft.pages[A(0)];
        refusal_at(get_page(&ft, A(0), D1), __FILE__, __LINE__);
        assert_memory_equal(&before, &ft.pages[A(0)], sizeof(before));
    }
    CHECK_BAD(A(0));
    put_page(&ft, A(0));
    CHECK();
    /* At MAX through declared references: refused outright. */
    fake_writable_refs(A(1), PAGE_COUNT_MAX);
    REFUSED(get_page(&ft, A(1), D1));
    REFUSED(get_page_and_type(&ft, A(1), D1, PGT_writable));
}

static void test_put_page_at_zero_is_noop(void **state)
{
    (void)state;
    put_page(&ft, A(0));
    EXPECT(A(0), 0, 0, PGT_none);
    CHECK();
    put_page_type(&ft, A(0));
    EXPECT(A(0), 0, 0, PGT_none);
    CHECK();
    put_page_type(&ft, NR);
    put_page_and_type(&ft, UINT64_MAX);
    CHECK();
}

/* ---- type references --------------------------------------------------------- */

static void test_type_none_writable_none(void **state)
{
    (void)state;
    hold(A(0), D1, PGT_writable);
    EXPECT(A(0), 1, 1, PGT_writable);
    hold(A(0), D1, PGT_writable);
    EXPECT(A(0), 2, 2, PGT_writable);
    release(A(0));
    EXPECT(A(0), 1, 1, PGT_writable);
    release(A(0));
    EXPECT(A(0), 0, 0, PGT_none);       /* type dropped with the last ref */
    /* and the frame can now take any type */
    pin(A(0), 1, D1);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_writable_cannot_become_l1(void **state)
{
    (void)state;
    hold(A(0), D1, PGT_writable);
    REFUSED(get_page_type(&ft, A(0), PGT_l1));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_l1));
    REFUSED(pin_table(&ft, A(0), D1, 1));
    REFUSED(pin_table(&ft, A(0), D1, 2));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_seg_desc));
    release(A(0));
    pin(A(0), 1, D1);                   /* fine once no longer writable */
}

static void test_writable_mapping_blocks_l1(void **state)
{
    (void)state;
    /* The same through a real mapping: A(1) maps A(0) RW. */
    tbl(A(1))[7] = pte(A(0), RW_);
    pin(A(1), 1, D1);
    EXPECT(A(0), 1, 1, PGT_writable);
    REFUSED(pin_table(&ft, A(0), D1, 1));
    tbl(A(2))[0] = pte(A(0), RW_);       /* an L2 wanting A(0) as an L1 */
    REFUSED(pin_table(&ft, A(2), D1, 2));
    unpin(A(1), D1);
    pin(A(2), 2, D1);
    EXPECT(A(0), 1, 1, PGT_l1);
}

static void test_l1_cannot_become_writable(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    REFUSED(get_page_type(&ft, A(0), PGT_writable));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_writable));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_seg_desc));
    tbl(A(1))[0] = pte(A(0), RW_);
    REFUSED(pin_table(&ft, A(1), D1, 1));
    tbl(A(1))[0] = pte(A(0), RO_);      /* reading one's page tables is fine */
    pin(A(1), 1, D1);
    EXPECT(A(0), 2, 1, PGT_l1);
}

static void test_retype_in_use_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    REFUSED(get_page_type(&ft, A(0), PGT_l2));
    REFUSED(pin_table(&ft, A(0), D1, 2));
    REFUSED(pin_table(&ft, A(0), D1, 1));   /* already pinned */
    tbl(A(1))[0] = pte(A(0), RW_);      /* an L3 wanting A(0) as an L2 */
    REFUSED(pin_table(&ft, A(1), D1, 3));
    unpin(A(0), D1);
    pin(A(0), 2, D1);                   /* free to retype now */
    EXPECT(A(0), 1, 1, PGT_l2);
}

static void test_type_count_overflow_refused(void **state)
{
    (void)state;
    fake_writable_refs(A(0), PAGE_COUNT_MAX - 1);
    assert_int_equal(get_page(&ft, A(0), D1), 0);
    assert_int_equal(get_page_type(&ft, A(0), PGT_writable), 0);
    extra[A(0)]++;
    CHECK();
    EXPECT(A(0), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_writable);
    REFUSED(get_page_type(&ft, A(0), PGT_writable));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_writable));
    /* An L1 RW entry needs one more: refused; a validation can't overflow it. */
    tbl(A(1))[0] = pte(A(0), RW_);
    REFUSED(pin_table(&ft, A(1), D1, 1));
    release(A(0));
    pin(A(1), 1, D1);
}

static void test_type_count_overflow_l1(void **state)
{
    (void)state;
    /* A page table's type count is capped too: an L2 entry refused. */
    pin(A(0), 1, D1);
    ft.pages[A(0)].type_count += PAGE_COUNT_MAX - 2;
    ft.pages[A(0)].count += PAGE_COUNT_MAX - 2;
    extra[A(0)] += PAGE_COUNT_MAX - 2;
    CHECK();
    tbl(A(1))[0] = pte(A(0), RW_);
    pin(A(1), 2, D1);                   /* the last one that fits */
    EXPECT(A(0), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_l1);
    tbl(A(2))[0] = pte(A(0), RW_);
    REFUSED(pin_table(&ft, A(2), D1, 2));
    MOD_REFUSED(A(1), 1, pte(A(0), RW_), D1, false);
}

static void test_get_page_type_none_refused(void **state)
{
    (void)state;
    REFUSED(get_page_type(&ft, A(0), PGT_none));
    hold(A(0), D1, PGT_writable);
    REFUSED(get_page_type(&ft, A(0), PGT_none));
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_none));
}

static void test_get_page_type_out_of_range_refused(void **state)
{
    (void)state;
    REFUSED(get_page_type(&ft, NR, PGT_writable));
    REFUSED(get_page_type(&ft, UINT64_MAX, PGT_l1));
    REFUSED(get_page_and_type(&ft, NR, D1, PGT_writable));
}

static void test_get_page_and_type_wrong_owner_refused(void **state)
{
    (void)state;
    REFUSED(get_page_and_type(&ft, A(0), D2, PGT_writable));
    REFUSED(get_page_and_type(&ft, HVF, D1, PGT_writable));
    REFUSED(get_page_and_type(&ft, B(0), D1, PGT_l1));
}

static void test_seg_desc_type(void **state)
{
    (void)state;
    hold(A(0), D1, PGT_seg_desc);
    EXPECT(A(0), 1, 1, PGT_seg_desc);
    tbl(A(1))[0] = pte(A(0), RW_);      /* a GDT page can't be mapped writable */
    REFUSED(pin_table(&ft, A(1), D1, 1));
    REFUSED(pin_table(&ft, A(0), D1, 1));
    tbl(A(1))[0] = pte(A(0), RO_);
    pin(A(1), 1, D1);
    EXPECT(A(0), 2, 1, PGT_seg_desc);
    unpin(A(1), D1);
    release(A(0));
    assert_all_zero();
}

/* Descriptor (GDT) pages: present entries must be code/data segments,
 * whose DPL is raised to 3; system descriptors could hand out ring 0. */
#define DESC_CODE64 0x00af9a000000ffffULL   /* P, S, DPL 0, code, L */
#define DESC_DATA   0x00cf92000000ffffULL   /* P, S, DPL 0, data */
#define DESC_TSS    0x0000890000000067ULL   /* P, system: 64-bit TSS */
#define DESC_GATE   0x0000ec0000080000ULL   /* P, system: call gate, DPL 3 */

static void test_check_descriptor(void **state)
{
    uint64_t d;

    (void)state;
    d = 0;
    assert_true(check_descriptor(&d));
    assert_int_equal(d, 0);
    d = DESC_TSS & ~DESC_P;             /* not present: anything goes */
    assert_true(check_descriptor(&d));
    assert_int_equal(d, DESC_TSS & ~DESC_P);
    d = DESC_CODE64;
    assert_true(check_descriptor(&d));
    assert_int_equal(d, DESC_CODE64 | DESC_DPL3);
    d = DESC_DATA | DESC_DPL3;
    assert_true(check_descriptor(&d));
    assert_int_equal(d, DESC_DATA | DESC_DPL3);
    d = DESC_TSS;
    assert_false(check_descriptor(&d));
    assert_int_equal(d, DESC_TSS);
    d = DESC_GATE;
    assert_false(check_descriptor(&d));
    CHECK();
}

static void test_seg_desc_validation(void **state)
{
    uint64_t *g = tbl(A(0));

    (void)state;
    g[0] = DESC_CODE64;
    g[1] = DESC_DATA;
    g[2] = 0x1234;                      /* not present */
    g[511] = DESC_TSS;
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_seg_desc));
    assert_int_equal(g[0], DESC_CODE64);    /* all or nothing: DPLs untouched */
    g[511] = DESC_GATE;
    REFUSED(get_page_and_type(&ft, A(0), D1, PGT_seg_desc));
    g[511] = 0;
    hold(A(0), D1, PGT_seg_desc);
    assert_int_equal(g[0], DESC_CODE64 | DESC_DPL3);
    assert_int_equal(g[1], DESC_DATA | DESC_DPL3);
    assert_int_equal(g[2], 0x1234);
    hold(A(0), D1, PGT_seg_desc);       /* a second reference: no revalidation */
    EXPECT(A(0), 2, 2, PGT_seg_desc);
    release(A(0));
    release(A(0));
    assert_all_zero();
}

/* ---- validation, level by level ------------------------------------------- */

static void test_l1_rw_entries_take_writable_refs(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    tbl(A(0))[1] = pte(A(11), RW_);
    tbl(A(0))[511] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    EXPECT(A(0), 1, 1, PGT_l1);
    EXPECT(A(10), 2, 2, PGT_writable);
    EXPECT(A(11), 1, 1, PGT_writable);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_l1_ro_entries_take_general_refs(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RO_);
    tbl(A(0))[5] = pte(A(10), RO_);
    tbl(A(0))[6] = pte(A(11), RO_ | US);
    tbl(A(0))[7] = pte(A(11), RW_);     /* one RW and one RO of the same frame */
    pin(A(0), 1, D1);
    EXPECT(A(10), 2, 0, PGT_none);
    EXPECT(A(11), 2, 1, PGT_writable);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_l1_ro_self_map_accepted(void **state)
{
    (void)state;
    tbl(A(0))[3] = pte(A(0), RO_);      /* an L1 mapping itself read-only */
    pin(A(0), 1, D1);
    EXPECT(A(0), 2, 1, PGT_l1);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_l1_rw_self_map_refused(void **state)
{
    (void)state;
    tbl(A(0))[3] = pte(A(0), RW_);      /* an L1 mapping itself writable */
    REFUSED(pin_table(&ft, A(0), D1, 1));
    assert_all_zero();
}

/* Validation skips empty blocks of 16 entries: an entry at each edge of a
 * block, alone in it or not, is found when pinned and released when
 * unpinned, and each takes exactly one reference. */
static void test_l1_block_edges(void **state)
{
    static const unsigned int at[] = { 0, 15, 16, 31, 47, 48, 255, 256, 496, 511 };

    (void)state;
    for (unsigned int i = 0; i < sizeof(at) / sizeof(at[0]); i++)
        tbl(A(0))[at[i]] = pte(A(10), RO_);
    tbl(A(0))[300] = PTE_RW;             /* not present: ignored whatever else */
    pin(A(0), 1, D1);
    EXPECT(A(10), 10, 0, PGT_none);
    unpin(A(0), D1);
    assert_all_zero();
}

/* A refused entry in a later block: every entry taken before it, in the
 * blocks before and in its own, is given back, none after it taken. */
static void test_l1_refusal_releases_earlier_blocks(void **state)
{
    (void)state;
    tbl(A(0))[1] = pte(A(10), RO_);
    tbl(A(0))[33] = pte(A(10), RO_);
    tbl(A(0))[40] = pte(A(11), RW_);
    tbl(A(0))[41] = pte(A(0), RW_);      /* refused: the L1 itself, writable */
    tbl(A(0))[42] = pte(A(12), RW_);
    tbl(A(0))[200] = pte(A(12), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 1));
    assert_all_zero();
}

static void test_l2_needs_l1_targets(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);      /* untyped: validated as an L1 */
    tbl(A(0))[1] = pte(A(2), RO_);      /* an L2 entry needs an L1 even RO */
    pin(A(0), 2, D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(2), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
    UNPINNED(A(1));
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_l2_entry_to_writable_refused(void **state)
{
    (void)state;
    hold(A(1), D1, PGT_writable);
    tbl(A(0))[0] = pte(A(1), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 2));
    tbl(A(0))[0] = pte(A(1), RO_);
    REFUSED(pin_table(&ft, A(0), D1, 2));
    release(A(1));
    pin(A(0), 2, D1);
}

static void test_l2_entry_to_l2_refused(void **state)
{
    (void)state;
    pin(A(1), 2, D1);
    tbl(A(0))[0] = pte(A(1), RW_);      /* a writable linear entry: never */
    REFUSED(pin_table(&ft, A(0), D1, 2));
    tbl(A(0))[0] = pte(A(1), RO_);      /* read-only to a validated L2: Xen allows */
    pin(A(0), 2, D1);
    EXPECT(A(1), 2, 2, PGT_l2);         /* its pin and the linear entry */
    assert_int_equal(ft.pages[A(0)].linear, 1);
    assert_int_equal(ft.pages[A(1)].linear, -1);
    unpin(A(0), D1);
    EXPECT(A(1), 1, 1, PGT_l2);
    assert_int_equal(ft.pages[A(1)].linear, 0);
}

static void test_l2_self_reference_refused(void **state)
{
    (void)state;
    tbl(A(0))[9] = pte(A(0), RW_);      /* writable self-map: refused */
    REFUSED(pin_table(&ft, A(0), D1, 2));
    tbl(A(0))[9] = pte(A(0), RO_);      /* read-only self-map: takes nothing */
    pin(A(0), 2, D1);
    EXPECT(A(0), 1, 1, PGT_l2);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_l3_needs_l2_targets(void **state)
{
    (void)state;
    tbl(A(2))[0] = pte(A(3), RW_);      /* L2 -> L1 */
    tbl(A(1))[0] = pte(A(2), RW_);      /* L3 -> L2 */
    pin(A(1), 3, D1);
    EXPECT(A(2), 1, 1, PGT_l2);
    EXPECT(A(3), 1, 1, PGT_l1);
    unpin(A(1), D1);
    assert_all_zero();
    pin(A(4), 1, D1);
    tbl(A(1))[0] = pte(A(4), RW_);      /* L3 -> an L1: refused */
    REFUSED(pin_table(&ft, A(1), D1, 3));
    tbl(A(1))[0] = pte(A(1), RW_);      /* L3 -> itself writable: refused */
    REFUSED(pin_table(&ft, A(1), D1, 3));
}

static void test_l4_needs_l3_targets(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(1), RW_);      /* L4 -> L3 */
    pin(A(0), 4, D1);
    EXPECT(A(1), 1, 1, PGT_l3);
    unpin(A(0), D1);
    assert_all_zero();
    pin(A(2), 2, D1);
    tbl(A(0))[0] = pte(A(2), RW_);      /* L4 -> an L2: refused */
    REFUSED(pin_table(&ft, A(0), D1, 4));
    pin(A(3), 4, D1);
    tbl(A(0))[0] = pte(A(3), RW_);      /* L4 -> another L4 writable: refused */
    REFUSED(pin_table(&ft, A(0), D1, 4));
    tbl(A(0))[0] = pte(A(3), RO_);      /* read-only, one level: allowed */
    pin(A(0), 4, D1);
    tbl(A(5))[0] = pte(A(0), RO_);      /* A(0) holds a linear entry: no chain */
    REFUSED(pin_table(&ft, A(5), D1, 4));
    tbl(A(5))[0] = pte(A(3), RO_);      /* a second user of the same target: fine */
    pin(A(5), 4, D1);
    EXPECT(A(3), 3, 3, PGT_l4);
    tbl(A(6))[0] = pte(A(5), RO_);      /* A(5) holds linear entries too */
    REFUSED(pin_table(&ft, A(6), D1, 4));
    unpin(A(5), D1);
    unpin(A(0), D1);
    EXPECT(A(3), 1, 1, PGT_l4);
}

static void test_l4_self_reference_refused(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(0), RW_);      /* writable self-map: refused */
    REFUSED(pin_table(&ft, A(0), D1, 4));
    tbl(A(0))[0] = pte(A(0), RO_);      /* read-only self-maps: allowed, free */
    tbl(A(0))[511] = pte(A(0), RO_);
    pin(A(0), 4, D1);
    EXPECT(A(0), 1, 1, PGT_l4);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_empty_tables_validate(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        pin(A(l), l, D1);
        EXPECT(A(l), 1, 1, level_pgt(l));
    }
    for (unsigned int l = 1; l <= 4; l++)
        unpin(A(l), D1);
    assert_all_zero();
}

static void test_duplicate_entries_count_twice(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(1), RW_);
    tbl(A(0))[1] = pte(A(1), RW_);
    tbl(A(0))[2] = pte(A(1), RO_);
    pin(A(0), 2, D1);
    EXPECT(A(1), 3, 3, PGT_l1);
    unpin(A(0), D1);
    assert_all_zero();
}

/* Entries 0-299 of an L1 take references, entry 300 is bad: every target's
 * counts must be exactly what they were before. */
static void test_l1_all_or_nothing(void **state)
{
    struct page_info before[NR];

    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);     /* some references already held */
    tbl(A(1))[1] = pte(A(11), RO_);
    pin(A(1), 1, D1);
    for (unsigned int i = 0; i < 300; i++)
        tbl(A(0))[i] = pte(A(10 + i % 20), (i % 2) ? RO_ : RW_);
    tbl(A(0))[300] = pte(A(30), RW_ | PTE_PCD);
    memcpy(before, ft.pages, sizeof(before));
    REFUSED(pin_table(&ft, A(0), D1, 1));
    assert_memory_equal(before, ft.pages, sizeof(before));
    EXPECT(A(10), 1, 1, PGT_writable);
    EXPECT(A(11), 1, 0, PGT_none);
    EXPECT(A(12), 0, 0, PGT_none);
    EXPECT(A(0), 0, 0, PGT_none);
    /* With entry 300 fixed it validates, and then counts add up. */
    tbl(A(0))[300] = pte(A(30), RW_);
    pin(A(0), 1, D1);
    EXPECT(A(10), 16, 16, PGT_writable);
    EXPECT(A(11), 16, 0, PGT_none);
    EXPECT(A(12), 15, 15, PGT_writable);
}

static void test_l1_all_or_nothing_first_and_last(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_ | PTE_PS);   /* first entry bad */
    tbl(A(0))[1] = pte(A(11), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 1));
    tbl(A(0))[0] = pte(A(10), RW_);
    tbl(A(0))[511] = pte(B(0), RO_);                /* last entry bad */
    REFUSED(pin_table(&ft, A(0), D1, 1));
    assert_all_zero();
}

/* The same at L2: the L1s validated for entries 0-299 are devalidated again,
 * and what they referenced is released. */
static void test_l2_all_or_nothing(void **state)
{
    (void)state;
    for (unsigned int k = 0; k < 4; k++) {
        tbl(A(1 + k))[0] = pte(A(10 + k), RW_);
        tbl(A(1 + k))[1] = pte(A(20 + k), RO_);
    }
    pin(A(1), 1, D1);                   /* one of them already an L1 */
    for (unsigned int i = 0; i < 300; i++)
        tbl(A(0))[i] = pte(A(1 + i % 4), RW_);
    tbl(A(0))[300] = pte(A(5), RW_ | PTE_PS);  /* a 2 MiB superpage */
    REFUSED(pin_table(&ft, A(0), D1, 2));
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
    EXPECT(A(20), 1, 0, PGT_none);
    for (unsigned int k = 1; k < 4; k++) {
        EXPECT(A(1 + k), 0, 0, PGT_none);
        EXPECT(A(10 + k), 0, 0, PGT_none);
        EXPECT(A(20 + k), 0, 0, PGT_none);
    }
}

/* And at L4, with guest garbage in the hypervisor slots in between. */
static void test_l4_all_or_nothing(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < 300; i++)
        tbl(A(0))[i] = pte(A(1 + i % 3), RW_);
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        tbl(A(0))[i] = pte(B(0), RW_);  /* skipped, never validated */
    tbl(A(0))[300] = pte(A(4), RW_ | PTE_G);
    REFUSED(pin_table(&ft, A(0), D1, 4));
    assert_all_zero();
    tbl(A(0))[300] = pte(A(4), RW_);
    pin(A(0), 4, D1);
    EXPECT(A(1), 95, 95, PGT_l3);       /* 100 minus the 5 in slots 256-271 */
    EXPECT(A(4), 1, 1, PGT_l3);
    unpin(A(0), D1);
    assert_all_zero();
}

static void test_validation_adjusts_entries(void **state)
{
    uint64_t *l4 = tbl(A(0)), *l3 = tbl(A(1)), *l2 = tbl(A(2)), *l1 = tbl(A(3));

    (void)state;
    l1[0] = pte(A(10), RW_);            /* kernel-only: US + bit 52 */
    l1[1] = pte(A(11), RW_ | US);       /* user: US kept, no bit 52 */
    l1[2] = pte(A(12), RO_);
    l2[0] = pte(A(3), RW_);
    l3[0] = pte(A(2), RW_);
    l4[0] = pte(A(1), RW_);             /* gets US and A */
    l4[1] = 0;
    pin(A(0), 4, D1);
    assert_int_equal(l1[0], pte(A(10), RW_ | US | PTE_GUEST_KERNEL));
    assert_int_equal(l1[1], pte(A(11), RW_ | US));
    assert_int_equal(l1[2], pte(A(12), RO_ | US | PTE_GUEST_KERNEL));
    assert_int_equal(l2[0], pte(A(3), RW_ | US));
    assert_int_equal(l3[0], pte(A(2), RW_ | US));
    assert_int_equal(l4[0], pte(A(1), RW_ | US | PTE_A));
    assert_int_equal(l4[1], 0);
}

static void test_non_present_garbage_accepted(void **state)
{
    const uint64_t junk = ~PTE_P;   /* every bit but P */

    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        uint64_t t = A(l);
        for (unsigned int i = 0; i < 512; i++)
            tbl(t)[i] = (i % 2) ? junk : pte(B(0), RW | PTE_PS | BIT(62));
        ft.nx = (l % 2) != 0;
        pin(t, l, D1);
        for (unsigned int i = 0; i < 512; i++) {
            if (l == 4 && i >= HV_L4_FIRST && i <= HV_L4_LAST)
                continue;
            assert_int_equal(tbl(t)[i],           /* untouched */
                             (i % 2) ? junk : pte(B(0), RW | PTE_PS | BIT(62)));
        }
    }
    EXPECT(B(0), 0, 0, PGT_none);
}

static void test_l4_hv_slots_filled(void **state)
{
    (void)state;
    for (unsigned int i = 0; i < 512; i++)
        tbl(A(0))[i] = 0;
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        tbl(A(0))[i] = pte(A(5), RW_ | PTE_PS);   /* the guest's attempt */
    tbl(A(0))[HV_L4_FIRST - 1] = pte(A(1), RW_);
    tbl(A(0))[HV_L4_LAST + 1] = pte(A(2), RW_);
    pin(A(0), 4, D1);
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        assert_int_equal(tbl(A(0))[i], hv_slot(i));
    EXPECT(A(5), 0, 0, PGT_none);
    EXPECT(A(1), 1, 1, PGT_l3);
    EXPECT(A(2), 1, 1, PGT_l3);
    EXPECT(HV_MFN, 0, 0, PGT_none);
}

static void test_l4_guest_slots_around_hv_validated(void **state)
{
    (void)state;
    tbl(A(0))[HV_L4_FIRST - 1] = pte(A(1), RW_ | PTE_PS);
    REFUSED(pin_table(&ft, A(0), D1, 4));
    tbl(A(0))[HV_L4_FIRST - 1] = 0;
    tbl(A(0))[HV_L4_LAST + 1] = pte(B(1), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 4));
    tbl(A(0))[HV_L4_LAST + 1] = 0;
    pin(A(0), 4, D1);
}

static void test_l4_without_fill_callback(void **state)
{
    (void)state;
    ft.fill_hv_slots = NULL;
    tbl(A(0))[HV_L4_FIRST] = 0x1234;
    pin(A(0), 4, D1);
    assert_int_equal(tbl(A(0))[HV_L4_FIRST], 0x1234);
}

/* ---- disallowed bits -------------------------------------------------------- */

/* Pin a level-l table whose only entry is `bits` on a fresh target of the
 * right kind; accepted or refused as expected. */
static void try_entry(unsigned int l, uint64_t bits, bool accept)
{
    uint64_t t = A(0), target = empty_target(l);

    memset(tbl(t), 0, PAGE_SIZE);
    tbl(t)[17] = pte(target, P | bits);
    if (accept) {
        pin(t, l, D1);
        unpin(t, D1);
        assert_all_zero();
    } else {
        REFUSED(pin_table(&ft, t, D1, l));
    }
    assert_all_zero();
}

static void test_l1_pwt_pcd_pat_refused(void **state)
{
    (void)state;
    try_entry(1, PTE_PWT, false);
    try_entry(1, PTE_PCD, false);
    try_entry(1, PTE_PS, false);   /* PAT in an L1 */
    try_entry(1, RW | PTE_PWT | PTE_PCD, false);
    try_entry(1, RW, true);
}

static void test_l1_global_allowed(void **state)
{
    (void)state;
    try_entry(1, PTE_G, true);
    try_entry(1, PTE_G | RW | US, true);
}

static void test_global_refused_above_l1(void **state)
{
    (void)state;
    for (unsigned int l = 2; l <= 4; l++) {
        try_entry(l, PTE_G, false);
        try_entry(l, RW | US, true);
    }
}

static void test_pse_refused_l2_l3(void **state)
{
    (void)state;
    try_entry(2, PTE_PS, false);   /* XSA-148: no 2 MiB pages */
    try_entry(2, RW | PTE_PS, false);
    try_entry(3, PTE_PS, false);   /* no 1 GiB pages */
    try_entry(3, RW | PTE_PS, false);
    try_entry(4, PTE_PS, false);   /* reserved in an L4 */
    try_entry(2, RW, true);
    try_entry(3, RW, true);
}

static void test_cache_bits_refused_above_l1(void **state)
{
    (void)state;
    for (unsigned int l = 2; l <= 4; l++) {
        try_entry(l, PTE_PWT, false);
        try_entry(l, PTE_PCD, false);
    }
}

static void test_nx_allowed_with_nx(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++)
        try_entry(l, PTE_NX | RW, true);
}

static void test_nx_refused_without_nx(void **state)
{
    (void)state;
    ft.nx = false;
    for (unsigned int l = 1; l <= 4; l++) {
        try_entry(l, PTE_NX, false);
        try_entry(l, PTE_NX | RW, false);
        try_entry(l, RW, true);
    }
}

/* Bits 52-62 are the guest's, but for bit 62 in an L1 entry: the grant
 * code's marker (rule 9). */
static void test_high_avail_bits_allowed(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        for (unsigned int b = 52; b <= 62; b++)
            try_entry(l, BIT(b), l != 1 || b != 62);
        try_entry(l, (PTE_HIGH_AVAIL & ~(l == 1 ? PTE_GRANT : 0)) | RW, true);
    }
    try_entry(1, PTE_GRANT | RW, false);
}

static void test_avail_bits_allowed(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        for (unsigned int b = 9; b <= 11; b++)
            try_entry(l, BIT(b), true);
        try_entry(l, PTE_A | PTE_D | US | RW | PTE_AVAIL, true);
    }
}

/* Every bit outside the address at every level, with and without NX. */
static void test_every_bit_every_level(void **state)
{
    (void)state;
    for (int nx = 0; nx <= 1; nx++) {
        ft.nx = nx != 0;
        for (unsigned int l = 1; l <= 4; l++) {
            for (unsigned int b = 1; b < 64; b++) {
                bool accept;
                if (b >= 12 && b <= 51)
                    continue;                   /* the address */
                switch (b) {
                case 3: case 4: case 7:
                    accept = false;
                    break;
                case 8:
                    accept = l == 1;
                    break;
                case 62:
                    accept = l != 1;            /* the grant marker in an L1 */
                    break;
                case 63:
                    accept = ft.nx;
                    break;
                default:
                    accept = true;              /* 1, 2, 5, 6, 9-11, 52-61 */
                    break;
                }
                try_entry(l, BIT(b), accept);
            }
        }
    }
}

static void test_address_beyond_table_refused(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        memset(tbl(A(0)), 0, PAGE_SIZE);
        tbl(A(0))[0] = pte(NR, RW_);
        REFUSED(pin_table(&ft, A(0), D1, l));
        tbl(A(0))[0] = BIT(51) | RO_;           /* top address bit */
        REFUSED(pin_table(&ft, A(0), D1, l));
        tbl(A(0))[0] = PTE_ADDR_MASK | RO_;
        REFUSED(pin_table(&ft, A(0), D1, l));
    }
    assert_all_zero();
}

/* ---- ownership ---------------------------------------------------------------- */

static void test_l1_foreign_frame_refused(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(B(0), RO_);
    REFUSED(pin_table(&ft, A(0), D1, 1));
    tbl(A(0))[0] = pte(B(0), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 1));
    /* the other way round */
    tbl(B(1))[0] = pte(A(5), RO_);
    REFUSED(pin_table(&ft, B(1), D2, 1));
    tbl(B(1))[0] = pte(B(5), RO_);
    pin(B(1), 1, D2);
    EXPECT(B(5), 1, 0, PGT_none);
}

static void test_foreign_tables_refused(void **state)
{
    (void)state;
    pin(B(1), 1, D2);
    pin(B(2), 2, D2);
    pin(B(3), 3, D2);
    tbl(A(0))[0] = pte(B(1), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 2));
    tbl(A(0))[0] = pte(B(2), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 3));
    tbl(A(0))[0] = pte(B(3), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 4));
    tbl(A(0))[0] = pte(B(4), RW_);      /* untyped foreign frame */
    for (unsigned int l = 2; l <= 4; l++)
        REFUSED(pin_table(&ft, A(0), D1, l));
}

static void test_hypervisor_frames_refused(void **state)
{
    (void)state;
    for (unsigned int l = 1; l <= 4; l++) {
        tbl(A(0))[0] = pte(HVF, RO_);
        REFUSED(pin_table(&ft, A(0), D1, l));
        tbl(A(0))[0] = pte(HVF, RW_);
        REFUSED(pin_table(&ft, A(0), D1, l));
        tbl(A(0))[0] = pte(FREEF, RO_);
        REFUSED(pin_table(&ft, A(0), D1, l));
        tbl(A(0))[0] = pte(0, RO_);
        REFUSED(pin_table(&ft, A(0), D1, l));
    }
    assert_all_zero();
}

static void test_pin_wrong_owner_refused(void **state)
{
    (void)state;
    REFUSED(pin_table(&ft, A(0), D2, 1));
    REFUSED(pin_table(&ft, HVF, D1, 1));
    REFUSED(pin_table(&ft, HVF, OWNER_NONE, 1));  /* empty, but nobody's */
    REFUSED(pin_table(&ft, FREEF, OWNER_NONE, 4));
    pin(A(0), 1, D1);
    REFUSED(pin_table(&ft, A(0), D2, 1));
}

static void test_two_domains_independent(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(2), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    tbl(B(1))[0] = pte(B(2), RW_);
    tbl(B(0))[0] = pte(B(1), RW_);
    pin(A(0), 2, D1);
    pin(B(0), 2, D2);
    REFUSED(unpin_table(&ft, A(0), D2));
    REFUSED(unpin_table(&ft, B(0), D1));
    MOD_REFUSED(A(0), 1, pte(B(1), RW_), D1, false);
    MOD_REFUSED(B(0), 1, pte(A(1), RW_), D2, false);
    unpin(A(0), D1);
    EXPECT(B(1), 1, 1, PGT_l1);
    unpin(B(0), D2);
    assert_all_zero();
}

/* ---- mod_entry ------------------------------------------------------------------ */

static void test_mod_l1_map_writable(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD(A(0), 4, pte(A(10), RW_ | US), D1);
    EXPECT(A(10), 1, 1, PGT_writable);
    assert_int_equal(tbl(A(0))[4], pte(A(10), RW_ | US));
    MOD(A(0), 5, pte(A(10), RW_), D1);
    EXPECT(A(10), 2, 2, PGT_writable);
    assert_int_equal(tbl(A(0))[5], pte(A(10), RW_ | US | PTE_GUEST_KERNEL));
    MOD(A(0), 4, 0, D1);
    MOD(A(0), 5, 0, D1);
    EXPECT(A(10), 0, 0, PGT_none);
}

static void test_mod_l1_map_readonly(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD(A(0), 4, pte(A(10), RO_), D1);
    EXPECT(A(10), 1, 0, PGT_none);
    MOD(A(0), 4, 0, D1);
    EXPECT(A(10), 0, 0, PGT_none);
}

static void test_mod_ro_to_rw_of_page_table_refused(void **state)
{
    (void)state;
    pin(A(1), 1, D1);                   /* the page table */
    tbl(A(0))[0] = pte(A(1), RO_);
    tbl(A(0))[1] = pte(A(0), RO_);      /* and the L1 itself */
    pin(A(0), 1, D1);
    MOD_REFUSED(A(0), 0, pte(A(1), RW_), D1, false);
    MOD_REFUSED(A(0), 1, pte(A(0), RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(A(1), RW_), D1, true);
    EXPECT(A(1), 2, 1, PGT_l1);
    /* higher levels too */
    for (unsigned int l = 2; l <= 4; l++) {
        pin(A(1 + l), l, D1);
        MOD(A(0), 2, pte(A(1 + l), RO_), D1);
        MOD_REFUSED(A(0), 2, pte(A(1 + l), RW_), D1, false);
        MOD_REFUSED(A(0), 3, pte(A(1 + l), RW_), D1, false);
    }
}

static void test_mod_writable_alias_via_other_l1_refused(void **state)
{
    (void)state;
    pin(A(1), 1, D1);                   /* X */
    pin(A(0), 1, D1);                   /* a second L1 */
    MOD_REFUSED(A(0), 9, pte(A(1), RW_), D1, false);
    MOD_REFUSED(A(0), 9, pte(A(1), RW_ | US | PTE_A | PTE_D), D1, false);
    /* X only referenced by an L2, not pinned: still an L1, still refused */
    tbl(A(2))[0] = pte(A(3), RW_);
    pin(A(2), 2, D1);
    MOD_REFUSED(A(0), 9, pte(A(3), RW_), D1, false);
    MOD(A(0), 9, pte(A(3), RO_), D1);
}

static void test_mod_writable_blocks_later_l1(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD(A(0), 0, pte(A(1), RW_), D1);
    pin(A(2), 2, D1);
    MOD_REFUSED(A(2), 0, pte(A(1), RW_), D1, false);   /* mapped writable */
    MOD(A(0), 0, pte(A(1), RO_), D1);
    MOD(A(2), 0, pte(A(1), RW_), D1);  /* no longer */
    EXPECT(A(1), 2, 1, PGT_l1);
}

static const uint64_t fastpath_bits[] = {
    PTE_A, PTE_D, PTE_US, PTE_G, BIT(9), BIT(10), BIT(11),
    BIT(52), BIT(53), BIT(57), BIT(62), PTE_HIGH_AVAIL, PTE_NX,
};

/* Fast path at L1: the target's counts are at the maximum, so any path that
 * took a new reference would be refused; these changes must still pass. */
static void test_mod_fast_path_l1(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    tbl(A(0))[1] = pte(A(11), RO_);
    pin(A(0), 1, D1);
    fake_writable_refs(A(10), PAGE_COUNT_MAX - 1);
    fake_writable_refs(A(11), PAGE_COUNT_MAX - 1);
    EXPECT(A(10), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_writable);
    EXPECT(A(11), PAGE_COUNT_MAX, PAGE_COUNT_MAX - 1, PGT_writable);
    for (unsigned int k = 0; k < ARRAY_SIZE(fastpath_bits); k++) {
        for (unsigned int i = 0; i < 2; i++) {
            uint64_t val = tbl(A(0))[i] ^ fastpath_bits[k];
            if (fastpath_bits[k] & PTE_GRANT) {      /* never a guest's in an L1 */
                MOD_REFUSED(A(0), i, val, D1, false);
                continue;
            }
            MOD(A(0), i, val, D1);
            /* as written, up to what the hypervisor adjusts (US, bit 52,
             * and G, which it may clear) */
            assert_int_equal(tbl(A(0))[i] & ~(US | PTE_GUEST_KERNEL | PTE_G),
                             val & ~(US | PTE_GUEST_KERNEL | PTE_G));
            assert_true(tbl(A(0))[i] & US);
        }
        EXPECT(A(10), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_writable);
        EXPECT(A(11), PAGE_COUNT_MAX, PAGE_COUNT_MAX - 1, PGT_writable);
    }
}

/* Fast path at L2 (no G there): same, the L1's counts at the maximum. */
static void test_mod_fast_path_l2(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    ft.pages[A(1)].type_count += PAGE_COUNT_MAX - 1;
    ft.pages[A(1)].count += PAGE_COUNT_MAX - 1;
    extra[A(1)] += PAGE_COUNT_MAX - 1;
    CHECK();
    for (unsigned int k = 0; k < ARRAY_SIZE(fastpath_bits); k++) {
        uint64_t val = tbl(A(0))[0] ^ fastpath_bits[k];
        if (fastpath_bits[k] == PTE_G) {
            MOD_REFUSED(A(0), 0, val, D1, false);
            continue;
        }
        MOD(A(0), 0, val, D1);
        EXPECT(A(1), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_l1);
    }
    /* Flipping RW is not on the fast path: it would need a new reference. */
    MOD_REFUSED(A(0), 0, tbl(A(0))[0] ^ RW, D1, false);
}

/* RW (and the address, P, cache bits) are not on the fast path: the same
 * frame at the count maximum shows the change went through validation. */
static void test_mod_rw_flip_revalidates(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RO_);
    pin(A(0), 1, D1);
    fake_writable_refs(A(10), PAGE_COUNT_MAX - 1);  /* count now MAX */
    MOD_REFUSED(A(0), 0, pte(A(10), RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(A(10), RW_ | US), D1, true);
    extra[A(10)]--;
    ft.pages[A(10)].count--;
    ft.pages[A(10)].type_count--;
    CHECK();
    MOD(A(0), 0, pte(A(10), RW_), D1);  /* one below: the full path takes it */
    EXPECT(A(10), PAGE_COUNT_MAX - 1, PAGE_COUNT_MAX - 1, PGT_writable);
}

static void test_mod_rw_flip_data_page(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RO_);
    pin(A(0), 1, D1);
    EXPECT(A(10), 1, 0, PGT_none);
    MOD(A(0), 0, pte(A(10), RW_), D1);
    EXPECT(A(10), 1, 1, PGT_writable);
    MOD(A(0), 0, pte(A(10), RO_), D1);
    EXPECT(A(10), 1, 0, PGT_none);
    pin(A(10), 1, D1);                  /* possible now it's read-only */
    MOD_REFUSED(A(0), 0, pte(A(10), RW_), D1, false);
}

static void test_mod_change_mfn(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    tbl(A(2))[0] = pte(A(11), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    MOD(A(0), 0, pte(A(2), RW_), D1);
    EXPECT(A(1), 0, 0, PGT_none);       /* devalidated: its last ref went */
    EXPECT(A(10), 0, 0, PGT_none);
    EXPECT(A(2), 1, 1, PGT_l1);
    EXPECT(A(11), 1, 1, PGT_writable);
    MOD(A(0), 0, 0, D1);
    assert_int_equal(ft.pages[A(0)].count, 1);
    EXPECT(A(2), 0, 0, PGT_none);
    EXPECT(A(11), 0, 0, PGT_none);
}

static void test_mod_refused_change_keeps_old(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    tbl(A(2))[0] = pte(B(0), RW_);      /* a bad L1 */
    MOD_REFUSED(A(0), 0, pte(A(2), RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(B(3), RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(NR + 5, RW_), D1, false);
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
    EXPECT(A(2), 0, 0, PGT_none);
}

/* The new target is validated while the old one is still referenced: an L1
 * that maps the old L1 writable can't replace it. (Dropping the old
 * reference first would have let it.) */
static void test_mod_new_ref_taken_before_old_dropped(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    tbl(A(2))[0] = pte(A(1), RW_);
    MOD_REFUSED(A(0), 0, pte(A(2), RW_), D1, false);
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(2), 0, 0, PGT_none);
    /* Once nothing maps A(1) as a table any more, A(2) may replace it. */
    MOD(A(0), 0, 0, D1);
    MOD(A(0), 0, pte(A(2), RW_), D1);
    EXPECT(A(1), 1, 1, PGT_writable);
    EXPECT(A(2), 1, 1, PGT_l1);
}

static void test_mod_preserve_ad(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    tbl(A(0))[0] |= PTE_A | PTE_D;   /* set by the "CPU" */
    CHECK();
    OK(mod_entry(&ft, A(0), 0, pte(A(10), RW_ | US), D1, true));
    assert_int_equal(tbl(A(0))[0] & (PTE_A | PTE_D), PTE_A | PTE_D);
    OK(mod_entry(&ft, A(0), 0, pte(A(10), RW_ | US), D1, false));
    assert_int_equal(tbl(A(0))[0] & (PTE_A | PTE_D), 0);
    tbl(A(0))[0] |= PTE_D;
    CHECK();
    /* with a new frame too */
    OK(mod_entry(&ft, A(0), 0, pte(A(11), RW_ | US), D1, true));
    assert_int_equal(tbl(A(0))[0], pte(A(11), RW_ | US | PTE_D));
    EXPECT(A(10), 0, 0, PGT_none);
    EXPECT(A(11), 1, 1, PGT_writable);
}

static void test_mod_idx_out_of_range_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD_REFUSED(A(0), 512, pte(A(10), RO_), D1, false);
    MOD_REFUSED(A(0), 513, 0, D1, false);
    MOD_REFUSED(A(0), UINT32_MAX, pte(A(10), RO_), D1, false);
    MOD(A(0), 511, pte(A(10), RO_), D1);
}

static void test_mod_hv_slots_refused(void **state)
{
    (void)state;
    pin(A(0), 4, D1);
    pin(A(1), 3, D1);
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++) {
        MOD_REFUSED(A(0), i, 0, D1, false);
        MOD_REFUSED(A(0), i, hv_slot(i), D1, false);          /* unchanged */
        MOD_REFUSED(A(0), i, hv_slot(i) ^ PTE_D, D1, false);  /* fast path */
        MOD_REFUSED(A(0), i, pte(A(1), RW_), D1, false);
        assert_int_equal(tbl(A(0))[i], hv_slot(i));
    }
    MOD(A(0), HV_L4_FIRST - 1, pte(A(1), RW_), D1);
    MOD(A(0), HV_L4_LAST + 1, pte(A(1), RW_), D1);
    EXPECT(A(1), 3, 3, PGT_l3);
}

static void test_mod_non_page_table_refused(void **state)
{
    (void)state;
    MOD_REFUSED(A(0), 0, pte(A(10), RO_), D1, false);     /* untyped */
    MOD_REFUSED(A(0), 0, 0, D1, false);
    hold(A(0), D1, PGT_writable);
    MOD_REFUSED(A(0), 0, pte(A(10), RO_), D1, false);     /* writable */
    hold(A(1), D1, PGT_seg_desc);
    MOD_REFUSED(A(1), 0, pte(A(10), RO_), D1, false);     /* GDT page */
    MOD_REFUSED(NR, 0, 0, D1, false);                     /* no such frame */
    MOD_REFUSED(UINT64_MAX, 0, 0, D1, false);
}

static void test_mod_wrong_owner_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD_REFUSED(A(0), 0, pte(B(0), RO_), D2, false);
    MOD_REFUSED(A(0), 0, pte(A(10), RO_), D2, false);
    MOD_REFUSED(A(0), 0, 0, D2, false);
    MOD_REFUSED(A(0), 0, 0, OWNER_NONE, false);
    MOD(A(0), 0, pte(A(10), RO_), D1);
}

static void test_mod_foreign_and_hv_targets_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    pin(A(1), 2, D1);
    pin(B(1), 1, D2);
    MOD_REFUSED(A(0), 0, pte(B(0), RO_), D1, false);
    MOD_REFUSED(A(0), 0, pte(B(0), RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(HVF, RO_), D1, false);
    MOD_REFUSED(A(0), 0, pte(FREEF, RW_), D1, false);
    MOD_REFUSED(A(0), 0, pte(NR, RO_), D1, false);
    MOD_REFUSED(A(1), 0, pte(B(1), RW_), D1, false);
    MOD_REFUSED(A(1), 0, pte(HVF, RW_), D1, false);
}

static void test_mod_self_reference_refused(void **state)
{
    (void)state;
    pin(A(0), 4, D1);
    MOD_REFUSED(A(0), 0, pte(A(0), RW_), D1, false);
    MOD(A(0), 0, pte(A(0), RO_), D1);                 /* linear self-map */
    MOD(A(0), 511, pte(A(0), RO_ | PTE_NX), D1);
    EXPECT(A(0), 1, 1, PGT_l4);
    MOD_REFUSED(A(0), 0, pte(A(0), RW_), D1, false);  /* no RW flip (XSA-182) */
    MOD(A(0), 0, 0, D1);
    pin(A(1), 2, D1);
    MOD_REFUSED(A(1), 3, pte(A(1), RW_), D1, false);
    MOD(A(1), 3, pte(A(1), RO_), D1);
    pin(A(2), 3, D1);
    MOD_REFUSED(A(2), 3, pte(A(2), RW_), D1, false);
    pin(A(3), 1, D1);
    MOD_REFUSED(A(3), 3, pte(A(3), RW_), D1, false);
    MOD(A(3), 3, pte(A(3), RO_), D1);  /* an L1 may map itself RO */
    EXPECT(A(3), 2, 1, PGT_l1);
}

static void test_mod_same_level_refused(void **state)
{
    (void)state;
    pin(A(0), 2, D1);
    pin(A(1), 2, D1);
    MOD_REFUSED(A(0), 0, pte(A(1), RW_), D1, false);    /* L2 -> L2 writable */
    MOD(A(0), 0, pte(A(1), RO_), D1);                   /* read-only: linear */
    MOD_REFUSED(A(1), 0, pte(A(0), RO_), D1, false);    /* A(1) is a target: no chain */
    MOD(A(0), 0, 0, D1);
    pin(A(2), 3, D1);
    pin(A(3), 3, D1);
    MOD(A(2), 1, pte(A(3), RO_), D1);                   /* L3 -> L3 */
    MOD(A(2), 1, 0, D1);
    pin(A(4), 4, D1);
    pin(A(5), 4, D1);
    MOD(A(4), 1, pte(A(5), RO_), D1);                   /* L4 -> L4 */
    MOD(A(4), 1, 0, D1);
    MOD_REFUSED(A(4), 0, pte(A(0), RO_), D1, false);    /* L4 -> L2 */
    MOD_REFUSED(A(2), 0, pte(A(4), RO_), D1, false);    /* L3 -> L4 */
    MOD(A(4), 0, pte(A(2), RW_), D1);                   /* L4 -> L3 */
    MOD(A(2), 0, pte(A(0), RW_), D1);                   /* L3 -> L2 */
}

static void test_mod_disallowed_bits_refused(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    tbl(A(1))[0] = pte(A(2), RW_);
    pin(A(1), 2, D1);
    /* on the same frame, i.e. where a fast path would be tempting */
    MOD_REFUSED(A(0), 0, tbl(A(0))[0] | PTE_PCD, D1, false);
    MOD_REFUSED(A(0), 0, tbl(A(0))[0] | PTE_PWT, D1, false);
    MOD_REFUSED(A(0), 0, tbl(A(0))[0] | PTE_PS, D1, false);
    MOD_REFUSED(A(1), 0, tbl(A(1))[0] | PTE_PS, D1, false);  /* XSA-148 */
    MOD_REFUSED(A(1), 0, tbl(A(1))[0] | PTE_G, D1, false);
    MOD_REFUSED(A(1), 1, pte(A(3), RW_ | PTE_PS), D1, false);
    ft.nx = false;
    MOD_REFUSED(A(0), 0, tbl(A(0))[0] | PTE_NX, D1, false);
    MOD_REFUSED(A(1), 0, tbl(A(1))[0] | PTE_NX, D1, false);
    MOD(A(0), 0, tbl(A(0))[0] | PTE_G, D1);
    ft.nx = true;
    MOD(A(0), 0, tbl(A(0))[0] | PTE_NX, D1);
}

static void test_mod_to_non_present(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    MOD(A(0), 0, pte(A(1), RW), D1);    /* P cleared: everything released */
    EXPECT(A(1), 0, 0, PGT_none);
    EXPECT(A(10), 0, 0, PGT_none);
    assert_int_equal(tbl(A(0))[0], pte(A(1), RW));
    MOD(A(0), 0, ~PTE_P, D1);       /* garbage, not present: accepted */
    assert_int_equal(tbl(A(0))[0], ~PTE_P);
    MOD(A(0), 0, pte(A(1), RW_), D1);   /* and back */
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
}

static void test_mod_drop_last_ref_devalidates_tree(void **state)
{
    (void)state;
    tbl(A(3))[0] = pte(A(10), RW_);
    tbl(A(3))[1] = pte(A(11), RO_);
    tbl(A(2))[0] = pte(A(3), RW_);
    tbl(A(1))[0] = pte(A(2), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 4, D1);
    MOD(A(0), 0, 0, D1);
    for (unsigned int n = 1; n <= 3; n++)
        EXPECT(A(n), 0, 0, PGT_none);
    EXPECT(A(10), 0, 0, PGT_none);
    EXPECT(A(11), 0, 0, PGT_none);
    EXPECT(A(0), 1, 1, PGT_l4);
}

static void test_mod_validates_new_subtree(void **state)
{
    (void)state;
    pin(A(0), 3, D1);
    tbl(A(2))[0] = pte(A(10), RW_);
    tbl(A(1))[0] = pte(A(2), RW_);
    MOD(A(0), 7, pte(A(1), RW_), D1);
    EXPECT(A(1), 1, 1, PGT_l2);
    EXPECT(A(2), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
    assert_int_equal(tbl(A(2))[0], pte(A(10), RW_ | US | PTE_GUEST_KERNEL));
    tbl(A(4))[0] = pte(A(5), RW_);
    tbl(A(5))[0] = pte(A(6), RW_ | PTE_PCD);   /* bad two levels down */
    MOD_REFUSED(A(0), 8, pte(A(4), RW_), D1, false);
    EXPECT(A(4), 0, 0, PGT_none);
    EXPECT(A(5), 0, 0, PGT_none);
}

static void test_pte_change_drops_refs(void **state)
{
    const uint64_t e = pte(A(10), RW_ | US);

    (void)state;
    assert_false(pte_change_drops_refs(0, e));                /* was not present */
    assert_false(pte_change_drops_refs(~PTE_P, 0));
    assert_false(pte_change_drops_refs(e, e));
    for (unsigned int k = 0; k < ARRAY_SIZE(fastpath_bits); k++)
        assert_false(pte_change_drops_refs(e, e ^ fastpath_bits[k]));
    assert_true(pte_change_drops_refs(e, e ^ RW));
    assert_true(pte_change_drops_refs(e, e ^ PTE_PCD));
    assert_true(pte_change_drops_refs(e, e ^ PTE_PS));
    assert_true(pte_change_drops_refs(e, pte(A(11), RW_ | US)));
    assert_true(pte_change_drops_refs(e, 0));
    assert_true(pte_change_drops_refs(e, e & ~PTE_P));
    CHECK();
}

/* ---- pin and unpin ------------------------------------------------------------ */

static void test_pin_each_level(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    pin(A(1), 1, D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    tbl(A(2))[0] = pte(A(1), RW_);
    pin(A(2), 2, D1);
    EXPECT(A(1), 2, 2, PGT_l1);
    tbl(A(3))[0] = pte(A(2), RW_);
    pin(A(3), 3, D1);
    EXPECT(A(2), 2, 2, PGT_l2);
    tbl(A(4))[0] = pte(A(3), RW_);
    pin(A(4), 4, D1);
    EXPECT(A(3), 2, 2, PGT_l3);
    EXPECT(A(4), 1, 1, PGT_l4);
}

static void test_pin_bad_level_refused(void **state)
{
    (void)state;
    REFUSED(pin_table(&ft, A(0), D1, 0));
    REFUSED(pin_table(&ft, A(0), D1, 5));
    REFUSED(pin_table(&ft, A(0), D1, 6));
    REFUSED(pin_table(&ft, A(0), D1, UINT32_MAX));
    assert_all_zero();
}

static void test_pin_out_of_range_refused(void **state)
{
    (void)state;
    REFUSED(pin_table(&ft, NR, D1, 1));
    REFUSED(pin_table(&ft, UINT64_MAX, D1, 4));
    REFUSED(unpin_table(&ft, NR, D1));
    REFUSED(unpin_table(&ft, UINT64_MAX, D1));
}

static void test_double_pin_refused(void **state)
{
    (void)state;
    pin(A(0), 2, D1);
    REFUSED(pin_table(&ft, A(0), D1, 2));   /* not nested */
    REFUSED(pin_table(&ft, A(0), D1, 1));
    REFUSED(pin_table(&ft, A(0), D1, 3));
    EXPECT(A(0), 1, 1, PGT_l2);
    unpin(A(0), D1);
    REFUSED(unpin_table(&ft, A(0), D1));
    assert_all_zero();
}

static void test_unpin_unpinned_refused(void **state)
{
    (void)state;
    REFUSED(unpin_table(&ft, A(0), D1));    /* untyped */
    tbl(A(1))[0] = pte(A(0), RW_);
    pin(A(1), 2, D1);                       /* A(0) an L1, but not pinned */
    REFUSED(unpin_table(&ft, A(0), D1));
    hold(A(2), D1, PGT_writable);
    REFUSED(unpin_table(&ft, A(2), D1));    /* writable */
    REFUSED(unpin_table(&ft, HVF, OWNER_NONE));
}

static void test_unpin_wrong_owner_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    REFUSED(unpin_table(&ft, A(0), D2));
    REFUSED(unpin_table(&ft, A(0), OWNER_NONE));
    PINNED(A(0));
    unpin(A(0), D1);
}

static void test_unpin_last_ref_devalidates(void **state)
{
    (void)state;
    for (unsigned int k = 0; k < 3; k++) {
        tbl(A(1 + k))[0] = pte(A(10 + k), RW_);
        tbl(A(1 + k))[1] = pte(A(20), RO_);
        tbl(A(0))[k] = pte(A(1 + k), RW_);
    }
    pin(A(0), 2, D1);
    EXPECT(A(20), 3, 0, PGT_none);
    unpin(A(0), D1);
    assert_all_zero();
    /* the entries stay as validation wrote them */
    assert_int_equal(tbl(A(1))[0], pte(A(10), RW_ | US | PTE_GUEST_KERNEL));
}

static void test_pinned_l1_survives_l2_unpin(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    pin(A(1), 1, D1);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    EXPECT(A(1), 2, 2, PGT_l1);
    unpin(A(0), D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    PINNED(A(1));
    EXPECT(A(10), 1, 1, PGT_writable);
    unpin(A(1), D1);
    assert_all_zero();
}

/* Type-count games: unpinning an L1 an L2 still references must not drop
 * its type, and it must stay impossible to map it writable. */
static void test_unpin_referenced_l1_stays_typed(void **state)
{
    (void)state;
    tbl(A(1))[0] = pte(A(10), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    pin(A(0), 2, D1);
    pin(A(1), 1, D1);
    unpin(A(1), D1);
    EXPECT(A(1), 1, 1, PGT_l1);
    EXPECT(A(10), 1, 1, PGT_writable);
    REFUSED(unpin_table(&ft, A(1), D1));    /* can't unpin twice */
    EXPECT(A(1), 1, 1, PGT_l1);
    pin(A(2), 1, D1);
    MOD_REFUSED(A(2), 0, pte(A(1), RW_), D1, false);
    REFUSED(get_page_and_type(&ft, A(1), D1, PGT_writable));
    unpin(A(0), D1);
    EXPECT(A(1), 0, 0, PGT_none);
    MOD(A(2), 0, pte(A(1), RW_), D1);  /* now a plain page */
}

static void test_pin_failure_leaves_nothing(void **state)
{
    (void)state;
    tbl(A(2))[0] = pte(A(10), RW_);
    tbl(A(2))[1] = pte(B(0), RO_);      /* bad, one level down */
    tbl(A(1))[0] = pte(A(2), RW_);
    tbl(A(0))[0] = pte(A(1), RW_);
    REFUSED(pin_table(&ft, A(0), D1, 3));
    assert_all_zero();
    UNPINNED(A(0));
    tbl(A(2))[1] = pte(A(11), RO_);
    pin(A(0), 3, D1);
}

static void test_repin_after_unpin(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    for (int k = 0; k < 3; k++) {
        pin(A(0), 1, D1);
        unpin(A(0), D1);
    }
    assert_all_zero();
    pin(A(0), 1, D1);
}

static void test_pin_mapped_rw_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    MOD(A(0), 0, pte(A(1), RW_), D1);
    REFUSED(pin_table(&ft, A(1), D1, 1));
    REFUSED(pin_table(&ft, A(1), D1, 4));
    MOD(A(0), 0, pte(A(1), RO_), D1);
    pin(A(1), 4, D1);
}

/* ---- whole trees -------------------------------------------------------------- */

struct tree {
    uint64_t l4, l3, l2, l1a, l1b, rw, ro;
};

/* A 4-level tree of domain d's frames base..base+6: shared subtrees, RW and
 * RO data, a read-only view of the L4 and L1 itself. Nothing pinned. */
static struct tree build_tree(uint64_t base)
{
    struct tree t = { base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6 };

    tbl(t.l4)[0] = pte(t.l3, RW_);
    tbl(t.l4)[511] = pte(t.l3, RW_);
    tbl(t.l3)[0] = pte(t.l2, RW_);
    tbl(t.l3)[5] = pte(t.l2, RO_);
    tbl(t.l2)[0] = pte(t.l1a, RW_);
    tbl(t.l2)[1] = pte(t.l1b, RW_);
    tbl(t.l1a)[0] = pte(t.rw, RW_);
    tbl(t.l1a)[1] = pte(t.ro, RO_);
    tbl(t.l1a)[2] = pte(t.l4, RO_);
    tbl(t.l1b)[0] = pte(t.rw, RW_ | US);
    tbl(t.l1b)[1] = pte(t.l1b, RO_);
    return t;
}

static void expect_tree(const struct tree *t, uint32_t l4c)
{
    EXPECT(t->l4, l4c + 1, l4c, PGT_l4);    /* + the RO mapping of it */
    EXPECT(t->l3, 2, 2, PGT_l3);
    EXPECT(t->l2, 2, 2, PGT_l2);
    EXPECT(t->l1a, 1, 1, PGT_l1);
    EXPECT(t->l1b, 2, 1, PGT_l1);
    EXPECT(t->rw, 2, 2, PGT_writable);
    EXPECT(t->ro, 1, 0, PGT_none);
}

static void test_tree_pinned_from_l4(void **state)
{
    struct tree t;

    (void)state;
    t = build_tree(A(0));
    pin(t.l4, 4, D1);
    expect_tree(&t, 1);
    for (uint64_t m = t.l3; m <= t.ro; m++)
        UNPINNED(m);
    for (unsigned int i = HV_L4_FIRST; i <= HV_L4_LAST; i++)
        assert_int_equal(tbl(t.l4)[i], hv_slot(i));
}

static void test_tree_unpin_devalidates_all(void **state)
{
    struct tree t;

    (void)state;
    t = build_tree(A(0));
    pin(t.l4, 4, D1);
    unpin(t.l4, D1);
    assert_all_zero();
    pin(t.l4, 4, D1);                   /* again, from the adjusted entries */
    expect_tree(&t, 1);
    unpin(t.l4, D1);
    assert_all_zero();
}

static void test_tree_with_cr3_reference(void **state)
{
    struct tree t;
    uint64_t bad = 0;

    (void)state;
    t = build_tree(A(0));
    hold(t.l4, D1, PGT_l4);             /* like loading CR3 */
    expect_tree(&t, 1);
    /* the checker needs to be told about it */
    assert_int_equal(mm_check_invariants(&ft, NULL, scratch, &bad), -EINVAL);
    assert_int_equal(bad, t.l4);
    pin(t.l4, 4, D1);
    expect_tree(&t, 2);
    unpin(t.l4, D1);
    expect_tree(&t, 1);                 /* the CR3 keeps it validated */
    release(t.l4);
    assert_all_zero();
}

static void test_tree_inner_pins_survive(void **state)
{
    struct tree t;

    (void)state;
    t = build_tree(A(0));
    pin(t.l4, 4, D1);
    pin(t.l2, 2, D1);
    pin(t.l1b, 1, D1);
    unpin(t.l4, D1);
    EXPECT(t.l4, 1, 0, PGT_none);       /* still mapped RO by l1a */
    EXPECT(t.l3, 0, 0, PGT_none);
    EXPECT(t.l2, 1, 1, PGT_l2);
    EXPECT(t.l1a, 1, 1, PGT_l1);
    EXPECT(t.l1b, 3, 2, PGT_l1);
    unpin(t.l2, D1);
    EXPECT(t.l1a, 0, 0, PGT_none);
    EXPECT(t.l1b, 2, 1, PGT_l1);
    EXPECT(t.rw, 1, 1, PGT_writable);
    unpin(t.l1b, D1);
    assert_all_zero();
}

static void test_trees_of_two_domains(void **state)
{
    struct tree a, b;

    (void)state;
    a = build_tree(A(20));
    b = build_tree(B(20));
    pin(a.l4, 4, D1);
    pin(b.l4, 4, D2);
    expect_tree(&a, 1);
    expect_tree(&b, 1);
    REFUSED(pin_table(&ft, b.l3, D1, 3));
    REFUSED(unpin_table(&ft, a.l4, D2));
    MOD_REFUSED(a.l3, 1, pte(b.l2, RW_), D1, false);
    MOD_REFUSED(a.l1a, 5, pte(b.rw, RO_), D1, false);
    unpin(a.l4, D1);
    unpin(b.l4, D2);
    assert_all_zero();
}

/* ---- the invariant checker itself --------------------------------------------- */

static void test_check_detects_count(void **state)
{
    struct tree t;

    (void)state;
    t = build_tree(A(0));
    pin(t.l4, 4, D1);
    ft.pages[t.ro].count++;
    CHECK_BAD(t.ro);
    ft.pages[t.ro].count--;
    CHECK();
    ft.pages[t.l2].count--;
    CHECK_BAD(t.l2);
    ft.pages[t.l2].count++;
    ft.pages[t.l4].count++;
    CHECK_BAD(t.l4);
    ft.pages[t.l4].count--;
    CHECK();
}

static void test_check_detects_type_count(void **state)
{
    struct tree t;

    (void)state;
    t = build_tree(A(0));
    pin(t.l4, 4, D1);
    ft.pages[t.rw].type_count--;
    CHECK_BAD(t.rw);
    ft.pages[t.rw].type_count++;
    ft.pages[t.l1a].type_count++;
    CHECK_BAD(t.l1a);
    ft.pages[t.l1a].type_count--;
    CHECK();
}

static void test_check_detects_type(void **state)
{
    (void)state;
    ft.pages[A(5)].type = PGT_l1;       /* a type without a reference */
    CHECK_BAD(A(5));
    ft.pages[A(5)].type = PGT_none;
    tbl(A(1))[0] = pte(A(2), RW_);
    pin(A(1), 2, D1);
    ft.pages[A(1)].type = PGT_l3;       /* an L2 claiming to be an L3 */
    CHECK_BAD(A(1));
    ft.pages[A(1)].type = PGT_l2;
    CHECK();
    ft.pages[A(2)].type = PGT_writable; /* the L2 now points at a non-L1 */
    CHECK_BAD(A(1));
    ft.pages[A(2)].type = PGT_l1;
    ft.pages[A(3)].type_count = 1;      /* a count without a type */
    ft.pages[A(3)].count = 1;
    CHECK_BAD(A(3));
}

static void test_check_detects_busy(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    ft.pages[A(0)].flags |= PGF_busy;
    CHECK_BAD(A(0));
    ft.pages[A(0)].flags &= (uint8_t)~PGF_busy;
    CHECK();
    ft.pages[A(7)].flags |= PGF_busy;   /* even on an untyped frame */
    CHECK_BAD(A(7));
}

static void test_check_detects_hv_slot_overwritten(void **state)
{
    (void)state;
    pin(A(0), 4, D1);
    tbl(A(0))[260] = 0;
    CHECK_BAD(A(0));
    tbl(A(0))[260] = hv_slot(260);
    CHECK();
    tbl(A(0))[HV_L4_LAST] ^= PTE_RW;
    CHECK_BAD(A(0));
}

static void test_check_detects_bad_entry(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    tbl(A(0))[3] = pte(A(11), RO_ | PTE_PCD);  /* written behind its back */
    CHECK_BAD(A(0));
    tbl(A(0))[3] = pte(B(0), RO_);                  /* a foreign frame */
    CHECK_BAD(A(0));
    tbl(A(0))[3] = pte(NR, RO_);                    /* beyond the table */
    CHECK_BAD(A(0));
    tbl(A(0))[3] = pte(A(11), RO_);                 /* unaccounted reference */
    CHECK_BAD(A(11));
    tbl(A(0))[3] = 0;
    CHECK();
    ft.nx = false;
    tbl(A(0))[0] |= PTE_NX;
    CHECK_BAD(A(0));
}

static void test_check_detects_owner_none_refs(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    ft.pages[A(10)].owner = OWNER_NONE; /* freed while still mapped */
    CHECK_BAD(A(0));
    ft.pages[A(10)].owner = D1;
    CHECK();
    ft.pages[HVF].count = 1;
    CHECK_BAD(HVF);
    ft.pages[HVF].count = 0;
    CHECK();
    /* references that add up, but on a frame nobody owns */
    pin(A(6), 1, D1);
    hold(A(7), D1, PGT_writable);
    ft.pages[A(6)].owner = OWNER_NONE;
    CHECK_BAD(A(6));
    ft.pages[A(6)].owner = D1;
    ft.pages[A(7)].owner = OWNER_NONE;
    CHECK_BAD(A(7));
}

static void test_check_detects_stray_pin(void **state)
{
    (void)state;
    ft.pages[A(4)].flags |= PGF_pinned; /* pinned without a type */
    CHECK_BAD(A(4));
    ft.pages[A(4)].flags = 0;
    pin(A(5), 1, D1);
    ft.pages[A(5)].flags &= (uint8_t)~PGF_pinned;   /* pin flag lost */
    CHECK_BAD(A(5));
}


/* ---- the hypervisor's shared page (rule 8) ------------------------------------ */

/* A shared page holds one general and one writable type reference of its
 * own; the owner may map it writable or read-only. */
static void test_share_page_and_map(void **state)
{
    (void)state;
    OK(share_page(&ft, A(1), D1));
    EXPECT(A(1), 1, 1, PGT_writable);
    assert_true(ft.pages[A(1)].flags & PGF_shared);
    pin(A(0), 1, D1);
    MOD(A(0), 0, pte(A(1), RW_), D1);
    MOD(A(0), 1, pte(A(1), RO_), D1);
    EXPECT(A(1), 3, 2, PGT_writable);
    MOD(A(0), 0, 0, D1);
    MOD(A(0), 1, 0, D1);
    EXPECT(A(1), 1, 1, PGT_writable);
}

/* Sharing needs a fresh frame of the owner's. */
static void test_share_page_refused(void **state)
{
    (void)state;
    REFUSED(share_page(&ft, A(1), D2));
    REFUSED(share_page(&ft, FREEF, OWNER_NONE));
    REFUSED(share_page(&ft, NR, D1));
    pin(A(2), 1, D1);
    REFUSED(share_page(&ft, A(2), D1));
    OK(share_page(&ft, A(1), D1));
    REFUSED(share_page(&ft, A(1), D1));
}

/* The issue-10 escape: a shared page, even unmapped and holding a valid
 * table image (all zero), never becomes a page table or GDT page. */
static void test_shared_page_never_a_table(void **state)
{
    (void)state;
    OK(share_page(&ft, A(1), D1));
    for (unsigned int level = 1; level <= 4; level++)
        REFUSED(pin_table(&ft, A(1), D1, level));
    REFUSED(get_page_type(&ft, A(1), PGT_seg_desc));
    REFUSED(get_page_type(&ft, A(1), PGT_l1));
    pin(A(0), 2, D1);
    MOD_REFUSED(A(0), 0, pte(A(1), RW_), D1, false);
    EXPECT(A(1), 1, 1, PGT_writable);
}

/* Given back with nothing of the owner's on it: no owner any more (it can
 * no longer be mapped), references kept until unshare_page. */
static void test_release_shared_page(void **state)
{
    (void)state;
    OK(share_page(&ft, A(1), D1));
    OK(release_shared_page(&ft, A(1), D1));
    assert_int_equal(ft.pages[A(1)].owner, OWNER_NONE);
    EXPECT(A(1), 1, 1, PGT_writable);
    pin(A(0), 1, D1);
    MOD_REFUSED(A(0), 0, pte(A(1), RO_), D1, false);
    unshare_page(&ft, A(1));
    EXPECT(A(1), 0, 0, PGT_none);
    CHECK();
}

/* Not while the owner maps it, not by another domain, not an ordinary
 * frame. */
static void test_release_shared_page_refused(void **state)
{
    (void)state;
    OK(share_page(&ft, A(1), D1));
    pin(A(0), 1, D1);
    MOD(A(0), 0, pte(A(1), RO_), D1);
    REFUSED(release_shared_page(&ft, A(1), D1));
    MOD(A(0), 0, 0, D1);
    REFUSED(release_shared_page(&ft, A(1), D2));
    REFUSED(release_shared_page(&ft, A(2), D1));
    REFUSED(release_shared_page(&ft, NR, D1));
    OK(release_shared_page(&ft, A(1), D1));
}

/* Teardown drops the shared page's own references. */
static void test_unshare_page(void **state)
{
    (void)state;
    OK(share_page(&ft, A(1), D1));
    unshare_page(&ft, A(1));
    EXPECT(A(1), 0, 0, PGT_none);
    assert_false(ft.pages[A(1)].flags & PGF_shared);
    unshare_page(&ft, A(1));                 /* twice: nothing more */
    EXPECT(A(1), 0, 0, PGT_none);
    CHECK();
}

/* The checker: a shared page must be writable and counted. */
static void test_check_detects_bad_shared_page(void **state)
{
    (void)state;
    ft.pages[A(1)].flags |= PGF_shared;       /* no references behind it */
    CHECK_BAD(A(1));
    ft.pages[A(1)].flags &= (uint8_t)~PGF_shared;
    OK(share_page(&ft, A(3), D1));
    ft.pages[A(3)].flags &= (uint8_t)~PGF_shared;
    CHECK_BAD(A(3));
}

/* The checker: a shared page typed as anything but writable is refused. */
static void test_check_detects_shared_table(void **state)
{
    (void)state;
    pin(A(1), 1, D1);
    ft.pages[A(1)].flags |= PGF_shared;       /* as if shared_info were pinned */
    ft.pages[A(1)].type_count++;
    ft.pages[A(1)].count++;
    CHECK_BAD(A(1));
}

/* ---- grant PTEs (rule 9) ------------------------------------------------------- */

/* The grant code writes a grant PTE into a free entry of the mapper's L1;
 * it holds no reference (the maptrack does, declared here as extra). */
static void test_grant_entry_set_and_clear(void **state)
{
    uint32_t plain[NR] = { 0 };
    uint64_t bad = 0;

    (void)state;
    pin(A(0), 1, D1);
    OK(set_grant_entry(&ft, A(0), 5, B(1), false, false, 0, D1));
    assert_true(tbl(A(0))[5] & PTE_GRANT);
    assert_false(tbl(A(0))[5] & RW);
    EXPECT(B(1), 0, 0, PGT_none);                    /* no reference of its own */
    get_page(&ft, B(1), D2);                         /* the maptrack's */
    plain[B(1)] = 1;
    assert_int_equal(mm_check_invariants_ext(&ft, extra, plain, scratch, &bad), 0);
    CHECK_BAD(B(1));                                 /* undeclared, it is caught */
    put_page(&ft, B(1));
    OK(clear_grant_entry(&ft, A(0), 5, B(1), D1));
    assert_int_equal(tbl(A(0))[5], 0);
}

/* XENFEAT_gnttab_map_avail_bits: the low three bits given land in the
 * PTE's bits 9-11 and nowhere else. */
static void test_grant_entry_avail_bits(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    OK(set_grant_entry(&ft, A(0), 5, B(1), true, false, 0xfffd, D1));
    assert_int_equal(tbl(A(0))[5] & (7ULL << 9), 5ULL << 9);
    assert_int_equal(tbl(A(0))[5] & ~(PTE_ADDR_MASK | (7ULL << 9)),
                     PTE_P | PTE_A | PTE_D | PTE_US | PTE_GRANT | RW | PTE_GUEST_KERNEL |
                     (ft.nx ? PTE_NX : 0));
    OK(clear_grant_entry(&ft, A(0), 5, B(1), D1));
    OK(set_grant_entry(&ft, A(0), 6, B(1), true, false, 0, D1));
    assert_int_equal(tbl(A(0))[6] & (7ULL << 9), 0);
    OK(clear_grant_entry(&ft, A(0), 6, B(1), D1));
}

static void test_grant_entry_refused(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    pin(A(1), 2, D1);
    REFUSED(set_grant_entry(&ft, A(1), 5, B(1), true, false, 0, D1));   /* not an L1 */
    REFUSED(set_grant_entry(&ft, A(0), 5, B(1), true, false, 0, D2));   /* not D2's */
    REFUSED(set_grant_entry(&ft, A(0), 512, B(1), true, false, 0, D1));
    MOD(A(0), 6, pte(A(10), RO_), D1);
    REFUSED(set_grant_entry(&ft, A(0), 6, B(1), true, false, 0, D1));   /* in use */
    REFUSED(clear_grant_entry(&ft, A(0), 6, A(10), D1));             /* no grant PTE */
    OK(set_grant_entry(&ft, A(0), 7, B(1), true, true, 0, D1));
    REFUSED(clear_grant_entry(&ft, A(0), 7, B(2), D1));              /* another frame */
    REFUSED(clear_grant_entry(&ft, A(0), 7, B(1), D2));
    OK(clear_grant_entry(&ft, A(0), 7, B(1), D1));
}

/* The guest can neither change nor clear a grant PTE, and unpinning its
 * table drops nothing for it (the frame's counts are the maptrack's). */
static void test_grant_entry_not_the_guests(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    OK(set_grant_entry(&ft, A(0), 5, B(1), true, false, 0, D1));
    MOD_REFUSED(A(0), 5, 0, D1, false);
    MOD_REFUSED(A(0), 5, tbl(A(0))[5] & ~RW, D1, false);
    MOD_REFUSED(A(0), 5, pte(A(10), RW_), D1, false);
    unpin(A(0), D1);                                 /* devalidated: B(1) untouched */
    EXPECT(B(1), 0, 0, PGT_none);
    REFUSED(pin_table(&ft, A(0), D1, 1));            /* never a table again as is */
}

/* unmap_and_replace: an ordinary entry moves over a grant PTE, with its
 * references; only onto a grant PTE, only from a present ordinary one. */
static void test_grant_entry_replaced(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    OK(set_grant_entry(&ft, A(0), 5, B(1), true, false, 0, D1));
    MOD(A(0), 9, pte(A(10), RW_), D1);
    REFUSED(replace_grant_entry(&ft, A(0), 9, B(1), A(0), 5, D1));    /* not onto a grant */
    REFUSED(replace_grant_entry(&ft, A(0), 5, B(2), A(0), 9, D1));    /* another frame */
    REFUSED(replace_grant_entry(&ft, A(0), 5, B(1), A(0), 8, D1));    /* from nothing */
    REFUSED(replace_grant_entry(&ft, A(0), 5, B(1), A(0), 9, D2));
    OK(replace_grant_entry(&ft, A(0), 5, B(1), A(0), 9, D1));
    assert_int_equal(tbl(A(0))[9], 0);
    assert_int_equal((tbl(A(0))[5] & PTE_ADDR_MASK) >> PAGE_SHIFT, A(10));
    EXPECT(A(10), 1, 1, PGT_writable);                               /* moved, not retaken */
}

/* ---- foreign mappings (rule 10) ----------------------------------------------- */

static uint16_t allowed_mapper = 0xffff;
static uint64_t released_mfn;
static unsigned int released_calls;

static bool fake_foreign_ok(void *ctx, uint16_t mapper, uint16_t frame_owner)
{
    assert_ptr_equal(ctx, &ctx_marker);
    (void)frame_owner;
    return mapper == allowed_mapper;
}

static void fake_released(void *ctx, uint64_t mfn)
{
    assert_ptr_equal(ctx, &ctx_marker);
    released_mfn = mfn;
    released_calls++;
}

/* Without a foreign_ok, or with one that says no, an L1 maps only its
 * owner's frames. */
static void test_foreign_refused_unless_allowed(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    REFUSED(mod_entry_foreign(&ft, A(0), 3, pte(B(1), RO_), D1, D2, false));
    ft.foreign_ok = fake_foreign_ok;
    allowed_mapper = D2;                                  /* D1 may not */
    REFUSED(mod_entry_foreign(&ft, A(0), 3, pte(B(1), RO_), D1, D2, false));
    ft.foreign_ok = NULL;
}

/* A privileged mapper's L1 maps another domain's frame, read-only (a
 * general reference) or writable (its writable type); never at L2, never
 * a frame that is not frame_owner's, never a free frame. */
static void test_foreign_mapping(void **state)
{
    (void)state;
    ft.foreign_ok = fake_foreign_ok;
    allowed_mapper = D1;
    pin(A(0), 1, D1);
    pin(A(1), 2, D1);
    OK(mod_entry_foreign(&ft, A(0), 3, pte(B(1), RO_), D1, D2, false));
    EXPECT(B(1), 1, 0, PGT_none);
    OK(mod_entry_foreign(&ft, A(0), 4, pte(B(2), RW_), D1, D2, false));
    EXPECT(B(2), 1, 1, PGT_writable);
    MOD_REFUSED(A(0), 5, pte(B(3), RO_), D1, false);      /* not named: refused */
    REFUSED(mod_entry_foreign(&ft, A(1), 3, pte(B(4), RO_), D1, D2, false));   /* L2 */
    REFUSED(mod_entry_foreign(&ft, A(0), 6, pte(A(20), RO_), D1, D2, false));  /* D1's */
    REFUSED(mod_entry_foreign(&ft, A(0), 6, pte(FREEF, RO_), D1, OWNER_NONE, false));
    pin(B(5), 1, D2);
    REFUSED(mod_entry_foreign(&ft, A(0), 6, pte(B(5), RW_), D1, D2, false));   /* a table */
    MOD(A(0), 3, 0, D1);
    MOD(A(0), 4, 0, D1);
    EXPECT(B(1), 0, 0, PGT_none);
    EXPECT(B(2), 0, 0, PGT_none);
    ft.foreign_ok = NULL;
}

/* mod_entry_report: an entry written with the value it holds (as stored,
 * adjusted) changes nothing, whatever the counts, and drops nothing; the
 * same value is still refused where the full path refuses it: a table
 * that is not the caller's, a foreign frame_owner, a grant entry. */
static void test_mod_unchanged_entry_is_noop(void **state)
{
    const struct entry_update self = { D1, D1, false }, foreign = { D1, D2, false };
    const struct entry_update other = { D2, D2, false };
    bool dropped = false;
    uint64_t held;

    (void)state;
    ft.foreign_ok = fake_foreign_ok;
    allowed_mapper = D1;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    fake_writable_refs(A(10), PAGE_COUNT_MAX - 1);   /* no reference left to take */
    held = tbl(A(0))[0];
    OK(mod_entry_report(&ft, A(0), 0, held, &self, &dropped));
    assert_false(dropped);
    assert_int_equal(tbl(A(0))[0], held);
    EXPECT(A(10), PAGE_COUNT_MAX, PAGE_COUNT_MAX, PGT_writable);
    OK(mod_entry_report(&ft, A(0), 7, 0, &self, &dropped));           /* not present */
    assert_false(dropped);
    REFUSED(mod_entry_report(&ft, A(0), 0, held, &foreign, &dropped));
    REFUSED(mod_entry_report(&ft, A(0), 0, held, &other, &dropped));
    assert_int_equal(tbl(A(0))[0], held);
    OK(set_grant_entry(&ft, A(0), 5, B(1), false, false, 0, D1));
    held = tbl(A(0))[5];
    REFUSED(mod_entry_report(&ft, A(0), 5, held, &self, &dropped));
    assert_int_equal(tbl(A(0))[5], held);
    OK(clear_grant_entry(&ft, A(0), 5, B(1), D1));
    assert_false(dropped);
    ft.foreign_ok = NULL;
}

/* mod_entry_report says when references went (a flush is due): a present
 * entry replaced off the fast path; not for a new entry, a fast-path
 * change or a refusal; and it never clears the flag. */
static void test_mod_entry_report_dropped(void **state)
{
    const struct entry_update self = { D1, D1, false };
    bool dropped = false;

    (void)state;
    pin(A(0), 1, D1);
    OK(mod_entry_report(&ft, A(0), 0, pte(A(10), RW_), &self, &dropped));
    assert_false(dropped);                                   /* was not present */
    OK(mod_entry_report(&ft, A(0), 0, tbl(A(0))[0] ^ PTE_D, &self, &dropped));
    assert_false(dropped);                                   /* fast path */
    MOD_REFUSED(A(0), 0, pte(A(0), RW_), D1, false);
    REFUSED(mod_entry_report(&ft, A(0), 0, pte(A(0), RW_), &self, &dropped));
    assert_false(dropped);                                   /* refused */
    OK(mod_entry_report(&ft, A(0), 0, pte(A(11), RW_), &self, &dropped));
    assert_true(dropped);                                    /* A(10) let go */
    EXPECT(A(10), 0, 0, PGT_none);
    OK(mod_entry_report(&ft, A(0), 1, pte(A(12), RO_), &self, &dropped));
    assert_true(dropped);                                    /* never cleared */
    dropped = false;
    OK(mod_entry_report(&ft, A(0), 0, 0, &self, &dropped));
    assert_true(dropped);                                    /* unmapped */
}

/* The inline reference paths of an update (a frame already writable, a
 * mapping that is not the last): the counts move by one each way, and the
 * limits and owners hold as on the full path. */
static void test_mod_held_type_refs(void **state)
{
    (void)state;
    tbl(A(0))[0] = pte(A(10), RW_);
    pin(A(0), 1, D1);
    EXPECT(A(10), 1, 1, PGT_writable);
    MOD(A(0), 1, pte(A(10), RW_), D1);                       /* already writable */
    EXPECT(A(10), 2, 2, PGT_writable);
    MOD(A(0), 1, pte(A(11), RW_), D1);                       /* not the last one */
    EXPECT(A(10), 1, 1, PGT_writable);
    fake_writable_refs(A(10), PAGE_COUNT_MAX - 1);
    MOD_REFUSED(A(0), 2, pte(A(10), RW_), D1, false);        /* both counts at the max */
    fake_writable_refs(B(3), 1);
    MOD_REFUSED(A(0), 2, pte(B(3), RW_), D1, false);         /* writable, not D1's */
}

/* mmu_update's write at a machine address: an aligned entry of the
 * caller's table is updated (the index from the address), a plain frame of
 * the caller's is handed back as MMU_PT_PLAIN for a write of its own,
 * anything else is refused. */
static void test_mmu_pt_write(void **state)
{
    const struct entry_update self = { D1, D1, false }, foreign = { D1, D2, false };
    bool dropped = false;

    (void)state;
    ft.foreign_ok = fake_foreign_ok;
    allowed_mapper = D1;
    pin(A(0), 1, D1);
    OK(mmu_pt_write(&ft, pte(A(0), 0) + 8 * 3, pte(A(10), RW_), &self, &dropped));
    assert_int_equal(tbl(A(0))[3] & PTE_ADDR_MASK, pte(A(10), 0));
    EXPECT(A(10), 1, 1, PGT_writable);
    REFUSED(mmu_pt_write(&ft, pte(A(0), 0) + 8 * 3 + 4, 0, &self, &dropped));  /* misaligned */
    REFUSED(mmu_pt_write(&ft, pte(B(0), 0), 0, &self, &dropped));              /* D2's */
    REFUSED(mmu_pt_write(&ft, pte(NR, 0), 0, &self, &dropped));                /* beyond */
    assert_int_equal(mmu_pt_write(&ft, pte(A(5), 0) + 16, 7, &self, &dropped), MMU_PT_PLAIN);
    REFUSED(mmu_pt_write(&ft, pte(A(5), 0) + 16, 7, &foreign, &dropped));
    assert_false(dropped);
    OK(mmu_pt_write(&ft, pte(A(0), 0) + 8 * 3, 0, &self, &dropped));
    assert_true(dropped);
    EXPECT(A(10), 0, 0, PGT_none);
    ft.foreign_ok = NULL;
}

/* ---- rule 11: I/O memory ---------------------------------------------------- */

#define IOF      3u                       /* mappable I/O memory in the table */
#define IOF2     4u
#define IO_DENY  5u                       /* the hypervisor's device */
#define IO_HIGH  (NR + 40u)               /* device memory beyond the table */
#define IO_HIGH_DENY (NR + 41u)

static unsigned int fake_iomem(void *ctx, uint64_t mfn)
{
    assert_ptr_equal(ctx, &ctx_marker);
    if (mfn == IO_DENY || mfn == IO_HIGH_DENY)
        return 2;
    return mfn == IOF || mfn == IOF2 || mfn == IO_HIGH ? 1 : 0;
}

static bool fake_iomem_ok(void *ctx, uint16_t mapper)
{
    assert_ptr_equal(ctx, &ctx_marker);
    return mapper == allowed_mapper;
}

static void iomem_on(uint16_t mapper)
{
    ft.iomem = fake_iomem;
    ft.iomem_ok = fake_iomem_ok;
    allowed_mapper = mapper;
}

static void iomem_off(void)
{
    ft.iomem = NULL;
    ft.iomem_ok = NULL;
}

/* A privileged domain's L1 maps I/O memory read-only or writable, in the
 * table's range or beyond it, taking no reference; the frames stay
 * ownerless and zero, and clearing the entries gives nothing back. */
static void test_iomem_mapped_without_references(void **state)
{
    (void)state;
    iomem_on(D1);
    pin(A(0), 1, D1);
    MOD(A(0), 1, pte(IOF, RO_), D1);
    MOD(A(0), 2, pte(IOF2, RW_), D1);
    MOD(A(0), 3, pte(IO_HIGH, RW_), D1);
    MOD(A(0), 4, pte(IOF, RW_), D1);                    /* twice: still nothing */
    EXPECT(IOF, 0, 0, PGT_none);
    EXPECT(IOF2, 0, 0, PGT_none);
    assert_int_equal(ft.pages[IOF].owner, OWNER_NONE);
    MOD(A(0), 1, 0, D1);
    MOD(A(0), 2, pte(A(5), RW_), D1);                  /* I/O -> RAM: RAM's rules */
    EXPECT(A(5), 1, 1, PGT_writable);
    MOD(A(0), 2, pte(IOF2, RO_), D1);                  /* and back */
    EXPECT(A(5), 0, 0, PGT_none);
    unpin(A(0), D1);
    EXPECT(IOF, 0, 0, PGT_none);
    iomem_off();
}

/* Refused: a denied frame (ours or beyond the table), a mapper without
 * the permission, no policy at all, an entry above L1, and RAM that is not
 * the mapper's (the hypervisor's, a free frame) whatever the permission. */
static void test_iomem_refusals(void **state)
{
    (void)state;
    pin(A(0), 1, D1);
    pin(A(1), 2, D1);
    pin(B(0), 1, D2);
    MOD_REFUSED(A(0), 1, pte(IOF, RO_), D1, false);        /* no policy: -EBUSY */
    iomem_on(D1);
    assert_int_equal(mod_entry(&ft, A(0), 1, pte(IO_DENY, RO_), D1, false), -EPERM);
    MOD_REFUSED(A(0), 1, pte(IO_DENY, RO_), D1, false);
    MOD_REFUSED(A(0), 1, pte(IO_HIGH_DENY, RW_), D1, false);
    assert_int_equal(mod_entry(&ft, B(0), 1, pte(IOF, RO_), D2, false), -EPERM);
    MOD_REFUSED(B(0), 1, pte(IO_HIGH, RO_), D2, false);
    MOD_REFUSED(A(1), 1, pte(IOF, RO_), D1, false);        /* an L2 entry */
    MOD_REFUSED(A(0), 1, pte(HVF, RO_), D1, false);
    MOD_REFUSED(A(0), 1, pte(FREEF, RW_), D1, false);
    MOD_REFUSED(A(0), 1, pte(B(3), RO_), D1, false);
    iomem_off();
}

/* A table holding I/O entries validates as a whole for the permitted
 * domain only (pin), and the checker counts those entries as holding
 * nothing; one the policy denies fails the check. */
static void test_iomem_in_validated_table(void **state)
{
    (void)state;
    iomem_on(D1);
    tbl(A(2))[7] = pte(IOF, RW_);
    tbl(A(2))[8] = pte(IO_HIGH, RO_);
    tbl(A(2))[9] = pte(A(6), RO_);
    pin(A(2), 1, D1);
    EXPECT(A(6), 1, 0, PGT_none);
    EXPECT(IOF, 0, 0, PGT_none);
    tbl(B(2))[7] = pte(IOF, RO_);
    REFUSED(pin_table(&ft, B(2), D2, 1));
    tbl(A(2))[10] = pte(IO_DENY, RO_) | US;             /* behind the rules' back */
    CHECK_BAD(A(2));
    tbl(A(2))[10] = 0;
    unpin(A(2), D1);
    EXPECT(A(6), 0, 0, PGT_none);
    iomem_off();
}

/* Rule 12: an I/O memory entry may carry PCD and PWT (ioremap's uncached
 * mappings), in place and in a table validated whole; RAM with them, an
 * I/O frame with any other extra bit, and an I/O frame the mapper may not
 * map stay refused. */
static void test_iomem_cache_attributes(void **state)
{
    (void)state;
    iomem_on(D1);
    pin(A(0), 1, D1);
    pin(B(0), 1, D2);
    MOD(A(0), 1, pte(IOF, RW_) | PTE_PCD, D1);
    MOD(A(0), 2, pte(IO_HIGH, RW_) | PTE_PCD | PTE_PWT, D1);
    MOD(A(0), 3, pte(IOF2, RO_) | PTE_PWT, D1);
    assert_int_equal(tbl(A(0))[1] & PTE_PCD, PTE_PCD);          /* kept in the entry */
    EXPECT(IOF, 0, 0, PGT_none);
    MOD_REFUSED(A(0), 4, pte(A(5), RW_) | PTE_PCD, D1, false);   /* RAM: -EINVAL */
    assert_int_equal(mod_entry(&ft, A(0), 4, pte(A(5), RO_) | PTE_PWT, D1, false), -EINVAL);
    MOD_REFUSED(A(0), 4, pte(IOF, RW_) | PTE_PCD | PTE_GRANT, D1, false);
    assert_int_equal(mod_entry(&ft, A(0), 4, pte(IO_DENY, RW_) | PTE_PCD, D1, false), -EPERM);
    assert_int_equal(mod_entry(&ft, B(0), 1, pte(IOF, RW_) | PTE_PCD, D2, false), -EPERM);
    tbl(A(2))[7] = pte(IOF, RW_) | PTE_PCD | PTE_PWT;
    pin(A(2), 1, D1);
    unpin(A(2), D1);
    tbl(A(3))[7] = pte(A(6), RW_) | PTE_PCD;
    REFUSED(pin_table(&ft, A(3), D1, 1));
    tbl(A(3))[7] = 0;
    unpin(A(0), D1);
    unpin(B(0), D2);
    iomem_off();
}

/* The last general reference going tells the frame table's owner. */
static void test_released_hook(void **state)
{
    (void)state;
    ft.released = fake_released;
    released_calls = 0;
    assert_int_equal(get_page(&ft, A(3), D1), 0);
    CHECK_BAD(A(3));
    assert_int_equal(get_page(&ft, A(3), D1), 0);
    put_page(&ft, A(3));
    assert_int_equal(released_calls, 0);
    put_page(&ft, A(3));
    assert_int_equal(released_calls, 1);
    assert_int_equal(released_mfn, A(3));
    put_page(&ft, A(3));                                  /* at zero: nothing */
    assert_int_equal(released_calls, 1);
    ft.released = NULL;
}

/* ---- the inline forms (page_types.h: a grant copy's references) ------------ */

/* A frame already writable (a guest's own RW mapping): a copy's general
 * and writable type references come and go inline, the counts as the
 * out-of-line calls leave them. */
static void test_fast_refs_on_held_frame(void **state)
{
    (void)state;
    hold(A(0), D1, PGT_writable);
    ft.released = fake_released;
    released_calls = 0;
    assert_int_equal(get_page_fast(&ft, A(0), D1), 0);
    assert_int_equal(get_page_type_fast(&ft, A(0), PGT_writable), 0);
    EXPECT(A(0), 2, 2, PGT_writable);
    extra[A(0)]++;
    CHECK();
    put_page_type_fast(&ft, A(0));
    put_page_fast(&ft, A(0));
    extra[A(0)]--;
    EXPECT(A(0), 1, 1, PGT_writable);
    CHECK();
    assert_int_equal(released_calls, 0);
    release(A(0));
    ft.released = NULL;
    assert_all_zero();
}

/* A frame with no references: the type starts and ends through the calls,
 * so it goes with the copy (the frame can be pinned after) and the last
 * general reference says so (released). */
static void test_fast_refs_start_and_end(void **state)
{
    (void)state;
    ft.released = fake_released;
    released_calls = 0;
    assert_int_equal(get_page_fast(&ft, A(0), D1), 0);
    assert_int_equal(get_page_type_fast(&ft, A(0), PGT_writable), 0);
    EXPECT(A(0), 1, 1, PGT_writable);
    extra[A(0)]++;
    CHECK();
    put_page_type_fast(&ft, A(0));
    EXPECT(A(0), 1, 0, PGT_none);
    put_page_fast(&ft, A(0));
    extra[A(0)]--;
    assert_int_equal(released_calls, 1);
    assert_int_equal(released_mfn, A(0));
    ft.released = NULL;
    assert_all_zero();
    pin(A(0), 1, D1);
}

/* Every refusal of the calls stands: another's frame, nobody's, beyond
 * RAM, a count at its maximum, a page table wanted writable. */
static void test_fast_refs_refused(void **state)
{
    (void)state;
    REFUSED(get_page_fast(&ft, A(0), D2));
    REFUSED(get_page_fast(&ft, HVF, D1));
    REFUSED(get_page_fast(&ft, HVF, OWNER_NONE));
    REFUSED(get_page_fast(&ft, NR, D1));
    REFUSED(get_page_type_fast(&ft, NR, PGT_writable));
    pin(A(1), 1, D1);
    REFUSED(get_page_type_fast(&ft, A(1), PGT_writable));
    EXPECT(A(1), 1, 1, PGT_l1);
    hold(A(2), D1, PGT_writable);
    REFUSED(get_page_type_fast(&ft, A(2), PGT_none));
    fake_writable_refs(A(3), PAGE_COUNT_MAX);
    REFUSED(get_page_fast(&ft, A(3), D1));
    REFUSED(get_page_type_fast(&ft, A(3), PGT_writable));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TD(f) cmocka_unit_test_setup_teardown(f, setup_direct, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ft_init_clears_everything),
        T(test_ft_init_any_size_stops_at_nr),
        T(test_level_conversions),
        T(test_get_page_owner_match),
        T(test_get_page_wrong_owner_refused),
        T(test_get_page_owner_none_refused),
        T(test_get_page_out_of_range_refused),
        T(test_get_page_count_overflow_refused),
        T(test_put_page_at_zero_is_noop),
        T(test_type_none_writable_none),
        T(test_writable_cannot_become_l1),
        T(test_writable_mapping_blocks_l1),
        T(test_l1_cannot_become_writable),
        T(test_retype_in_use_refused),
        T(test_type_count_overflow_refused),
        T(test_type_count_overflow_l1),
        T(test_get_page_type_none_refused),
        T(test_get_page_type_out_of_range_refused),
        T(test_get_page_and_type_wrong_owner_refused),
        T(test_seg_desc_type),
        T(test_check_descriptor),
        T(test_seg_desc_validation),
        T(test_l1_rw_entries_take_writable_refs),
        T(test_l1_ro_entries_take_general_refs),
        T(test_l1_ro_self_map_accepted),
        T(test_l1_rw_self_map_refused),
        T(test_l1_block_edges),
        T(test_l1_refusal_releases_earlier_blocks),
        T(test_l2_needs_l1_targets),
        T(test_l2_entry_to_writable_refused),
        T(test_l2_entry_to_l2_refused),
        T(test_l2_self_reference_refused),
        T(test_l3_needs_l2_targets),
        T(test_l4_needs_l3_targets),
        T(test_l4_self_reference_refused),
        T(test_empty_tables_validate),
        T(test_duplicate_entries_count_twice),
        T(test_l1_all_or_nothing),
        T(test_l1_all_or_nothing_first_and_last),
        T(test_l2_all_or_nothing),
        T(test_l4_all_or_nothing),
        T(test_validation_adjusts_entries),
        T(test_non_present_garbage_accepted),
        T(test_l4_hv_slots_filled),
        T(test_l4_guest_slots_around_hv_validated),
        T(test_l4_without_fill_callback),
        T(test_l1_pwt_pcd_pat_refused),
        T(test_l1_global_allowed),
        T(test_global_refused_above_l1),
        T(test_pse_refused_l2_l3),
        T(test_cache_bits_refused_above_l1),
        T(test_nx_allowed_with_nx),
        T(test_nx_refused_without_nx),
        T(test_high_avail_bits_allowed),
        T(test_avail_bits_allowed),
        T(test_every_bit_every_level),
        T(test_address_beyond_table_refused),
        T(test_l1_foreign_frame_refused),
        T(test_foreign_tables_refused),
        T(test_hypervisor_frames_refused),
        T(test_pin_wrong_owner_refused),
        T(test_two_domains_independent),
        T(test_mod_l1_map_writable),
        T(test_mod_l1_map_readonly),
        T(test_mod_ro_to_rw_of_page_table_refused),
        T(test_mod_writable_alias_via_other_l1_refused),
        T(test_mod_writable_blocks_later_l1),
        T(test_mod_fast_path_l1),
        T(test_mod_fast_path_l2),
        T(test_mod_rw_flip_revalidates),
        T(test_mod_rw_flip_data_page),
        T(test_mod_change_mfn),
        T(test_mod_refused_change_keeps_old),
        T(test_mod_new_ref_taken_before_old_dropped),
        T(test_mod_preserve_ad),
        T(test_mod_idx_out_of_range_refused),
        T(test_mod_hv_slots_refused),
        T(test_mod_non_page_table_refused),
        T(test_mod_wrong_owner_refused),
        T(test_mod_foreign_and_hv_targets_refused),
        T(test_mod_self_reference_refused),
        T(test_mod_same_level_refused),
        T(test_mod_disallowed_bits_refused),
        T(test_mod_to_non_present),
        T(test_mod_drop_last_ref_devalidates_tree),
        T(test_mod_validates_new_subtree),
        T(test_pte_change_drops_refs),
        T(test_mod_unchanged_entry_is_noop),
        T(test_mod_entry_report_dropped),
        T(test_mod_held_type_refs),
        T(test_mmu_pt_write),
        TD(test_mmu_pt_write),
        TD(test_mod_unchanged_entry_is_noop),
        TD(test_mod_entry_report_dropped),
        TD(test_mod_held_type_refs),
        TD(test_mod_change_mfn),
        TD(test_mod_fast_path_l1),
        TD(test_l1_all_or_nothing),
        TD(test_l4_hv_slots_filled),
        TD(test_foreign_mapping),
        T(test_pin_each_level),
        T(test_pin_bad_level_refused),
        T(test_pin_out_of_range_refused),
        T(test_double_pin_refused),
        T(test_unpin_unpinned_refused),
        T(test_unpin_wrong_owner_refused),
        T(test_unpin_last_ref_devalidates),
        T(test_pinned_l1_survives_l2_unpin),
        T(test_unpin_referenced_l1_stays_typed),
        T(test_pin_failure_leaves_nothing),
        T(test_repin_after_unpin),
        T(test_pin_mapped_rw_refused),
        T(test_tree_pinned_from_l4),
        T(test_tree_unpin_devalidates_all),
        T(test_tree_with_cr3_reference),
        T(test_tree_inner_pins_survive),
        T(test_trees_of_two_domains),
        T(test_check_detects_count),
        T(test_check_detects_type_count),
        T(test_check_detects_type),
        T(test_check_detects_busy),
        T(test_check_detects_hv_slot_overwritten),
        T(test_check_detects_bad_entry),
        T(test_check_detects_owner_none_refs),
        T(test_check_detects_stray_pin),
        T(test_share_page_and_map),
        T(test_share_page_refused),
        T(test_shared_page_never_a_table),
        T(test_release_shared_page),
        T(test_release_shared_page_refused),
        T(test_unshare_page),
        T(test_check_detects_bad_shared_page),
        T(test_check_detects_shared_table),
        T(test_grant_entry_set_and_clear),
        T(test_grant_entry_avail_bits),
        T(test_grant_entry_refused),
        T(test_grant_entry_not_the_guests),
        T(test_grant_entry_replaced),
        T(test_foreign_refused_unless_allowed),
        T(test_foreign_mapping),
        T(test_iomem_mapped_without_references),
        T(test_iomem_refusals),
        T(test_iomem_cache_attributes),
        T(test_iomem_in_validated_table),
        T(test_released_hook),
        T(test_fast_refs_on_held_frame),
        T(test_fast_refs_start_and_end),
        T(test_fast_refs_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
