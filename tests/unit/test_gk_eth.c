/*
 * Unit tests for guest-kernel/net/eth.c, Ethernet II frames. Each rule has
 * an accepted and a refused case: 14..1514 bytes, an EtherType (not an
 * 802.3 length, not a VLAN tag), a single-station source; building and
 * padding to 60 bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/eth.h"

static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_b[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static size_t frame(uint8_t *buf, size_t len, uint16_t type)
{
    memset(buf, 0xab, len);
    assert_int_equal(eth_build(buf, len, mac_b, mac_a, type), ETH_HLEN);
    return len;
}

static void test_accepts(void **state)
{
    uint8_t buf[ETH_FRAME_MAX];
    struct eth_frame f;

    (void)state;
    assert_int_equal(eth_parse(buf, frame(buf, 60, ETH_TYPE_ARP), &f), NET_OK);
    assert_int_equal(f.type, ETH_TYPE_ARP);
    assert_memory_equal(f.dst, mac_b, 6);
    assert_memory_equal(f.src, mac_a, 6);
    assert_ptr_equal(f.payload, buf + 14);
    assert_int_equal(f.payload_len, 46);
    assert_int_equal(eth_parse(buf, frame(buf, ETH_HLEN, ETH_TYPE_IPV4), &f), NET_OK);
    assert_int_equal(f.payload_len, 0);
    assert_int_equal(eth_parse(buf, frame(buf, ETH_FRAME_MAX, 0x0600), &f), NET_OK);
    /* A broadcast destination is fine; only the source must be a station. */
    memcpy(buf, eth_broadcast, 6);
    assert_int_equal(eth_parse(buf, 60, &f), NET_OK);
}

static void test_lengths(void **state)
{
    uint8_t buf[ETH_FRAME_MAX + 1];
    struct eth_frame f;

    (void)state;
    frame(buf, sizeof(buf), ETH_TYPE_IPV4);
    assert_int_equal(eth_parse(buf, ETH_HLEN - 1, &f), NET_SHORT);
    assert_int_equal(eth_parse(buf, 0, &f), NET_SHORT);
    assert_int_equal(eth_parse(buf, ETH_FRAME_MAX + 1, &f), NET_TRUNCATED);
}

static void test_types(void **state)
{
    uint8_t buf[60];
    struct eth_frame f;

    (void)state;
    assert_int_equal(eth_parse(buf, frame(buf, 60, 0x05ff), &f), NET_BAD_TYPE);
    assert_int_equal(eth_parse(buf, frame(buf, 60, 46), &f), NET_BAD_TYPE);
    assert_int_equal(eth_parse(buf, frame(buf, 60, ETH_TYPE_VLAN), &f), NET_BAD_TYPE);
    assert_int_equal(eth_parse(buf, frame(buf, 60, ETH_TYPE_QINQ), &f), NET_BAD_TYPE);
}

static void test_group_source(void **state)
{
    uint8_t buf[60];
    struct eth_frame f;

    (void)state;
    frame(buf, 60, ETH_TYPE_IPV4);
    buf[6] |= 1;
    assert_int_equal(eth_parse(buf, 60, &f), NET_BAD_ADDRESS);
    memcpy(buf + 6, eth_broadcast, 6);
    assert_int_equal(eth_parse(buf, 60, &f), NET_BAD_ADDRESS);
    buf[6] = 0x02;     /* locally administered, unicast: fine */
    assert_int_equal(eth_parse(buf, 60, &f), NET_OK);
}

static void test_build_and_pad(void **state)
{
    uint8_t buf[64];

    (void)state;
    assert_int_equal(eth_build(buf, 13, mac_a, mac_b, ETH_TYPE_ARP), 0);
    assert_int_equal(eth_build(buf, 14, mac_a, mac_b, ETH_TYPE_ARP), 14);
    assert_int_equal(buf[12], 0x08);
    assert_int_equal(buf[13], 0x06);
    memset(buf + 14, 0x77, sizeof(buf) - 14);
    assert_int_equal(eth_pad(buf, 42, sizeof(buf)), 60);
    assert_int_equal(buf[42], 0);
    assert_int_equal(buf[59], 0);
    assert_int_equal(buf[60], 0x77);
    assert_int_equal(eth_pad(buf, 61, sizeof(buf)), 61);
    assert_int_equal(eth_pad(buf, 42, 50), 50);     /* never past cap */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_group_source),
        cmocka_unit_test(test_build_and_pad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
