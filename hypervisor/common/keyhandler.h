/* Debug keys on the console (keyhandler.c), as in Xen. */
#ifndef KEYHANDLER_H
#define KEYHANDLER_H

#include <asm/regs.h>

/* Start taking keys from the serial line (interrupt driven). */
void keyhandler_init(void);
/* Run the handler for key; regs is the interrupted context. */
void handle_keypress(char key, struct cpu_regs *regs);

#endif /* KEYHANDLER_H */
