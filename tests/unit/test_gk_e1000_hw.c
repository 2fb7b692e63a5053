/*
 * Unit tests for guest-kernel/drivers/e1000_hw.c, the e1000 driver's pure
 * decisions. Each rule has an accepted and a refused case: 8254x device
 * IDs (Intel only); memory BARs (32- and 64-bit; I/O, reserved types,
 * unassigned and unaligned bases refused); STATUS link, duplex and speed;
 * the receive address (valid, individual, non-zero); the control words;
 * ring sizes and the tx ring's free count (one slot always empty, across
 * the wrap); receive descriptors (not done, not the frame's end, frame
 * errors, lengths 0 and over the buffer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/e1000_hw.h"

static void test_ids(void **state)
{
    (void)state;
    assert_true(e1000_device_supported(0x8086, 0x100e));   /* QEMU's e1000 */
    assert_true(e1000_device_supported(0x8086, 0x100f));
    assert_true(e1000_device_supported(0x8086, 0x100c));
    assert_false(e1000_device_supported(0x8086, 0x10d3));  /* 82574L: e1000e */
    assert_false(e1000_device_supported(0x8086, 0x1237));  /* the i440FX host bridge */
    assert_false(e1000_device_supported(0x10ec, 0x100e));  /* right device, wrong vendor */
    assert_false(e1000_device_supported(0xffff, 0xffff));  /* nothing there */
}

static void test_bar(void **state)
{
    struct pci_bar b;

    (void)state;
    assert_true(pci_bar_decode(0xfebc0000, 0xdeadbeef, &b));
    assert_int_equal(b.base, 0xfebc0000);                  /* hi ignored for 32-bit */
    assert_false(b.is64);
    assert_false(b.prefetch);
    assert_true(pci_bar_decode(0x0000000c, 0x00000008, &b));
    assert_int_equal(b.base, 0x800000000ULL);
    assert_true(b.is64);
    assert_true(b.prefetch);
    assert_false(pci_bar_decode(0x0000c001, 0, &b));       /* I/O */
    assert_false(pci_bar_decode(0x000d0002, 0, &b));       /* type 1 (below 1 MiB) */
    assert_false(pci_bar_decode(0xfebc0006, 0, &b));       /* type 3 */
    assert_false(pci_bar_decode(0x00000000, 0, &b));       /* unassigned */
    assert_false(pci_bar_decode(0x00000004, 0, &b));       /* 64-bit, unassigned */
    assert_false(pci_bar_decode(0xfebc0800, 0, &b));       /* not page-aligned */
}

static void test_status(void **state)
{
    struct e1000_link l;

    (void)state;
    e1000_status_decode(0x80080783, &l);                   /* QEMU's, link up */
    assert_true(l.up);
    assert_true(l.full_duplex);
    assert_int_equal(l.mbps, 1000);
    e1000_status_decode(0x40, &l);
    assert_false(l.up);
    assert_false(l.full_duplex);
    assert_int_equal(l.mbps, 100);
    e1000_status_decode(0x2, &l);
    assert_true(l.up);
    assert_int_equal(l.mbps, 10);
}

static void test_mac(void **state)
{
    uint8_t mac[6];
    static const uint8_t qemu[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

    (void)state;
    assert_true(e1000_mac_decode(0x12005452, 0x80005634, mac));
    assert_memory_equal(mac, qemu, 6);
    assert_false(e1000_mac_decode(0x12005452, 0x00005634, mac));  /* not valid */
    assert_false(e1000_mac_decode(0x12005453, 0x80005634, mac));  /* group address */
    assert_false(e1000_mac_decode(0, 0x80000000, mac));           /* all zero */
    assert_true(e1000_mac_decode(0, 0x80000100, mac));            /* 00:..:00:01 */
}

static void test_control_words(void **state)
{
    uint32_t ctrl = e1000_ctrl_link_up(E1000_CTRL_RST | E1000_CTRL_LRST |
                                       E1000_CTRL_PHY_RST | E1000_CTRL_FD);

    (void)state;
    assert_int_equal(ctrl, E1000_CTRL_SLU | E1000_CTRL_ASDE | E1000_CTRL_FD);
    assert_int_equal(e1000_rctl() & 0x2, 0x2);              /* EN */
    assert_int_equal(e1000_rctl() & (1u << 15), 1u << 15);  /* BAM */
    assert_int_equal(e1000_rctl() & 0x38, 0);               /* no SBP/UPE/MPE */
    assert_int_equal(e1000_rctl() & (1u << 5), 0);          /* no LPE */
    assert_int_equal(e1000_rctl() & (3u << 16 | 1u << 25), 0);  /* 2048-byte buffers */
    assert_int_equal(e1000_tctl(), 0x000400fa);                /* EN PSP, CT 0x0f, COLD 0x40 */
    assert_int_equal(e1000_tipg(), 0x0060200a);
}

static void test_rings(void **state)
{
    (void)state;
    assert_true(e1000_ring_size_ok(8));
    assert_true(e1000_ring_size_ok(256));
    assert_false(e1000_ring_size_ok(0));
    assert_false(e1000_ring_size_ok(12));
    assert_false(e1000_ring_size_ok(264));
    assert_int_equal(e1000_ring_next(6, 8), 7);
    assert_int_equal(e1000_ring_next(7, 8), 0);
    assert_int_equal(e1000_tx_free(0, 0, 8), 7);            /* empty */
    assert_int_equal(e1000_tx_free(7, 0, 8), 0);            /* full: one kept empty */
    assert_int_equal(e1000_tx_free(2, 5, 8), 2);            /* across the wrap */
    assert_int_equal(e1000_tx_free(4, 5, 8), 0);
    assert_int_equal(e1000_tx_free(5, 2, 8), 4);
}

static void test_rx_decode(void **state)
{
    struct e1000_rx_desc d = { .length = 60, .status = E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP };
    uint16_t len = 0;

    (void)state;
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_PACKET);
    assert_int_equal(len, 60);
    d.length = E1000_RX_BUF_SIZE;
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_PACKET);
    d.length = E1000_RX_BUF_SIZE + 1;
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_BAD);
    d.length = 0;
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_BAD);
    d.length = 60;
    d.status = E1000_RXD_STAT_DD;                           /* not the frame's end */
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_BAD);
    d.status = E1000_RXD_STAT_EOP;                          /* not done */
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_EMPTY);
    d.status = E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP;
    d.errors = 0x01;                                        /* CRC error */
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_BAD);
    d.errors = 0x80;                                        /* RX data error */
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_BAD);
    d.errors = 0x60;                                        /* offload checksum bits only */
    assert_int_equal(e1000_rx_decode(&d, &len), E1000_RX_PACKET);
}

static void test_tx_fill(void **state)
{
    struct e1000_tx_desc d;

    (void)state;
    memset(&d, 0xff, sizeof(d));
    e1000_tx_fill(&d, 0x1234000, 42);
    assert_int_equal(d.addr, 0x1234000);
    assert_int_equal(d.length, 42);
    assert_int_equal(d.cmd, 0x0b);                          /* EOP IFCS RS */
    assert_int_equal(d.status, 0);
    assert_int_equal(d.cso, 0);
    assert_int_equal(d.special, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_control_words),
        cmocka_unit_test(test_rings),
        cmocka_unit_test(test_rx_decode),
        cmocka_unit_test(test_tx_fill),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
