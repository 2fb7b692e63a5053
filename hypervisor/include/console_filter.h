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

#endif /* CONSOLE_FILTER_H */
