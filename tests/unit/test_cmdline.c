/*
 * Unit tests for hypervisor/boot/cmdline.c (and parse_u64 from hypervisor/lib/parse.c).
 *
 * The command line comes from the boot loader and is untrusted: these tests
 * check that every option form (key=value, bare boolean, no-key) sets the
 * right variable, that every malformed value is reported through the callback
 * and leaves the variable as it was, that the parse continues after a
 * problem, and that the parser never reads past max_len (lines without a NUL
 * are handed over in exactly-sized heap blocks, so AddressSanitizer catches
 * an overread). The number parsers (parse_bool, parse_uint, parse_size) are
 * tested directly for each accepted form and each refusal.
 *
 * This file also checks that the host's errno numbers, which err.h uses in
 * host builds, equal Xen's (include/public/errno.h), which the image uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "err.h"
#include <public/errno.h>

/* ---- the parameter table under test -------------------------------------- */

struct vars {
    bool flag;          /* default false */
    bool on;            /* default true */
    uint64_t num;       /* default 7 */
    uint64_t size;      /* default 99 */
    char str[8];        /* default "old" */
    int colour;         /* default 0; custom: red=1, green=2 */
};

static struct vars v;

static int parse_colour(const char *val, size_t len, void *var)
{
    int *c = var;

    if (len == 3 && memcmp(val, "red", 3) == 0)
        *c = 1;
    else if (len == 5 && memcmp(val, "green", 5) == 0)
        *c = 2;
    else
        return -EINVAL;
    return 0;
}

static const struct param params[] = {
    { "flag", PARAM_BOOL, &v.flag, sizeof(v.flag), NULL },
    { "on", PARAM_BOOL, &v.on, sizeof(v.on), NULL },
    { "num", PARAM_UINT, &v.num, sizeof(v.num), NULL },
    { "size", PARAM_SIZE, &v.size, sizeof(v.size), NULL },
    { "str", PARAM_STRING, v.str, sizeof(v.str), NULL },
    { "colour", PARAM_CUSTOM, &v.colour, sizeof(v.colour), parse_colour },
};

/* ---- a report callback that records what it is told ---------------------- */

#define MAX_REPORTS 8

struct report {
    enum cmdline_problem problem;
    char key[32];
    size_t key_len;
    char val[32];
    size_t val_len;
};

struct reports {
    unsigned int n;
    struct report r[MAX_REPORTS];
};

static struct reports reps;

