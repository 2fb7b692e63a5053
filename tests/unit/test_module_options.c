/*
 * Unit tests for hypervisor/boot/module_options.c: splitting a boot module's
 * string into the options of the domain it becomes and the guest's own
 * command line ("name=ping mem=16M privileged backend=0 -- role=ping").
 *
 * The string comes from the boot loader's configuration, so it is
 * untrusted: an unknown or malformed option must refuse the module (and
 * name the option in bad) rather than start a domain with settings nobody
 * asked for; a name that does not fit must be refused, not cut. Every
 * option is checked accepted and refused. Only a "--" standing alone as a
 * word separates the two halves; anything else ("a--b", "---", "--x") is
 * the guest's. Without a separator the whole string is the guest's and the
 * defaults stand.
 *
 * The parser is handed an exactly-sized heap copy of the string (with its
 * NUL, or, for the bounded cases, without one), and a 64-byte heap buffer
 * for bad, so AddressSanitizer aborts on any read past max_len or write
 * past bad. The string is compared after each parse: the parser never
 * writes to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module_options.h"
#include "err.h"

#define BAD_LEN 64
#define MiB (1ULL << 20)

static char *buf;                       /* the string, exactly sized */
static size_t buf_len;
static char *bad;
static struct module_options mo;

static int teardown(void **state)
{
    (void)state;
    free(buf);
    free(bad);
    buf = bad = NULL;
    return 0;
}

/* Parse the first n bytes of text (copied, nothing more), reading at most
 * max_len. */
static int parse_bytes(const char *text, size_t n, size_t max_len)
{
    int rc;

    free(buf);
    free(bad);
    buf = malloc(n);
    bad = malloc(BAD_LEN);
    assert_true(buf != NULL || n == 0);
    assert_non_null(bad);
    if (n)
        memcpy(buf, text, n);
    buf_len = n;
    memset(bad, 'X', BAD_LEN);
    memset(&mo, 0x5a, sizeof(mo));
    rc = module_options_parse(buf, max_len, &mo, bad);
    if (n)
        assert_memory_equal(buf, text, n);       /* the string is read only */
    assert_true(memchr(bad, '\0', BAD_LEN) != NULL);
    if (rc == 0) {
        assert_string_equal(bad, "");
        assert_true(mo.guest_cmdline >= buf && mo.guest_cmdline <= buf + n);
        assert_non_null(memchr(mo.name, '\0', MODULE_NAME_LEN));
    } else {
        assert_int_equal(rc, -EINVAL);
    }
    return rc;
}

/* A NUL-terminated string; max_len well beyond it. */
static int parse(const char *text)
{
    return parse_bytes(text, strlen(text) + 1, 4096);
}

static void assert_defaults(void)
{
    assert_string_equal(mo.name, "");
    assert_int_equal(mo.mem, 0);
    assert_int_equal(mo.max_mem, 0);
    assert_false(mo.privileged);
    assert_false(mo.has_backend);
}

static void assert_guest(const char *want)
{
    assert_string_equal(mo.guest_cmdline, want);
}

static void assert_refused(const char *text, const char *offending)
{
    assert_int_equal(parse(text), -EINVAL);
    assert_string_equal(bad, offending);
}

/* ---- the separator ------------------------------------------------------------ */

static void test_no_separator_all_guest(void **state)
{
    (void)state;
    assert_int_equal(parse("role=ping peer=1"), 0);
    assert_defaults();
    assert_ptr_equal(mo.guest_cmdline, buf);     /* the whole string, in place */
    assert_guest("role=ping peer=1");
}

static void test_no_separator_options_are_guest_words(void **state)
{
    (void)state;
    /* Without "--" nothing is an option, even a known one ... */
    assert_int_equal(parse("name=x mem=16M privileged"), 0);
    assert_defaults();
    assert_guest("name=x mem=16M privileged");
    /* ... and nothing is refused. */
    assert_int_equal(parse("bogus=1 mem=junk"), 0);
    assert_defaults();
}

static void test_empty_string(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_defaults();
    assert_guest("");
}

static void test_full_example(void **state)
{
    (void)state;
    assert_int_equal(parse("name=ping mem=16M privileged -- role=ping"), 0);
    assert_string_equal(mo.name, "ping");
    assert_int_equal(mo.mem, 16 * MiB);
    assert_int_equal(mo.max_mem, 0);
    assert_true(mo.privileged);
    assert_ptr_equal(mo.guest_cmdline, buf + strlen("name=ping mem=16M privileged -- "));
    assert_guest("role=ping");
}

