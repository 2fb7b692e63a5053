/*
 * test_hypercall.c: the hypercall table (hypervisor/common/hypercall.c).
 *
 * Why: the dispatch is the first thing a hostile guest's rax reaches. Every
 * number outside the table, every empty slot and every 64-bit value whose
 * low bits name a real hypercall must get -ENOSYS without calling anything;
 * the implemented ones must reach their handler with the five argument
 * registers in order and put the handler's result in rax. The stubs and the
 * implemented cases come from hypercalls.def, the list the table is built
 * from; the empty slots and the spot checks below are written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hypercall.h"
#include "err.h"

static int calls;
static const char *last;
static struct hypercall_args last_args;

#define STUB(name, result)                                                    \
    int64_t name(struct vcpu *v, const struct hypercall_args *a)              \
    {                                                                         \
        (void)v;                                                              \
        calls++;                                                              \
        last = #name;                                                         \
        last_args = *a;                                                       \
        return result;                                                        \
    }

/* Each handler's stub answers a result of its own, found from its number. */
#define RESULT(nr) (100 + (nr))
#define HYPERCALL(nr, fn) STUB(fn, RESULT(nr))
#include "hypercalls.def"

static struct vcpu vcpu;

/* The refusal of an empty slot goes through unimpl_enosys (unimpl.c, not
 * pure: it prints), recorded here. */
static int refusals;
static unsigned int refused_kind;
static uint64_t refused_nr;

int unimpl_enosys(struct domain *d, unsigned int kind, uint64_t nr)
{
    (void)d;
    refusals++;
    refused_kind = kind;
    refused_nr = nr;
    return -ENOSYS;
}

static int setup(void **state)
{
    (void)state;
    calls = 0;
    refusals = 0;
    last = NULL;
    memset(&last_args, 0, sizeof(last_args));
    return 0;
}

static uint64_t dispatch(uint64_t nr)
{
    struct cpu_regs regs = { 0 };

    regs.rax = nr;
    regs.rdi = 11;
    regs.rsi = 22;
    regs.rdx = 33;
    regs.r10 = 44;
    regs.r8 = 55;
    regs.rcx = 66;          /* not an argument: syscall's return address */
    do_hypercall(&vcpu, &regs);
    return regs.rax;
}

static void test_implemented_reach_handler(void **state)
{
    static const struct {
        uint64_t nr;
        const char *nr_name, *name;
        int64_t result;
    } cases[] = {
#define HYPERCALL(nr, fn) { nr, #nr, #fn, RESULT(nr) },
#include "hypercalls.def"
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        calls = 0;
        assert_int_equal(dispatch(cases[i].nr), cases[i].result);
        assert_int_equal(calls, 1);
        assert_int_equal(refusals, 0);
        assert_string_equal(last, cases[i].name);
        /* __HYPERVISOR_<name> goes to do_<name>: no line of the .def mixes two */
        assert_string_equal(cases[i].name + strlen("do_"),
                            cases[i].nr_name + strlen("__HYPERVISOR_"));
    }
}

static void test_arguments_in_order(void **state)
{
    (void)state;
    dispatch(__HYPERVISOR_console_io);
    assert_int_equal(last_args.a1, 11);
    assert_int_equal(last_args.a2, 22);
    assert_int_equal(last_args.a3, 33);
    assert_int_equal(last_args.a4, 44);
    assert_int_equal(last_args.a5, 55);
}

static void test_empty_slots_enosys(void **state)
{
    static const uint64_t empty[] = {
        __HYPERVISOR_xsm_op, 11, __HYPERVISOR_physdev_op_compat, __HYPERVISOR_kexec_op, 47,
        NR_HYPERCALLS - 1,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        assert_int_equal((int64_t)dispatch(empty[i]), -ENOSYS);
        assert_null(hypercall_lookup(empty[i]));
        assert_int_equal(refusals, i + 1);              /* named for the debug console */
        assert_int_equal(refused_kind, UNIMPL_HYPERCALL);
        assert_int_equal(refused_nr, empty[i]);
    }
    assert_int_equal(calls, 0);
}

static void test_out_of_range_enosys(void **state)
{
    static const uint64_t bad[] = {
        NR_HYPERCALLS, 128, 0xffff, 0x7fffffff, 0x80000000, UINT64_MAX,
        (1ULL << 32) | __HYPERVISOR_console_io,      /* low bits name a real one */
        (1ULL << 63) | __HYPERVISOR_xen_version,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal((int64_t)dispatch(bad[i]), -ENOSYS);
        assert_null(hypercall_lookup(bad[i]));
        assert_int_equal(refused_nr, bad[i]);           /* the full number */
    }
    assert_int_equal(calls, 0);
}

static void test_lookup_matches_table(void **state)
{
    (void)state;
    assert_ptr_equal(hypercall_lookup(__HYPERVISOR_console_io), do_console_io);
    assert_ptr_equal(hypercall_lookup(__HYPERVISOR_sched_op), do_sched_op);
    assert_ptr_equal(hypercall_lookup(0), do_set_trap_table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_implemented_reach_handler, setup),
        cmocka_unit_test_setup(test_arguments_in_order, setup),
        cmocka_unit_test_setup(test_empty_slots_enosys, setup),
        cmocka_unit_test_setup(test_out_of_range_enosys, setup),
        cmocka_unit_test_setup(test_lookup_matches_table, setup),
    };

    return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}
