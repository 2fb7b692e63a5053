/*
 * Which bytes of a guest's console output reach the terminal
 * (console_filter.c, pure). See the file's top comment for the choice.
 */
#ifndef CONSOLE_FILTER_H
#define CONSOLE_FILTER_H

#include "lib.h"

enum console_byte {
    CONSOLE_BYTE_KEEP,          /* goes into the line as it is */
    CONSOLE_BYTE_NEWLINE,       /* ends the line */
    CONSOLE_BYTE_DROP,          /* a control byte: never printed */
};

/* What to do with one byte a guest wrote. */
enum console_byte console_filter(uint8_t c);

/* How many bytes at the start of s[0..n) are kept as they are: the run
 * stops before the first newline or dropped byte. One call per run keeps
 * the per-byte cost of ordinary text to a compare. */
size_t console_keep_span(const char *s, size_t n);

#endif /* CONSOLE_FILTER_H */