static void test_separator_at_start(void **state)
{
    (void)state;
    assert_int_equal(parse("-- role=ping peer=1"), 0);
    assert_defaults();
    assert_guest("role=ping peer=1");
    assert_int_equal(parse("--"), 0);
    assert_defaults();
    assert_guest("");
}

static void test_separator_with_empty_guest(void **state)
{
    (void)state;
    assert_int_equal(parse("name=a -- "), 0);
    assert_string_equal(mo.name, "a");
    assert_guest("");
    assert_int_equal(parse("name=b --"), 0);
    assert_string_equal(mo.name, "b");
    assert_guest("");
    assert_int_equal(parse("privileged --     "), 0);
    assert_true(mo.privileged);
    assert_guest("");
}

static void test_separator_must_be_a_word(void **state)
{
    static const char *const not_sep[] = {
        "name=a a--b", "name=a --b", "name=a b-- c", "name=a ---", "name=a --- x",
        "a--b", "--x", "x--", "----",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(not_sep) / sizeof(not_sep[0]); i++) {
        assert_int_equal(parse(not_sep[i]), 0);
        assert_defaults();
        assert_ptr_equal(mo.guest_cmdline, buf);
    }
    /* A real separator after a fake one. */
    assert_int_equal(parse("name=a--b -- x"), 0);
    assert_string_equal(mo.name, "a--b");
    assert_guest("x");
}

static void test_second_separator_is_the_guests(void **state)
{
    (void)state;
    assert_int_equal(parse("name=a -- x -- name=b"), 0);
    assert_string_equal(mo.name, "a");
    assert_guest("x -- name=b");
}

static void test_spaces(void **state)
{
    (void)state;
    assert_int_equal(parse("   name=sp    mem=1M   --    x  y "), 0);
    assert_string_equal(mo.name, "sp");
    assert_int_equal(mo.mem, MiB);
    assert_guest("x  y ");
}

static void test_guest_words_never_parsed(void **state)
{
    (void)state;
    assert_int_equal(parse("-- unknown=1 mem=junk name=0123456789012345678901234567890123"), 0);
    assert_defaults();
}

/* ---- the options ------------------------------------------------------------- */

static void test_privileged(void **state)
{
    (void)state;
    assert_int_equal(parse("privileged --"), 0);
    assert_true(mo.privileged);
    assert_int_equal(parse("privileged privileged --"), 0);
    assert_true(mo.privileged);
    assert_refused("privileged=1 --", "privileged=1");
    assert_refused("privilege --", "privilege");
    assert_refused("privilegedx --", "privilegedx");
    assert_refused("no-privileged --", "no-privileged");
    assert_refused("Privileged --", "Privileged");
}

static void test_name(void **state)
{
    (void)state;
    assert_int_equal(parse("name=ping --"), 0);
    assert_string_equal(mo.name, "ping");
    assert_int_equal(parse("name=x name=y --"), 0);       /* the last one wins */
    assert_string_equal(mo.name, "y");
    assert_int_equal(parse("name=a=b --"), 0);
    assert_string_equal(mo.name, "a=b");
    assert_refused("name= --", "name=");                  /* empty */
    assert_refused("name --", "name");
    assert_refused("names=x --", "names=x");
}

static void test_name_length(void **state)
{
    char text[128], name[64];

    (void)state;
    memset(name, 'n', sizeof(name));
    name[MODULE_NAME_LEN - 1] = '\0';                     /* 31: fits */
    snprintf(text, sizeof(text), "name=%s -- g", name);
    assert_int_equal(parse(text), 0);
    assert_string_equal(mo.name, name);
    assert_guest("g");
    name[MODULE_NAME_LEN - 1] = 'n';
    name[MODULE_NAME_LEN] = '\0';                         /* 32: does not */
    snprintf(text, sizeof(text), "name=%s -- g", name);
    assert_int_equal(parse(text), -EINVAL);
    assert_int_equal(strlen(bad), 5 + MODULE_NAME_LEN);     /* "name=" and all 32 */
    assert_memory_equal(bad, text, 5 + MODULE_NAME_LEN);
    name[MODULE_NAME_LEN] = 'n';
    name[MODULE_NAME_LEN + 10] = '\0';                    /* 42 */
    snprintf(text, sizeof(text), "name=%s --", name);
    assert_int_equal(parse(text), -EINVAL);
    assert_int_equal(strlen(bad), 5 + MODULE_NAME_LEN + 10);
}

