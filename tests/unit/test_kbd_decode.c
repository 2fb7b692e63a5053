/*
 * Unit tests for hypervisor/drivers/kbd_decode.c: scancode set 1 to characters.
 * Each test types on a fresh keyboard state through press()/release() and
 * checks the characters that come out, and that releases, modifiers,
 * prefixes and the keyboard's own replies produce none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kbd_decode.h"

static struct kbd_state st;

static int setup(void **state)
{
    (void)state;
    memset(&st, 0, sizeof(st));
    return 0;
}

static char press(uint8_t code)
{
    return kbd_decode(&st, code);
}

static char release(uint8_t code)
{
    return kbd_decode(&st, (uint8_t)(code | 0x80));
}

/* Press and release one key; the character of the press. */
static char tap(uint8_t code)
{
    char c = press(code);

    assert_int_equal(release(code), 0);
    return c;
}

static void test_letters_and_digits(void **state)
{
    (void)state;
    assert_int_equal(tap(0x23), 'h');
    assert_int_equal(tap(0x32), 'm');
    assert_int_equal(tap(0x10), 'q');
    assert_int_equal(tap(0x2c), 'z');
    assert_int_equal(tap(0x02), '1');
    assert_int_equal(tap(0x0b), '0');
    assert_int_equal(tap(0x39), ' ');
}

static void test_special_keys(void **state)
{
    (void)state;
    assert_int_equal(tap(0x1c), '\r');         /* Enter, as a terminal sends it */
    assert_int_equal(tap(0x0e), 0x7f);         /* Backspace */
    assert_int_equal(tap(0x0f), '\t');
    assert_int_equal(tap(0x01), 0x1b);         /* Escape */
    assert_int_equal(tap(0x3b), 0);            /* F1: no character */
    assert_int_equal(tap(0x58), 0);            /* F12: beyond the tables */
}

static void test_shift(void **state)
{
    (void)state;
    assert_int_equal(press(0x2a), 0);          /* left shift */
    assert_int_equal(tap(0x13), 'R');
    assert_int_equal(tap(0x18), 'O');
    assert_int_equal(tap(0x03), '@');
    assert_int_equal(tap(0x27), ':');
    assert_int_equal(release(0x2a), 0);
    assert_int_equal(tap(0x13), 'r');
    assert_int_equal(press(0x36), 0);          /* right shift */
    assert_int_equal(tap(0x2e), 'C');
    assert_int_equal(release(0x36), 0);
    assert_int_equal(tap(0x2e), 'c');
}

static void test_both_shifts(void **state)
{
    (void)state;
    press(0x2a);
    press(0x36);
    release(0x2a);
    assert_int_equal(tap(0x1e), 'A');          /* right shift still held */
    release(0x36);
    assert_int_equal(tap(0x1e), 'a');
}

static void test_caps_lock(void **state)
{
    (void)state;
    assert_int_equal(tap(0x3a), 0);
    assert_int_equal(tap(0x1e), 'A');
    assert_int_equal(tap(0x02), '1');          /* digits are not letters */
    press(0x2a);
    assert_int_equal(tap(0x1e), 'a');          /* shift undoes caps for letters */
    assert_int_equal(tap(0x02), '!');
    release(0x2a);
    assert_int_equal(tap(0x3a), 0);
    assert_int_equal(tap(0x1e), 'a');
}

static void test_ctrl(void **state)
{
    (void)state;
    press(0x1d);
    assert_int_equal(tap(0x1e), 0x01);         /* Ctrl-A: the focus key */
    assert_int_equal(tap(0x2e), 0x03);
    assert_int_equal(tap(0x02), '1');          /* Ctrl leaves digits alone */
    release(0x1d);
    assert_int_equal(tap(0x1e), 'a');
}

static void test_right_ctrl_extended(void **state)
{
    (void)state;
    press(0xe0);
    press(0x1d);                               /* right Ctrl */
    assert_int_equal(tap(0x1e), 0x01);
    press(0xe0);
    release(0x1d);
    assert_int_equal(tap(0x1e), 'a');
}

static void test_extended_keys(void **state)
{
    (void)state;
    press(0xe0);
    assert_int_equal(press(0x1c), '\r');       /* keypad Enter */
    press(0xe0);
    assert_int_equal(press(0x35), '/');        /* keypad '/', not '/' on shift */
    press(0xe0);
    assert_int_equal(press(0x48), 0);          /* up arrow: nothing */
    assert_int_equal(tap(0x48), '8');          /* keypad 8 without the prefix */
}

static void test_fake_shift_ignored(void **state)
{
    (void)state;
    press(0xe0);
    assert_int_equal(press(0x2a), 0);          /* e0 2a: the fake shift */
    assert_int_equal(tap(0x1e), 'a');
    press(0xe0);
    assert_int_equal(release(0x2a), 0);
    assert_int_equal(tap(0x1e), 'a');
}

static void test_pause_sequence_dropped(void **state)
{
    static const uint8_t pause[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };

    (void)state;
    for (unsigned int i = 0; i < sizeof(pause); i++)
        assert_int_equal(kbd_decode(&st, pause[i]), 0);
    assert_false(st.ctrl_left);                /* its 1d was not a Ctrl press */
    assert_int_equal(tap(0x23), 'h');
}

static void test_keyboard_replies_ignored(void **state)
{
    static const uint8_t replies[] = { 0x00, 0xff, 0xfa, 0xfe, 0xee };

    (void)state;
    for (unsigned int i = 0; i < sizeof(replies); i++)
        assert_int_equal(kbd_decode(&st, replies[i]), 0);
    assert_int_equal(tap(0x23), 'h');
}

static void test_releases_give_nothing(void **state)
{
    (void)state;
    for (unsigned int code = 1; code < 0x60; code++)
        assert_int_equal(release((uint8_t)code), 0);
    assert_false(st.shift_left || st.shift_right || st.ctrl_left);
}

static void test_every_byte_safe(void **state)
{
    (void)state;
    /* any byte in any state: no out-of-range lookup (ASan/UBSan watch) */
    for (unsigned int prefix = 0; prefix < 3; prefix++) {
        for (unsigned int b = 0; b < 256; b++) {
            memset(&st, 0, sizeof(st));
            st.extended = prefix == 1;
            st.shift_left = prefix == 2;
            (void)kbd_decode(&st, (uint8_t)b);
        }
    }
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_letters_and_digits),
        T(test_special_keys),
        T(test_shift),
        T(test_both_shifts),
        T(test_caps_lock),
        T(test_ctrl),
        T(test_right_ctrl_extended),
        T(test_extended_keys),
        T(test_fake_shift_ignored),
        T(test_pause_sequence_dropped),
        T(test_keyboard_replies_ignored),
        T(test_releases_give_nothing),
        T(test_every_byte_safe),
    };

    return cmocka_run_group_tests_name("kbd_decode", tests, NULL, NULL);
}
