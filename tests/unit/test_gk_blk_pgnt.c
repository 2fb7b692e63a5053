/*
 * Unit tests for guest-kernel/blk/blk_pgnt.c, blkback's persistent
 * grants of one frontend. Rules: a kept reference is found with its
 * handle and bus address, one never kept is not; a reference is kept at
 * most once (a second add is refused and the first mapping stays);
 * at most BLK_PGNT_MAX are kept, the next is refused, and every kept one
 * is still found then (also references that collide in the table);
 * drain hands back every kept mapping exactly once, room at a time, and
 * leaves an empty table that takes new ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blk/blk_pgnt.h"

static struct blk_pgnt table;

static int setup(void **state)
{
    (void)state;
    memset(&table, 0xa5, sizeof(table));      /* init must not rely on zeroed memory */
    blk_pgnt_init(&table);
    return 0;
}

static void test_found_with_its_mapping(void **state)
{
    const struct blk_pgnt_entry *e;

    (void)state;
    assert_null(blk_pgnt_find(&table, 40));
    assert_true(blk_pgnt_add(&table, 40, 7, 0x1234000));
    e = blk_pgnt_find(&table, 40);
    assert_non_null(e);
    assert_int_equal(e->gref, 40);
    assert_int_equal(e->handle, 7);
    assert_int_equal(e->bus, 0x1234000);
    assert_null(blk_pgnt_find(&table, 41));
    assert_int_equal(table.count, 1);
}

static void test_kept_once(void **state)
{
    (void)state;
    assert_true(blk_pgnt_add(&table, 9, 1, 0x1000));
    assert_false(blk_pgnt_add(&table, 9, 2, 0x2000));
    assert_int_equal(blk_pgnt_find(&table, 9)->handle, 1);
    assert_int_equal(blk_pgnt_find(&table, 9)->bus, 0x1000);
    assert_int_equal(table.count, 1);
}

/* The most kept, spread over the table: the next is refused. */
static void test_limit(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++)
        assert_true(blk_pgnt_add(&table, i * 3 + 32, i, (uint64_t)i << 12));
    assert_false(blk_pgnt_add(&table, 100000, 1, 0));
    assert_null(blk_pgnt_find(&table, 100000));
    assert_int_equal(table.count, BLK_PGNT_MAX);
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++) {
        const struct blk_pgnt_entry *e = blk_pgnt_find(&table, i * 3 + 32);

        assert_non_null(e);
        assert_int_equal(e->handle, i);
        assert_int_equal(e->bus, (uint64_t)i << 12);
    }
    assert_null(blk_pgnt_find(&table, 33));
}

/* Every reference whose home is the same slot (a full probe chain). */
static void test_colliding(void **state)
{
    grant_ref_t same[40];
    uint32_t n = 0;

    (void)state;
    for (grant_ref_t g = 0; n < 40; g++)
        if ((uint32_t)(g * 2654435761u) >> 21 == 5)
            same[n++] = g;
    for (uint32_t i = 0; i < n; i++)
        assert_true(blk_pgnt_add(&table, same[i], i, i));
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(blk_pgnt_find(&table, same[i])->handle, i);
}

static void test_drain(void **state)
{
    struct blk_pgnt_entry out[100];
    uint8_t seen[BLK_PGNT_MAX] = { 0 };
    uint32_t total = 0, n;

    (void)state;
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++)
        assert_true(blk_pgnt_add(&table, i, i, 0));
    while ((n = blk_pgnt_drain(&table, out, 100)) != 0) {
        assert_true(n <= 100);
        for (uint32_t i = 0; i < n; i++) {
            assert_true(out[i].gref < BLK_PGNT_MAX);
            assert_int_equal(out[i].handle, out[i].gref);
            assert_int_equal(seen[out[i].gref]++, 0);
        }
        total += n;
    }
    assert_int_equal(total, BLK_PGNT_MAX);
    assert_int_equal(table.count, 0);
    assert_null(blk_pgnt_find(&table, 5));
    assert_true(blk_pgnt_add(&table, 5, 99, 0x5000));
    assert_int_equal(blk_pgnt_find(&table, 5)->handle, 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_found_with_its_mapping, setup),
        cmocka_unit_test_setup(test_kept_once, setup),
        cmocka_unit_test_setup(test_limit, setup),
        cmocka_unit_test_setup(test_colliding, setup),
        cmocka_unit_test_setup(test_drain, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
