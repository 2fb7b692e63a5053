/*
 * Unit tests for guest-kernel/net/netback_req.c, netback's checks of what
 * a frontend put in its rings. Each rule has an accepted and a refused
 * case. The rings' layout over ring.h. Disconnect (lies): a chain or an
 * extra past req_prod, more than 20 data slots, a slot crossing its page
 * (the first slot by its own share), an unknown or repeated extra type.
 * Drop (error answers, slots consumed): 19-20 slots, later slots larger
 * than the packet, under 14 bytes, over the maximum, GSO or multicast not
 * negotiated, a bad GSO record. Receive: slots per packet, reserved
 * grants refused, fragment responses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/netback_req.h"

#define MAX_RING 64

static union netif_tx_sring_entry ring[MAX_RING];
static struct netbk_tx_plan plan;
static const struct netbk_config mtu_cfg = { .max_packet = 1514 };
static const struct netbk_config big_cfg = { .max_packet = 65535 };

static void slot(uint32_t i, grant_ref_t gref, uint16_t offset, uint16_t flags, uint16_t size)
{
    memset(&ring[i], 0, sizeof(ring[i]));
    ring[i].req = (struct netif_tx_request){ .gref = gref, .offset = offset,
                                             .flags = flags, .id = (uint16_t)(100 + i),
                                             .size = size };
}

static void extra(uint32_t i, uint8_t type, uint8_t flags)
{
    memset(&ring[i], 0, sizeof(ring[i]));
    ring[i].extra.type = type;
    ring[i].extra.flags = flags;
}

/* A chain of n data slots: the first says total, the others 100 bytes each. */
static void chain(uint32_t n, uint16_t total)
{
    uint32_t i;

    slot(0, 50, 0, n > 1 ? NETTXF_more_data : 0, total);
    for (i = 1; i < n; i++)
        slot(i, 50 + i, 8, i + 1 < n ? NETTXF_more_data : 0, 100);
}

static void assert_dropped(uint32_t consumed)
{
    uint32_t i;

    assert_int_equal(plan.verdict, NETBK_TX_DROP);
    assert_int_equal(plan.consumed, consumed);
    assert_int_equal(plan.nr_rsp, consumed);
    for (i = 0; i < consumed; i++)
        assert_true(plan.rsp[i].status == NETIF_RSP_ERROR ||
                    plan.rsp[i].status == NETIF_RSP_NULL);
    assert_int_equal(plan.rsp[0].status, NETIF_RSP_ERROR);
}

static void assert_disconnected(const char *reason)
{
    assert_int_equal(plan.verdict, NETBK_TX_DISCONNECT);
    assert_int_equal(plan.consumed, 0);
    assert_int_equal(plan.nr_rsp, 0);
    assert_string_equal(plan.reason, reason);
}

/* The tx and rx rings' layout over ring.h's header: Xen's sizes. */
static void test_ring_layout(void **state)
{
    (void)state;
    assert_int_equal(xen_ring_entries(sizeof(union netif_tx_sring_entry)), NET_TX_RING_SIZE);
    assert_int_equal(xen_ring_entries(sizeof(union netif_rx_sring_entry)), NET_RX_RING_SIZE);
    assert_int_equal(offsetof(struct netif_tx_sring, ring), 64);
    assert_int_equal(offsetof(struct netif_rx_sring, hdr.rsp_prod), 8);
    assert_false(xen_ring_req_prod_lies(256, 0, NET_TX_RING_SIZE));
    assert_true(xen_ring_req_prod_lies(257, 0, NET_TX_RING_SIZE));
}

static void test_config(void **state)
{
    struct netbk_config c = { .max_packet = 14 };

    (void)state;
    assert_true(netbk_config_valid(&c));
    c.max_packet = 13;
    assert_false(netbk_config_valid(&c));
    c.max_packet = 65535;
    assert_true(netbk_config_valid(&c));
    c.max_packet = 65536;
    assert_false(netbk_config_valid(&c));
}

static void test_one_slot(void **state)
{
    (void)state;
    slot(0, 77, 128, 0, 60);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.consumed, 1);
    assert_int_equal(plan.total, 60);
    assert_int_equal(plan.nr_segs, 1);
    assert_int_equal(plan.segs[0].gref, 77);
    assert_int_equal(plan.segs[0].offset, 128);
    assert_int_equal(plan.segs[0].len, 60);
    assert_int_equal(plan.rsp[0].id, 100);
    assert_int_equal(plan.rsp[0].status, NETIF_RSP_OKAY);
    /* More produced than this packet: only its own slots are consumed. */
    netbk_tx_check(ring, 40, &mtu_cfg, &plan);
    assert_int_equal(plan.consumed, 1);
}

/* NETTXF_csum_blank (with data_validated, as Linux sends it) is passed on
 * for the backend to fill; without it nothing is to be filled. */