static void test_mem(void **state)
{
    (void)state;
    assert_int_equal(parse("mem=16M --"), 0);
    assert_int_equal(mo.mem, 16 * MiB);
    assert_int_equal(parse("mem=1G --"), 0);
    assert_int_equal(mo.mem, 1024 * MiB);
    assert_int_equal(parse("mem=512k --"), 0);
    assert_int_equal(mo.mem, 512 * 1024);
    assert_int_equal(parse("mem=4096 --"), 0);
    assert_int_equal(mo.mem, 4096);
    assert_int_equal(parse("mem=0x100000 --"), 0);
    assert_int_equal(mo.mem, MiB);
    assert_int_equal(mo.max_mem, 0);
    assert_refused("mem=junk --", "mem=junk");
    assert_refused("mem= --", "mem=");
    assert_refused("mem --", "mem");
    assert_refused("mem=16Q --", "mem=16Q");
    assert_refused("mem=16MM --", "mem=16MM");
    assert_refused("mem=-1 --", "mem=-1");
    assert_refused("mem=99999999999999999999 --", "mem=99999999999999999999");  /* > 64 bits */
    assert_refused("mem=17179869184G --", "mem=17179869184G");                 /* 2^64 */
}

static void test_max_mem(void **state)
{
    (void)state;
    assert_int_equal(parse("mem=16M max_mem=64M --"), 0);
    assert_int_equal(mo.mem, 16 * MiB);
    assert_int_equal(mo.max_mem, 64 * MiB);
    assert_int_equal(parse("max_mem=2G --"), 0);
    assert_int_equal(mo.mem, 0);
    assert_int_equal(mo.max_mem, 2048 * MiB);
    assert_refused("max_mem=lots --", "max_mem=lots");
    assert_refused("max_mem= --", "max_mem=");
    assert_refused("max-mem=1M --", "max-mem=1M");
    assert_refused("maxmem=1M --", "maxmem=1M");
}

static void test_backend(void **state)
{
    (void)state;
    assert_int_equal(parse("backend=0 --"), 0);
    assert_true(mo.has_backend);
    assert_int_equal(mo.backend, 0);
    assert_int_equal(parse("name=d backend=3 -- x"), 0);
    assert_true(mo.has_backend);
    assert_int_equal(mo.backend, 3);
    assert_guest("x");
    assert_int_equal(parse("backend=0x10 --"), 0);
    assert_int_equal(mo.backend, 16);
    assert_int_equal(parse("backend=1 backend=2 --"), 0);   /* the last one wins */
    assert_int_equal(mo.backend, 2);
    assert_int_equal(parse("backend=32751 --"), 0);         /* 0x7fef: the last ordinary id */
    assert_int_equal(mo.backend, 0x7fef);
    assert_int_equal(parse("name=d --"), 0);                 /* absent: not set */
    assert_false(mo.has_backend);
    /* DOMID_SELF (0x7ff0) and above are not domains one can name */
    assert_refused("backend=32752 --", "backend=32752");
    assert_refused("backend=0x7ff4 --", "backend=0x7ff4");
    assert_refused("backend=65536 --", "backend=65536");
    assert_refused("backend=99999999999999999999 --", "backend=99999999999999999999");
    assert_refused("backend= --", "backend=");
    assert_refused("backend --", "backend");
    assert_refused("backend=-1 --", "backend=-1");
    assert_refused("backend=1M --", "backend=1M");
    assert_refused("backend=d0 --", "backend=d0");
    assert_refused("backends=1 --", "backends=1");
}

static void test_unknown_option(void **state)
{
    (void)state;
    assert_refused("name=ping foo=1 -- role=ping", "foo=1");
    assert_refused("foo -- x", "foo");
    assert_refused("name=a mem=1M dom0_mem=1G --", "dom0_mem=1G");
    /* The first offender is named, and the rest is not looked at. */
    assert_refused("bar=2 mem=junk --", "bar=2");
    assert_refused("-x --", "-x");
}

static void test_bad_is_bounded(void **state)
{
    char text[300], want[64];

    (void)state;
    memset(text, 'q', 200);
    strcpy(text + 200, " -- g");
    memset(want, 'q', 63);
    want[63] = '\0';
    assert_int_equal(parse(text), -EINVAL);
    assert_string_equal(bad, want);                   /* 63 bytes and the NUL */
    memcpy(text, "mem=", 4);                          /* a long bad value too */
    assert_int_equal(parse(text), -EINVAL);
    assert_int_equal(strlen(bad), 63);
    assert_memory_equal(bad, "mem=qqq", 7);
}

