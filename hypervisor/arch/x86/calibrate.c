/*
 * calibrate.c: how fast the TSC and the local APIC timer run, measured at
 * boot against PIT channel 2, and a proof that the APIC timer interrupts.
 *
 * Each of CALIB_ROUNDS windows of CALIB_TICKS PIT ticks (1 ms: 1193 ticks
 * give the rates to 0.1%, and boot time matters) reads the
 * TSC and the free-running APIC timer at its start and its end; the round
 * with the fewest TSC cycles wins (time_calc.c says why). Every wait is
 * bounded by the TSC, so a machine without a PIT (some new ones gate it
 * off) or whose APIC timer never fires costs a fraction of a second and a
 * warning, never a hang. The APIC timer is stopped again afterwards: the
 * scheduler will own it.
 */
#include "console.h"
#include "time_calc.h"
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/irq.h>
#include <asm/time.h>

#define CALIB_ROUNDS   3
#define CALIB_TICKS    1193              /* 1 ms of PIT */
#define WAIT_LIMIT     (1ULL << 29)      /* TSC cycles: 0.5 s at 1 GHz */
#define ONE_SHOT_US    200
#define PERIOD_US      200
#define PERIODIC_TICKS 3

static uint64_t tsc_rate, apic_rate;
static volatile unsigned int timer_ticks;

uint64_t tsc_hz(void)
{
    return tsc_rate;
}

uint64_t apic_timer_hz(void)
{
    return apic_rate;
}

/* One PIT window; false if the PIT never signalled its end. */
static bool measure(struct calib_sample *s, bool apic)
{
    uint64_t t0, t1;
    uint32_t a0 = 0, a1 = 0;

    pit_window_start(CALIB_TICKS);
    t0 = rdtsc();
    if (apic)
        a0 = lapic_timer_current();
    do {
        t1 = rdtsc();
        if (t1 - t0 > WAIT_LIMIT)
            return false;
    } while (!pit_window_done());
    if (apic)
        a1 = lapic_timer_current();
    *s = (struct calib_sample){ CALIB_TICKS, t1 - t0, a0 - a1 };
    return true;
}

static bool calibrate(void)
{
    struct calib_sample s[CALIB_ROUNDS];
    bool apic = lapic_present();
    int best;

    if (apic)
        lapic_timer_free_run();
    for (unsigned int i = 0; i < CALIB_ROUNDS; i++)
        if (!measure(&s[i], apic))
            return false;
    if (apic)
        lapic_timer_stop();
    best = calib_best(s, CALIB_ROUNDS);
    if (best < 0)
        return false;
    tsc_rate = calib_hz(s[best].tsc_delta, s[best].pit_ticks);
    apic_rate = calib_hz(s[best].apic_delta, s[best].pit_ticks);
    return true;
}

static void on_timer(struct cpu_regs *regs)
{
    (void)regs;
    timer_ticks++;
}

/* Wait with interrupts on for n timer ticks; the TSC cycles it took, or 0
 * when they did not all come within the limit. */
static uint64_t wait_ticks(unsigned int n)
{
    uint64_t start = rdtsc(), now = start;

    local_irq_enable();
    while (timer_ticks < n && (now = rdtsc()) - start < WAIT_LIMIT)
        cpu_relax();
    local_irq_disable();
    return timer_ticks >= n ? now - start : 0;
}

static uint64_t timer_run_us(uint32_t us, bool periodic, unsigned int ticks)
{
    uint64_t took;

    timer_ticks = 0;
    lapic_timer_start(calib_count_for_us(apic_rate, us), periodic);
    took = wait_ticks(ticks);
    lapic_timer_stop();
    return took ? calib_us(took, tsc_rate) : 0;
}

static void prove_timer(void)
{
    uint64_t one = timer_run_us(ONE_SHOT_US, false, 1);
    uint64_t per = timer_run_us(PERIOD_US, true, PERIODIC_TICKS);

    if (!one || !per) {
        log_warn("local APIC timer: no interrupt within the limit (one-shot %s, "
                 "periodic %s)\n", one ? "ok" : "missing", per ? "ok" : "missing");
        return;
    }
    log_info("local APIC timer: one-shot interrupt after %lu us (asked %u), "
             "%u periodic ticks in %lu us (asked %u)\n", one, ONE_SHOT_US,
             PERIODIC_TICKS, per, PERIODIC_TICKS * PERIOD_US);
}

static void log_rates(void)
{
    char apic[64] = "none";

    if (apic_rate)
        snprintf(apic, sizeof(apic), "%lu.%03lu MHz (bus clock / %u)",
                 apic_rate / 1000000, apic_rate % 1000000 / 1000, LAPIC_TIMER_DIVIDE);
    log_info("clocks: TSC %lu.%03lu MHz%s, local APIC timer %s, against %u x 1 ms "
             "of PIT channel 2\n", tsc_rate / 1000000, tsc_rate % 1000000 / 1000,
             cpu_caps.invariant_tsc ? " (invariant)" : "", apic, CALIB_ROUNDS);
}

void time_calibrate(void)
{
    if (!cpu_caps.tsc || !calibrate()) {
        log_warn("clocks: PIT channel 2 does not count; TSC and local APIC "
                 "timer not calibrated\n");
        return;
    }
    log_rates();
    if (!lapic_present() || !apic_rate)
        return;
    irq_set_timer_handler(on_timer);
    prove_timer();
    irq_set_timer_handler(NULL);
}
