/*
 * Unit tests for guest-kernel/net/arp_cache.c. Rules, each with an
 * accepted and a refused case: a learnt address answers until
 * ARP_CACHE_NS has passed and not after; a refresh restarts its time and
 * replaces its MAC; group MACs, address 0 and group addresses are never
 * learnt; a full cache gives its oldest entry away.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/arp_cache.h"

static const uint8_t M1[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint8_t M2[6] = { 0x00, 0x16, 0x3e, 0x00, 0x02, 0x00 };
static const uint8_t GROUP[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static struct arp_cache c;

static int setup(void **state)
{
    (void)state;
    arp_cache_init(&c);
    return 0;
}

static void test_learn_and_expire(void **state)
{
    uint8_t m[6];

    (void)state;
    assert_false(arp_cache_get(&c, 0x0a000202, 0, m));
    assert_true(arp_cache_put(&c, 0x0a000202, M1, 100));
    assert_true(arp_cache_get(&c, 0x0a000202, 100 + ARP_CACHE_NS - 1, m));
    assert_memory_equal(m, M1, 6);
    assert_false(arp_cache_get(&c, 0x0a000202, 100 + ARP_CACHE_NS, m));
    assert_false(arp_cache_get(&c, 0x0a000203, 100, m));
}

static void test_refresh(void **state)
{
    uint8_t m[6];

    (void)state;
    arp_cache_put(&c, 0x0a000202, M1, 100);
    arp_cache_put(&c, 0x0a000202, M2, 100 + ARP_CACHE_NS);
    assert_true(arp_cache_get(&c, 0x0a000202, 100 + ARP_CACHE_NS + 5, m));
    assert_memory_equal(m, M2, 6);
}

static void test_refused(void **state)
{
    uint8_t m[6];

    (void)state;
    assert_false(arp_cache_put(&c, 0x0a000202, GROUP, 1));
    assert_false(arp_cache_put(&c, 0, M1, 1));
    assert_false(arp_cache_put(&c, 0xffffffff, M1, 1));
    assert_false(arp_cache_put(&c, 0xe0000001, M1, 1));
    assert_false(arp_cache_get(&c, 0x0a000202, 2, m));
    assert_false(arp_cache_get(&c, 0, 2, m));
}

static void test_full_evicts_oldest(void **state)
{
    uint8_t m[6];

    (void)state;
    for (uint32_t i = 0; i < ARP_CACHE_ENTRIES; i++)
        arp_cache_put(&c, 0x0a000010 + i, M1, 1000 + i);
    arp_cache_put(&c, 0x0a0000ff, M2, 5000);
    assert_false(arp_cache_get(&c, 0x0a000010, 5001, m));
    assert_true(arp_cache_get(&c, 0x0a000011, 5001, m));
    assert_true(arp_cache_get(&c, 0x0a0000ff, 5001, m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_learn_and_expire, setup),
        cmocka_unit_test_setup(test_refresh, setup),
        cmocka_unit_test_setup(test_refused, setup),
        cmocka_unit_test_setup(test_full_evicts_oldest, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