/* ---- max_len: never read past it ------------------------------------------------ */

/* Strings without a NUL, in buffers of exactly their size: the parser may
 * look at max_len bytes and not one more. */
static void test_unterminated_options_and_guest(void **state)
{
    static const char s[] = "name=x -- role";

    (void)state;
    assert_int_equal(parse_bytes(s, sizeof(s) - 1, sizeof(s) - 1), 0);
    assert_string_equal(mo.name, "x");
    assert_ptr_equal(mo.guest_cmdline, buf + 10);
}

static void test_unterminated_ending_in_separator(void **state)
{
    static const char s1[] = "name=x --", s2[] = "name=y --   ";

    (void)state;
    assert_int_equal(parse_bytes(s1, sizeof(s1) - 1, sizeof(s1) - 1), 0);
    assert_string_equal(mo.name, "x");
    assert_ptr_equal(mo.guest_cmdline, buf + buf_len);        /* nothing left */
    assert_int_equal(parse_bytes(s2, sizeof(s2) - 1, sizeof(s2) - 1), 0);
    assert_string_equal(mo.name, "y");
    assert_ptr_equal(mo.guest_cmdline, buf + buf_len);
}

static void test_unterminated_no_separator(void **state)
{
    static const char s1[] = "role=ping", s2[] = "     ";

    (void)state;
    assert_int_equal(parse_bytes(s1, sizeof(s1) - 1, sizeof(s1) - 1), 0);
    assert_defaults();
    assert_ptr_equal(mo.guest_cmdline, buf);
    assert_int_equal(parse_bytes(s2, sizeof(s2) - 1, sizeof(s2) - 1), 0);
    assert_defaults();
    assert_ptr_equal(mo.guest_cmdline, buf + buf_len);        /* only spaces */
}

static void test_unterminated_bad_option(void **state)
{
    static const char s[] = "name=x mem=junk";
    char text[sizeof(s) + 5];

    (void)state;
    /* No separator within max_len: all guest, nothing refused. */
    assert_int_equal(parse_bytes(s, sizeof(s) - 1, sizeof(s) - 1), 0);
    assert_defaults();
    /* With one, the bad option is named from inside the buffer. */
    memcpy(text, "mem=junk --", 11);
    assert_int_equal(parse_bytes(text, 11, 11), -EINVAL);
    assert_string_equal(bad, "mem=junk");
}

static void test_max_len_zero(void **state)
{
    (void)state;
    assert_int_equal(parse_bytes("", 0, 0), 0);              /* a 0-byte buffer */
    assert_defaults();
    assert_ptr_equal(mo.guest_cmdline, buf);
}

/* max_len shorter than the string: what lies beyond it is not looked at. */
static void test_max_len_cuts_the_string(void **state)
{
    static const char s[] = "name=x -- role=ping";

    (void)state;
    /* Cut inside the options: no separator seen, all guest. */
    assert_int_equal(parse_bytes(s, sizeof(s), 6), 0);
    assert_defaults();
    /* Cut right after "--": the separator counts, the guest part is beyond. */
    assert_int_equal(parse_bytes(s, sizeof(s), 9), 0);
    assert_string_equal(mo.name, "x");
    assert_ptr_equal(mo.guest_cmdline, buf + 9);
    /* Cut inside an option: the option ends at max_len. */
    assert_int_equal(parse_bytes("name=abcdef -- x", 17, 3), 0);
    assert_defaults();
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_no_separator_all_guest),
        T(test_no_separator_options_are_guest_words),
        T(test_empty_string),
        T(test_full_example),
        T(test_separator_at_start),
        T(test_separator_with_empty_guest),
        T(test_separator_must_be_a_word),
        T(test_second_separator_is_the_guests),
        T(test_spaces),
        T(test_guest_words_never_parsed),
        T(test_privileged),
        T(test_name),
        T(test_name_length),
        T(test_mem),
        T(test_max_mem),
        T(test_backend),
        T(test_unknown_option),
        T(test_bad_is_bounded),
        T(test_unterminated_options_and_guest),
        T(test_unterminated_ending_in_separator),
        T(test_unterminated_no_separator),
        T(test_unterminated_bad_option),
        T(test_max_len_zero),
        T(test_max_len_cuts_the_string),
    };

    return cmocka_run_group_tests_name("module_options", tests, NULL, NULL);
}
