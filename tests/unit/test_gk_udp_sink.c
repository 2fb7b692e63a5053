/*
 * Unit tests for guest-kernel/net/udp_sink.c, the UDP throughput
 * benchmark's byte counter. Each rule an accepted and a refused case:
 * payloads counted, only the exact query answered (a longer or shorter
 * look-alike is counted as data), the answer carries 64-bit totals, and a
 * reply is parsed only at its exact length and tag.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/udp_sink.h"

static const uint8_t query[] = UDP_SINK_QUERY;

static void test_counts_payloads(void **state)
{
    struct udp_sink s = { 0 };
    uint8_t data[1024] = { 0 };

    (void)state;
    assert_false(udp_sink_take(&s, data, sizeof(data)));
    assert_false(udp_sink_take(&s, data, 1));
    assert_false(udp_sink_take(&s, data, 0));
    assert_int_equal(s.bytes, 1025);
    assert_int_equal(s.datagrams, 3);
}

static void test_query_not_counted(void **state)
{
    struct udp_sink s = { 0 };
    uint8_t longer[UDP_SINK_TAG_LEN + 1];

    (void)state;
    assert_true(udp_sink_take(&s, query, UDP_SINK_TAG_LEN));
    assert_int_equal(s.bytes, 0);
    assert_int_equal(s.datagrams, 0);
    memcpy(longer, query, UDP_SINK_TAG_LEN);
    longer[UDP_SINK_TAG_LEN] = '!';
    assert_false(udp_sink_take(&s, longer, sizeof(longer)));      /* data, not a query */
    assert_false(udp_sink_take(&s, query, UDP_SINK_TAG_LEN - 1));
    assert_int_equal(s.datagrams, 2);
}

static void test_reply_roundtrip(void **state)
{
    struct udp_sink s = { .bytes = 0x123456789aull, .datagrams = 70000 }, got = { 0 };
    uint8_t buf[UDP_SINK_REPLY_LEN];

    (void)state;
    assert_int_equal(udp_sink_reply(&s, buf, sizeof(buf)), UDP_SINK_REPLY_LEN);
    assert_true(udp_sink_parse_reply(buf, sizeof(buf), &got));
    assert_int_equal(got.bytes, 0x123456789aull);
    assert_int_equal(got.datagrams, 70000);
}

static void test_reply_no_room(void **state)
{
    struct udp_sink s = { 0 };
    uint8_t buf[UDP_SINK_REPLY_LEN];

    (void)state;
    assert_int_equal(udp_sink_reply(&s, buf, sizeof(buf) - 1), 0);
}

static void test_parse_refuses(void **state)
{
    struct udp_sink s = { .bytes = 5, .datagrams = 1 }, got = { 0 };
    uint8_t buf[UDP_SINK_REPLY_LEN + 1];

    (void)state;
    udp_sink_reply(&s, buf, sizeof(buf));
    assert_false(udp_sink_parse_reply(buf, UDP_SINK_REPLY_LEN - 1, &got));
    assert_false(udp_sink_parse_reply(buf, UDP_SINK_REPLY_LEN + 1, &got));
    buf[0] ^= 1;
    assert_false(udp_sink_parse_reply(buf, UDP_SINK_REPLY_LEN, &got));
    assert_false(udp_sink_parse_reply(query, UDP_SINK_TAG_LEN, &got));
    assert_int_equal(got.bytes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_payloads),
        cmocka_unit_test(test_query_not_counted),
        cmocka_unit_test(test_reply_roundtrip),
        cmocka_unit_test(test_reply_no_room),
        cmocka_unit_test(test_parse_refuses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