static void copy_bounded(char *dst, size_t dst_size, const char *src, size_t len)
{
    size_t n = len < dst_size - 1 ? len : dst_size - 1;

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void record(void *ctx, enum cmdline_problem problem, const char *key,
                   size_t key_len, const char *val, size_t val_len)
{
    struct reports *rs = ctx;
    struct report *r;

    assert_true(rs->n < MAX_REPORTS);
    r = &rs->r[rs->n++];
    r->problem = problem;
    r->key_len = key_len;
    r->val_len = val_len;
    copy_bounded(r->key, sizeof(r->key), key, key_len);
    copy_bounded(r->val, sizeof(r->val), val, val_len);
}

static int setup(void **state)
{
    (void)state;
    memset(&v, 0, sizeof(v));
    v.flag = false;
    v.on = true;
    v.num = 7;
    v.size = 99;
    strcpy(v.str, "old");
    v.colour = 0;
    memset(&reps, 0, sizeof(reps));
    return 0;
}

/* Parse a NUL-terminated line with the table above, recording reports. */
static unsigned int parse(const char *line)
{
    return cmdline_parse(line, strlen(line) + 1, params, ARRAY_SIZE(params),
                         record, &reps);
}

/* Copy s (without its NUL) into a heap block of exactly strlen(s) bytes. */
static char *exact_copy(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);

    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void assert_defaults(void)
{
    assert_false(v.flag);
    assert_true(v.on);
    assert_int_equal(v.num, 7);
    assert_int_equal(v.size, 99);
    assert_string_equal(v.str, "old");
    assert_int_equal(v.colour, 0);
}

/* ---- errno values --------------------------------------------------------- */

static void test_errno_values_are_xens(void **state)
{
    (void)state;
    assert_int_equal(EPERM, XEN_EPERM);
    assert_int_equal(ENOENT, XEN_ENOENT);
    assert_int_equal(ESRCH, XEN_ESRCH);
    assert_int_equal(ENOMEM, XEN_ENOMEM);
    assert_int_equal(EFAULT, XEN_EFAULT);
    assert_int_equal(EBUSY, XEN_EBUSY);
    assert_int_equal(EEXIST, XEN_EEXIST);
    assert_int_equal(EINVAL, XEN_EINVAL);
    assert_int_equal(ERANGE, XEN_ERANGE);
    assert_int_equal(ENOSYS, XEN_ENOSYS);
}

/* ---- key=value for each type ---------------------------------------------- */

static void test_uint_value_is_set(void **state)
{
    (void)state;
    assert_int_equal(parse("num=42"), 0);
    assert_int_equal(v.num, 42);
    assert_int_equal(reps.n, 0);
}

static void test_size_value_is_set(void **state)
{
    (void)state;
    assert_int_equal(parse("size=3M"), 0);
    assert_int_equal(v.size, 3ull << 20);
    assert_int_equal(reps.n, 0);
}

static void test_string_value_is_set(void **state)
{
    (void)state;
    assert_int_equal(parse("str=hello"), 0);
    assert_string_equal(v.str, "hello");
    assert_int_equal(reps.n, 0);
}

static void test_string_value_may_hold_equals(void **state)
{
    (void)state;
    assert_int_equal(parse("str=a=b"), 0);
    assert_string_equal(v.str, "a=b");
}

static void test_string_value_may_be_empty(void **state)
{
    (void)state;
    assert_int_equal(parse("str="), 0);
    assert_string_equal(v.str, "");
}

static void test_custom_value_is_set(void **state)
{
    (void)state;
    assert_int_equal(parse("colour=green"), 0);
    assert_int_equal(v.colour, 2);
}

static void test_custom_refusal_is_reported(void **state)
{
    (void)state;
    assert_int_equal(parse("colour=blue"), 1);
    assert_int_equal(v.colour, 0);
    assert_int_equal(reps.n, 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[0].key, "colour");
    assert_string_equal(reps.r[0].val, "blue");
}

static void test_bool_value_is_set(void **state)
{
    (void)state;
    assert_int_equal(parse("flag=yes on=off"), 0);
    assert_true(v.flag);
    assert_false(v.on);
}

static void test_last_value_wins(void **state)
{
    (void)state;
    assert_int_equal(parse("num=1 num=2"), 0);
    assert_int_equal(v.num, 2);
}

/* ---- booleans ------------------------------------------------------------- */

static void test_bare_bool_is_true(void **state)
{
    (void)state;
    assert_int_equal(parse("flag"), 0);
    assert_true(v.flag);
    assert_int_equal(reps.n, 0);
}

static void test_no_key_is_false(void **state)
{
    (void)state;
    assert_int_equal(parse("no-on"), 0);
    assert_false(v.on);
    assert_int_equal(reps.n, 0);
}

static void test_no_key_of_non_bool_is_unknown(void **state)
{
    (void)state;
    assert_int_equal(parse("no-num"), 1);
    assert_int_equal(v.num, 7);
    assert_int_equal(reps.r[0].problem, CMDLINE_UNKNOWN);
    assert_string_equal(reps.r[0].key, "no-num");
}

static void test_no_key_with_value_is_unknown(void **state)
{
    (void)state;
    assert_int_equal(parse("no-on=1"), 1);
    assert_true(v.on);
    assert_int_equal(reps.r[0].problem, CMDLINE_UNKNOWN);
}

static void test_bool_true_words(void **state)
{
    static const char *const words[] = {
        "1", "yes", "true", "on", "enable", "YES", "True", "ON", "EnAbLe",
    };
    char line[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
        v.flag = false;
        snprintf(line, sizeof(line), "flag=%s", words[i]);
        assert_int_equal(parse(line), 0);
        assert_true(v.flag);
        assert_int_equal(parse_bool(words[i], strlen(words[i])), 1);
    }
    assert_int_equal(reps.n, 0);
}

static void test_bool_false_words(void **state)
{
    static const char *const words[] = {
        "0", "no", "false", "off", "disable", "NO", "False", "oFF", "DISABLE",
    };
    char line[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
        v.on = true;
        snprintf(line, sizeof(line), "on=%s", words[i]);
        assert_int_equal(parse(line), 0);
        assert_false(v.on);
        assert_int_equal(parse_bool(words[i], strlen(words[i])), 0);
    }
    assert_int_equal(reps.n, 0);
}

static void test_bool_bad_word_refused(void **state)
{
    static const char *const words[] = {
        "2", "y", "n", "yess", "onn", "enabled", "tru", "",
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        assert_int_equal(parse_bool(words[i], strlen(words[i])), -EINVAL);
    /* the length bounds the word: "yes" cut to "ye" is not a word */
    assert_int_equal(parse_bool("yes", 2), -EINVAL);

    assert_int_equal(parse("flag=maybe"), 1);
    assert_false(v.flag);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[0].key, "flag");
    assert_string_equal(reps.r[0].val, "maybe");
}

static void test_bool_empty_value_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("flag="), 1);
    assert_false(v.flag);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_int_equal(reps.r[0].val_len, 0);
}

