/*
 * Unit tests for hypervisor/pv/vpit2.c: a domain's PIT channel 2 and port
 * B on the system time. Each rule with an accepted and a refused case:
 * what Linux's quick_pit_calibrate does (mode 0, 0xffff, the msb read
 * after the lsb), the latch, the other channels' commands dropped, port
 * B's bits, the byte-only ports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vpit2.h"

#define MS 1000000ull                      /* ns */
#define T0 (5 * 1000000000ull)             /* any start time */

static uint16_t read16(struct vpit2 *p, uint64_t now)
{
    uint8_t lo = vpit2_read(p, VPIT2_COUNTER_PORT, now);

    return (uint16_t)(lo | vpit2_read(p, VPIT2_COUNTER_PORT, now) << 8);
}

/* Channel 2, lsb then msb, mode m, binary; count n loaded at now. */
static void program(struct vpit2 *p, unsigned int m, uint16_t n, uint64_t now)
{
    vpit2_write(p, VPIT2_MODE_PORT, (uint8_t)(0xb0 | m << 1), now);
    vpit2_write(p, VPIT2_COUNTER_PORT, (uint8_t)n, now);
    vpit2_write(p, VPIT2_COUNTER_PORT, (uint8_t)(n >> 8), now);
}

static void test_ports(void **state)
{
    (void)state;
    assert_true(vpit2_port(0x42, 1));
    assert_true(vpit2_port(0x43, 1));
    assert_true(vpit2_port(0x61, 1));
    assert_false(vpit2_port(0x40, 1));      /* channel 0: the hypervisor's */
    assert_false(vpit2_port(0x41, 1));
    assert_false(vpit2_port(0x60, 1));
    assert_false(vpit2_port(0x42, 2));      /* bytes only */
    assert_false(vpit2_port(0x61, 4));
}

/* Mode 0 from 0xffff counts down at 1.193182 MHz: 1 ms is 1193 clocks. */
static void test_mode0_counts_down(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    program(&p, 0, 0xffff, T0);
    assert_int_equal(read16(&p, T0), 0xffff);
    assert_int_equal(read16(&p, T0 + MS), 0xffff - 1193);
    assert_int_equal(read16(&p, T0 + 10 * MS), 0xffff - 11931);
    /* wraps through 0 (65535 clocks = 54.9 ms) */
    assert_int_equal(read16(&p, T0 + 55 * MS), (uint16_t)(0xffff - 65625));
}

/* quick_pit_calibrate reads lsb then msb each time; the msb falls. */
static void test_msb_falls(void **state)
{
    struct vpit2 p = { 0 };
    uint8_t msb1, msb2;

    (void)state;
    program(&p, 0, 0xffff, T0);
    (void)vpit2_read(&p, VPIT2_COUNTER_PORT, T0);
    msb1 = vpit2_read(&p, VPIT2_COUNTER_PORT, T0);
    (void)vpit2_read(&p, VPIT2_COUNTER_PORT, T0 + MS);
    msb2 = vpit2_read(&p, VPIT2_COUNTER_PORT, T0 + MS);
    assert_int_equal(msb1, 0xff);
    assert_int_equal(msb2, (0xffff - 1193) >> 8);
}

static void test_out2_mode0(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    program(&p, 0, 1193, T0);                                   /* 1 ms */
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, T0) & 0x20, 0);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, T0 + MS / 2) & 0x20, 0);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, T0 + MS + 1000) & 0x20, 0x20);
    program(&p, 0, 1193, T0 + 2 * MS);                          /* reloaded: low again */
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, T0 + 2 * MS) & 0x20, 0);
}

static void test_latch(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    program(&p, 0, 0xffff, T0);
    vpit2_write(&p, VPIT2_MODE_PORT, 0x80, T0 + MS);            /* latch channel 2 */
    vpit2_write(&p, VPIT2_MODE_PORT, 0x80, T0 + 2 * MS);        /* held: ignored */
    assert_int_equal(read16(&p, T0 + 5 * MS), 0xffff - 1193);  /* frozen value */
    assert_int_equal(read16(&p, T0 + 5 * MS), 0xffff - 5965);  /* then live again */
    vpit2_write(&p, VPIT2_MODE_PORT, 0xd8, T0 + 6 * MS);        /* read-back: count, ch 2 */
    assert_int_equal(read16(&p, T0 + 9 * MS), 0xffff - 7159);
    vpit2_write(&p, VPIT2_MODE_PORT, 0xc8 | 0x20, T0 + 6 * MS); /* read-back, no count */
    assert_int_equal(read16(&p, T0 + 9 * MS), 0xffff - 10738);
}

/* Commands for channels 0 and 1 change nothing of channel 2. */
static void test_other_channels_dropped(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    program(&p, 0, 0x1000, T0);
    vpit2_write(&p, VPIT2_MODE_PORT, 0x34, T0);                 /* channel 0, mode 2 */
    vpit2_write(&p, VPIT2_MODE_PORT, 0x40, T0);                 /* latch channel 1 */
    assert_int_equal(p.mode, 0);
    assert_false(p.latch_valid);
    assert_int_equal(read16(&p, T0), 0x1000);
    assert_int_equal(vpit2_read(&p, VPIT2_MODE_PORT, T0), 0);
}

static void test_byte_modes(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    vpit2_write(&p, VPIT2_MODE_PORT, 0x90, T0);                 /* lsb only, mode 0 */
    vpit2_write(&p, VPIT2_COUNTER_PORT, 0x80, T0);
    assert_int_equal(vpit2_read(&p, VPIT2_COUNTER_PORT, T0), 0x80);
    assert_int_equal(vpit2_read(&p, VPIT2_COUNTER_PORT, T0), 0x80);
    vpit2_write(&p, VPIT2_MODE_PORT, 0xa0, T0);                 /* msb only */
    vpit2_write(&p, VPIT2_COUNTER_PORT, 0x12, T0);
    assert_int_equal(vpit2_read(&p, VPIT2_COUNTER_PORT, T0), 0x12);
    assert_int_equal(p.reload, 0x1200);
}

static void test_periodic_modes(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    program(&p, 2, 1000, T0);
    /* 1500 clocks in: one period of 1000 and half of the next */
    assert_int_equal(read16(&p, T0 + (1500 * 1000000000ull + 1193181) / 1193182), 500);
    program(&p, 7, 1000, T0);                                   /* 7 is mode 3 */
    assert_int_equal(p.mode, 3);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, T0) & 0x20, 0x20);
}

static void test_port_b(void **state)
{
    struct vpit2 p = { 0 };

    (void)state;
    vpit2_write(&p, VPIT2_PORT_B, 0x03, T0);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, 0) & 0x0f, 0x03);
    vpit2_write(&p, VPIT2_PORT_B, 0xfc, T0);                    /* only bits 0-1 kept */
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, 0) & 0xcf, 0x00);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, 0) & 0x10, 0);
    assert_int_equal(vpit2_read(&p, VPIT2_PORT_B, 1u << 14) & 0x10, 0x10);  /* refresh */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_mode0_counts_down),
        cmocka_unit_test(test_msb_falls),
        cmocka_unit_test(test_out2_mode0),
        cmocka_unit_test(test_latch),
        cmocka_unit_test(test_other_channels_dropped),
        cmocka_unit_test(test_byte_modes),
        cmocka_unit_test(test_periodic_modes),
        cmocka_unit_test(test_port_b),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
