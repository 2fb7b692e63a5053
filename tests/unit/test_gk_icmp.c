/*
 * Unit tests for guest-kernel/net/icmp.c, ICMP echo. Each rule has an
 * accepted and a refused case: at least 8 bytes, the checksum over the
 * whole message (an odd length included), type echo request or reply,
 * code 0; building (a reply in place over its request) parses back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/icmp.h"
#include "net/inet_csum.h"

static const uint8_t payload[] = "abcdefghijklmnopqrstuvwabcdefghi";   /* Windows' ping data */

static size_t echo(uint8_t *buf, size_t cap, uint8_t type, size_t data_len)
{
    struct icmp_echo e = { .type = type, .id = 0x1234, .seq = 3,
                           .data = payload, .data_len = data_len };

    return icmp_echo_build(buf, cap, &e);
}

static void resum(uint8_t *buf, size_t len)
{
    buf[2] = buf[3] = 0;
    net_put16(buf + 2, inet_fold(inet_sum(buf, len, 0)));
}

static void test_roundtrip(void **state)
{
    uint8_t buf[64];
    struct icmp_echo e;
    size_t len = echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 32);

    (void)state;
    assert_int_equal(len, 40);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
    assert_int_equal(e.type, ICMP_ECHO_REQUEST);
    assert_int_equal(e.id, 0x1234);
    assert_int_equal(e.seq, 3);
    assert_int_equal(e.data_len, 32);
    assert_memory_equal(e.data, payload, 32);
    len = echo(buf, sizeof(buf), ICMP_ECHO_REPLY, 0);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
    assert_int_equal(e.type, ICMP_ECHO_REPLY);
    len = echo(buf, sizeof(buf), ICMP_ECHO_REPLY, 5);      /* odd length */
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
    buf[12] ^= 1;                                            /* the odd last byte */
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_BAD_CHECKSUM);
}

static void test_reply_in_place(void **state)
{
    uint8_t buf[64];
    struct icmp_echo e;
    size_t len = echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 32);

    (void)state;
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
    e.type = ICMP_ECHO_REPLY;
    assert_int_equal(icmp_echo_build(buf, len, &e), len);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
    assert_int_equal(e.type, ICMP_ECHO_REPLY);
    assert_int_equal(e.seq, 3);
    assert_memory_equal(e.data, payload, 32);
}

static void test_short(void **state)
{
    uint8_t buf[64];
    struct icmp_echo e;

    (void)state;
    echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 0);
    assert_int_equal(icmp_echo_parse(buf, 8, &e), NET_OK);
    assert_int_equal(icmp_echo_parse(buf, 7, &e), NET_SHORT);
    assert_int_equal(echo(buf, 39, ICMP_ECHO_REQUEST, 32), 0);   /* no room */
    assert_int_equal(echo(buf, 7, ICMP_ECHO_REQUEST, 0), 0);
}

static void test_checksum(void **state)
{
    uint8_t buf[64];
    struct icmp_echo e;
    size_t len = echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 32), i;

    (void)state;
    for (i = 0; i < len; i++) {
        echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 32);
        buf[i] ^= 0x40;
        assert_int_equal(icmp_echo_parse(buf, len, &e), NET_BAD_CHECKSUM);
    }
    /* A length that leaves out a byte the checksum covered. */
    echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 32);
    assert_int_equal(icmp_echo_parse(buf, len - 1, &e), NET_BAD_CHECKSUM);
}

static void test_type_and_code(void **state)
{
    uint8_t buf[64];
    struct icmp_echo e;
    size_t len = echo(buf, sizeof(buf), ICMP_ECHO_REQUEST, 8);

    (void)state;
    buf[0] = 3;                 /* destination unreachable */
    resum(buf, len);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_BAD_TYPE);
    buf[0] = 13;                /* timestamp */
    resum(buf, len);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_BAD_TYPE);
    buf[0] = ICMP_ECHO_REQUEST;
    buf[1] = 1;
    resum(buf, len);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_BAD_FIELD);
    buf[1] = 0;
    resum(buf, len);
    assert_int_equal(icmp_echo_parse(buf, len, &e), NET_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_reply_in_place),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_type_and_code),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
