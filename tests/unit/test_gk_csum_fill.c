/*
 * Unit tests for guest-kernel/net/csum_fill.c: the TCP/UDP checksum a
 * frontend left to netback (NETTXF_csum_blank). Rules, each accepted and
 * refused: only an Ethernet frame with IPv4; version 4; a header length of
 * at least 20 inside the total length; the total length inside the frame;
 * no fragment; TCP or UDP only, with its whole header inside the IPv4
 * payload; the sum is over the pseudo-header and the TCP/UDP part with the
 * field as 0 (whatever the frontend left there); a UDP sum of 0 goes out
 * as 0xffff; a refused frame is left as it was. The expected checksums
 * were computed apart (Python, RFC 1071).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/csum_fill.h"

static uint8_t f[128];
static uint8_t saved[128];
static uint32_t flen;

/* An Ethernet + IPv4 (10.0.2.15 -> 10.0.2.2) frame around l4 (l4len
 * bytes) of protocol proto; IPv4's own checksum is irrelevant here. */
static void build(uint8_t proto, const uint8_t *l4, uint32_t l4len)
{
    static const uint8_t ip[20] = { 0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 0, 0, 0,
                                    10, 0, 2, 15, 10, 0, 2, 2 };

    memset(f, 0xee, sizeof(f));
    f[12] = 0x08;
    f[13] = 0x00;
    memcpy(f + 14, ip, 20);
    f[14 + 2] = (uint8_t)((20 + l4len) >> 8);
    f[14 + 3] = (uint8_t)(20 + l4len);
    f[14 + 9] = proto;
    memcpy(f + 34, l4, l4len);
    flen = 34 + l4len;
}

static const uint8_t udp[16] = { 0x9c, 0x40, 0xb7, 0x9f, 0, 16, 0x12, 0x34,
                                 't', 'e', 'r', 'n', ' ', 'u', 'd', 'p' };
static const uint8_t tcp[21] = { 0x9c, 0x41, 0xb7, 0xa0, 1, 2, 3, 4, 0, 0, 0, 0,
                                 0x50, 0x02, 0xfa, 0xf0, 0xab, 0xcd, 0, 0, 'x' };

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void assert_refused(enum net_status want)
{
    memcpy(saved, f, sizeof(f));
    assert_int_equal(net_csum_fill(f, flen), want);
    assert_memory_equal(f, saved, sizeof(f));
}

static void test_udp(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));        /* 0x1234: what the frontend left */
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    assert_int_equal(get16(f + 34 + 6), 0x2824);
    assert_int_equal(net_csum_fill(f, flen), NET_OK);   /* idempotent */
    assert_int_equal(get16(f + 34 + 6), 0x2824);
}

static void test_tcp(void **state)
{
    (void)state;
    build(6, tcp, sizeof(tcp));
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    assert_int_equal(get16(f + 34 + 16), 0xccf7);
    build(6, tcp, sizeof(tcp));
    flen += 10;                         /* Ethernet padding past IPv4's length */
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    assert_int_equal(get16(f + 34 + 16), 0xccf7);
}

/* A UDP datagram whose sum folds to 0 is sent with 0xffff. */
static void test_udp_zero_sum(void **state)
{
    uint8_t d[10] = { 0x9c, 0x40, 0xb7, 0x9f, 0, 10, 0, 0, 0, 0 };
    uint16_t c;

    (void)state;
    build(17, d, sizeof(d));
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    c = get16(f + 34 + 6);
    /* Two payload bytes equal to the checksum make the new sum 0xffff... */
    d[8] = (uint8_t)(c >> 8);
    d[9] = (uint8_t)c;
    build(17, d, sizeof(d));
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    assert_int_equal(get16(f + 34 + 6), 0xffff);
}

static void test_not_ipv4(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));
    f[12] = 0x86;                       /* IPv6 */
    f[13] = 0xdd;
    assert_refused(NET_BAD_TYPE);
    build(1, udp, sizeof(udp));         /* ICMP */
    assert_refused(NET_BAD_TYPE);
    build(17, udp, sizeof(udp));
    f[14] = 0x65;
    assert_refused(NET_BAD_VERSION);
}

static void test_short(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));
    flen = 13;
    assert_refused(NET_SHORT);
    flen = 14 + 19;
    assert_refused(NET_SHORT);
}

static void test_lengths(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));
    f[14] = 0x44;                       /* 16-byte header */
    assert_refused(NET_BAD_LENGTH);
    build(17, udp, sizeof(udp));
    f[14 + 3] = 19;                     /* total below the header */
    assert_refused(NET_BAD_LENGTH);
    build(17, udp, sizeof(udp));
    flen -= 1;                          /* total beyond the frame */
    assert_refused(NET_TRUNCATED);
    build(17, udp, 7);                  /* UDP header cut */
    assert_refused(NET_TRUNCATED);
    build(6, tcp, 19);                  /* TCP header cut */
    assert_refused(NET_TRUNCATED);
    build(17, udp, 8);                  /* a bare UDP header is fine */
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
}

static void test_header_options(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));
    memmove(f + 38, f + 34, sizeof(udp));
    f[14] = 0x46;                       /* 24-byte header: 4 option bytes */
    f[14 + 3] = (uint8_t)(24 + sizeof(udp));
    flen += 4;
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
    assert_int_equal(get16(f + 38 + 6), 0x2824);
}

static void test_fragment(void **state)
{
    (void)state;
    build(17, udp, sizeof(udp));
    f[14 + 6] = 0x20;                   /* more fragments */
    assert_refused(NET_FRAGMENT);
    build(17, udp, sizeof(udp));
    f[14 + 7] = 1;                      /* offset 8 */
    assert_refused(NET_FRAGMENT);
    build(17, udp, sizeof(udp));
    f[14 + 6] = 0x40;                   /* don't fragment: fine */
    assert_int_equal(net_csum_fill(f, flen), NET_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_udp_zero_sum),
        cmocka_unit_test(test_not_ipv4),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_header_options),
        cmocka_unit_test(test_fragment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
