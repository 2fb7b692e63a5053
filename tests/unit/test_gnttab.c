/*
 * Unit tests for hypervisor/common/grant/gnttab.c: grant tables, the pure
 * model. The shared entries live in fake frames the granter (the test)
 * writes as a guest would; every rule of gnttab.h has an accepted and a
 * refused case: growth up to the maximum; a use only of an entry granted
 * to that domain (type, domid, read-only); the status bits set while in
 * use and cleared after the last use of each kind; a granter rewriting
 * the entry during a use, which changes nothing for the user; pins that
 * would wrap; maptrack handles, stale, forged and reused; copy bounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gnttab.h"
#include "err.h"

#define NR_FAKE   8
#define OWNER     ((domid_t)3)
#define PEER      ((domid_t)5)
#define MFN0      0x100

static uint8_t *frames[NR_FAKE];
static unsigned int frames_given;
static bool fail_frames, fail_alloc;
static int ctx_marker;

static void *fake_frame(void *ctx, uint64_t mfn)
{
    assert_ptr_equal(ctx, &ctx_marker);
    assert_true(mfn >= MFN0 && mfn < MFN0 + frames_given);
    return frames[mfn - MFN0];
}

static int fake_new_frame(void *ctx, domid_t owner, uint64_t *mfn)
{
    (void)ctx;
    assert_int_equal(owner, OWNER);
    if (fail_frames || frames_given == NR_FAKE)
        return -ENOMEM;
    frames[frames_given] = calloc(1, PAGE_SIZE);
    *mfn = MFN0 + frames_given++;
    return 0;
}

static void *fake_zalloc(void *ctx, size_t bytes)
{
    (void)ctx;
    return fail_alloc ? NULL : calloc(1, bytes);
}

static void fake_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static const struct gnttab_env env = { fake_frame, fake_new_frame, fake_zalloc, fake_free,
                                       &ctx_marker };
static struct grant_table gt;

static int setup(void **state)
{
    (void)state;
    frames_given = 0;
    fail_frames = fail_alloc = false;
    assert_int_equal(gnttab_init(&gt, &env, OWNER, 4), 0);
    assert_int_equal(gnttab_grow(&gt, &env, 1), GNTST_okay);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gnttab_destroy(&gt, &env);
    for (unsigned int i = 0; i < frames_given; i++)
        free(frames[i]);
    return 0;
}

/* The granter's side, as the guest writes it. */
static struct grant_entry_v1 *entry(grant_ref_t ref)
{
    struct grant_entry_v1 *s = gnttab_shared(&gt, &env, ref);

    assert_non_null(s);
    return s;
}

static void grant(grant_ref_t ref, domid_t to, uint32_t frame, uint16_t flags)
{
    struct grant_entry_v1 *s = entry(ref);

    s->domid = to;
    s->frame = frame;
    s->flags = flags;
}

static int16_t pin(grant_ref_t ref, domid_t by, bool ro, uint64_t *frame)
{
    return gnttab_pin(&gt, &env, ref, by, ro, frame);
}

/* ---- growth ------------------------------------------------------------------ */

static void test_grow_up_to_max(void **state)
{
    (void)state;
    assert_int_equal(gnttab_nr_entries(&gt), 512);
    assert_int_equal(gnttab_grow(&gt, &env, 3), GNTST_okay);
    assert_int_equal(gt.nr_frames, 3);
    assert_int_equal(gnttab_grow(&gt, &env, 2), GNTST_okay);      /* never shrinks */
    assert_int_equal(gt.nr_frames, 3);
    assert_int_equal(gnttab_grow(&gt, &env, 5), GNTST_general_error);
    assert_int_equal(gt.nr_frames, 3);
    assert_int_equal(gnttab_grow(&gt, &env, 4), GNTST_okay);
    assert_null(gnttab_shared(&gt, &env, 4 * 512));
    assert_non_null(gnttab_shared(&gt, &env, 4 * 512 - 1));
}