/* ---- problems are reported and the parse goes on -------------------------- */

static void test_unknown_key_reported_and_parse_continues(void **state)
{
    (void)state;
    assert_int_equal(parse("num=1 bogus=77 flag size=4K"), 1);
    assert_int_equal(reps.n, 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_UNKNOWN);
    assert_int_equal(reps.r[0].key_len, 5);
    assert_string_equal(reps.r[0].key, "bogus");
    assert_int_equal(reps.r[0].val_len, 2);
    assert_string_equal(reps.r[0].val, "77");
    assert_int_equal(v.num, 1);
    assert_true(v.flag);
    assert_int_equal(v.size, 4096);
}

static void test_unknown_bare_key_reported(void **state)
{
    (void)state;
    assert_int_equal(parse("mystery flag"), 1);
    assert_int_equal(reps.r[0].problem, CMDLINE_UNKNOWN);
    assert_int_equal(reps.r[0].key_len, 7);
    assert_string_equal(reps.r[0].key, "mystery");
    assert_int_equal(reps.r[0].val_len, 0);
    assert_true(v.flag);
}

static void test_key_must_match_whole_name(void **state)
{
    (void)state;
    /* a prefix or an extension of a name is not that option */
    assert_int_equal(parse("fla flagg nu=1 numb=2"), 4);
    assert_int_equal(reps.n, 4);
    for (unsigned int i = 0; i < 4; i++)
        assert_int_equal(reps.r[i].problem, CMDLINE_UNKNOWN);
    assert_string_equal(reps.r[0].key, "fla");
    assert_string_equal(reps.r[1].key, "flagg");
    assert_string_equal(reps.r[2].key, "nu");
    assert_string_equal(reps.r[3].key, "numb");
    assert_defaults();
}

static void test_bad_value_reported_and_unchanged(void **state)
{
    (void)state;
    assert_int_equal(parse("num=12x size=1Q num=0x str=ok"), 3);
    assert_int_equal(reps.n, 3);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[0].key, "num");
    assert_string_equal(reps.r[0].val, "12x");
    assert_int_equal(reps.r[0].val_len, 3);
    assert_int_equal(reps.r[1].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[1].key, "size");
    assert_int_equal(reps.r[2].problem, CMDLINE_BAD_VALUE);
    assert_int_equal(v.num, 7);
    assert_int_equal(v.size, 99);
    assert_string_equal(v.str, "ok");       /* later options still parsed */
}

static void test_overflowing_value_reported_and_unchanged(void **state)
{
    (void)state;
    assert_int_equal(parse("size=99999999999T num=18446744073709551616"), 2);
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_int_equal(reps.r[1].problem, CMDLINE_BAD_VALUE);
    assert_int_equal(v.size, 99);
    assert_int_equal(v.num, 7);
}

static void test_non_bool_without_value_reported(void **state)
{
    (void)state;
    assert_int_equal(parse("num size str colour"), 4);
    assert_int_equal(reps.n, 4);
    for (unsigned int i = 0; i < 4; i++) {
        assert_int_equal(reps.r[i].problem, CMDLINE_NO_VALUE);
        assert_int_equal(reps.r[i].val_len, 0);
    }
    assert_string_equal(reps.r[0].key, "num");
    assert_string_equal(reps.r[3].key, "colour");
    assert_defaults();
}

