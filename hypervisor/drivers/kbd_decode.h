/*
 * PC keyboard decoding (kbd_decode.c, pure): scancode set 1 bytes, as an
 * i8042 with translation on delivers them, to characters for a US layout.
 * Shift, Ctrl and Caps Lock are tracked; Ctrl turns a letter into its
 * control character (Ctrl-A is 0x01, which switches console input focus).
 */
#ifndef KBD_DECODE_H
#define KBD_DECODE_H

#include "lib.h"

struct kbd_state {
    bool shift_left, shift_right;
    bool ctrl_left, ctrl_right;
    bool caps_lock;
    bool extended;           /* the previous byte was the 0xe0 prefix */
    uint8_t skip;            /* bytes of a Pause sequence still to drop */
};

/* Feed one byte from the keyboard. Returns the character it completes
 * (Enter gives '\r' and Backspace 0x7f, as a serial terminal sends), or 0
 * when it completes none (a release, a modifier, an unmapped key). */
char kbd_decode(struct kbd_state *st, uint8_t byte);

#endif /* KBD_DECODE_H */
