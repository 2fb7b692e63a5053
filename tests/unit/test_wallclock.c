/*
 * test_wallclock.c: the wall clock XENPF_settime sets and its publication
 * in shared_info (hypervisor/common/wallclock.c).
 *
 * Why: every guest computes the date as wc + system time; a wrong
 * subtraction shifts every domain's clock, and a version left even while
 * the fields change lets a guest read a torn time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "wallclock.h"

#define NS 1000000000ULL

static void test_from_settime(void **state)
{
    struct wallclock wc;

    (void)state;
    wc = wallclock_from_settime(1700000000, 250000000, 0);
    assert_int_equal(wc.sec, 1700000000);
    assert_int_equal(wc.nsec, 250000000);
    /* 5.5 s of system time already passed: the clock at 0 is 5.5 s earlier. */
    wc = wallclock_from_settime(1700000000, 0, 5 * NS + NS / 2);
    assert_int_equal(wc.sec, 1699999994);
    assert_int_equal(wc.nsec, 500000000);
    /* Past 2038: the seconds need wc_sec_hi. */
    wc = wallclock_from_settime(0x123456789ULL, 7, 0);
    assert_int_equal(wc.sec, 0x123456789ULL);
    assert_int_equal(wc.nsec, 7);
    /* nsecs is not range-checked: it carries into the seconds, as on Xen. */
    wc = wallclock_from_settime(10, 2500000000u, 0);
    assert_int_equal(wc.sec, 12);
    assert_int_equal(wc.nsec, 500000000);
}

static void test_from_settime_wraps(void **state)
{
    struct wallclock wc;

    (void)state;
    /* A system time beyond the date wraps in 64 bits (Xen's arithmetic). */
    wc = wallclock_from_settime(1, 0, 2 * NS);
    assert_int_equal(wc.sec, (UINT64_MAX - NS + 1) / NS);
    assert_int_equal(wc.nsec, (UINT64_MAX - NS + 1) % NS);
}

static void test_publish(void **state)
{
    struct shared_info s;
    struct wallclock wc = { 0x1deadbeefULL, 999999999 };

    (void)state;
    memset(&s, 0, sizeof(s));
    s.wc_version = 4;
    wallclock_publish(&s, &wc);
    assert_int_equal(s.wc_version, 6);
    assert_int_equal(s.wc_sec, 0xdeadbeef);
    assert_int_equal(s.wc_sec_hi, 1);
    assert_int_equal(s.wc_nsec, 999999999);
}

/* A guest may have written an odd version: it still ends even and new. */
static void test_publish_odd_version(void **state)
{
    struct shared_info s;
    struct wallclock wc = { 5, 6 };

    (void)state;
    memset(&s, 0, sizeof(s));
    s.wc_version = 7;
    wallclock_publish(&s, &wc);
    assert_int_equal(s.wc_version, 10);
    s.wc_version = 0xffffffffu;
    wallclock_publish(&s, &wc);
    assert_int_equal(s.wc_version & 1, 0);
    assert_int_not_equal(s.wc_version, 0xffffffffu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_settime),
        cmocka_unit_test(test_from_settime_wraps),
        cmocka_unit_test(test_publish),
        cmocka_unit_test(test_publish_odd_version),
    };

    return cmocka_run_group_tests_name("wallclock", tests, NULL, NULL);
}
