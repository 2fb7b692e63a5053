/*
 * Unit tests for hypervisor/common/console_filter.c: which bytes of a guest's
 * console output are kept, end the line, or are dropped. Each class gets
 * kept and refused cases at its edges, then all 256 bytes are checked
 * against the rule stated in the module; console_keep_span must stop
 * exactly where console_filter would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_filter.h"

static void test_printable_ascii_kept(void **state)
{
    (void)state;
    assert_int_equal(console_filter(' '), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter('A'), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter('~'), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter('\t'), CONSOLE_BYTE_KEEP);
}

static void test_newline_ends_the_line(void **state)
{
    (void)state;
    assert_int_equal(console_filter('\n'), CONSOLE_BYTE_NEWLINE);
    assert_int_equal(console_filter('\r'), CONSOLE_BYTE_DROP);    /* not a newline */
}

static void test_c0_and_del_dropped(void **state)
{
    (void)state;
    assert_int_equal(console_filter(0x00), CONSOLE_BYTE_DROP);
    assert_int_equal(console_filter(0x07), CONSOLE_BYTE_DROP);    /* BEL */
    assert_int_equal(console_filter(0x08), CONSOLE_BYTE_DROP);    /* BS */
    assert_int_equal(console_filter(0x1b), CONSOLE_BYTE_DROP);    /* ESC */
    assert_int_equal(console_filter(0x1f), CONSOLE_BYTE_DROP);
    assert_int_equal(console_filter(0x7f), CONSOLE_BYTE_DROP);    /* DEL */
}

static void test_c1_dropped(void **state)
{
    (void)state;
    assert_int_equal(console_filter(0x80), CONSOLE_BYTE_DROP);
    assert_int_equal(console_filter(0x9b), CONSOLE_BYTE_DROP);    /* 8-bit CSI */
    assert_int_equal(console_filter(0x9d), CONSOLE_BYTE_DROP);    /* 8-bit OSC */
    assert_int_equal(console_filter(0x9f), CONSOLE_BYTE_DROP);
}

static void test_latin1_kept(void **state)
{
    (void)state;
    assert_int_equal(console_filter(0xa0), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter(0xc3), CONSOLE_BYTE_KEEP);    /* a UTF-8 lead byte */
    assert_int_equal(console_filter(0xe9), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter(0xff), CONSOLE_BYTE_KEEP);
}

/* The cost the module states: of "é" (c3 a9) both bytes stay, of "À"
 * (c3 80) and the euro sign (e2 82 ac) the C1-range byte goes. */
static void test_utf8_continuation_bytes(void **state)
{
    (void)state;
    assert_int_equal(console_filter(0xa9), CONSOLE_BYTE_KEEP);
    assert_int_equal(console_filter(0x82), CONSOLE_BYTE_DROP);
    assert_int_equal(console_filter(0xac), CONSOLE_BYTE_KEEP);
}

static void test_every_byte(void **state)
{
    unsigned int kept = 0, dropped = 0;

    (void)state;
    for (unsigned int c = 0; c < 256; c++) {
        enum console_byte b = console_filter((uint8_t)c);
        bool control = c < 0x20 || (c >= 0x7f && c < 0xa0);

        if (c == '\n')
            assert_int_equal(b, CONSOLE_BYTE_NEWLINE);
        else
            assert_int_equal(b, control && c != '\t' ? CONSOLE_BYTE_DROP : CONSOLE_BYTE_KEEP);
        kept += b == CONSOLE_BYTE_KEEP;
        dropped += b == CONSOLE_BYTE_DROP;
    }
    assert_int_equal(kept, 95 + 1 + 96);            /* ASCII, tab, 0xa0-0xff */
    assert_int_equal(dropped, 32 - 2 + 1 + 32);     /* C0 less tab and LF, DEL, C1 */
}

static void test_keep_span_runs(void **state)
{
    (void)state;
    assert_int_equal(console_keep_span("hello\tworld", 11), 11);
    assert_int_equal(console_keep_span("line\nnext", 9), 4);       /* stops at newline */
    assert_int_equal(console_keep_span("ab\x1b[2J", 6), 2);        /* at ESC */
    assert_int_equal(console_keep_span("caf\xc3\xa9!", 6), 6);    /* é: c3 a9 kept */
    assert_int_equal(console_keep_span("\xe2\x82\xac", 3), 1);   /* € stops at 0x82 */
    assert_int_equal(console_keep_span("x\x9b" "31m", 5), 1);      /* 8-bit CSI */
    assert_int_equal(console_keep_span("\0abc", 4), 0);
    assert_int_equal(console_keep_span("abc", 0), 0);
    assert_int_equal(console_keep_span("abcdef", 3), 3);            /* never past n */
}

/* The span agrees with console_filter on every byte after a kept prefix. */
static void test_keep_span_matches_filter(void **state)
{
    (void)state;
    for (unsigned int c = 0; c < 256; c++) {
        char s[3] = { 'a', (char)c, 'b' };
        size_t want = console_filter((uint8_t)c) == CONSOLE_BYTE_KEEP ? 3 : 1;

        assert_int_equal(console_keep_span(s, 3), want);
    }
}

/* The same at every place of a run longer than three words, so each byte
 * is met by the eight-at-a-time part as well as the byte loop: the span
 * ends exactly at the first byte console_filter does not keep. */
static void test_keep_span_each_place(void **state)
{
    (void)state;
    for (unsigned int p = 0; p < 27; p++)
        for (unsigned int c = 0; c < 256; c++) {
            char s[27];
            size_t want = console_filter((uint8_t)c) == CONSOLE_BYTE_KEEP ? sizeof(s) : p;

            for (unsigned int i = 0; i < sizeof(s); i++)
                s[i] = (char)(' ' + i * 3 % 95);     /* every printable class */
            s[p] = (char)c;
            assert_int_equal(console_keep_span(s, sizeof(s)), want);
        }
    assert_int_equal(console_keep_span("0123456789abcdefghij", 11), 11);   /* never past n */
    assert_int_equal(console_keep_span("0123456789abcdef", 16), 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printable_ascii_kept),
        cmocka_unit_test(test_newline_ends_the_line),
        cmocka_unit_test(test_c0_and_del_dropped),
        cmocka_unit_test(test_c1_dropped),
        cmocka_unit_test(test_latin1_kept),
        cmocka_unit_test(test_utf8_continuation_bytes),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_keep_span_runs),
        cmocka_unit_test(test_keep_span_matches_filter),
        cmocka_unit_test(test_keep_span_each_place),
    };

    return cmocka_run_group_tests_name("console_filter", tests, NULL, NULL);
}
