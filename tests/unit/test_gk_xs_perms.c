/*
 * Unit tests for guest-kernel/xenstore/xs_perms.c: who may do what with a
 * node (domain 0 and the owner everything, a listed domain its entry, the
 * rest entry 0's mode), and the text form "<r|w|b|n><domid>" both ways.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <public/errno.h>
#include "xenstore/xs_perms.h"

#define ALL (XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER)

static void test_rules(void **state)
{
    struct xs_perms p = { .n = 3, .p = { { 5, XS_PERM_READ }, { 6, XS_PERM_WRITE },
                                         { 7, XS_PERM_NONE } } };

    (void)state;
    assert_int_equal(xs_perms_for(&p, 0), ALL);             /* domain 0 */
    assert_int_equal(xs_perms_for(&p, 5), ALL);             /* owner */
    assert_int_equal(xs_perms_for(&p, 6), XS_PERM_WRITE);   /* listed */
    assert_int_equal(xs_perms_for(&p, 7), XS_PERM_NONE);    /* listed as none */
    assert_int_equal(xs_perms_for(&p, 8), XS_PERM_READ);    /* default */
    p.p[0].mode = XS_PERM_NONE;
    assert_int_equal(xs_perms_for(&p, 8), XS_PERM_NONE);
}

static void test_first_listing_wins(void **state)
{
    struct xs_perms p = { .n = 3, .p = { { 0, XS_PERM_NONE }, { 6, XS_PERM_READ },
                                         { 6, XS_PERM_WRITE } } };

    (void)state;
    assert_int_equal(xs_perms_for(&p, 6), XS_PERM_READ);
}

static void test_parse_good(void **state)
{
    static const char s[] = "w0\0r1\0b65535\0n7";   /* the literal adds the last NUL */
    struct xs_perms p;

    (void)state;
    assert_int_equal(xs_perms_parse(s, sizeof(s), &p), 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.p[0].domid, 0);
    assert_int_equal(p.p[0].mode, XS_PERM_WRITE);
    assert_int_equal(p.p[1].mode, XS_PERM_READ);
    assert_int_equal(p.p[2].domid, 65535);
    assert_int_equal(p.p[2].mode, XS_PERM_READ | XS_PERM_WRITE);
    assert_int_equal(p.p[3].mode, XS_PERM_NONE);
}

static void test_parse_bad(void **state)
{
    struct xs_perms p;

    (void)state;
    assert_int_equal(xs_perms_parse("x1", 3, &p), -XEN_EINVAL);      /* letter */
    assert_int_equal(xs_perms_parse("r", 2, &p), -XEN_EINVAL);       /* no domid */
    assert_int_equal(xs_perms_parse("r1a", 4, &p), -XEN_EINVAL);     /* not a number */
    assert_int_equal(xs_perms_parse("r65536", 7, &p), -XEN_EINVAL);  /* not a domid */
    assert_int_equal(xs_perms_parse("r1", 2, &p), -XEN_EINVAL);      /* no final NUL */
    assert_int_equal(xs_perms_parse("", 0, &p), -XEN_EINVAL);        /* none */
    assert_int_equal(xs_perms_parse("r1\0\0", 4, &p), -XEN_EINVAL);  /* empty entry */
    assert_int_equal(xs_perms_parse("R1", 3, &p), -XEN_EINVAL);
}

static void test_parse_too_many(void **state)
{
    static const char eight[] = "n0\0r1\0r2\0r3\0r4\0r5\0r6\0r7";
    static const char nine[] = "n0\0r1\0r2\0r3\0r4\0r5\0r6\0r7\0r8";
    struct xs_perms p;

    (void)state;
    assert_int_equal(xs_perms_parse(eight, sizeof(eight), &p), 0);
    assert_int_equal(p.n, XS_PERMS_MAX);
    assert_int_equal(xs_perms_parse(nine, sizeof(nine), &p), -XEN_ENOSPC);
}

static void test_format(void **state)
{
    struct xs_perms p = { .n = 2, .p = { { 0, XS_PERM_NONE }, { 12, XS_PERM_READ | XS_PERM_WRITE } } };
    char out[16];

    (void)state;
    assert_int_equal(xs_perms_format(&p, out, sizeof(out)), 7);
    assert_memory_equal(out, "n0\0b12\0", 7);
    assert_int_equal(xs_perms_format(&p, out, 7), 7);
    assert_int_equal(xs_perms_format(&p, out, 6), -XEN_E2BIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_first_listing_wins),
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_too_many),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
