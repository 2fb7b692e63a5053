/*
 * Unit tests for hypervisor/include/guest_address.h: the one check of an
 * address a guest names. Every hypercall buffer, callback, segment base,
 * breakpoint and stack goes through it, so each rule is tested at its
 * edges, accepted and refused: the canonical boundary on both sides, the
 * hypervisor's L4 slots 256-271, ranges that wrap, straddle the hole or
 * the hypervisor's slots, or end exactly at a boundary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_address.h"

#define LOW_TOP   0x00007fffffffffffULL     /* last lower-half address */
#define HIGH_BASE 0xffff800000000000ULL     /* first upper-half address */

static void test_is_canonical(void **state)
{
    (void)state;
    assert_true(is_canonical(0));
    assert_true(is_canonical(LOW_TOP));
    assert_true(is_canonical(HIGH_BASE));
    assert_true(is_canonical(UINT64_MAX));
    assert_false(is_canonical(LOW_TOP + 1));
    assert_false(is_canonical(HIGH_BASE - 1));
    assert_false(is_canonical(0x8000000000000000ULL));
}

static void test_guest_address_ok(void **state)
{
    (void)state;
    assert_true(guest_address_ok(0));
    assert_true(guest_address_ok(LOW_TOP));                 /* top of the lower half */
    assert_true(guest_address_ok(HV_VIRT_END));             /* first guest slot above */
    assert_true(guest_address_ok(UINT64_MAX));
    assert_false(guest_address_ok(LOW_TOP + 1));            /* non-canonical */
    assert_false(guest_address_ok(HIGH_BASE - 1));          /* non-canonical */
    assert_false(guest_address_ok(HV_VIRT_START));          /* the hypervisor's */
    assert_false(guest_address_ok(HV_IMAGE_VIRT));
    assert_false(guest_address_ok(HV_VIRT_END - 1));
}

static void test_guest_range_ok(void **state)
{
    (void)state;
    assert_true(guest_range_ok(0, 0));
    assert_true(guest_range_ok(0x1000, 0x1000));
    assert_true(guest_range_ok(LOW_TOP - 7, 8));            /* ends at the half's top */
    assert_true(guest_range_ok(HV_VIRT_END, 4096));         /* starts at the first slot */
    assert_true(guest_range_ok(UINT64_MAX - 7, 8));         /* ends at the very top */
    assert_false(guest_range_ok(LOW_TOP - 7, 9));           /* one byte past the half */
    assert_false(guest_range_ok(HV_VIRT_END - 1, 2));       /* starts in the hypervisor's */
    assert_false(guest_range_ok(UINT64_MAX - 7, 9));        /* wraps */
    assert_false(guest_range_ok(HV_VIRT_START, 8));
    /* Both ends are guest addresses, but the range holds the hole and
     * the hypervisor's slots. */
    assert_false(guest_range_ok(0x1000, HV_VIRT_END));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_canonical),
        cmocka_unit_test(test_guest_address_ok),
        cmocka_unit_test(test_guest_range_ok),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
