/*
 * Unit tests for guest-kernel/net/inet_csum.c, the Internet checksum.
 * Known answers (RFC 1071's example, a real IPv4 header), odd lengths,
 * chained sums, the pseudo-header, and a long buffer whose sum would
 * overflow 32 bits without the intermediate folds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/inet_csum.h"

static void test_rfc1071_example(void **state)
{
    /* RFC 1071 section 3: 0001 f203 f4f5 f6f7 sums to ddf2 (folded). */
    static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

    (void)state;
    assert_int_equal(inet_fold(inet_sum(b, sizeof(b), 0)), (uint16_t)~0xddf2);
}

static void test_ipv4_header(void **state)
{
    /* A real header whose checksum field holds b861: the sum checks to 0. */
    uint8_t h[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

    (void)state;
    assert_int_equal(inet_fold(inet_sum(h, sizeof(h), 0)), 0);
    h[10] = h[11] = 0;
    assert_int_equal(inet_fold(inet_sum(h, sizeof(h), 0)), 0xb861);
    h[19] ^= 1;
    assert_int_not_equal(inet_fold(inet_sum(h, sizeof(h), 0)), 0xb861);
}

static void test_odd_and_chained(void **state)
{
    static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };

    (void)state;
    /* The odd last byte is the high half of a padded word. */
    assert_int_equal(inet_fold(inet_sum(b, 5, 0)),
                     (uint16_t)~(0x1234 + 0x5678 + 0x9a00 - 0xffff));
    assert_int_equal(inet_sum(b + 2, 3, inet_sum(b, 2, 0)), inet_sum(b, 5, 0));
    assert_int_equal(inet_fold(inet_sum(b, 0, 0)), 0xffff);
}

static void test_pseudo(void **state)
{
    (void)state;
    /* 10.0.2.15 -> 10.0.2.2, UDP, 12 bytes: 0a00+020f+0a00+0202+0011+000c. */
    assert_int_equal(inet_pseudo_sum(0x0a00020f, 0x0a000202, 17, 12),
                     0x0a00 + 0x020f + 0x0a00 + 0x0202 + 0x11 + 12);
    assert_true(inet_pseudo_sum(0xffffffff, 0xffffffff, 0xff, 0xffff) <= 0xffff + 6);
}

static void test_long_buffer(void **state)
{
    /* 256 KiB of 0xff: every word is 0xffff (-0), so the sum is 0xffff;
     * without folds on the way 131072 * 0xffff would overflow 32 bits. */
    size_t n = 256 * 1024;
    uint8_t *b = malloc(n);

    (void)state;
    assert_non_null(b);
    memset(b, 0xff, n);
    assert_int_equal(inet_fold(inet_sum(b, n, 0)), 0);
    b[7] = 0xfe;
    assert_int_equal(inet_fold(inet_sum(b, n, 0)), 1);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1071_example),
        cmocka_unit_test(test_ipv4_header),
        cmocka_unit_test(test_odd_and_chained),
        cmocka_unit_test(test_pseudo),
        cmocka_unit_test(test_long_buffer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
