/*
 * Unit tests for hypervisor/pv/vmce.c: the machine-check MSRs a PV guest
 * reads and writes (Xen's vMCE with two banks and no error). Each register
 * accepted, and the ones next to them refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vmce.h"

static uint64_t rd(uint32_t msr)
{
    uint64_t v = 0x5a5a;

    assert_true(vmce_rdmsr(msr, &v));
    return v;
}

static void test_global_registers(void **state)
{
    (void)state;
    assert_int_equal(rd(MSR_MCG_CAP), 2);              /* two banks, no MCG_CTL_P */
    assert_int_equal(rd(MSR_MCG_STATUS), 0);
    assert_true(vmce_wrmsr(MSR_MCG_STATUS, 0));
    assert_true(vmce_wrmsr(MSR_MCG_CAP, 2));
    assert_int_equal(rd(MSR_MCG_CAP), 2);              /* read-only in effect */
}

static void test_banks(void **state)
{
    (void)state;
    for (uint32_t b = 0; b < VMCE_BANKS; b++) {
        assert_int_equal(rd(MSR_MC0_CTL + 4 * b), UINT64_MAX);
        assert_int_equal(rd(MSR_MC0_CTL + 4 * b + 1), 0);   /* STATUS */
        assert_int_equal(rd(MSR_MC0_CTL + 4 * b + 2), 0);   /* ADDR */
        assert_int_equal(rd(MSR_MC0_CTL + 4 * b + 3), 0);   /* MISC */
        assert_true(vmce_wrmsr(MSR_MC0_CTL + 4 * b, UINT64_MAX));
        assert_true(vmce_wrmsr(MSR_MC0_CTL + 4 * b + 1, 0));
    }
}

/* MCG_CTL (absent per MCG_CAP), banks past the two and the CTL2
 * registers exist as MSRs reading 0, as on Xen. */
static void test_absent_but_readable(void **state)
{
    (void)state;
    assert_int_equal(rd(MSR_MCG_CTL), 0);
    assert_true(vmce_wrmsr(MSR_MCG_CTL, ~0ULL));
    assert_int_equal(rd(MSR_MC0_CTL + 4 * VMCE_BANKS), 0);      /* bank 2's CTL */
    assert_int_equal(rd(MSR_MC0_CTL + 4 * 31 + 3), 0);          /* bank 31's MISC */
    assert_int_equal(rd(MSR_MC0_CTL2), 0);
    assert_int_equal(rd(MSR_MC0_CTL2 + 31), 0);
    assert_true(vmce_wrmsr(MSR_MC0_CTL + 4 * VMCE_BANKS, 0));
}

static void test_refused(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_false(vmce_rdmsr(MSR_MC0_CTL + 4 * 32, &v));         /* 0x480: past the banks */
    assert_false(vmce_wrmsr(MSR_MC0_CTL + 4 * 32, 0));
    assert_false(vmce_rdmsr(MSR_MC0_CTL - 1, &v));
    assert_false(vmce_rdmsr(MSR_MC0_CTL2 + 32, &v));            /* 0x2a0 */
    assert_false(vmce_rdmsr(MSR_MC0_CTL2 - 1, &v));
    assert_false(vmce_rdmsr(0x178, &v));
    assert_false(vmce_wrmsr(0x178, 0));
    assert_int_equal(v, 7);                            /* untouched when refused */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_global_registers),
        cmocka_unit_test(test_banks),
        cmocka_unit_test(test_absent_but_readable),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