static void test_grow_out_of_memory(void **state)
{
    (void)state;
    fail_frames = true;
    assert_int_equal(gnttab_grow(&gt, &env, 2), GNTST_no_space);
    assert_int_equal(gt.nr_frames, 1);
    fail_frames = false;
    fail_alloc = true;
    assert_int_equal(gnttab_grow(&gt, &env, 2), GNTST_no_space);
    assert_int_equal(gt.nr_frames, 1);
}

/* ---- pins ---------------------------------------------------------------- */

static void test_pin_writable_sets_both_bits(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(8, PEER, 0x1234, GTF_permit_access);
    assert_int_equal(pin(8, PEER, false, &f), GNTST_okay);
    assert_int_equal(f, 0x1234);
    assert_int_equal(entry(8)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    assert_true(gnttab_in_use(&gt, 8));
    gnttab_unpin(&gt, &env, 8, false);
    assert_int_equal(entry(8)->flags, GTF_permit_access);
    assert_false(gnttab_in_use(&gt, 8));
}

static void test_pin_readonly(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(9, PEER, 0x55, GTF_permit_access | GTF_readonly);
    assert_int_equal(pin(9, PEER, false, &f), GNTST_general_error);   /* write a r/o grant */
    assert_int_equal(entry(9)->flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(pin(9, PEER, true, &f), GNTST_okay);
    assert_int_equal(entry(9)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
    gnttab_unpin(&gt, &env, 9, true);
    assert_int_equal(entry(9)->flags, GTF_permit_access | GTF_readonly);
}

static void test_pin_refused(void **state)
{
    uint64_t f = 0;

    (void)state;
    assert_int_equal(pin(512, PEER, true, &f), GNTST_bad_gntref);     /* past the table */
    assert_int_equal(pin(UINT32_MAX, PEER, true, &f), GNTST_bad_gntref);
    grant(10, PEER, 1, GTF_invalid);
    assert_int_equal(pin(10, PEER, true, &f), GNTST_general_error);   /* not granted */
    grant(10, PEER, 1, GTF_accept_transfer);
    assert_int_equal(pin(10, PEER, true, &f), GNTST_general_error);
    grant(10, PEER, 1, GTF_permit_access);
    assert_int_equal(pin(10, OWNER, true, &f), GNTST_general_error);  /* not to this domain */
    assert_int_equal(entry(10)->flags, GTF_permit_access);
    assert_false(gnttab_in_use(&gt, 10));
}

/* Uses add up; the bits go with the last use of their kind. */
static void test_pins_count(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(11, PEER, 7, GTF_permit_access);
    assert_int_equal(pin(11, PEER, true, &f), GNTST_okay);
    assert_int_equal(entry(11)->flags, GTF_permit_access | GTF_reading);
    assert_int_equal(pin(11, PEER, false, &f), GNTST_okay);
    assert_int_equal(pin(11, PEER, false, &f), GNTST_okay);
    gnttab_unpin(&gt, &env, 11, false);
    assert_true(entry(11)->flags & GTF_writing);
    gnttab_unpin(&gt, &env, 11, false);
    assert_int_equal(entry(11)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin(&gt, &env, 11, true);
    assert_int_equal(entry(11)->flags, GTF_permit_access);
}

/* Each kind of use's bit goes with its own last use, whichever ends
 * first (unpin clears both in one atomic when both end together). */
static void test_unpin_order(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(10, PEER, 7, GTF_permit_access);
    assert_int_equal(pin(10, PEER, true, &f), GNTST_okay);
    assert_int_equal(pin(10, PEER, true, &f), GNTST_okay);
    assert_int_equal(pin(10, PEER, false, &f), GNTST_okay);
    gnttab_unpin(&gt, &env, 10, false);              /* writable use ends first */
    assert_int_equal(entry(10)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin(&gt, &env, 10, true);
    assert_int_equal(entry(10)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin(&gt, &env, 10, true);
    assert_int_equal(entry(10)->flags, GTF_permit_access);
    assert_int_equal(pin(10, PEER, false, &f), GNTST_okay);
    assert_int_equal(pin(10, PEER, true, &f), GNTST_okay);
    gnttab_unpin(&gt, &env, 10, true);               /* read-only use ends first */
    assert_int_equal(entry(10)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_unpin(&gt, &env, 10, false);
    assert_int_equal(entry(10)->flags, GTF_permit_access);
}

/* An entry of a later frame is in that frame (each frame's contents are
 * asked of env once, when it is added). */
static void test_entry_in_its_frame(void **state)
{
    (void)state;
    assert_int_equal(gnttab_grow(&gt, &env, 3), GNTST_okay);
    assert_ptr_equal(gnttab_shared(&gt, &env, 2 * 512 + 5),
                     (struct grant_entry_v1 *)fake_frame(&ctx_marker, gt.frames[2]) + 5);
    assert_ptr_equal(gnttab_shared(&gt, &env, 511),
                     (struct grant_entry_v1 *)fake_frame(&ctx_marker, gt.frames[0]) + 511);
}

/* The granter rewrites the entry while it is in use: the user keeps the
 * frame it got, a second use by the same domain gets that frame too, and
 * another domain named in the rewritten entry gets nothing. */
static void test_granter_rewrites_in_use(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(12, PEER, 0x1000, GTF_permit_access);
    assert_int_equal(pin(12, PEER, true, &f), GNTST_okay);
    entry(12)->frame = 0x2000;
    entry(12)->domid = OWNER;
    assert_int_equal(pin(12, PEER, true, &f), GNTST_okay);
    assert_int_equal(f, 0x1000);
    assert_int_equal(pin(12, OWNER, true, &f), GNTST_general_error);
    gnttab_unpin(&gt, &env, 12, true);
    gnttab_unpin(&gt, &env, 12, true);
    assert_false(gnttab_in_use(&gt, 12));
}

/* Upgrading a read-only use to writable checks the entry again. */
static void test_upgrade_checks_entry(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(13, PEER, 0x3000, GTF_permit_access);
    assert_int_equal(pin(13, PEER, true, &f), GNTST_okay);
    entry(13)->flags |= GTF_readonly;                       /* granter: now r/o */
    assert_int_equal(pin(13, PEER, false, &f), GNTST_general_error);
    assert_false(entry(13)->flags & GTF_writing);
    gnttab_unpin(&gt, &env, 13, true);
}

static void test_pins_never_wrap(void **state)
{
    uint64_t f = 0;

    (void)state;
    grant(14, PEER, 1, GTF_permit_access);
    for (unsigned int i = 0; i < GNTTAB_PIN_MAX; i++)
        assert_int_equal(pin(14, PEER, true, &f), GNTST_okay);
    assert_int_equal(pin(14, PEER, true, &f), GNTST_general_error);
    for (unsigned int i = 0; i < GNTTAB_PIN_MAX; i++)
        gnttab_unpin(&gt, &env, 14, true);
    assert_false(gnttab_in_use(&gt, 14));
}

static void unpin_unused(void)
{
    gnttab_unpin(&gt, &env, 15, true);
}

static void test_unpin_unused_asserts(void **state)
{
    (void)state;
    grant(15, PEER, 1, GTF_permit_access);
    expect_assert_failure(unpin_unused());
}

/* ---- transfer ---------------------------------------------------------------- */

/* An entry accepting a page from PEER: committed by swap, then completed
 * with the frame; only once, only from that domain, only that type. */
static void test_accept_transfer(void **state)
{
    (void)state;
    grant(20, PEER, 0, GTF_accept_transfer);
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 20, OWNER), GNTST_general_error);
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 20, PEER), GNTST_okay);
    assert_int_equal(entry(20)->flags, GTF_accept_transfer | GTF_transfer_committed);
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 20, PEER), GNTST_general_error);
    gnttab_complete_transfer(&gt, &env, 20, 0x777);
    assert_int_equal(entry(20)->frame, 0x777);
    assert_int_equal(entry(20)->flags,
                     GTF_accept_transfer | GTF_transfer_committed | GTF_transfer_completed);
}

static void test_accept_transfer_refused(void **state)
{
    (void)state;
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 512, PEER), GNTST_bad_gntref);
    grant(21, PEER, 0, GTF_permit_access);
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 21, PEER), GNTST_general_error);
    grant(22, PEER, 0, GTF_invalid);
    assert_int_equal(gnttab_accept_transfer(&gt, &env, 22, PEER), GNTST_general_error);
    assert_int_equal(entry(21)->flags, GTF_permit_access);       /* untouched */
}

