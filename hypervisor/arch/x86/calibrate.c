/*
 * calibrate.c: how fast the TSC and the local APIC timer run, measured at
 * boot against PIT channel 2, and a proof that the APIC timer interrupts.
 *
 * Each window of CALIB_TICKS PIT ticks (1 ms: 1193 ticks give the rates
 * to 0.1%, and boot time matters) reads the TSC around each of its ends,
 * with the APIC timer read inside those brackets, so each end is known
 * to within its bracket; the window whose brackets are the narrowest share
 * of its length wins (time_calc.c). A CPU taken away inside a bracket (an
 * SMI, or QEMU's thread descheduled by a busy host, which once gave a TSC
 * of 137 MHz and an APIC timer of 1503 MHz for 2675 and 60, so guest time
 * ran 19 times too fast) widens that bracket and discredits its window:
 * at least CALIB_ROUNDS windows, more while none is trusted, at most
 * CALIB_MAX_ROUNDS. Every wait is
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

#define CALIB_ROUNDS   3                 /* at least */
#define CALIB_MAX_ROUNDS 12              /* while none is trusted */
#define CALIB_TICKS    1193              /* 1 ms of PIT */
#define WAIT_LIMIT     (1ULL << 29)      /* TSC cycles: 0.5 s at 1 GHz */
#define ONE_SHOT_US    200
#define PERIOD_US      200
#define PERIODIC_TICKS 3

static uint64_t tsc_rate, apic_rate;
static unsigned int windows;            /* PIT windows measured */
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
    struct calib_window w;
    uint64_t before_read;
    uint32_t a0 = 0, a1 = 0;

    w.start[0] = w.end[0] = rdtsc();
    pit_window_start(CALIB_TICKS);
    if (apic)
        a0 = lapic_timer_current();
    w.start[1] = rdtsc();
    for (;;) {
        before_read = rdtsc();
        if (pit_window_done())
            break;
        w.end[0] = before_read;                  /* still running after this */
        if (before_read - w.start[0] > WAIT_LIMIT)
            return false;
    }
    if (apic)
        a1 = lapic_timer_current();
    w.end[1] = rdtsc();
    *s = calib_sample_of(&w, CALIB_TICKS, a0 - a1);
    return true;
}

static void warn_untrusted(const struct calib_sample *s)
{
    log_warn("clocks: every calibration window was disturbed (the best one's ends "
             "uncertain by %lu of %lu TSC cycles); the rates may be off\n",
             s->tsc_slack, s->tsc_delta);
}

static bool calibrate(void)
{
    struct calib_sample s[CALIB_MAX_ROUNDS];
    bool apic = lapic_present();
    unsigned int n = 0;
    int best = -1;

    if (apic)
        lapic_timer_free_run();
    while (n < CALIB_MAX_ROUNDS &&
           (n < CALIB_ROUNDS || best < 0 || !calib_trusted(&s[best]))) {
        if (!measure(&s[n], apic))
            return false;
        best = calib_best(s, ++n);
    }
    windows = n;
    if (apic)
        lapic_timer_stop();
    if (best < 0)
        return false;
    if (!calib_trusted(&s[best]))
        warn_untrusted(&s[best]);
    log_debug("clocks: window %d of %u used, its ends within %lu of %lu TSC cycles\n",
              best + 1, n, s[best].tsc_slack, s[best].tsc_delta);
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
             cpu_caps.invariant_tsc ? " (invariant)" : "", apic, windows);
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