static void test_csum_blank(void **state)
{
    (void)state;
    slot(0, 77, 0, NETTXF_csum_blank | NETTXF_data_validated, 60);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_true(plan.csum_blank);
    slot(0, 77, 0, NETTXF_data_validated, 60);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_false(plan.csum_blank);
    chain(2, 150);
    ring[0].req.flags |= NETTXF_csum_blank;
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_true(plan.csum_blank);
}

static void test_chain(void **state)
{
    (void)state;
    chain(3, 1500);
    netbk_tx_check(ring, 3, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.consumed, 3);
    assert_int_equal(plan.total, 1500);
    assert_int_equal(plan.nr_segs, 3);
    assert_int_equal(plan.segs[0].len, 1300);             /* 1500 - 2 x 100 */
    assert_int_equal(plan.segs[1].gref, 51);
    assert_int_equal(plan.segs[2].offset, 8);
    assert_int_equal(plan.segs[2].len, 100);
    assert_int_equal(plan.rsp[2].id, 102);
    /* The chain says more_data but the frontend produced only 2 slots. */
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_disconnected("packet continues past req_prod");
}

static void test_slot_limits(void **state)
{
    (void)state;
    chain(18, 2000);
    netbk_tx_check(ring, 18, &big_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.nr_segs, 18);
    assert_int_equal(plan.segs[0].len, 2000 - 1700);
    chain(19, 2000);
    netbk_tx_check(ring, 19, &big_cfg, &plan);
    assert_dropped(19);
    assert_int_equal(plan.nr_segs, 0);
    chain(20, 2000);
    netbk_tx_check(ring, 20, &big_cfg, &plan);
    assert_dropped(20);
    chain(21, 2000);
    netbk_tx_check(ring, 21, &big_cfg, &plan);
    assert_disconnected("packet of too many slots");
    /* A never-ending chain with plenty produced stops at the window. */
    chain(MAX_RING, 2000);
    slot(MAX_RING - 1, 1, 0, NETTXF_more_data, 1);
    netbk_tx_check(ring, MAX_RING, &big_cfg, &plan);
    assert_disconnected("packet of too many slots");
}

static void test_page_crossing(void **state)
{
    (void)state;
    chain(2, 300);
    slot(1, 9, 3996, 0, 100);                               /* ends at 4096 */
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    slot(1, 9, 3997, 0, 100);
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_disconnected("slot crosses its page");
    slot(1, 9, 0xfff0, 0, 0x20);                            /* no 16-bit wrap */
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_disconnected("slot crosses its page");
    /* The first slot's own share is 200 bytes. */
    chain(2, 300);
    slot(0, 9, 3896, NETTXF_more_data, 300);
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    slot(0, 9, 3897, NETTXF_more_data, 300);
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_disconnected("first slot crosses its page");
    slot(0, 9, 0, 0, 4096);
    netbk_tx_check(ring, 1, &big_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    slot(0, 9, 0, 0, 4097);
    netbk_tx_check(ring, 1, &big_cfg, &plan);
    assert_disconnected("first slot crosses its page");
}

static void test_sizes(void **state)
{
    (void)state;
    chain(3, 200);
    netbk_tx_check(ring, 3, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.segs[0].len, 0);                 /* all in the others: fine */
    chain(3, 199);
    netbk_tx_check(ring, 3, &mtu_cfg, &plan);
    assert_dropped(3);
    assert_string_equal(plan.reason, "slots larger than the packet");
    assert_int_equal(plan.rsp[1].id, 101);                 /* every slot answered */
    slot(0, 1, 0, 0, 14);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    slot(0, 1, 0, 0, 13);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_dropped(1);
    slot(0, 1, 0, 0, 0);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_dropped(1);
    slot(0, 1, 0, 0, 1514);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    slot(0, 1, 0, 0, 1515);
    netbk_tx_check(ring, 1, &mtu_cfg, &plan);
    assert_dropped(1);
    assert_string_equal(plan.reason, "packet larger than the maximum");
}

static void gso_packet(uint8_t type, uint16_t mss)
{
    slot(0, 1, 0, NETTXF_extra_info | NETTXF_more_data, 3000);
    extra(1, XEN_NETIF_EXTRA_TYPE_GSO, 0);
    ring[1].extra.u.gso.type = type;
    ring[1].extra.u.gso.size = mss;
    slot(2, 2, 0, 0, 2000);
}

static void test_gso(void **state)
{
    struct netbk_config gso_cfg = { .max_packet = 65535, .gso_tcpv4 = true };

    (void)state;
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    netbk_tx_check(ring, 3, &gso_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.consumed, 3);
    assert_true(plan.has_gso);
    assert_int_equal(plan.gso_size, 1448);
    assert_int_equal(plan.rsp[1].status, NETIF_RSP_NULL);
    assert_int_equal(plan.nr_segs, 2);
    assert_int_equal(plan.segs[1].gref, 2);
    netbk_tx_check(ring, 3, &big_cfg, &plan);              /* not offered */
    assert_dropped(3);
    assert_int_equal(plan.rsp[1].status, NETIF_RSP_NULL);
    assert_string_equal(plan.reason, "GSO was not offered");
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV6, 1448);
    netbk_tx_check(ring, 3, &gso_cfg, &plan);
    assert_dropped(3);
    assert_string_equal(plan.reason, "bad GSO record");
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV4, 0);
    netbk_tx_check(ring, 3, &gso_cfg, &plan);
    assert_dropped(3);
}

