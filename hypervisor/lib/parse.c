/*
 * parse.c: number parsing shared by the command-line parser and others.
 * Pure: unit-tested through test_cmdline.
 */
#include "lib.h"

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/* Base from the prefix: "0x" hex, a leading "0" octal, else decimal. */
static unsigned int number_base(const char *s, size_t len, size_t *skip)
{
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        digit_value(s[2]) < 16) {
        *skip = 2;
        return 16;
    }
    *skip = 0;
    return (len > 1 && s[0] == '0') ? 8 : 10;
}

size_t parse_u64(const char *s, size_t len, uint64_t *out)
{
    size_t i;
    unsigned int base = number_base(s, len, &i);
    uint64_t v = 0;
    size_t start = i;

    for (; i < len; i++) {
        int d = digit_value(s[i]);
        if (d >= (int)base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return 0;                       /* overflow: no number */
        v = v * base + (uint64_t)d;
    }
    if (i == start)
        return 0;
    *out = v;
    return i;
}
