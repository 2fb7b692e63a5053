/*
 * Unit tests for guest-kernel/blk/blk_node.c, the block protocol's
 * xenstore values. Rules, each accepted and refused: a number is all
 * digits, non-empty, at most its limit (no wrap at 2^64); a backend path
 * is /local/domain/0/backend/vbd/<dom>/<devid>[/...], dom below
 * DOMID_FIRST_RESERVED, devid 32 bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "blk/blk_node.h"

static void numbers(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_true(blk_node_number("0", 10, &v));
    assert_int_equal(v, 0);
    assert_true(blk_node_number("4294967295", UINT32_MAX, &v));
    assert_int_equal(v, UINT32_MAX);
    assert_true(blk_node_number("18446744073709551615", UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
    assert_true(blk_node_number("10", 10, &v));
    assert_true(blk_node_number("3", 3, &v));
    assert_true(blk_node_number("007", 7, &v));
    assert_int_equal(v, 7);
}

static void bad_numbers(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_false(blk_node_number("", 10, &v));
    assert_false(blk_node_number("11", 10, &v));
    assert_false(blk_node_number("5", 3, &v));
    assert_false(blk_node_number("1", 0, &v));
    assert_false(blk_node_number("4294967296", UINT32_MAX, &v));
    assert_false(blk_node_number("18446744073709551616", UINT64_MAX, &v));
    assert_false(blk_node_number("99999999999999999999", UINT64_MAX, &v));
    assert_false(blk_node_number("-1", 10, &v));
    assert_false(blk_node_number("1 ", 10, &v));
    assert_false(blk_node_number("0x1", 10, &v));
    assert_int_equal(v, 7);
}

static void backend_paths(void **state)
{
    uint16_t dom = 0;
    uint32_t id = 0;

    (void)state;
    assert_true(blk_node_backend_path("/local/domain/0/backend/vbd/1/51712", &dom, &id));
    assert_int_equal(dom, 1);
    assert_int_equal(id, 51712);
    assert_true(blk_node_backend_path("/local/domain/0/backend/vbd/32751/0/state", &dom, &id));
    assert_int_equal(dom, 32751);
    assert_int_equal(id, 0);
}

static void bad_backend_paths(void **state)
{
    uint16_t dom = 9;
    uint32_t id = 9;

    (void)state;
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/1", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/1/", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vif/1/0", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/1/backend/vbd/1/0", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/32752/0", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/1/4294967296", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/1x/0", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/1/0x", &dom, &id));
    assert_false(blk_node_backend_path("/local/domain/0/backend/vbd/123456789012345678901/0",
                                       &dom, &id));
    assert_int_equal(dom, 9);
    assert_int_equal(id, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
        cmocka_unit_test(bad_numbers),
        cmocka_unit_test(backend_paths),
        cmocka_unit_test(bad_backend_paths),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
