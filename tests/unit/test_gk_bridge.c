/*
 * Unit tests for guest-kernel/net/bridge.c, the learning bridge's table.
 * Rules, each with an accepted and a refused case: a source is learnt on
 * its port and a unicast frame to it then goes only there; a group
 * address (multicast, broadcast) is never learnt and always flooded; an
 * unknown station is flooded; a station on the input port is dropped; an
 * entry ages out after BRIDGE_AGE_NS (not before); a station that moves
 * is followed; a full table gives the oldest entry away; a port that goes
 * takes its entries; a pinned address never ages, never moves, never
 * gives way, and cannot be pinned to a second port (nor a group address).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/bridge.h"

static const uint8_t A[6] = { 0x00, 0x16, 0x3e, 0x00, 0x01, 0x00 };
static const uint8_t B[6] = { 0x00, 0x16, 0x3e, 0x00, 0x02, 0x00 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static struct bridge br;

static int setup(void **state)
{
    (void)state;
    bridge_init(&br);
    return 0;
}

static void test_learn_then_unicast(void **state)
{
    (void)state;
    assert_int_equal(bridge_lookup(&br, A, 2, 0), BRIDGE_FLOOD);   /* unknown */
    bridge_learn(&br, A, 1, 10);
    assert_int_equal(bridge_lookup(&br, A, 2, 20), 1);
    assert_int_equal(bridge_lookup(&br, B, 1, 20), BRIDGE_FLOOD);  /* B still unknown */
}

static void test_same_port_dropped(void **state)
{
    (void)state;
    bridge_learn(&br, A, 1, 10);
    assert_int_equal(bridge_lookup(&br, A, 1, 20), BRIDGE_DROP);
    assert_int_equal(bridge_lookup(&br, A, 0, 20), 1);
}

static void test_group_never_learnt(void **state)
{
    (void)state;
    bridge_learn(&br, BCAST, 1, 10);
    bridge_learn(&br, MCAST, 1, 10);
    assert_int_equal(bridge_lookup(&br, BCAST, 2, 20), BRIDGE_FLOOD);
    assert_int_equal(bridge_lookup(&br, MCAST, 1, 20), BRIDGE_FLOOD);  /* not DROP */
    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++)
        assert_false(br.e[i].used);
}

static void test_ageing(void **state)
{
    (void)state;
    bridge_learn(&br, A, 1, 100);
    assert_int_equal(bridge_lookup(&br, A, 2, 100 + BRIDGE_AGE_NS - 1), 1);
    assert_int_equal(bridge_lookup(&br, A, 2, 100 + BRIDGE_AGE_NS), BRIDGE_FLOOD);
    bridge_learn(&br, A, 1, 100 + BRIDGE_AGE_NS);                 /* refreshed */
    assert_int_equal(bridge_lookup(&br, A, 2, 100 + BRIDGE_AGE_NS + 5), 1);
}

static void test_station_moves(void **state)
{
    (void)state;
    bridge_learn(&br, A, 1, 10);
    bridge_learn(&br, A, 3, 20);
    assert_int_equal(bridge_lookup(&br, A, 2, 30), 3);
    assert_int_equal(bridge_lookup(&br, A, 3, 30), BRIDGE_DROP);
}

static void test_full_table_evicts_oldest(void **state)
{
    uint8_t m[6] = { 0x02, 0, 0, 0, 0, 0 };

    (void)state;
    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++) {
        m[5] = (uint8_t)i;
        bridge_learn(&br, m, 1, 1000 + i);
    }
    bridge_learn(&br, A, 2, 5000);              /* evicts m[5] == 0, the oldest */
    assert_int_equal(bridge_lookup(&br, A, 1, 5001), 2);
    m[5] = 0;
    assert_int_equal(bridge_lookup(&br, m, 2, 5001), BRIDGE_FLOOD);
    m[5] = 1;
    assert_int_equal(bridge_lookup(&br, m, 2, 5001), 1);
}

static void test_forget_port(void **state)
{
    (void)state;
    bridge_learn(&br, A, 1, 10);
    bridge_learn(&br, B, 2, 10);
    bridge_forget_port(&br, 1);
    assert_int_equal(bridge_lookup(&br, A, 0, 20), BRIDGE_FLOOD);
    assert_int_equal(bridge_lookup(&br, B, 0, 20), 2);
}

static void test_pinned(void **state)
{
    uint8_t m[6] = { 0x02, 0, 0, 0, 0, 0 };

    (void)state;
    assert_true(bridge_pin(&br, A, 1));
    assert_int_equal(bridge_lookup(&br, A, 2, 10 * BRIDGE_AGE_NS), 1);   /* never ages */
    bridge_learn(&br, A, 3, 20);                                         /* a spoofer */
    assert_int_equal(bridge_lookup(&br, A, 2, 30), 1);
    assert_false(bridge_pin(&br, A, 3));
    assert_true(bridge_pin(&br, A, 1));                                  /* again: fine */
    assert_false(bridge_pin(&br, BCAST, 1));
    for (unsigned int i = 0; i < 2 * BRIDGE_ENTRIES; i++) {              /* churn */
        m[5] = (uint8_t)i;
        bridge_learn(&br, m, 2, 1000 + i);
    }
    assert_int_equal(bridge_lookup(&br, A, 2, 5000), 1);                 /* never evicted */
    bridge_forget_port(&br, 1);
    assert_int_equal(bridge_lookup(&br, A, 2, 5000), BRIDGE_FLOOD);
    bridge_learn(&br, A, 3, 5001);                                       /* free again */
    assert_int_equal(bridge_lookup(&br, A, 2, 5002), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_learn_then_unicast, setup),
        cmocka_unit_test_setup(test_same_port_dropped, setup),
        cmocka_unit_test_setup(test_group_never_learnt, setup),
        cmocka_unit_test_setup(test_ageing, setup),
        cmocka_unit_test_setup(test_station_moves, setup),
        cmocka_unit_test_setup(test_full_table_evicts_oldest, setup),
        cmocka_unit_test_setup(test_forget_port, setup),
        cmocka_unit_test_setup(test_pinned, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
