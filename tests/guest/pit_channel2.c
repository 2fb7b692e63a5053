/*
 * Test pit_channel2: PIT channel 2 and port B, as Linux calibrates its TSC.
 *
 * What: with virtual IOPL 1, port B (0x61) keeps the gate (bit 0) and the
 * speaker data (bit 1) written; channel 2 programmed through 0x43 (0xb0:
 * lsb then msb, mode 0) with 0xffff runs: OUT2 (port B bit 5) is low just
 * after the load, and the count read lsb then msb from 0x42 changes over
 * 2 ms of system time; with a count of 16 OUT2 is high 1 ms later (mode 0
 * keeps it high from the terminal count until the next load); a latch
 * command (0x80) freezes the count: the value read 2 ms after the latch
 * is at least 2000 clocks above one latched then. Each check needs only that time passes, not how
 * fast (a load-to-read gap is retried, the one step that needs to be
 * quick). Channel 2 is left gated off.
 * Why: Linux's quick_pit_calibrate reads channel 2 at boot in every PV
 * domain; Tern used to answer all ones, so the loop ran to its end (about
 * 47 M instructions) and Linux said "Fast TSC calibration failed".
 * Expected (real Xen 4.17): as above; Xen passes domain 0's channel 2 to
 * the real PIT and emulates it for other PV domains (pv_pit_handler).
 */
#include "kernel/portio.h"
#include "kernel/time.h"
#include "traptest.h"

static const char test_title[] = "PIT channel 2 and port B: gate, count, OUT2, latch";

#define PIT_CH2     0x42
#define PIT_MODE    0x43
#define PORT_B      0x61
#define B_GATE      0x01
#define B_SPEAKER   0x02
#define B_OUT2      0x20
#define CMD_MODE0   0xb0            /* channel 2, lsb then msb, mode 0, binary */
#define CMD_LATCH   0x80            /* channel 2, counter latch */
#define MS          1000000ull

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

static void wait_ns(uint64_t ns)
{
    uint64_t end = time_now_ns() + ns;

    while (time_now_ns() < end)
        ;
}

static void load(uint16_t count)
{
    port_outb(PIT_MODE, CMD_MODE0);
    port_outb(PIT_CH2, (uint8_t)count);
    port_outb(PIT_CH2, (uint8_t)(count >> 8));
}

static uint16_t read_count(void)
{
    uint8_t lo = port_inb(PIT_CH2);

    return (uint16_t)(lo | port_inb(PIT_CH2) << 8);
}

static void test_port_b(void)
{
    uint8_t b = port_inb(PORT_B);

    port_outb(PORT_B, (uint8_t)((b & ~B_GATE) | B_SPEAKER));
    check_hex("port B gate, speaker after writing 0, 1",
              port_inb(PORT_B) & (B_GATE | B_SPEAKER), B_SPEAKER);
    port_outb(PORT_B, (uint8_t)((b & ~B_SPEAKER) | B_GATE));
    check_hex("port B gate, speaker after writing 1, 0",
              port_inb(PORT_B) & (B_GATE | B_SPEAKER), B_GATE);
}

/* OUT2 low right after loading 0xffff (55 ms to the terminal count): a
 * few tries, in case this vCPU was descheduled between load and read. */
static void test_out2_low_after_load(void)
{
    bool low = false;

    for (int i = 0; i < 5 && !low; i++) {
        load(0xffff);
        low = !(port_inb(PORT_B) & B_OUT2);
    }
    check_true("OUT2 low just after loading 0xffff in mode 0", low);
}

static void test_counts(void)
{
    uint16_t first, second;

    load(0xffff);
    first = read_count();
    wait_ns(2 * MS);
    second = read_count();
    check_true("the count changes over 2 ms", first != second);
    load(16);
    wait_ns(MS);
    check_hex("OUT2 1 ms after loading 16", port_inb(PORT_B) & B_OUT2, B_OUT2);
}

/* One latch, 2 ms, then the held count and a fresh latch's: the held one
 * is at least 2000 clocks (1.7 ms) above, modulo the 55 ms wrap; without
 * a latch they would be a few clocks apart. Retried: a stall of more
 * than 50 ms between the two latches would wrap the difference. */
static bool latch_holds(void)
{
    uint16_t held, now;

    load(0xffff);
    port_outb(PIT_MODE, CMD_LATCH);
    wait_ns(2 * MS);
    held = read_count();
    port_outb(PIT_MODE, CMD_LATCH);
    now = read_count();
    return (uint16_t)(held - now) >= 2000;
}

static void test_latch(void)
{
    bool ok = false;

    for (int i = 0; i < 3 && !ok; i++)
        ok = latch_holds();
    check_true("a latched count is the one from the latch, not 2 ms later", ok);
}

static void test_main(void)
{
    if (!check_rc("physdev_op(set_iopl, 1)", set_iopl(1), 0))
        return;
    test_port_b();
    test_out2_low_after_load();
    test_counts();
    test_latch();
    port_outb(PORT_B, (uint8_t)(port_inb(PORT_B) & ~(B_GATE | B_SPEAKER)));
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);
    test_success(NULL);
}

const struct guest_test test_pit_channel2 = { "pit_channel2", test_title, test_main };
