/*
 * Test grant_copy: GNTTABOP_copy between our own pages, with a grant or a
 * frame on either side (a domain may grant to itself).
 *
 * What: bytes copied frame to frame, grant to frame, frame to grant and
 * grant to grant, at offsets, land exactly there and nowhere else; a copy
 * that would leave either page (offset + len > 4096) is
 * GNTST_bad_copy_arg; a destination grant that is read-only is refused,
 * as is a destination frame that is one of our page tables (the
 * hypervisor would be writing a live page table), a source frame that is
 * not ours, and a reference past the table; a batch of two copies gives
 * each its own status. After each copy the grant entries show no use.
 * Whole quadwords (a page grant to grant, 16 bytes at aligned offsets)
 * land exactly too. The destination's writable type lasts only as long
 * as the copy: a frame mapped nowhere writable, filled by a copy, then
 * pins as an L1; pinned, a copy into it is refused and one from it
 * accepted. A batch of 600 copies (longer than one continuation's share)
 * gives every uop its own status, the one bad uop past the 512th too.
 * Why: netback and blkback move data this way; every bound is an attack
 * a hostile frontend could try.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "granttest.h"

static const char test_title[] = "grant copy: grant or frame on either side, bounds, refusals";

#define SRC_REF  20
#define DST_REF  21
#define RO_REF   22

static volatile struct grant_entry_v1 *table;

static bool map_table(void)
{
    table = gt_map_own_table(test_va(0));
    return table != NULL;
}

static void grant(grant_ref_t ref, uint64_t mfn, uint16_t extra_flags)
{
    gt_grant(table, ref, 0, mfn, extra_flags);     /* to ourselves: domain 0 */
}

static struct gnttab_copy_ptr by_ref(grant_ref_t ref, uint16_t off)
{
    return (struct gnttab_copy_ptr){ .u.ref = ref, .domid = DOMID_SELF, .offset = off };
}

static struct gnttab_copy_ptr by_frame(uint64_t mfn, uint16_t off)
{
    return (struct gnttab_copy_ptr){ .u.gmfn = mfn, .domid = DOMID_SELF, .offset = off };
}

static int16_t copy(struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst, uint16_t len,
                    uint16_t flags)
{
    struct gnttab_copy c = { .source = src, .dest = dst, .len = len, .flags = flags };

    if (HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1))
        test_failure("GNTTABOP_copy: the hypercall itself failed");
    return c.status;
}

static void fill(const struct test_page *p, uint8_t v)
{
    memset(p->va, v, PAGE_SIZE);
}

/* dst holds want in [off, off + len) and its fill byte elsewhere. */
static bool landed(const struct test_page *dst, uint16_t off, uint16_t len, uint8_t want,
                   uint8_t fill_byte)
{
    const uint8_t *b = (const uint8_t *)dst->va;

    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        if (b[i] != ((i >= off && i < off + len) ? want : fill_byte))
            return false;
    return true;
}

static void directions(const struct test_page *s, const struct test_page *d)
{
    static const struct { const char *what; uint16_t flags; } kinds[] = {
        { "frame to frame", 0 },
        { "grant to frame", GNTCOPY_source_gref },
        { "frame to grant", GNTCOPY_dest_gref },
        { "grant to grant", GNTCOPY_source_gref | GNTCOPY_dest_gref },
    };

    for (unsigned int k = 0; k < 4; k++) {
        uint16_t f = kinds[k].flags;
        fill(s, (uint8_t)(0x10 + k));
        fill(d, 0xee);
        check_rc(kinds[k].what,
                 copy((f & GNTCOPY_source_gref) ? by_ref(SRC_REF, 100) : by_frame(s->mfn, 100),
                      (f & GNTCOPY_dest_gref) ? by_ref(DST_REF, 3000) : by_frame(d->mfn, 3000),
                      1000, f), GNTST_okay);
        check_true("  the bytes landed there and nowhere else",
                   landed(d, 3000, 1000, (uint8_t)(0x10 + k), 0xee));
        check_rc("  no use left on the entries (reading/writing bits)",
                 (table[SRC_REF].flags | table[DST_REF].flags) & (GTF_reading | GTF_writing), 0);
    }
}

static void refusals(const struct test_page *s, const struct test_page *d)
{
    uint64_t l1 = table_mfn(test_va(0), 1), hv = hypervisor_frame();

    check_rc("a copy leaving the destination page",
             copy(by_frame(s->mfn, 0), by_frame(d->mfn, 4000), 97, 0), GNTST_bad_copy_arg);
    check_rc("a copy leaving the source page",
             copy(by_frame(s->mfn, 4095), by_frame(d->mfn, 0), 2, 0), GNTST_bad_copy_arg);
    check_rc("a copy of 4096 bytes at offset 0", copy(by_frame(s->mfn, 0),
             by_frame(d->mfn, 0), 4096, 0), GNTST_okay);
    grant(RO_REF, d->mfn, GTF_readonly);
    check_rc("a copy into a read-only grant",
             copy(by_frame(s->mfn, 0), by_ref(RO_REF, 0), 8, GNTCOPY_dest_gref),
             GNTST_general_error);
    check_rc("a copy into one of our page tables",
             copy(by_frame(s->mfn, 0), by_frame(l1, 0), 8, 0), GNTST_general_error);
    check_rc("a copy from a frame that is not ours",
             copy(by_frame(hv, 0), by_frame(d->mfn, 0), 8, 0), GNTST_bad_page);
    check_rc("a copy from a reference past the table",
             copy(by_ref(512 * 64, 0), by_frame(d->mfn, 0), 8, GNTCOPY_source_gref),
             GNTST_bad_gntref);
    table[RO_REF].flags = 0;
}