static void test_extra_lies(void **state)
{
    (void)state;
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    netbk_tx_check(ring, 1, &big_cfg, &plan);
    assert_disconnected("extra info slot past req_prod");
    ring[1].extra.type = XEN_NETIF_EXTRA_TYPE_NONE;
    netbk_tx_check(ring, 3, &big_cfg, &plan);
    assert_disconnected("extra info of an unknown type");
    ring[1].extra.type = XEN_NETIF_EXTRA_TYPE_MAX;
    netbk_tx_check(ring, 3, &big_cfg, &plan);
    assert_disconnected("extra info of an unknown type");
    /* GSO, then (MORE) GSO again. */
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    ring[1].extra.flags = XEN_NETIF_EXTRA_FLAG_MORE;
    ring[2] = ring[1];
    netbk_tx_check(ring, 4, &big_cfg, &plan);
    assert_disconnected("extra info type given twice");
    /* MORE on the last extra: the next slot is read as an extra. */
    gso_packet(XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    ring[1].extra.flags = XEN_NETIF_EXTRA_FLAG_MORE;
    netbk_tx_check(ring, 2, &big_cfg, &plan);
    assert_disconnected("extra info slot past req_prod");
    /* extra_info on a later data slot is ignored, as Linux does. */
    chain(2, 300);
    ring[1].req.flags = NETTXF_extra_info;
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_SEND);
    assert_int_equal(plan.consumed, 2);
}

static void test_multicast(void **state)
{
    struct netbk_config mc_cfg = { .max_packet = 1514, .multicast_control = true };
    static const uint8_t addr[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };

    (void)state;
    slot(0, 0, 0, NETTXF_extra_info, 0);
    extra(1, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0);
    memcpy(ring[1].extra.u.mcast.addr, addr, 6);
    netbk_tx_check(ring, 2, &mc_cfg, &plan);
    assert_int_equal(plan.verdict, NETBK_TX_CONTROL);
    assert_int_equal(plan.consumed, 2);
    assert_int_equal(plan.mcast_type, XEN_NETIF_EXTRA_TYPE_MCAST_ADD);
    assert_memory_equal(plan.mcast_addr, addr, 6);
    assert_int_equal(plan.rsp[0].status, NETIF_RSP_OKAY);
    netbk_tx_check(ring, 2, &mtu_cfg, &plan);
    assert_dropped(2);
    assert_string_equal(plan.reason, "multicast control was not requested");
    slot(0, 0, 0, NETTXF_extra_info | NETTXF_more_data, 100);
    slot(2, 3, 0, 0, 100);
    netbk_tx_check(ring, 3, &mc_cfg, &plan);
    assert_dropped(3);
    assert_string_equal(plan.reason, "multicast request with packet data");
}

static void test_rx(void **state)
{
    struct netif_rx_request req = { .id = 7, .gref = 8 };
    struct netif_rx_response rsp;

    (void)state;
    assert_int_equal(netbk_rx_slots(0, true), 0);
    assert_int_equal(netbk_rx_slots(1514, false), 1);
    assert_int_equal(netbk_rx_slots(4096, false), 1);
    assert_int_equal(netbk_rx_slots(4097, false), 0);
    assert_int_equal(netbk_rx_slots(4097, true), 2);
    assert_int_equal(netbk_rx_slots(65535, true), 16);
    assert_int_equal(netbk_rx_slots(65536, true), 0);
    assert_true(netbk_rx_check(&req));
    req.gref = GNTTAB_RESERVED_XENSTORE;
    assert_false(netbk_rx_check(&req));
    req.gref = 7;
    assert_false(netbk_rx_check(&req));
    netbk_rx_fragment(&req, 5000, 0, &rsp);
    assert_int_equal(rsp.id, 7);
    assert_int_equal(rsp.offset, 0);
    assert_int_equal(rsp.status, 4096);
    assert_int_equal(rsp.flags, NETRXF_more_data);
    netbk_rx_fragment(&req, 5000, 1, &rsp);
    assert_int_equal(rsp.status, 904);
    assert_int_equal(rsp.flags, 0);
    netbk_rx_fragment(&req, 60, 0, &rsp);
    assert_int_equal(rsp.status, 60);
    assert_int_equal(rsp.flags, 0);
    netbk_rx_fragment(&req, 60, 3, &rsp);                  /* out of range: empty */
    assert_int_equal(rsp.status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_layout),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_one_slot),
        cmocka_unit_test(test_csum_blank),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_slot_limits),
        cmocka_unit_test(test_page_crossing),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_gso),
        cmocka_unit_test(test_extra_lies),
        cmocka_unit_test(test_multicast),
        cmocka_unit_test(test_rx),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
