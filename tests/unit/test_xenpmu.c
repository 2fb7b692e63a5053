/*
 * Unit tests for hypervisor/pv/xenpmu.c: xenpmu_op answers -EOPNOTSUPP
 * (Xen 4.17 with its vPMU off) for every op, with any argument, without
 * touching the argument (a pointer the test would notice being read is
 * not needed: a NULL vCPU and arguments that are not addresses must do).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypercall.h"
#include "err.h"

static int64_t pmu(uint64_t op, uint64_t arg)
{
    const struct hypercall_args a = { op, arg, 0, 0, 0, NULL };

    return do_xenpmu_op(NULL, &a);
}

/* XENPMU_mode_get .. XENPMU_flush: the ops Xen defines, refused alike. */
static void test_defined_ops(void **state)
{
    (void)state;
    for (uint64_t op = 0; op <= 7; op++)
        assert_int_equal(pmu(op, 0), -EOPNOTSUPP);
}

/* An op Xen does not define and a wild argument: still -EOPNOTSUPP, not
 * -EINVAL or -EFAULT, since Xen asks about the vPMU first. */
static void test_unknown_op_and_bad_pointer(void **state)
{
    (void)state;
    assert_int_equal(pmu(8, 0), -EOPNOTSUPP);
    assert_int_equal(pmu(UINT64_MAX, 0xdead000000000000ULL), -EOPNOTSUPP);
    assert_int_not_equal(pmu(4, 0), -ENOSYS);       /* the call exists */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defined_ops),
        cmocka_unit_test(test_unknown_op_and_bad_pointer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
