/*
 * Test xenpmu_op: the virtual PMU hypercall with the PMU off.
 *
 * What: xenpmu_op (40) with each op Xen defines (XENPMU_mode_get 0 ..
 * XENPMU_flush 7), with a NULL argument and with a valid xen_pmu_params
 * that asks XENPMU_init for vCPU 0, then an op Xen does not define (8) and
 * one with a non-canonical argument pointer.
 * Why: Linux asks XENPMU_init for every vCPU at boot (xen_pmu_init); the
 * answer says whether the hypercall exists (-ENOSYS) or the PMU is off.
 * Xen checks its vpmu= option before the op and before reading the
 * argument, so no argument can turn the answer into -EFAULT or -EINVAL.
 * Expected (real Xen 4.17, vpmu off by default): -EOPNOTSUPP (-95) for
 * every call; the params buffer is not written.
 */
#include "test.h"

#define XEN_HC_XENPMU_OP 40
#define XENPMU_INIT      4
#define XENPMU_LAST      7

/* struct xen_pmu_params: version (maj, min), val, vcpu, pad. */
struct pmu_params {
    uint32_t maj, min;
    uint64_t val;
    uint32_t vcpu, pad;
};

static const char test_title[] = "xenpmu_op: -EOPNOTSUPP for every op, the PMU is off";

static void every_op(void)
{
    char what[64];

    for (unsigned int op = 0; op <= XENPMU_LAST; op++) {
        snprintf(what, sizeof(what), "xenpmu_op %u, NULL argument", op);
        check_rc(what, hypercall_raw(XEN_HC_XENPMU_OP, op, 0, 0, 0, 0), -XEN_EOPNOTSUPP);
    }
}

static void init_with_params(void)
{
    struct pmu_params p = { 0, 1, 0x1234, 0, 0 };

    check_rc("XENPMU_init for vCPU 0 with valid params",
             hypercall_raw(XEN_HC_XENPMU_OP, XENPMU_INIT, (uint64_t)&p, 0, 0, 0),
             -XEN_EOPNOTSUPP);
    check_true("the params are not written", p.val == 0x1234 && p.maj == 0 && p.min == 1);
}

static void test_main(void)
{
    every_op();
    init_with_params();
    check_rc("xenpmu_op 8 (no such op)",
             hypercall_raw(XEN_HC_XENPMU_OP, 8, 0, 0, 0, 0), -XEN_EOPNOTSUPP);
    check_rc("XENPMU_init with a non-canonical pointer",
             hypercall_raw(XEN_HC_XENPMU_OP, XENPMU_INIT, 0x8000000000000000ULL, 0, 0, 0),
             -XEN_EOPNOTSUPP);
    test_success(NULL);
}

const struct guest_test test_xenpmu_op = { "xenpmu_op", test_title, test_main };
