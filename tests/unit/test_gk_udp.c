/*
 * Unit tests for guest-kernel/net/udp.c, UDP over IPv4. Each rule has an
 * accepted and a refused case: at least 8 bytes, a length field between 8
 * and the bytes given (bytes past it ignored), the checksum over the
 * pseudo-header (so a datagram for another address fails), 0 meaning no
 * checksum, ports not 0; the builder never sends checksum 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/inet_csum.h"
#include "net/udp.h"

#define SRC 0x0a00020fu
#define DST 0x0a000202u

static size_t dgram(uint8_t *buf, size_t cap, const void *data, size_t len)
{
    struct udp_datagram d = { .sport = 40000, .dport = 7, .data = data, .data_len = len };

    memset(buf, 0, cap);
    return udp_build(buf, cap, SRC, DST, &d);
}

static void test_roundtrip(void **state)
{
    uint8_t buf[64];
    struct udp_datagram d;
    size_t len = dgram(buf, sizeof(buf), "hello, echo", 11);

    (void)state;
    assert_int_equal(len, 19);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_OK);
    assert_int_equal(d.sport, 40000);
    assert_int_equal(d.dport, 7);
    assert_true(d.checksummed);
    assert_int_equal(d.data_len, 11);
    assert_memory_equal(d.data, "hello, echo", 11);
    /* More bytes than the length field (IP padding): ignored. */
    assert_int_equal(udp_parse(SRC, DST, buf, sizeof(buf), &d), NET_OK);
    assert_int_equal(d.data_len, 11);
}

static void test_known_answer(void **state)
{
    /* 10.0.2.15:40000 -> 10.0.2.2:7 "hello": checksum 0x07aa, computed
     * apart (pseudo-header + header + data, one's complement). */
    uint8_t buf[16];
    struct udp_datagram d;

    (void)state;
    assert_int_equal(dgram(buf, sizeof(buf), "hello", 5), 13);
    assert_int_equal(net_get16(buf + 6), 0x07aa);
    assert_int_equal(udp_parse(SRC, DST, buf, 13, &d), NET_OK);
}

static void test_lengths(void **state)
{
    uint8_t buf[64];
    struct udp_datagram d;
    size_t len = dgram(buf, sizeof(buf), "abcd", 4);

    (void)state;
    assert_int_equal(udp_parse(SRC, DST, buf, 7, &d), NET_SHORT);
    assert_int_equal(udp_parse(SRC, DST, buf, len - 1, &d), NET_TRUNCATED);
    net_put16(buf + 6, 0);                 /* no checksum: the length rules alone */
    net_put16(buf + 4, 7);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_BAD_LENGTH);
    net_put16(buf + 4, 8);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_OK);
    assert_int_equal(d.data_len, 0);
    net_put16(buf + 4, 0xffff);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_TRUNCATED);
}

static void test_checksum(void **state)
{
    uint8_t buf[64];
    struct udp_datagram d;
    size_t len = dgram(buf, sizeof(buf), "abcdefg", 7), i;

    (void)state;
    for (i = 0; i < len; i++) {
        if (i == 4 || i == 5)
            continue;                      /* length bytes: other rules fire */
        dgram(buf, sizeof(buf), "abcdefg", 7);
        buf[i] ^= 0x20;
        assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_BAD_CHECKSUM);
    }
    dgram(buf, sizeof(buf), "abcdefg", 7);
    assert_int_equal(udp_parse(SRC, DST + 1, buf, len, &d), NET_BAD_CHECKSUM);
    assert_int_equal(udp_parse(SRC + 0x100, DST, buf, len, &d), NET_BAD_CHECKSUM);
    net_put16(buf + 6, 0);                 /* the sender sent none */
    assert_int_equal(udp_parse(SRC, DST + 1, buf, len, &d), NET_OK);
    assert_false(d.checksummed);
}

static void test_ports(void **state)
{
    uint8_t buf[64];
    struct udp_datagram d;
    size_t len = dgram(buf, sizeof(buf), "x", 1);

    (void)state;
    net_put16(buf + 6, 0);
    net_put16(buf, 0);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_BAD_ADDRESS);
    net_put16(buf, 1);
    net_put16(buf + 2, 0);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_BAD_ADDRESS);
    net_put16(buf + 2, 1);
    assert_int_equal(udp_parse(SRC, DST, buf, len, &d), NET_OK);
}

static void test_build(void **state)
{
    uint8_t buf[64];
    struct udp_datagram d = { .sport = 1, .dport = 1 };
    uint16_t sum;
    uint8_t data[2];

    (void)state;
    assert_int_equal(dgram(buf, 8 + 3, "abcd", 4), 0);       /* no room */
    d.data_len = 0xffff - 20 - 8 + 1;
    assert_int_equal(udp_build(buf, sizeof(buf), SRC, DST, &d), 0);
    /* Choose two data bytes whose checksum would come out as 0: the
     * builder must send 0xffff instead, and the datagram still checks. */
    memset(data, 0, sizeof(data));
    d.data = data;
    d.data_len = 2;
    assert_int_equal(udp_build(buf, sizeof(buf), SRC, DST, &d), 10);
    sum = net_get16(buf + 6);
    net_put16(data, (uint16_t)(sum == 0xffff ? 0 : sum));
    d.data = data;
    assert_int_equal(udp_build(buf, sizeof(buf), SRC, DST, &d), 10);
    assert_int_equal(net_get16(buf + 6), 0xffff);
    assert_int_equal(udp_parse(SRC, DST, buf, 10, &d), NET_OK);
    assert_true(d.checksummed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_build),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
