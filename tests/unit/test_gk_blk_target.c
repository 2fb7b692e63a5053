/*
 * Unit tests for guest-kernel/blk/blk_target.c, blkback's target syntax.
 * Rules, each accepted and refused: ide0..ide3 or module; an optional
 * :<first>+<count> range of decimal numbers, count non-zero, no wrap
 * (20 digits refused), nothing after it; or p1..p4, an MBR primary
 * partition, one digit and nothing after it (not both).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "blk/blk_target.h"

static struct blk_target t;
static const char *why;

static bool parse(const char *s)
{
    why = NULL;
    return blk_target_parse(s, &t, &why);
}

static void whole_disks(void **state)
{
    (void)state;
    assert_true(parse("ide0"));
    assert_int_equal(t.pos, 0);
    assert_true(t.whole);
    assert_true(parse("ide3"));
    assert_int_equal(t.pos, 3);
    assert_true(parse("module"));
    assert_int_equal(t.pos, BLK_TARGET_MODULE);
    assert_true(t.whole);
}

static void bad_devices(void **state)
{
    (void)state;
    assert_false(parse("ide4"));
    assert_non_null(why);
    assert_false(parse("ide"));
    assert_false(parse("hda"));
    assert_false(parse(""));
    assert_false(parse("ide01"));
    assert_false(parse("modules"));
    assert_false(parse("IDE0"));
}

static void ranges(void **state)
{
    (void)state;
    assert_true(parse("ide0:2048+4096"));
    assert_false(t.whole);
    assert_int_equal(t.first, 2048);
    assert_int_equal(t.count, 4096);
    assert_true(parse("ide1:0+1"));
    assert_int_equal(t.pos, 1);
    assert_true(parse("module:8+8"));
    assert_int_equal(t.pos, BLK_TARGET_MODULE);
    assert_true(parse("ide0:9999999999999999999+1"));      /* 19 digits */
    assert_int_equal(t.first, 9999999999999999999ULL);
}

static void bad_ranges(void **state)
{
    (void)state;
    assert_false(parse("ide0:1"));
    assert_false(parse("ide0:"));
    assert_false(parse("ide0:+8"));
    assert_false(parse("ide0:8+"));
    assert_false(parse("ide0:8+0"));
    assert_false(parse("ide0:8+8x"));
    assert_false(parse("ide0:8+8+8"));
    assert_false(parse("ide0:-8+8"));
    assert_false(parse("ide0:18446744073709551616+1"));     /* 20 digits */
    assert_false(parse("ide0:1+18446744073709551617"));
    assert_false(parse("ide0 "));
}

static void partitions(void **state)
{
    (void)state;
    assert_true(parse("ide0p1"));
    assert_int_equal(t.pos, 0);
    assert_int_equal(t.partition, 1);
    assert_false(t.whole);
    assert_true(parse("ide2p4"));
    assert_int_equal(t.pos, 2);
    assert_int_equal(t.partition, 4);
    assert_true(parse("modulep2"));
    assert_int_equal(t.pos, BLK_TARGET_MODULE);
    assert_int_equal(t.partition, 2);
    assert_true(parse("ide0"));
    assert_int_equal(t.partition, 0);
    assert_true(parse("ide0:8+8"));
    assert_int_equal(t.partition, 0);
}

static void bad_partitions(void **state)
{
    (void)state;
    assert_false(parse("ide0p0"));
    assert_non_null(why);
    assert_false(parse("ide0p5"));
    assert_false(parse("ide0p"));
    assert_false(parse("ide0p12"));
    assert_false(parse("ide0p1:0+8"));
    assert_false(parse("ide0:0+8p1"));
    assert_false(parse("ide0P1"));
    assert_false(parse("ide0p1 "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_disks),
        cmocka_unit_test(bad_devices),
        cmocka_unit_test(ranges),
        cmocka_unit_test(bad_ranges),
        cmocka_unit_test(partitions),
        cmocka_unit_test(bad_partitions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
