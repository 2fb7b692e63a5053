/* Guest console (console_io.c): output per domain, input focus. */
#ifndef CONSOLE_IO_H
#define CONSOLE_IO_H

#include "domain.h"
#include <asm/regs.h>

/* A character from the serial line or the keyboard: a debug key or guest
 * input. */
void console_input(char c, struct cpu_regs *regs);
/* Print what d wrote without a final newline. */
void console_io_flush(struct domain *d);

#endif /* CONSOLE_IO_H */
