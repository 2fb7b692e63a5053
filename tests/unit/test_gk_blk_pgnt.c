/*
 * Unit tests for guest-kernel/blk/blk_pgnt.c, blkback's persistent
 * grants of one frontend. Rules: a kept reference is found with its
 * bus address (and drained with its handle), one never kept is not,
 * reference 0 and frame 0 included; a bus address with bit 0 set (not a
 * frame's) is refused; a reference is kept at
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
static struct blk_pgnt_entry slots[BLK_PGNT_PAGES][BLK_PGNT_PER_PAGE];

static int setup(void **state)
{
    void *pages[BLK_PGNT_PAGES];

    (void)state;
    memset(slots, 0xa5, sizeof(slots));      /* init must not rely on zeroed memory */
    for (uint32_t i = 0; i < BLK_PGNT_PAGES; i++)
        pages[i] = slots[i];
    blk_pgnt_init(&table, pages);
    return 0;
}

/* gref's bus address if kept, else UINT64_MAX. */
static uint64_t bus_of(grant_ref_t gref)
{
    uint64_t bus = UINT64_MAX;

    return blk_pgnt_find(&table, gref, &bus) ? bus : UINT64_MAX;
}

static void test_found_with_its_mapping(void **state)
{
    struct blk_pgnt_entry out[2];

    (void)state;
    assert_int_equal(bus_of(40), UINT64_MAX);
    assert_true(blk_pgnt_add(&table, 40, 7, 0x1234000));
    assert_int_equal(bus_of(40), 0x1234000);
    assert_int_equal(bus_of(41), UINT64_MAX);
    assert_int_equal(bus_of(0), UINT64_MAX);
    assert_int_equal(table.count, 1);
    assert_int_equal(blk_pgnt_drain(&table, out, 2), 1);
    assert_int_equal(out[0].gref, 40);
    assert_int_equal(out[0].handle, 7);
    assert_int_equal(out[0].bus, 0x1234000);
}

/* Reference 0 and frame 0 are ordinary values, not "free". */
static void test_zero(void **state)
{
    (void)state;
    assert_true(blk_pgnt_add(&table, 0, 0, 0));
    assert_int_equal(bus_of(0), 0);
    assert_int_equal(table.count, 1);
}

/* A bus address that is not a frame's (bit 0 set) is refused. */
static void test_unaligned_bus(void **state)
{
    (void)state;
    assert_false(blk_pgnt_add(&table, 3, 1, 0x1001));
    assert_int_equal(bus_of(3), UINT64_MAX);
    assert_int_equal(table.count, 0);
}

static void test_kept_once(void **state)
{
    struct blk_pgnt_entry out[2];

    (void)state;
    assert_true(blk_pgnt_add(&table, 9, 1, 0x1000));
    assert_false(blk_pgnt_add(&table, 9, 2, 0x2000));
    assert_int_equal(bus_of(9), 0x1000);
    assert_int_equal(table.count, 1);
    assert_int_equal(blk_pgnt_drain(&table, out, 2), 1);
    assert_int_equal(out[0].handle, 1);
}

/* The most kept, spread over the table: the next is refused. */
static void test_limit(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++)
        assert_true(blk_pgnt_add(&table, i * 3 + 32, i, (uint64_t)i << 12));
    assert_false(blk_pgnt_add(&table, 100000, 1, 0));
    assert_int_equal(bus_of(100000), UINT64_MAX);
    assert_int_equal(table.count, BLK_PGNT_MAX);
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++)
        assert_int_equal(bus_of(i * 3 + 32), (uint64_t)i << 12);
    assert_int_equal(bus_of(33), UINT64_MAX);
}

/* Every reference whose home is the same slot (a full probe chain). */
static void test_colliding(void **state)
{
    grant_ref_t same[40];
    uint32_t n = 0;

    (void)state;
    for (grant_ref_t g = 0; n < 40; g++)
        if ((uint32_t)(g * 2654435761u) >> 22 == 5)
            same[n++] = g;
    for (uint32_t i = 0; i < n; i++)
        assert_true(blk_pgnt_add(&table, same[i], i, (uint64_t)i << 12));
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(bus_of(same[i]), (uint64_t)i << 12);
}

static void test_drain(void **state)
{
    struct blk_pgnt_entry out[100];
    uint8_t seen[BLK_PGNT_MAX] = { 0 };
    uint32_t total = 0, n;

    (void)state;
    for (uint32_t i = 0; i < BLK_PGNT_MAX; i++)
        assert_true(blk_pgnt_add(&table, i, i, (uint64_t)i << 12));
    while ((n = blk_pgnt_drain(&table, out, 100)) != 0) {
        assert_true(n <= 100);
        for (uint32_t i = 0; i < n; i++) {
            assert_true(out[i].gref < BLK_PGNT_MAX);
            assert_int_equal(out[i].handle, out[i].gref);
            assert_int_equal(out[i].bus, (uint64_t)out[i].gref << 12);
            assert_int_equal(seen[out[i].gref]++, 0);
        }
        total += n;
    }
    assert_int_equal(total, BLK_PGNT_MAX);
    assert_int_equal(table.count, 0);
    assert_int_equal(bus_of(5), UINT64_MAX);
    assert_true(blk_pgnt_add(&table, 5, 99, 0x5000));
    assert_int_equal(bus_of(5), 0x5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_found_with_its_mapping, setup),
        cmocka_unit_test_setup(test_zero, setup),
        cmocka_unit_test_setup(test_unaligned_bus, setup),
        cmocka_unit_test_setup(test_kept_once, setup),
        cmocka_unit_test_setup(test_limit, setup),
        cmocka_unit_test_setup(test_colliding, setup),
        cmocka_unit_test_setup(test_drain, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
