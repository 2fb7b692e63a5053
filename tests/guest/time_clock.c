/*
 * Test time_clock: system time and the wall clock as the guest reads them
 * (xen-pv-abi.md 3.1-3.2).
 *
 * What: vcpu_time_info's version is even (no update half done), its scale
 * is set and implies a plausible TSC frequency; system time computed from
 * it never goes backwards over 10000 reads, and moves forward by about
 * the length of a 10 ms poll (checked against the TSC, which is
 * independent of the scale only through the frequency); the wall clock's
 * version is even, its year plausible (2020-2099), and it advances with
 * system time. VCPUOP_get_runstate_info's running time grows.
 * Why: every timeout in the guest is an absolute system time, and the
 * wall clock is the only date it has.
 * Expected (real Xen 4.17): as above.
 */
#include "evtest.h"

static const char test_title[] =
    "time: vcpu_time_info and wall clock versions, monotonic system time, plausible date";

#define POLL_NS (10 * MS)

static uint64_t sleep_by_poll(uint64_t ns)
{
    struct sched_poll p = { .ports = 0, .nr_ports = 0, .timeout = time_now_ns() + ns };
    unsigned int was = events_disable();

    HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    events_restore(was);
    return ns;
}

static void records(void)
{
    const struct vcpu_time_info *t = &ev_vcpu()->time;
    uint64_t hz = time_tsc_hz();

    check_true("vcpu_time_info.version is even", (t->version & 1) == 0);
    check_true("tsc_to_system_mul is set", t->tsc_to_system_mul != 0);
    test_info("version %u, tsc_timestamp %lu, system_time %lu ns, mul %#x, shift %d, "
              "flags %#x", t->version, t->tsc_timestamp, t->system_time,
              t->tsc_to_system_mul, t->tsc_shift, t->flags);
    test_info("TSC %lu.%03lu MHz by the scale", hz / 1000000, hz / 1000 % 1000);
    check_true("TSC between 10 MHz and 100 GHz", hz >= 10000000UL && hz <= 100000000000UL);
    check_true("wc_version is even", (shared_info->wc_version & 1) == 0);
}

static void monotonic(void)
{
    uint64_t prev = time_now_ns(), first = prev, backwards = 0;

    for (unsigned int i = 0; i < 10000; i++) {
        uint64_t now = time_now_ns();

        if (now < prev)
            backwards++;
        prev = now;
    }
    check_rc("system time went backwards (times in 10000 reads)", (long)backwards, 0);
    check_true("system time moved during them", prev > first);
    test_info("system time now %lu ms", prev / MS);
}

static void grows(void)
{
    uint64_t hz = time_tsc_hz(), t0 = time_now_ns(), c0 = tsc_read(), dt, dc_ns;

    sleep_by_poll(POLL_NS);
    dt = time_now_ns() - t0;
    dc_ns = (tsc_read() - c0) * 1000 / (hz / 1000000 ? hz / 1000000 : 1);
    test_info("a 10 ms poll: system time +%lu us, TSC +%lu us", dt / 1000, dc_ns / 1000);
    check_true("system time grew by at least 10 ms (less the timer slop)",
               dt + TIMER_EARLY_NS >= POLL_NS);
    check_true("  and by less than 1 s", dt < NS_PER_S);
    check_true("  by what the TSC says, within 1%",
               dt >= dc_ns - dc_ns / 100 && dt <= dc_ns + dc_ns / 100);
}

static void wallclock(void)
{
    uint64_t s0, s1, ns0, ns1;
    uint32_t n0, n1;
    unsigned int year;

    time_wallclock(&s0, &n0);
    year = time_year(s0);
    test_info("wall clock %lu.%09u s since 1970 (year %u); wc_sec %u wc_sec_hi %u wc_nsec %u",
              s0, n0, year, shared_info->wc_sec, shared_info->wc_sec_hi, shared_info->wc_nsec);
    check_true("the year is between 2020 and 2099", year >= 2020 && year <= 2099);
    sleep_by_poll(POLL_NS);
    time_wallclock(&s1, &n1);
    ns0 = s0 * NS_PER_S + n0;
    ns1 = s1 * NS_PER_S + n1;
    check_true("the wall clock advanced by 10 ms to 1 s over a 10 ms poll",
               ns1 + TIMER_EARLY_NS >= ns0 + POLL_NS && ns1 < ns0 + NS_PER_S);
}

static void runstate(void)
{
    struct vcpu_runstate_info a, b;

    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &a);
    time_spin_ns(2 * MS);
    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &b);
    check_true("runstate: time running grew over 2 ms of spinning",
               b.time[RUNSTATE_running] > a.time[RUNSTATE_running]);
}

static void test_main(void)
{
    if (!ev_require_shared_info())
        return;
    records();
    monotonic();
    grows();
    wallclock();
    runstate();
    test_success(NULL);
}

const struct guest_test test_time_clock = { "time_clock", test_title, test_main };
