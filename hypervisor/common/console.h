/*
 * The hypervisor console: every line goes to each enabled output (serial,
 * VGA) with a "(tern) " prefix, filtered by the log level from loglvl=.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdarg.h>
#include "lib.h"

enum log_level {
    LOG_ERR   = 0,   /* something is broken */
    LOG_WARN  = 1,   /* something is degraded or ignored */
    LOG_INFO  = 2,   /* normal boot progress (default threshold) */
    LOG_DEBUG = 3,   /* detail for developers */
};

void console_init_early(void);
void console_set_level(enum log_level level);
void printk(const char *fmt, ...) __printf(1, 2);              /* LOG_INFO */
void printk_level(enum log_level level, const char *fmt, ...) __printf(2, 3);
void vprintk_level(enum log_level level, const char *fmt, va_list ap);

#define log_err(...)   printk_level(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  printk_level(LOG_WARN, __VA_ARGS__)
#define log_info(...)  printk_level(LOG_INFO, __VA_ARGS__)
#define log_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

/* Print the reason on every console, then halt this CPU for good. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Bounded formatting (vsnprintf.c, pure): never writes past size, always
 * NUL-terminates when size > 0, returns the length the full output needs. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* CONSOLE_H */