/* ---- maptrack ------------------------------------------------------------ */

static void test_maptrack_handles(void **state)
{
    struct maptrack mt;
    struct maptrack_entry m = { .flags = MAPTRACK_HOST, .granter = OWNER, .ref = 8,
                                .host_addr = 0x5000, .frame = 9 };
    grant_handle_t a, b, c;

    (void)state;
    maptrack_init(&mt);
    assert_null(maptrack_lookup(&mt, 0));                   /* nothing yet */
    assert_int_equal(maptrack_get(&mt, &env, &m, &a), 0);
    assert_int_equal(maptrack_get(&mt, &env, &m, &b), 0);
    assert_int_not_equal(a, b);
    assert_int_equal(maptrack_lookup(&mt, a)->host_addr, 0x5000);
    maptrack_put(&mt, a);
    assert_null(maptrack_lookup(&mt, a));                   /* stale */
    assert_null(maptrack_lookup(&mt, 1000000));             /* forged */
    assert_int_equal(maptrack_get(&mt, &env, &m, &c), 0);
    assert_int_equal(c, a);                                 /* reused */
    assert_int_equal(mt.used, 2);
    maptrack_destroy(&mt, &env);
}

static void test_maptrack_grows_and_runs_out(void **state)
{
    struct maptrack mt;
    struct maptrack_entry m = { .flags = MAPTRACK_DEVICE };
    grant_handle_t h;

    (void)state;
    maptrack_init(&mt);
    for (uint32_t i = 0; i < MAPTRACK_MAX; i++) {
        assert_int_equal(maptrack_get(&mt, &env, &m, &h), 0);
        assert_int_equal(h, i);
    }
    assert_int_equal(maptrack_get(&mt, &env, &m, &h), -ENOMEM);
    maptrack_put(&mt, 77);
    assert_int_equal(maptrack_get(&mt, &env, &m, &h), 0);
    assert_int_equal(h, 77);
    maptrack_destroy(&mt, &env);
}

