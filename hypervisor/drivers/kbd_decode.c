/*
 * kbd_decode.c: scancode set 1 to characters, US layout. Pure.
 *
 * A key's make code is 0x01-0x58; its release is the same with bit 7 set.
 * 0xe0 prefixes the keys added with the 101-key keyboard (right Ctrl,
 * keypad Enter and '/', arrows...); 0xe1 starts the six-byte Pause
 * sequence, dropped whole. Bytes the keyboard sends about itself (0xfa
 * ack, 0xfe resend, 0xee echo, 0x00 and 0xff errors) are not keys.
 *
 * Invariant: the tables are indexed only by make codes below their size;
 * everything else is looked at only as a modifier or ignored.
 */
#include "kbd_decode.h"

#define SC_ESC       0x01
#define SC_LCTRL     0x1d
#define SC_LSHIFT    0x2a
#define SC_RSHIFT    0x36
#define SC_CAPS      0x3a
#define SC_ENTER     0x1c
#define SC_KP_SLASH  0x35                  /* after 0xe0 */
#define SC_RELEASE   0x80
#define PREFIX_E0    0xe0
#define PREFIX_E1    0xe1
#define PAUSE_REST   5                     /* e1 1d 45 e1 9d c5 */

/* Make codes 0x00-0x53 without and with Shift; 0 is "no character". */
static const char plain[0x54] =
    "\0\x1b" "1234567890-=\x7f"            /* 0x00-0x0e */
    "\tqwertyuiop[]\r"                     /* 0x0f-0x1c */
    "\0asdfghjkl;'`"                       /* 0x1d-0x29 */
    "\0\\zxcvbnm,./\0"                     /* 0x2a-0x36 */
    "*\0 \0"                               /* 0x37-0x3a */
    "\0\0\0\0\0\0\0\0\0\0\0\0"             /* 0x3b-0x46: F1-F10, locks */
    "789-456+1230.";                       /* 0x47-0x53: keypad */

static const char shifted[0x54] =
    "\0\x1b" "!@#$%^&*()_+\x7f"
    "\tQWERTYUIOP{}\r"
    "\0ASDFGHJKL:\"~"
    "\0|ZXCVBNM<>?\0"
    "*\0 \0"
    "\0\0\0\0\0\0\0\0\0\0\0\0"
    "789-456+1230.";

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Track Shift and Ctrl; true if the byte was one of them. */
static bool modifier(struct kbd_state *st, uint8_t code, bool down, bool ext)
{
    if (code == SC_LSHIFT && !ext)
        st->shift_left = down;
    else if (code == SC_RSHIFT && !ext)
        st->shift_right = down;
    else if (code == SC_LCTRL)
        *(ext ? &st->ctrl_right : &st->ctrl_left) = down;
    else
        return code == SC_LSHIFT || code == SC_RSHIFT;  /* e0 2a: fake shift */
    return true;
}

/* The character of an extended key: only keypad Enter and '/' have one. */
static char extended_char(uint8_t code)
{
    if (code == SC_ENTER)
        return '\r';
    return code == SC_KP_SLASH ? '/' : 0;
}

static char translate(const struct kbd_state *st, uint8_t code)
{
    bool shift = st->shift_left || st->shift_right;
    char c;

    if (code >= sizeof(plain))
        return 0;
    c = shift ? shifted[code] : plain[code];
    if (st->caps_lock && is_letter(c))
        c = shift ? plain[code] : shifted[code];
    if ((st->ctrl_left || st->ctrl_right) && is_letter(c))
        c = (char)(c & 0x1f);
    return c;
}

char kbd_decode(struct kbd_state *st, uint8_t byte)
{
    bool ext = st->extended, down = !(byte & SC_RELEASE);
    uint8_t code = byte & (uint8_t)~SC_RELEASE;

    st->extended = false;
    if (st->skip) {
        st->skip--;
        return 0;
    }
    if (byte == PREFIX_E0) {
        st->extended = true;
        return 0;
    }
    if (byte == PREFIX_E1) {
        st->skip = PAUSE_REST;
        return 0;
    }
    if (byte == 0x00 || byte == 0xff || byte == 0xfa || byte == 0xfe || byte == 0xee)
        return 0;
    if (modifier(st, code, down, ext) || !down)
        return 0;
    if (code == SC_CAPS && !ext) {
        st->caps_lock = !st->caps_lock;
        return 0;
    }
    return ext ? extended_char(code) : translate(st, code);
}
