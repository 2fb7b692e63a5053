/*
 * tick.c: the hypervisor's periodic tick (1 kHz) that drives guest timers
 * and the scheduler's time slices, and the wall clock read from the RTC.
 *
 * The local APIC timer (xAPIC MMIO) is used when there is a local APIC, as
 * a one-shot re-armed after every tick for the next event (at most 1 ms
 * ahead), so a guest timer fires when it is due, not at the next
 * millisecond; otherwise PIT channel 0 ticks at 1 kHz on IRQ 0. The RTC is read twice until two reads
 * agree, with the update-in-progress flag clear, and every field checked:
 * a machine with a broken RTC gets the epoch and a warning, never garbage.
 */
#include "console.h"
#include "sched.h"
#include "time_calc.h"
#include "time_scale.h"
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/time.h>

#define TICK_US 1000

static void (*tick_fn)(void);
static bool oneshot;                 /* the APIC timer is re-armed for each event */

static void apic_tick(struct cpu_regs *regs)
{
    (void)regs;
    tick_fn();
}

static void pit_tick(unsigned int irq, struct cpu_regs *regs)
{
    (void)irq;
    (void)regs;
    tick_fn();
}

void arch_tick_start(void (*fn)(void))
{
    uint32_t count = calib_count_for_us(apic_timer_hz(), TICK_US);

    tick_fn = fn;
    if (lapic_present() && count) {
        irq_set_timer_handler(apic_tick);
        oneshot = true;
        lapic_timer_start(count, false);
        log_info("tick: local APIC timer, one-shot, at most %u us apart\n", TICK_US);
        return;
    }
    outb(0x43, 0x34);                            /* channel 0, lo/hi, rate generator */
    outb(0x40, (uint8_t)(PIT_HZ / 1000));
    outb(0x40, (uint8_t)((PIT_HZ / 1000) >> 8));
    irq_register(0, pit_tick);
    log_info("tick: no local APIC timer; PIT channel 0 at 1 kHz\n");
}

/* Arm the next tick in us microseconds (1 to TICK_US): the earliest guest
 * timer or the scheduler's next look, whichever comes first. With the PIT
 * fallback the tick stays periodic and this does nothing. */
void arch_tick_program(uint32_t us)
{
    uint32_t count;

    if (!oneshot)
        return;
    count = calib_count_for_us(apic_timer_hz(), us < 1 ? 1 : us > TICK_US ? TICK_US : us);
    lapic_timer_start(count, false);
}

/* ---- RTC ------------------------------------------------------------------ */

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

struct rtc_time {
    uint8_t sec, min, hour, day, mon, year, regb;
};

static bool rtc_read_once(struct rtc_time *t)
{
    for (unsigned int spins = 0; cmos(0x0a) & 0x80; spins++)
        if (spins > 1000000)
            return false;                        /* update never ends */
    *t = (struct rtc_time){ cmos(0), cmos(2), cmos(4), cmos(7), cmos(8), cmos(9), cmos(0x0b) };
    return true;
}

static int field(uint8_t v, bool bcd)
{
    return bcd ? bcd_to_bin(v) : v;
}

/* Seconds since the epoch, or -1 if the RTC cannot be read. */
int64_t arch_rtc_seconds(void)
{
    struct rtc_time a, b;
    bool bcd, h12;
    int hour;

    do {
        if (!rtc_read_once(&a) || !rtc_read_once(&b))
            return -1;
    } while (memcmp(&a, &b, sizeof(a)));
    bcd = !(a.regb & 0x04);
    h12 = !(a.regb & 0x02);
    hour = field(a.hour & 0x7f, bcd);
    if (h12 && hour >= 0)
        hour = (hour % 12) + ((a.hour & 0x80) ? 12 : 0);
    if (hour < 0 || field(a.sec, bcd) < 0 || field(a.min, bcd) < 0 ||
        field(a.day, bcd) < 0 || field(a.mon, bcd) < 0 || field(a.year, bcd) < 0)
        return -1;
    return time_epoch_seconds(2000u + (unsigned int)field(a.year, bcd),
                              (unsigned int)field(a.mon, bcd), (unsigned int)field(a.day, bcd),
                              (unsigned int)hour, (unsigned int)field(a.min, bcd),
                              (unsigned int)field(a.sec, bcd));
}
