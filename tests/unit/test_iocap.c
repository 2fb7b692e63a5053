/*
 * Unit tests for hypervisor/pv/iocap.c: a domain's granted I/O ports and
 * interrupt lines. Nothing is granted to a new domain; a grant covers
 * exactly its range; a multi-byte access needs every byte; nothing past
 * port 0xffff or the last IRQ is ever granted, however a range is asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "iocap.h"

static struct iocap *cap;

static int setup(void **state)
{
    (void)state;
    cap = malloc(sizeof(*cap));
    assert_non_null(cap);
    memset(cap, 0xff, sizeof(*cap));             /* iocap_init must clear it */
    iocap_init(cap);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(cap);
    return 0;
}

static void test_nothing_granted_at_first(void **state)
{
    (void)state;
    for (unsigned int p = 0; p < IOCAP_PORTS; p += 0x111)
        assert_false(iocap_ports_ok(cap, p, 1));
    assert_false(iocap_ports_ok(cap, 0xffff, 1));
    for (unsigned int i = 0; i < IOCAP_IRQS; i++)
        assert_false(iocap_irq_ok(cap, i));
}

static void test_permit_exactly_the_range(void **state)
{
    (void)state;
    iocap_permit_ports(cap, 0x1f0, 0x1f7);
    assert_true(iocap_ports_ok(cap, 0x1f0, 1));
    assert_true(iocap_ports_ok(cap, 0x1f7, 1));
    assert_true(iocap_ports_ok(cap, 0x1f4, 4));
    assert_false(iocap_ports_ok(cap, 0x1ef, 1));
    assert_false(iocap_ports_ok(cap, 0x1f8, 1));
}

/* A multi-byte access needs every byte: one past either end is refused. */
static void test_every_byte_needed(void **state)
{
    (void)state;
    iocap_permit_ports(cap, 0x100, 0x103);
    assert_true(iocap_ports_ok(cap, 0x100, 4));
    assert_false(iocap_ports_ok(cap, 0x101, 4));
    assert_false(iocap_ports_ok(cap, 0xff, 2));
    assert_false(iocap_ports_ok(cap, 0x100, 0));
}

static void test_deny_inside_a_grant(void **state)
{
    (void)state;
    iocap_permit_ports(cap, 0, 0xffff);
    iocap_deny_ports(cap, 0x3f8, 0x3ff);
    assert_false(iocap_ports_ok(cap, 0x3f8, 1));
    assert_false(iocap_ports_ok(cap, 0x3f6, 4));        /* overlaps 0x3f8 */
    assert_true(iocap_ports_ok(cap, 0x3f4, 4));
    assert_true(iocap_ports_ok(cap, 0x400, 1));
}

/* Is exactly [first, last] granted among ports [0, 0x200)? */
static void assert_exactly(unsigned int first, unsigned int last, bool inside)
{
    for (unsigned int p = 0; p < 0x200; p++)
        assert_int_equal(iocap_ports_ok(cap, p, 1), (p >= first && p <= last) == inside);
}

/* Ranges that cover whole 64-port words and parts of others, granted and
 * taken back: the same bits as port by port. */
static void test_ranges_across_words(void **state)
{
    (void)state;
    iocap_permit_ports(cap, 0x3f, 0x101);              /* a bit, 3 words, 2 bits */
    assert_exactly(0x3f, 0x101, true);
    iocap_deny_ports(cap, 0, 0xffff);
    assert_exactly(0, 0x1ff, false);
    iocap_permit_ports(cap, 0, 0xffff);
    iocap_deny_ports(cap, 0x40, 0x7f);                 /* exactly one word */
    assert_exactly(0x40, 0x7f, false);
    iocap_permit_ports(cap, 0x40, 0x7f);
    iocap_deny_ports(cap, 0x80, 0xbe);                 /* a word but its last port */
    assert_exactly(0x80, 0xbe, false);
    iocap_deny_ports(cap, 0xd0, 0xcf);                 /* empty: nothing changes */
    assert_true(iocap_ports_ok(cap, 0xcf, 2));
}

/* Nothing past 0xffff, however asked. */
static void test_port_limit(void **state)
{
    (void)state;
    iocap_permit_ports(cap, 0xfffe, 0x1ffff);
    assert_true(iocap_ports_ok(cap, 0xfffe, 2));
    assert_false(iocap_ports_ok(cap, 0xfffe, 4));       /* ends past 0xffff */
    assert_false(iocap_ports_ok(cap, 0x10000, 1));
    assert_false(iocap_ports_ok(cap, 0xffffffffu, 2));  /* wraps */
}

static void test_irqs(void **state)
{
    (void)state;
    iocap_permit_irq(cap, 11);
    assert_true(iocap_irq_ok(cap, 11));
    assert_false(iocap_irq_ok(cap, 10));
    iocap_deny_irq(cap, 11);
    assert_false(iocap_irq_ok(cap, 11));
    iocap_permit_irq(cap, IOCAP_IRQS);                  /* out of range: ignored */
    assert_false(iocap_irq_ok(cap, IOCAP_IRQS));
    iocap_permit_irq(cap, IOCAP_IRQS - 1);
    assert_true(iocap_irq_ok(cap, IOCAP_IRQS - 1));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_nothing_granted_at_first),
        T(test_permit_exactly_the_range),
        T(test_every_byte_needed),
        T(test_deny_inside_a_grant),
        T(test_ranges_across_words),
        T(test_port_limit),
        T(test_irqs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
