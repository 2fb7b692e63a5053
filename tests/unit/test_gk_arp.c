/*
 * Unit tests for guest-kernel/net/arp.c, ARP for IPv4 over Ethernet. Each
 * rule has an accepted and a refused case: at least 28 bytes (padding
 * allowed), hardware type Ethernet and protocol IPv4, address lengths 6
 * and 4, opcode request or reply, a single-station sender; building, and
 * the reply made only for a request that asks for our address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/arp.h"
#include "net/eth.h"

#define MY_IP  0x0a00020fu     /* 10.0.2.15 */
#define GW_IP  0x0a000202u     /* 10.0.2.2 */

static const uint8_t my_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

/* Our request for the gateway, as bytes (padded to an Ethernet minimum). */
static size_t request(uint8_t *buf)
{
    struct arp_packet p = { .op = ARP_OP_REQUEST, .spa = MY_IP, .tpa = GW_IP };

    memcpy(p.sha, my_mac, 6);
    memset(buf, 0, 46);
    assert_int_equal(arp_build(buf, 46, &p), ARP_LEN);
    return 46;
}

static void test_roundtrip(void **state)
{
    uint8_t buf[46];
    struct arp_packet p;
    static const uint8_t wire[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

    (void)state;
    assert_int_equal(arp_parse(buf, request(buf), &p), NET_OK);
    assert_memory_equal(buf, wire, 8);
    assert_int_equal(p.op, ARP_OP_REQUEST);
    assert_int_equal(p.spa, MY_IP);
    assert_int_equal(p.tpa, GW_IP);
    assert_memory_equal(p.sha, my_mac, 6);
    assert_int_equal(arp_parse(buf, ARP_LEN, &p), NET_OK);   /* unpadded */
    p.spa = 0;      /* an ARP probe's sender 0.0.0.0 is legal */
    arp_build(buf, sizeof(buf), &p);
    assert_int_equal(arp_parse(buf, ARP_LEN, &p), NET_OK);
}

static void test_short(void **state)
{
    uint8_t buf[46];
    struct arp_packet p;

    (void)state;
    request(buf);
    assert_int_equal(arp_parse(buf, ARP_LEN - 1, &p), NET_SHORT);
    assert_int_equal(arp_parse(buf, 0, &p), NET_SHORT);
}

static void test_header(void **state)
{
    uint8_t buf[46];
    struct arp_packet p;

    (void)state;
    request(buf);
    buf[1] = 6;                 /* IEEE 802 hardware type */
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_TYPE);
    request(buf);
    buf[2] = 0x86;              /* IPv6 */
    buf[3] = 0xdd;
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_TYPE);
    request(buf);
    buf[4] = 8;
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_LENGTH);
    request(buf);
    buf[5] = 16;
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_LENGTH);
}

static void test_opcode(void **state)
{
    uint8_t buf[46];
    struct arp_packet p;

    (void)state;
    request(buf);
    buf[7] = 2;
    assert_int_equal(arp_parse(buf, 46, &p), NET_OK);
    buf[7] = 3;                 /* RARP request */
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_FIELD);
    buf[7] = 0;
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_FIELD);
    buf[6] = 1;
    buf[7] = 1;
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_FIELD);
}

static void test_group_sender(void **state)
{
    uint8_t buf[46];
    struct arp_packet p;

    (void)state;
    request(buf);
    buf[8] |= 1;                /* multicast sender MAC */
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_ADDRESS);
    request(buf);
    memset(buf + 14, 0xff, 4);  /* sender 255.255.255.255 */
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_ADDRESS);
    request(buf);
    buf[14] = 224;              /* sender 224.x.x.x */
    assert_int_equal(arp_parse(buf, 46, &p), NET_BAD_ADDRESS);
    buf[14] = 223;
    assert_int_equal(arp_parse(buf, 46, &p), NET_OK);
}

static void test_reply(void **state)
{
    struct arp_packet req = { .op = ARP_OP_REQUEST, .spa = GW_IP, .tpa = MY_IP };
    struct arp_packet rep;
    uint8_t buf[ARP_LEN];

    (void)state;
    memcpy(req.sha, gw_mac, 6);
    assert_true(arp_make_reply(&req, my_mac, MY_IP, &rep));
    assert_int_equal(rep.op, ARP_OP_REPLY);
    assert_memory_equal(rep.sha, my_mac, 6);
    assert_memory_equal(rep.tha, gw_mac, 6);
    assert_int_equal(rep.spa, MY_IP);
    assert_int_equal(rep.tpa, GW_IP);
    assert_int_equal(arp_build(buf, ARP_LEN - 1, &rep), 0);
    req.tpa = MY_IP + 1;        /* asks for someone else */
    assert_false(arp_make_reply(&req, my_mac, MY_IP, &rep));
    req.tpa = MY_IP;
    req.op = ARP_OP_REPLY;      /* a reply is never answered */
    assert_false(arp_make_reply(&req, my_mac, MY_IP, &rep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_opcode),
        cmocka_unit_test(test_group_sender),
        cmocka_unit_test(test_reply),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