static void test_problems_counted_without_callback(void **state)
{
    const char *line = "bogus num flag=perhaps flag";

    (void)state;
    assert_int_equal(cmdline_parse(line, strlen(line), params, ARRAY_SIZE(params),
                                   NULL, NULL), 3);
    assert_true(v.flag);
}

/* ---- strings are never truncated ------------------------------------------ */

static void test_string_filling_buffer_accepted(void **state)
{
    (void)state;
    assert_int_equal(parse("str=1234567"), 0);       /* 7 + NUL = 8 bytes */
    assert_string_equal(v.str, "1234567");
}

static void test_string_longer_than_buffer_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("str=12345678"), 1);      /* would need 9 bytes */
    assert_int_equal(reps.r[0].problem, CMDLINE_BAD_VALUE);
    assert_string_equal(reps.r[0].key, "str");
    assert_string_equal(v.str, "old");               /* not truncated */
}

/* ---- sizes ---------------------------------------------------------------- */

static void test_size_suffixes_upper_case(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("5B", 2, &b), 0);
    assert_int_equal(b, 5);
    assert_int_equal(parse_size("5K", 2, &b), 0);
    assert_int_equal(b, 5ull << 10);
    assert_int_equal(parse_size("5M", 2, &b), 0);
    assert_int_equal(b, 5ull << 20);
    assert_int_equal(parse_size("5G", 2, &b), 0);
    assert_int_equal(b, 5ull << 30);
    assert_int_equal(parse_size("5T", 2, &b), 0);
    assert_int_equal(b, 5ull << 40);
}

static void test_size_suffixes_lower_case(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("3b", 2, &b), 0);
    assert_int_equal(b, 3);
    assert_int_equal(parse_size("3k", 2, &b), 0);
    assert_int_equal(b, 3ull << 10);
    assert_int_equal(parse_size("3m", 2, &b), 0);
    assert_int_equal(b, 3ull << 20);
    assert_int_equal(parse_size("3g", 2, &b), 0);
    assert_int_equal(b, 3ull << 30);
    assert_int_equal(parse_size("3t", 2, &b), 0);
    assert_int_equal(b, 3ull << 40);
}

static void test_size_without_suffix_is_bytes(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("4096", 4, &b), 0);
    assert_int_equal(b, 4096);
    assert_int_equal(parse_size("0", 1, &b), 0);
    assert_int_equal(b, 0);
}

static void test_size_hex_with_suffix(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("0x10M", 5, &b), 0);
    assert_int_equal(b, 16ull << 20);
    assert_int_equal(parse_size("0X2g", 4, &b), 0);
    assert_int_equal(b, 2ull << 30);
}

static void test_size_hex_b_is_a_digit(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("0x1B", 4, &b), 0);
    assert_int_equal(b, 0x1b);
    assert_int_equal(parse_size("0x1b", 4, &b), 0);
    assert_int_equal(b, 0x1b);
    /* in decimal, B is still the byte suffix */
    assert_int_equal(parse_size("1B", 2, &b), 0);
    assert_int_equal(b, 1);
}

static void test_size_largest_accepted(void **state)
{
    uint64_t b = 0;

    (void)state;
    assert_int_equal(parse_size("16777215T", 9, &b), 0);
    assert_int_equal(b, 16777215ull << 40);
    assert_int_equal(parse_size("18446744073709551615", 20, &b), 0);
    assert_int_equal(b, UINT64_MAX);
}

static void test_size_overflow_refused(void **state)
{
    uint64_t b = 1234;

    (void)state;
    assert_int_equal(parse_size("99999999999T", 12, &b), -ERANGE);
    assert_int_equal(parse_size("16777216T", 9, &b), -ERANGE);
    assert_int_equal(parse_size("17179869184G", 12, &b), -ERANGE);
    assert_int_equal(parse_size("18446744073709551616", 20, &b), -ERANGE);
    assert_int_equal(b, 1234);
}