/* ---- copy ------------------------------------------------------------------ */

static void test_copy_bounds(void **state)
{
    struct gnttab_copy op = { .len = 4096 };

    (void)state;
    assert_int_equal(gnttab_copy_check(&op), GNTST_okay);
    op.source.offset = 1;
    assert_int_equal(gnttab_copy_check(&op), GNTST_bad_copy_arg);
    op = (struct gnttab_copy){ .len = 16, .dest = { .offset = 4080 } };
    assert_int_equal(gnttab_copy_check(&op), GNTST_okay);
    op.dest.offset = 4081;
    assert_int_equal(gnttab_copy_check(&op), GNTST_bad_copy_arg);
    op = (struct gnttab_copy){ .len = 0xffff, .source = { .offset = 0xffff } };
    assert_int_equal(gnttab_copy_check(&op), GNTST_bad_copy_arg);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_grow_up_to_max),
        T(test_grow_out_of_memory),
        T(test_pin_writable_sets_both_bits),
        T(test_pin_readonly),
        T(test_pin_refused),
        T(test_pins_count),
        T(test_granter_rewrites_in_use),
        T(test_upgrade_checks_entry),
        T(test_pins_never_wrap),
        T(test_unpin_unused_asserts),
        T(test_unpin_order),
        T(test_entry_in_its_frame),
        T(test_accept_transfer),
        T(test_accept_transfer_refused),
        T(test_maptrack_handles),
        T(test_maptrack_grows_and_runs_out),
        T(test_copy_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
