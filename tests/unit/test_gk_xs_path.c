/*
 * Unit tests for guest-kernel/xenstore/xs_path.c: canonical xenstore paths
 * (absolute, or relative to "/local/domain/<caller>"), the characters and
 * shapes Xen allows, the path length limits, and the decimal helpers. Each
 * rule: one accepted case and one refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <public/errno.h>
#include <public/io/xs_wire.h>
#include "xenstore/xs_path.h"

static char out[XS_PATH_BUF];
static char big[8192];

static int canon(uint32_t caller, const char *in)
{
    memset(out, 'X', sizeof(out));
    return xs_path_canon(caller, in, out);
}

static void test_absolute_kept(void **state)
{
    (void)state;
    assert_int_equal(canon(3, "/local/domain/3/device"), 0);
    assert_string_equal(out, "/local/domain/3/device");
    assert_int_equal(canon(3, "/"), 0);
    assert_string_equal(out, "/");
}

static void test_relative_gets_home(void **state)
{
    (void)state;
    assert_int_equal(canon(7, "device/vif"), 0);
    assert_string_equal(out, "/local/domain/7/device/vif");
    assert_int_equal(canon(65535, "x"), 0);
    assert_string_equal(out, "/local/domain/65535/x");
    assert_int_equal(canon(7, ""), -XEN_EINVAL);    /* home plus '/' ends in '/' */
}

static void test_characters(void **state)
{
    (void)state;
    assert_int_equal(canon(0, "/aZ09/_@-"), 0);
    assert_int_equal(canon(0, "/a b"), -XEN_EINVAL);
    assert_int_equal(canon(0, "/a.b"), -XEN_EINVAL);
    assert_int_equal(canon(0, "/a~"), -XEN_EINVAL);
    assert_int_equal(canon(0, "/a\xff"), -XEN_EINVAL);
    assert_int_equal(canon(1, "a:b"), -XEN_EINVAL);
}

static void test_shape(void **state)
{
    (void)state;
    assert_int_equal(canon(0, "/a/b"), 0);
    assert_int_equal(canon(0, "/a//b"), -XEN_EINVAL);
    assert_int_equal(canon(0, "//"), -XEN_EINVAL);
    assert_int_equal(canon(0, "/a/"), -XEN_EINVAL);
    assert_int_equal(canon(1, "a/"), -XEN_EINVAL);
    assert_int_equal(canon(1, "/"), 0);
}

/* A path of n bytes: prefix, then 'a's. */
static const char *long_path(const char *prefix, size_t n)
{
    size_t p = strlen(prefix);

    memcpy(big, prefix, p);
    memset(big + p, 'a', n - p);
    big[n] = '\0';
    return big;
}

static void test_length_outside_home(void **state)
{
    (void)state;
    assert_int_equal(canon(0, long_path("/tool/", XENSTORE_REL_PATH_MAX)), 0);
    assert_int_equal(canon(0, long_path("/tool/", XENSTORE_REL_PATH_MAX + 1)), -XEN_EINVAL);
    assert_int_equal(canon(0, long_path("/tool/", sizeof(big) - 1)), -XEN_EINVAL);
}

static void test_length_inside_home(void **state)
{
    (void)state;
    /* The limit counts what follows "/local/domain/<n>/". */
    assert_int_equal(canon(0, long_path("/local/domain/12345/", 20 + XENSTORE_REL_PATH_MAX)), 0);
    assert_int_equal(canon(0, long_path("/local/domain/12345/", 21 + XENSTORE_REL_PATH_MAX)),
                     -XEN_EINVAL);
    /* Six digits is no home: the whole path counts. */
    assert_int_equal(canon(0, long_path("/local/domain/123456/", 21 + XENSTORE_REL_PATH_MAX)),
                     -XEN_EINVAL);
    assert_int_equal(canon(9, long_path("b", XENSTORE_REL_PATH_MAX)), 0);
    assert_int_equal(canon(9, long_path("b", XENSTORE_REL_PATH_MAX + 1)), -XEN_EINVAL);
}

static void test_decimal(void **state)
{
    char s[11];
    uint32_t v = 99;

    (void)state;
    assert_int_equal(xs_u32_to_str(0, s), 1);
    assert_string_equal(s, "0");
    assert_int_equal(xs_u32_to_str(4294967295u, s), 10);
    assert_string_equal(s, "4294967295");
    assert_int_equal(xs_str_to_u32("00012", 65535, &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(xs_str_to_u32("65535", 65535, &v), 0);
    assert_int_equal(xs_str_to_u32("65536", 65535, &v), -XEN_EINVAL);
    assert_int_equal(xs_str_to_u32("", 65535, &v), -XEN_EINVAL);
    assert_int_equal(xs_str_to_u32("1a", 65535, &v), -XEN_EINVAL);
    assert_int_equal(xs_str_to_u32("-1", 65535, &v), -XEN_EINVAL);
    assert_int_equal(xs_str_to_u32("99999999999", 0xffffffffu, &v), -XEN_EINVAL);
    assert_int_equal(v, 65535);
}

static void test_parent(void **state)
{
    (void)state;
    assert_int_equal(xs_parent_len("/", 1), 0);
    assert_int_equal(xs_parent_len("/a", 2), 1);
    assert_int_equal(xs_parent_len("/a/bc", 5), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_kept),
        cmocka_unit_test(test_relative_gets_home),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_length_outside_home),
        cmocka_unit_test(test_length_inside_home),
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_parent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