static void test_size_garbage_refused(void **state)
{
    static const char *const bad[] = {
        "abc", "", "M", "K1", "12Q", "1.5G", "1KB", "-1K", " 1K", "0x", "0xM",
    };
    uint64_t b = 1234;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_int_equal(parse_size(bad[i], strlen(bad[i]), &b), -EINVAL);
    assert_int_equal(b, 1234);
}

/* ---- unsigned numbers ----------------------------------------------------- */

static void test_uint_decimal(void **state)
{
    uint64_t n = 0;

    (void)state;
    assert_int_equal(parse_uint("0", 1, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(parse_uint("1234567890", 10, &n), 0);
    assert_int_equal(n, 1234567890);
    assert_int_equal(parse_uint("18446744073709551615", 20, &n), 0);
    assert_int_equal(n, UINT64_MAX);
}

static void test_uint_hex(void **state)
{
    uint64_t n = 0;

    (void)state;
    assert_int_equal(parse_uint("0x2f8", 5, &n), 0);
    assert_int_equal(n, 0x2f8);
    assert_int_equal(parse_uint("0XABCdef", 8, &n), 0);
    assert_int_equal(n, 0xabcdef);
    assert_int_equal(parse_uint("0xffffffffffffffff", 18, &n), 0);
    assert_int_equal(n, UINT64_MAX);
}

static void test_uint_octal(void **state)
{
    uint64_t n = 0;

    (void)state;
    assert_int_equal(parse_uint("017", 3, &n), 0);
    assert_int_equal(n, 15);
    assert_int_equal(parse_uint("0777", 4, &n), 0);
    assert_int_equal(n, 0777);
    assert_int_equal(parse_uint("01777777777777777777777", 23, &n), 0);
    assert_int_equal(n, UINT64_MAX);
}

static void test_uint_length_bounds_the_number(void **state)
{
    uint64_t n = 0;

    (void)state;
    assert_int_equal(parse_uint("12345", 3, &n), 0);
    assert_int_equal(n, 123);
}

static void test_uint_trailing_garbage_refused(void **state)
{
    static const char *const bad[] = {
        "12a", "1 ", " 1", "-1", "+1", "", "x", "0x", "0x1g", "08", "019", "1_000",
    };
    uint64_t n = 55;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_int_equal(parse_uint(bad[i], strlen(bad[i]), &n), -EINVAL);
    assert_int_equal(n, 55);
}

static void test_uint_overflow_refused(void **state)
{
    static const char *const big[] = {
        "18446744073709551616", "99999999999999999999999",
        "0x10000000000000000", "02000000000000000000000",
    };
    uint64_t n = 55;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(big); i++)
        assert_int_equal(parse_uint(big[i], strlen(big[i]), &n), -ERANGE);
    assert_int_equal(n, 55);
}

static void test_parse_u64_returns_digits_used(void **state)
{
    uint64_t n = 0;

    (void)state;
    assert_int_equal(parse_u64("123abc", 6, &n), 3);
    assert_int_equal(n, 123);
    assert_int_equal(parse_u64("0x1fz", 5, &n), 4);
    assert_int_equal(n, 0x1f);
    n = 9;
    assert_int_equal(parse_u64("zz", 2, &n), 0);
    assert_int_equal(n, 9);                      /* untouched when nothing parsed */
    assert_int_equal(parse_u64("18446744073709551616", 20, &n), 0);
    assert_int_equal(n, 9);
}

/* ---- max_len and line shapes ---------------------------------------------- */

static void test_line_without_nul_read_to_max_len_only(void **state)
{
    const char *text = "flag num=42";
    char *line = exact_copy(text);

    (void)state;
    /* ASan aborts if the parser reads line[strlen(text)] */
    assert_int_equal(cmdline_parse(line, strlen(text), params, ARRAY_SIZE(params),
                                   record, &reps), 0);
    assert_true(v.flag);
    assert_int_equal(v.num, 42);
    free(line);
}

static void test_max_len_cuts_the_last_token(void **state)
{
    const char *text = "num=123456";
    char *line = exact_copy(text);

    (void)state;
    assert_int_equal(cmdline_parse(line, 6, params, ARRAY_SIZE(params),
                                   record, &reps), 0);
    assert_int_equal(v.num, 12);
    free(line);
}

static void test_max_len_hides_later_options(void **state)
{
    const char *line = "flag num=5";

    (void)state;
    assert_int_equal(cmdline_parse(line, 4, params, ARRAY_SIZE(params),
                                   record, &reps), 0);
    assert_true(v.flag);
    assert_int_equal(v.num, 7);
    assert_int_equal(cmdline_parse(line, 0, params, ARRAY_SIZE(params),
                                   record, &reps), 0);
}

static void test_nul_ends_line_before_max_len(void **state)
{
    static const char line[] = "flag\0num=5";

    (void)state;
    assert_int_equal(cmdline_parse(line, sizeof(line), params, ARRAY_SIZE(params),
                                   record, &reps), 0);
    assert_true(v.flag);
    assert_int_equal(v.num, 7);
}

static void test_spaces_and_tabs_separate_options(void **state)
{
    (void)state;
    assert_int_equal(parse("  flag\t\tnum=3   \n size=1K\r\t str=x  "), 0);
    assert_true(v.flag);
    assert_int_equal(v.num, 3);
    assert_int_equal(v.size, 1024);
    assert_string_equal(v.str, "x");
    assert_int_equal(reps.n, 0);
}

static void test_empty_line_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_int_equal(parse(" \t \n "), 0);
    assert_int_equal(reps.n, 0);
    assert_defaults();
}

