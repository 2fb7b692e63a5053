/* The PS/2 keyboard (i8042.c): debug keys and guest input from a PC keyboard. */
#ifndef ASM_I8042_H
#define ASM_I8042_H

#include <stdbool.h>

/* Probe the 8042 controller (bounded waits), set it up for the keyboard
 * and take IRQ 1, feeding console_input(). False if no controller. */
bool i8042_keyboard_init(void);

#endif /* ASM_I8042_H */
