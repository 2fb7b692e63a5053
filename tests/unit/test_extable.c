/*
 * Unit tests for hypervisor/arch/x86/extable.c, the exception table's
 * lookup. Rules: a rip that is an entry's instruction gives that entry's
 * fixup (offsets taken from each field's own address, negative and
 * positive); any other rip, a neighbour byte included, gives 0; an empty
 * table gives 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <asm/guest_access.h>

static char code[64];
static struct extable_entry table[3];

static void entry(struct extable_entry *e, const char *insn, const char *fixup)
{
    e->insn = (int32_t)((intptr_t)insn - (intptr_t)&e->insn);
    e->fixup = (int32_t)((intptr_t)fixup - (intptr_t)&e->fixup);
}

static uint64_t at(const char *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void test_found(void **state)
{
    (void)state;
    entry(&table[0], code + 4, code + 10);
    entry(&table[1], code + 20, code + 2);              /* a fixup before its insn */
    entry(&table[2], code + 40, code + 41);
    assert_int_equal(extable_search(table, table + 3, at(code + 4)), at(code + 10));
    assert_int_equal(extable_search(table, table + 3, at(code + 20)), at(code + 2));
    assert_int_equal(extable_search(table, table + 3, at(code + 40)), at(code + 41));
}

static void test_not_found(void **state)
{
    (void)state;
    entry(&table[0], code + 4, code + 10);
    assert_int_equal(extable_search(table, table + 1, at(code + 5)), 0);
    assert_int_equal(extable_search(table, table + 1, at(code + 3)), 0);
    assert_int_equal(extable_search(table, table + 1, at(code + 10)), 0);   /* a fixup */
    assert_int_equal(extable_search(table, table, at(code + 4)), 0);        /* empty */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
