/*
 * Unit tests for hypervisor/pv/softint.c: a guest's int n. Rule 1 (the
 * trap-table DPL against the guest's mode, a handler required, the #GP
 * error code of a refusal) and rule 2 (which vectors get a DPL 3 gate),
 * each with accepted and refused cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "softint.h"
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq.h>

#define HANDLER 0xffff800000101000ull

static struct trap_info entry(unsigned int dpl, uint64_t address)
{
    return (struct trap_info){ .vector = 0x43, .flags = (uint8_t)dpl, .address = address };
}

/* Guest kernel mode counts as ring 1: DPL 1, 2 and 3 admit it, 0 not. */
static void test_kernel_mode_dpl(void **state)
{
    (void)state;
    assert_false(softint_permitted(&(struct trap_info){ .flags = 0, .address = HANDLER }, 0x43, true));
    for (unsigned int dpl = 1; dpl <= 3; dpl++) {
        struct trap_info t = entry(dpl, HANDLER);

        assert_true(softint_permitted(&t, 0x43, true));
    }
}

/* Guest user mode: DPL 3 only. */
static void test_user_mode_dpl(void **state)
{
    (void)state;
    for (unsigned int dpl = 0; dpl <= 2; dpl++) {
        struct trap_info t = entry(dpl, HANDLER);

        assert_false(softint_permitted(&t, 0x43, false));
    }
    struct trap_info t3 = entry(3, HANDLER);
    assert_true(softint_permitted(&t3, 0x43, false));
}

/* No handler: refused in both modes whatever the DPL; TI_IF changes
 * nothing. */
static void test_handler_required(void **state)
{
    struct trap_info none = entry(3, 0);
    struct trap_info masked = entry(3 | TI_IF, HANDLER);
    struct trap_info masked0 = entry(0 | TI_IF, HANDLER);

    (void)state;
    assert_false(softint_permitted(&none, 0x43, true));
    assert_false(softint_permitted(&none, 0x43, false));
    assert_true(softint_permitted(&masked, 0x43, false));
    assert_false(softint_permitted(&masked0, 0x43, true));
}

/* int $0x80, as Xen's entry_int80: any registered handler, whatever its
 * DPL, from either mode; none is still refused. */
static void test_int80_needs_handler_only(void **state)
{
    (void)state;
    for (unsigned int dpl = 0; dpl <= 3; dpl++) {
        struct trap_info t = entry(dpl, HANDLER);

        assert_true(softint_permitted(&t, 0x80, true));
        assert_true(softint_permitted(&t, 0x80, false));
        assert_int_equal(softint_permitted(&t, 0x81, false), dpl == 3);
    }
    struct trap_info none = entry(3, 0);
    assert_false(softint_permitted(&none, 0x80, true));
    assert_false(softint_permitted(&none, 0x80, false));
}

/* The CPU's error code for a gate whose DPL refuses the int: IDT bit. */
static void test_gp_error(void **state)
{
    (void)state;
    assert_int_equal(softint_gp_error(0x43), 0x21a);
    assert_int_equal(softint_gp_error(0x20), 0x102);
    assert_int_equal(softint_gp_error(0xff), 0x7fa);
    assert_int_equal(softint_gp_error(0), 2);
    assert_int_equal(softint_gp_error(0x143), 0x21a);    /* a vector is 8 bits */
}

/* Exceptions and every vector the hypervisor takes interrupts on stay
 * closed; the rest opens, from the first vector with a stub. */
static void test_gate_open_at_boot(void **state)
{
    (void)state;
    for (unsigned int v = 0; v < 0x30; v++)
        assert_false(softint_gate_open_at_boot(v));
    assert_false(softint_gate_open_at_boot(IRQ_VECTOR_BASE));          /* PIT */
    assert_false(softint_gate_open_at_boot(IRQ_VECTOR_BASE + 7));      /* spurious 8259 */
    assert_false(softint_gate_open_at_boot(IRQ_VECTOR_BASE + 15));
    assert_false(softint_gate_open_at_boot(LAPIC_TIMER_VECTOR));
    assert_false(softint_gate_open_at_boot(LAPIC_ERROR_VECTOR));
    assert_false(softint_gate_open_at_boot(LAPIC_SPURIOUS_VECTOR));
    assert_false(softint_gate_open_at_boot(256));
    assert_true(softint_gate_open_at_boot(SOFTINT_FIRST_STUB));
    assert_true(softint_gate_open_at_boot(GSI_VECTOR_BASE));
    assert_true(softint_gate_open_at_boot(0x43));
    assert_true(softint_gate_open_at_boot(0x80));
    assert_true(softint_gate_open_at_boot(0xef));
    assert_true(softint_gate_open_at_boot(0xf1));
    assert_true(softint_gate_open_at_boot(0xfd));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_mode_dpl),
        cmocka_unit_test(test_user_mode_dpl),
        cmocka_unit_test(test_handler_required),
        cmocka_unit_test(test_int80_needs_handler_only),
        cmocka_unit_test(test_gp_error),
        cmocka_unit_test(test_gate_open_at_boot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
