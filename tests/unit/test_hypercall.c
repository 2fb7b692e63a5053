/*
 * test_hypercall.c: the hypercall table (hypervisor/hypercall.c).
 *
 * Why: the dispatch is the first thing a hostile guest's rax reaches. Every
 * number outside the table, every empty slot and every 64-bit value whose
 * low bits name a real hypercall must get -ENOSYS without calling anything;
 * the implemented ones must reach their handler with the five argument
 * registers in order and put the handler's result in rax.
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

STUB(do_console_io, 1)
STUB(do_xen_version, 2)
STUB(do_sched_op, 3)
STUB(do_sched_op_compat, 4)
STUB(do_vm_assist, 5)
STUB(do_memory_op, 6)
STUB(do_set_trap_table, 7)
STUB(do_mmu_update, 8)
STUB(do_update_va_mapping, 9)
STUB(do_mmuext_op, 10)
STUB(do_set_callbacks, 11)
STUB(do_callback_op, 12)
STUB(do_nmi_op, 13)
STUB(do_stack_switch, 14)
STUB(do_fpu_taskswitch, 15)
STUB(do_set_segment_base, 16)
STUB(do_set_debugreg, 17)
STUB(do_get_debugreg, 18)
STUB(do_physdev_op, 19)
STUB(do_iret, 20)
STUB(do_set_gdt, 21)
STUB(do_update_descriptor, 22)
STUB(do_event_channel_op, 23)
STUB(do_event_channel_op_compat, 24)
STUB(do_vcpu_op, 25)
STUB(do_set_timer_op, 26)
STUB(do_domctl, 27)
STUB(do_sysctl, 28)
STUB(do_update_va_mapping_otherdomain, 29)

static struct vcpu vcpu;

static int setup(void **state)
{
    (void)state;
    calls = 0;
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
    static const struct { uint64_t nr; const char *name; int64_t result; } cases[] = {
        { __HYPERVISOR_set_trap_table, "do_set_trap_table", 7 },
        { __HYPERVISOR_sched_op_compat, "do_sched_op_compat", 4 },
        { __HYPERVISOR_memory_op, "do_memory_op", 6 },
        { __HYPERVISOR_xen_version, "do_xen_version", 2 },
        { __HYPERVISOR_console_io, "do_console_io", 1 },
        { __HYPERVISOR_vm_assist, "do_vm_assist", 5 },
        { __HYPERVISOR_sched_op, "do_sched_op", 3 },
        { __HYPERVISOR_mmu_update, "do_mmu_update", 8 },
        { __HYPERVISOR_update_va_mapping, "do_update_va_mapping", 9 },
        { __HYPERVISOR_mmuext_op, "do_mmuext_op", 10 },
        { __HYPERVISOR_set_callbacks, "do_set_callbacks", 11 },
        { __HYPERVISOR_callback_op, "do_callback_op", 12 },
        { __HYPERVISOR_nmi_op, "do_nmi_op", 13 },
        { __HYPERVISOR_stack_switch, "do_stack_switch", 14 },
        { __HYPERVISOR_fpu_taskswitch, "do_fpu_taskswitch", 15 },
        { __HYPERVISOR_set_segment_base, "do_set_segment_base", 16 },
        { __HYPERVISOR_set_debugreg, "do_set_debugreg", 17 },
        { __HYPERVISOR_get_debugreg, "do_get_debugreg", 18 },
        { __HYPERVISOR_physdev_op, "do_physdev_op", 19 },
        { __HYPERVISOR_iret, "do_iret", 20 },
        { __HYPERVISOR_set_gdt, "do_set_gdt", 21 },
        { __HYPERVISOR_update_descriptor, "do_update_descriptor", 22 },
        { __HYPERVISOR_event_channel_op, "do_event_channel_op", 23 },
        { __HYPERVISOR_event_channel_op_compat, "do_event_channel_op_compat", 24 },
        { __HYPERVISOR_vcpu_op, "do_vcpu_op", 25 },
        { __HYPERVISOR_set_timer_op, "do_set_timer_op", 26 },
        { __HYPERVISOR_domctl, "do_domctl", 27 },
        { __HYPERVISOR_sysctl, "do_sysctl", 28 },
        { __HYPERVISOR_update_va_mapping_otherdomain, "do_update_va_mapping_otherdomain", 29 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        calls = 0;
        assert_int_equal(dispatch(cases[i].nr), cases[i].result);
        assert_int_equal(calls, 1);
        assert_string_equal(last, cases[i].name);
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
        __HYPERVISOR_platform_op, 11, __HYPERVISOR_grant_table_op, __HYPERVISOR_kexec_op, 47,
        NR_HYPERCALLS - 1,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        assert_int_equal((int64_t)dispatch(empty[i]), -ENOSYS);
        assert_null(hypercall_lookup(empty[i]));
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
