/*
 * Unit tests for guest-kernel/net/net_text.c. Rules, each with an
 * accepted and a refused case: IPv4 a.b.c.d with parts 0..255, exactly
 * four, nothing around; a MAC of six two-digit hex bytes with colons;
 * a vif backend path names a domain (< 0x7ff0) and a device number
 * (< 0x10000), optionally followed by a node, under exactly
 * /local/domain/0/backend/vif/; a refused parse leaves the outputs alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/net_text.h"

static void test_ipv4(void **state)
{
    uint32_t ip = 7;

    (void)state;
    assert_true(net_parse_ipv4("10.0.2.15", &ip));
    assert_int_equal(ip, 0x0a00020f);
    assert_true(net_parse_ipv4("255.255.255.255", &ip));
    assert_int_equal(ip, 0xffffffff);
    ip = 7;
    assert_false(net_parse_ipv4("256.0.0.1", &ip));
    assert_false(net_parse_ipv4("1.2.3", &ip));
    assert_false(net_parse_ipv4("1.2.3.4.5", &ip));
    assert_false(net_parse_ipv4("1.2.3.4 ", &ip));
    assert_false(net_parse_ipv4("1..3.4", &ip));
    assert_false(net_parse_ipv4("0001.2.3.4", &ip));
    assert_false(net_parse_ipv4("", &ip));
    assert_int_equal(ip, 7);
}

static void test_ipv4_port(void **state)
{
    uint32_t ip = 7;
    uint16_t port = 9;

    (void)state;
    assert_true(net_parse_ipv4_port("10.0.2.2:47008", &ip, &port));
    assert_int_equal(ip, 0x0a000202);
    assert_int_equal(port, 47008);
    assert_true(net_parse_ipv4_port("1.2.3.4:65535", &ip, &port));
    assert_int_equal(port, 65535);
    ip = 7;
    port = 9;
    assert_false(net_parse_ipv4_port("1.2.3.4:0", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3.4:65536", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3.4:", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3.4", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3.4:80x", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3:80", &ip, &port));
    assert_false(net_parse_ipv4_port("1.2.3.4.5:80", &ip, &port));
    assert_false(net_parse_ipv4("1.2.3.4:80", &ip));
    assert_int_equal(ip, 7);
    assert_int_equal(port, 9);
}

static void test_mac(void **state)
{
    uint8_t m[6] = { 9, 9, 9, 9, 9, 9 };
    const uint8_t want[6] = { 0x00, 0x16, 0x3e, 0xab, 0x01, 0xff };

    (void)state;
    assert_true(net_parse_mac("00:16:3e:AB:01:ff", m));
    assert_memory_equal(m, want, 6);
    memset(m, 9, 6);
    assert_false(net_parse_mac("00:16:3e:ab:01", m));
    assert_false(net_parse_mac("00:16:3e:ab:01:ff:", m));
    assert_false(net_parse_mac("00-16-3e-ab-01-ff", m));
    assert_false(net_parse_mac("0g:16:3e:ab:01:ff", m));
    assert_false(net_parse_mac("0:16:3e:ab:01:ff", m));
    assert_int_equal(m[0], 9);
}

static void test_vif_backend(void **state)
{
    uint16_t dom = 1;
    uint32_t n = 1;

    (void)state;
    assert_true(net_parse_vif_backend("/local/domain/0/backend/vif/3/0", &dom, &n));
    assert_int_equal(dom, 3);
    assert_int_equal(n, 0);
    assert_true(net_parse_vif_backend("/local/domain/0/backend/vif/12/65535/state", &dom, &n));
    assert_int_equal(dom, 12);
    assert_int_equal(n, 65535);
    dom = 1;
    n = 1;
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif/3", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif/3/", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vbd/3/0", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif/32752/0", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif/3/65536", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/0/backend/vif/3/0x", &dom, &n));
    assert_false(net_parse_vif_backend("/local/domain/1/backend/vif/3/0", &dom, &n));
    assert_int_equal(dom, 1);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_ipv4_port),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_vif_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
