/*
 * Unit tests for guest-kernel/net/ipv4.c, IPv4 headers. Each rule has an
 * accepted and a refused case: at least 20 bytes, version 4, IHL 5
 * (below: bad length; above: options), total length between 20 and the
 * bytes given (padding after it cut off), header checksum, reserved flag,
 * fragments (MF or an offset; DF alone is fine), TTL above 0, a single
 * host as source; and the builder's header parses back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/inet_csum.h"
#include "net/ipv4.h"

#define SRC 0x0a00020fu
#define DST 0x0a000202u

/* A 20-byte header and 8 payload bytes, in a 46-byte padded buffer. */
static size_t packet(uint8_t *buf)
{
    struct ipv4_packet p = { .ttl = 64, .proto = IPV4_PROTO_ICMP, .id = 7,
                             .src = SRC, .dst = DST, .payload_len = 8 };

    memset(buf, 0x5a, 46);
    assert_int_equal(ipv4_build(buf, 46, &p), IPV4_HLEN);
    return 46;
}

/* Rewrites the header checksum after a field was changed on purpose. */
static void resum(uint8_t *buf)
{
    buf[10] = buf[11] = 0;
    net_put16(buf + 10, inet_fold(inet_sum(buf, IPV4_HLEN, 0)));
}

static void test_roundtrip(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    assert_int_equal(ipv4_parse(buf, packet(buf), &p), NET_OK);
    assert_int_equal(buf[0], 0x45);
    assert_int_equal(net_get16(buf + 6), 0x4000);      /* DF */
    assert_int_equal(p.src, SRC);
    assert_int_equal(p.dst, DST);
    assert_int_equal(p.proto, IPV4_PROTO_ICMP);
    assert_int_equal(p.ttl, 64);
    assert_int_equal(p.id, 7);
    assert_ptr_equal(p.payload, buf + 20);
    assert_int_equal(p.payload_len, 8);                /* the padding is cut */
    assert_int_equal(ipv4_parse(buf, 28, &p), NET_OK); /* exactly the datagram */
}

static void test_short_and_version(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    packet(buf);
    assert_int_equal(ipv4_parse(buf, 19, &p), NET_SHORT);
    buf[0] = 0x65;                                     /* IPv6's version */
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_VERSION);
}

static void test_ihl(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    packet(buf);
    buf[0] = 0x44;
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_LENGTH);
    buf[0] = 0x46;
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OPTIONS);
    buf[0] = 0x4f;
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OPTIONS);
}

static void test_total_length(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    packet(buf);
    net_put16(buf + 2, 19);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_LENGTH);
    net_put16(buf + 2, 20);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
    assert_int_equal(p.payload_len, 0);
    net_put16(buf + 2, 46);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
    assert_int_equal(ipv4_parse(buf, 45, &p), NET_TRUNCATED);
    net_put16(buf + 2, 0xffff);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_TRUNCATED);
}

static void test_checksum(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;
    size_t i;

    (void)state;
    for (i = 0; i < IPV4_HLEN; i++) {
        packet(buf);
        buf[i] ^= 0x10;
        assert_int_not_equal(ipv4_parse(buf, 46, &p), NET_OK);
    }
    packet(buf);
    buf[16] ^= 1;                                      /* only the destination */
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_CHECKSUM);
    packet(buf);
    buf[30] ^= 1;                                      /* the payload is not covered */
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
}

static void set_frag(uint8_t *buf, uint16_t frag)
{
    net_put16(buf + 6, frag);
    resum(buf);
}

static void test_flags_and_fragments(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    packet(buf);
    set_frag(buf, 0);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
    set_frag(buf, 0x8000);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_FIELD);
    set_frag(buf, 0x2000);                             /* MF: the first fragment */
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_FRAGMENT);
    set_frag(buf, 0x0001);                             /* the last fragment */
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_FRAGMENT);
    set_frag(buf, 0x5fff);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_FRAGMENT);
}

static void test_ttl_and_source(void **state)
{
    uint8_t buf[46];
    struct ipv4_packet p;

    (void)state;
    packet(buf);
    buf[8] = 0;
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_FIELD);
    buf[8] = 1;
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
    net_put32(buf + 12, 0xffffffffu);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_ADDRESS);
    net_put32(buf + 12, 0xe0000001u);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_BAD_ADDRESS);
    net_put32(buf + 16, 0xffffffffu);                  /* a broadcast destination is fine */
    net_put32(buf + 12, SRC);
    resum(buf);
    assert_int_equal(ipv4_parse(buf, 46, &p), NET_OK);
}

static void test_build_limits(void **state)
{
    uint8_t buf[IPV4_HLEN];
    struct ipv4_packet p = { .ttl = 1, .payload_len = 0xffff - IPV4_HLEN };

    (void)state;
    assert_int_equal(ipv4_build(buf, IPV4_HLEN - 1, &p), 0);
    assert_int_equal(ipv4_build(buf, IPV4_HLEN, &p), IPV4_HLEN);
    assert_int_equal(net_get16(buf + 2), 0xffff);
    p.payload_len++;
    assert_int_equal(ipv4_build(buf, IPV4_HLEN, &p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_short_and_version),
        cmocka_unit_test(test_ihl),
        cmocka_unit_test(test_total_length),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_flags_and_fragments),
        cmocka_unit_test(test_ttl_and_source),
        cmocka_unit_test(test_build_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
