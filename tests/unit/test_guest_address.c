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

/* The rule as the header states it, written plainly. */
static bool range_rule(uint64_t va, uint64_t len)
{
    uint64_t last = va + len - 1;

    return !range_wraps(va, len) &&
           (len == 0 || (guest_address_ok(va) && guest_address_ok(last) &&
                         (va >> 63) == (last >> 63)));
}

/* The short form agrees with the rule at every boundary, each start
 * against every length around every boundary. */
static void test_guest_range_ok_is_the_rule(void **state)
{
    static const uint64_t edges[] = {
        0, LOW_TOP + 1, HIGH_BASE, HV_VIRT_START, HV_VIRT_END, 0x8000000000000000ULL, 0,
    };
    uint64_t points[64], n = 0, agree = 0;

    (void)state;
    for (unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        for (int d = -3; d <= 3; d++)
            points[n++] = edges[i] + (uint64_t)(int64_t)d;
    for (uint64_t i = 0; i < n; i++)
        for (uint64_t j = 0; j < n; j++) {
            uint64_t va = points[i], len = points[j] - points[i];      /* ends at points[j] */
            assert_int_equal(guest_range_ok(va, len), range_rule(va, len));
            assert_int_equal(guest_range_ok(va, points[j]), range_rule(va, points[j]));
            agree++;
        }
    assert_true(agree == n * n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_canonical),
        cmocka_unit_test(test_guest_address_ok),
        cmocka_unit_test(test_guest_range_ok),
        cmocka_unit_test(test_guest_range_ok_is_the_rule),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