/* Whole quadwords go another way than odd bytes (one rep movsq). */
static void quadwords(const struct test_page *s, const struct test_page *d)
{
    fill(s, 0x5a);
    fill(d, 0xee);
    check_rc("a whole page, grant to grant",
             copy(by_ref(SRC_REF, 0), by_ref(DST_REF, 0), PAGE_SIZE,
                  GNTCOPY_source_gref | GNTCOPY_dest_gref), GNTST_okay);
    check_true("  every byte landed", landed(d, 0, PAGE_SIZE, 0x5a, 0xee));
    fill(d, 0xee);
    check_rc("16 bytes at quadword offsets",
             copy(by_frame(s->mfn, 8), by_frame(d->mfn, 2048), 16, 0), GNTST_okay);
    check_true("  there and nowhere else", landed(d, 2048, 16, 0x5a, 0xee));
}

/* The destination holds the writable type only while it is written. */
static void types(const struct test_page *s, const struct test_page *d)
{
    struct test_page t;

    if (!tp_alloc_table(&t))                     /* mapped read-only only */
        return;
    fill(s, 0);
    check_rc("a whole page into a frame mapped read-only only",
             copy(by_frame(s->mfn, 0), by_frame(t.mfn, 0), PAGE_SIZE, 0), GNTST_okay);
    if (check_rc("  then it pins as an L1 (the copy left no type)",
                 mmuext1(MMUEXT_PIN_L1_TABLE, t.mfn), 0)) {
        check_rc("a copy into the pinned L1",
                 copy(by_frame(s->mfn, 0), by_frame(t.mfn, 0), 8, 0), GNTST_general_error);
        fill(d, 0xee);
        check_rc("a copy from the pinned L1",
                 copy(by_frame(t.mfn, 0), by_frame(d->mfn, 0), 8, 0), GNTST_okay);
        check_true("  its bytes landed", landed(d, 0, 8, 0, 0xee));
        check_rc("unpin it", mmuext1(MMUEXT_UNPIN_TABLE, t.mfn), 0);
    }
    tp_free(&t);
}

static void batch(const struct test_page *s, const struct test_page *d)
{
    struct gnttab_copy c[2] = {
        { .source = by_frame(s->mfn, 0), .dest = by_frame(d->mfn, 0), .len = 8 },
        { .source = by_frame(s->mfn, 0), .dest = by_frame(d->mfn, 4090), .len = 8 },
    };

    check_rc("a batch of two copies", HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 2), 0);
    check_rc("  the first", c[0].status, GNTST_okay);
    check_rc("  the second (past the page)", c[1].status, GNTST_bad_copy_arg);
}

#define LONG_BATCH 600
#define BAD_UOP    550                  /* past the first 512 */

/* Quadword i of s into quadword i % 512 of d; BAD_UOP leaves d. */
static void long_batch(const struct test_page *s, const struct test_page *d)
{
    static struct gnttab_copy c[LONG_BATCH];
    unsigned int ok = 0;

    for (unsigned int i = 0; i < LONG_BATCH; i++) {
        uint16_t off = (uint16_t)((i % 512) * 8);
        c[i] = (struct gnttab_copy){ .source = by_frame(s->mfn, off),
                                     .dest = by_frame(d->mfn, i == BAD_UOP ? 4090 : off),
                                     .len = 8, .status = 0x777 };
        ((uint64_t *)s->va)[i % 512] = 0x1000 + i % 512;
    }
    fill(d, 0xee);
    check_rc("a batch of 600 copies", HYPERVISOR_grant_table_op(GNTTABOP_copy, c, LONG_BATCH), 0);
    for (unsigned int i = 0; i < LONG_BATCH; i++)
        ok += c[i].status == GNTST_okay;
    check_rc("  uops with GNTST_okay", ok, LONG_BATCH - 1);
    check_rc("  the one past the page", c[BAD_UOP].status, GNTST_bad_copy_arg);
    check_true("  every quadword landed", memcmp(s->va, d->va, PAGE_SIZE) == 0);
}

static void test_main(void)
{
    struct test_page s, d;

    if (!map_table() || !tp_alloc(&s) || !tp_alloc(&d))
        return;
    grant(SRC_REF, s.mfn, GTF_readonly);
    grant(DST_REF, d.mfn, 0);
    directions(&s, &d);
    refusals(&s, &d);
    quadwords(&s, &d);
    types(&s, &d);
    batch(&s, &d);
    long_batch(&s, &d);
    table[SRC_REF].flags = table[DST_REF].flags = 0;
    unmap_at(test_va(0));
    tp_free(&s);
    tp_free(&d);
    test_success(NULL);
}

const struct guest_test test_grant_copy = { "grant_copy", test_title, test_main };
