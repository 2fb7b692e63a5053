/* Guest console (console_io.c): output per domain, input focus. */
#ifndef CONSOLE_IO_H
#define CONSOLE_IO_H

#include "domain.h"
#include <asm/regs.h>

/* A character from the serial line or the keyboard: a debug key or guest
 * input. */
void console_input(char c, struct cpu_regs *regs);
/* domctl tern_console_input: the input waiting for d, taken by backend,
 * which must be d's console backend (-EPERM otherwise); none unless d
 * has the focus. */
struct xen_domctl_tern_console_input;
int64_t console_input_take(const struct domain *backend, const struct domain *d,
                           struct xen_domctl_tern_console_input *out);
/* Print what d wrote without a final newline. */
void console_io_flush(struct domain *d);

#endif /* CONSOLE_IO_H */