static void test_null_line_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(cmdline_parse(NULL, 100, params, ARRAY_SIZE(params),
                                   record, &reps), 0);
    assert_int_equal(reps.n, 0);
    assert_defaults();
}

/* ---- the image name GRUB may prepend -------------------------------------- */

static void test_skip_image_name_skips_path(void **state)
{
    const char *line = "/boot/hypervisor.elf console=com1";
    const char *opts = cmdline_skip_image_name(line, strlen(line) + 1, true);

    (void)state;
    assert_ptr_equal(opts, line + strlen("/boot/hypervisor.elf"));
    /* what is left parses as options only */
    assert_int_equal(parse(opts), 1);
    assert_string_equal(reps.r[0].key, "console");
}

static void test_skip_image_name_keeps_options(void **state)
{
    const char *line = "console=com1 flag";

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(line, strlen(line) + 1, true), line);
}

static void test_skip_image_name_keeps_path_like_option(void **state)
{
    const char *line = "a/b=c flag";

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(line, strlen(line) + 1, true), line);
}

static void test_skip_image_name_leading_spaces(void **state)
{
    const char *a = "  console=com1";
    const char *b = " \t/hv.elf flag";

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(a, strlen(a) + 1, true), a + 2);
    assert_ptr_equal(cmdline_skip_image_name(b, strlen(b) + 1, true), b + 9);
}

static void test_skip_image_name_path_alone(void **state)
{
    const char *line = "/boot/hv";
    const char *empty = "";

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(line, strlen(line) + 1, true), line + 8);
    assert_ptr_equal(cmdline_skip_image_name(empty, 1, true), empty);
}

static void test_skip_image_name_bounded_by_max_len(void **state)
{
    char *line = exact_copy("/boot/hv");

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(line, 8, true), line + 8);
    assert_ptr_equal(cmdline_skip_image_name(line, 0, true), line);
    free(line);
}

/* A loader other than GRUB 2 puts the image name first, whatever it is
 * (Xen drops it then): the first word goes even without a '/'. */
