/*
 * test_unimpl_seen.c: "once per domain and number" for the debug lines
 * that name what Tern does not implement (hypervisor/common/unimpl_seen.c),
 * and the names those lines use.
 *
 * Why: the line must come the first time a domain uses a number, so a
 * developer sees what a guest missed, and never again for it, so a guest
 * that loops on an unknown call (or walks every 64-bit number) cannot
 * flood the console.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unimpl.h"
#include <public/xen.h>

static void test_first_then_not(void **state)
{
    struct unimpl_seen s = { 0 };

    (void)state;
    assert_true(unimpl_first(&s, UNIMPL_HYPERCALL, 20));
    assert_false(unimpl_first(&s, UNIMPL_HYPERCALL, 20));
    assert_false(unimpl_first(&s, UNIMPL_HYPERCALL, 20));
}

static void test_each_number_and_kind(void **state)
{
    struct unimpl_seen s = { 0 };

    (void)state;
    for (uint64_t nr = 0; nr < UNIMPL_NUMBERS; nr++)
        assert_true(unimpl_first(&s, UNIMPL_MEMORY_OP, nr));
    for (uint64_t nr = 0; nr < UNIMPL_NUMBERS; nr++)
        assert_false(unimpl_first(&s, UNIMPL_MEMORY_OP, nr));
    /* The same numbers of another kind are new. */
    assert_true(unimpl_first(&s, UNIMPL_MMUEXT_OP, 5));
    assert_true(unimpl_first(&s, UNIMPL_GRANT_TABLE_OP, UNIMPL_NUMBERS - 1));
}

static void test_each_domain(void **state)
{
    struct unimpl_seen d1 = { 0 }, d2 = { 0 };

    (void)state;
    assert_true(unimpl_first(&d1, UNIMPL_HYPERCALL, 11));
    assert_true(unimpl_first(&d2, UNIMPL_HYPERCALL, 11));
    assert_false(unimpl_first(&d1, UNIMPL_HYPERCALL, 11));
}

static void test_high_numbers_share_one(void **state)
{
    struct unimpl_seen s = { 0 };

    (void)state;
    assert_true(unimpl_first(&s, UNIMPL_HYPERCALL, UNIMPL_NUMBERS));
    assert_false(unimpl_first(&s, UNIMPL_HYPERCALL, UNIMPL_NUMBERS + 1));
    assert_false(unimpl_first(&s, UNIMPL_HYPERCALL, UINT64_MAX));
    assert_false(unimpl_first(&s, UNIMPL_HYPERCALL, 1ULL << 32));
    /* ... without touching the numbers below, or another kind's. */
    assert_true(unimpl_first(&s, UNIMPL_HYPERCALL, UNIMPL_NUMBERS - 1));
    assert_true(unimpl_first(&s, UNIMPL_HYPERCALL, 0));
    assert_true(unimpl_first(&s, UNIMPL_SYSCTL, UINT64_MAX));
}

static void test_kind_out_of_range(void **state)
{
    struct unimpl_seen s = { 0 }, zero = { 0 };

    (void)state;
    assert_false(unimpl_first(&s, NR_UNIMPL_KINDS, 0));
    assert_false(unimpl_first(&s, ~0U, 3));
    assert_memory_equal(&s, &zero, sizeof(s));
    assert_string_equal(unimpl_kind_name(NR_UNIMPL_KINDS), "?");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(hypercall_name(__HYPERVISOR_grant_table_op), "grant_table_op");
    assert_string_equal(hypercall_name(__HYPERVISOR_multicall), "multicall");
    assert_string_equal(hypercall_name(0), "set_trap_table");
    assert_string_equal(hypercall_name(__HYPERVISOR_arch_7), "arch_7");
    assert_null(hypercall_name(11));
    assert_null(hypercall_name(43));
    assert_null(hypercall_name(__HYPERVISOR_arch_7 + 1));
    assert_null(hypercall_name((1ULL << 32) + __HYPERVISOR_grant_table_op));
    assert_string_equal(unimpl_kind_name(UNIMPL_HYPERCALL), "hypercall");
    assert_string_equal(unimpl_kind_name(UNIMPL_MEMORY_OP), "memory_op");
    for (unsigned int k = 0; k < NR_UNIMPL_KINDS; k++)
        assert_non_null(unimpl_kind_name(k));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_then_not),
        cmocka_unit_test(test_each_number_and_kind),
        cmocka_unit_test(test_each_domain),
        cmocka_unit_test(test_high_numbers_share_one),
        cmocka_unit_test(test_kind_out_of_range),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests_name("unimpl_seen", tests, NULL, NULL);
}