static void test_skip_image_name_other_loaders(void **state)
{
    const char *line = "hv console=com1";
    const char *path = " /boot/hv x=1";
    const char *empty = "";

    (void)state;
    assert_ptr_equal(cmdline_skip_image_name(line, strlen(line) + 1, false), line + 2);
    assert_ptr_equal(cmdline_skip_image_name(path, strlen(path) + 1, false), path + 9);
    assert_ptr_equal(cmdline_skip_image_name(empty, 1, false), empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_errno_values_are_xens, setup),
        cmocka_unit_test_setup(test_uint_value_is_set, setup),
        cmocka_unit_test_setup(test_size_value_is_set, setup),
        cmocka_unit_test_setup(test_string_value_is_set, setup),
        cmocka_unit_test_setup(test_string_value_may_hold_equals, setup),
        cmocka_unit_test_setup(test_string_value_may_be_empty, setup),
        cmocka_unit_test_setup(test_custom_value_is_set, setup),
        cmocka_unit_test_setup(test_custom_refusal_is_reported, setup),
        cmocka_unit_test_setup(test_bool_value_is_set, setup),
        cmocka_unit_test_setup(test_last_value_wins, setup),
        cmocka_unit_test_setup(test_bare_bool_is_true, setup),
        cmocka_unit_test_setup(test_no_key_is_false, setup),
        cmocka_unit_test_setup(test_no_key_of_non_bool_is_unknown, setup),
        cmocka_unit_test_setup(test_no_key_with_value_is_unknown, setup),
        cmocka_unit_test_setup(test_bool_true_words, setup),
        cmocka_unit_test_setup(test_bool_false_words, setup),
        cmocka_unit_test_setup(test_bool_bad_word_refused, setup),
        cmocka_unit_test_setup(test_bool_empty_value_refused, setup),
        cmocka_unit_test_setup(test_unknown_key_reported_and_parse_continues, setup),
        cmocka_unit_test_setup(test_unknown_bare_key_reported, setup),
        cmocka_unit_test_setup(test_key_must_match_whole_name, setup),
        cmocka_unit_test_setup(test_bad_value_reported_and_unchanged, setup),
        cmocka_unit_test_setup(test_overflowing_value_reported_and_unchanged, setup),
        cmocka_unit_test_setup(test_non_bool_without_value_reported, setup),
        cmocka_unit_test_setup(test_problems_counted_without_callback, setup),
        cmocka_unit_test_setup(test_string_filling_buffer_accepted, setup),
        cmocka_unit_test_setup(test_string_longer_than_buffer_refused, setup),
        cmocka_unit_test_setup(test_size_suffixes_upper_case, setup),
        cmocka_unit_test_setup(test_size_suffixes_lower_case, setup),
        cmocka_unit_test_setup(test_size_without_suffix_is_bytes, setup),
        cmocka_unit_test_setup(test_size_hex_with_suffix, setup),
        cmocka_unit_test_setup(test_size_hex_b_is_a_digit, setup),
        cmocka_unit_test_setup(test_size_largest_accepted, setup),
        cmocka_unit_test_setup(test_size_overflow_refused, setup),
        cmocka_unit_test_setup(test_size_garbage_refused, setup),
        cmocka_unit_test_setup(test_uint_decimal, setup),
        cmocka_unit_test_setup(test_uint_hex, setup),
        cmocka_unit_test_setup(test_uint_octal, setup),
        cmocka_unit_test_setup(test_uint_length_bounds_the_number, setup),
        cmocka_unit_test_setup(test_uint_trailing_garbage_refused, setup),
        cmocka_unit_test_setup(test_uint_overflow_refused, setup),
        cmocka_unit_test_setup(test_parse_u64_returns_digits_used, setup),
        cmocka_unit_test_setup(test_line_without_nul_read_to_max_len_only, setup),
        cmocka_unit_test_setup(test_max_len_cuts_the_last_token, setup),
        cmocka_unit_test_setup(test_max_len_hides_later_options, setup),
        cmocka_unit_test_setup(test_nul_ends_line_before_max_len, setup),
        cmocka_unit_test_setup(test_spaces_and_tabs_separate_options, setup),
        cmocka_unit_test_setup(test_empty_line_changes_nothing, setup),
        cmocka_unit_test_setup(test_null_line_changes_nothing, setup),
        cmocka_unit_test_setup(test_skip_image_name_skips_path, setup),
        cmocka_unit_test_setup(test_skip_image_name_keeps_options, setup),
        cmocka_unit_test_setup(test_skip_image_name_keeps_path_like_option, setup),
        cmocka_unit_test_setup(test_skip_image_name_leading_spaces, setup),
        cmocka_unit_test_setup(test_skip_image_name_path_alone, setup),
        cmocka_unit_test_setup(test_skip_image_name_bounded_by_max_len, setup),
        cmocka_unit_test_setup(test_skip_image_name_other_loaders, setup),
    };

    return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
