/*
 * vsnprintf.c: bounded formatting for the console. Pure.
 *
 * Supports %d %i %u %x %X %o %p %s %c %% with the flags '-', '0' and '#', a width,
 * a precision (for strings, also "*"), and the length modifiers h hh l ll z.
 * Invariant: nothing is written at or past buf[size]; when size > 0 the
 * output is NUL-terminated; the return value is the full length.
 */
#include <stdarg.h>
#include "console.h"

struct out {
    char *buf;
    size_t size;
    size_t len;         /* characters produced so far, written or not */
};

struct spec {
    bool left;          /* '-' */
    bool zero;          /* '0' */
    bool alt;           /* '#': 0x before hex, 0 before octal */
    int width;
    int precision;      /* -1: none */
    int length;         /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
    char conv;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t n;

    if (!s)
        s = "(null)";
    n = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
    if (!sp->left)
        pad(o, ' ', sp->width - (int)n);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - (int)n);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
                       bool negative, unsigned int base)
{
    const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = negative ? "-" : "";
    char tmp[24];
    int n = 0, len;

    if (sp->alt && base == 16)
        prefix = "0x";
    else if (sp->alt && base == 8 && v)
        prefix = "0";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    len = n + (int)strlen(prefix);
    if (!sp->left && !sp->zero)
        pad(o, ' ', sp->width - len);
    while (*prefix)
        put(o, *prefix++);
    if (!sp->left && sp->zero)
        pad(o, '0', sp->width - len);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof(*sp));
    sp->precision = -1;
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else if (*f == '#')
            sp->alt = true;
        else
            break;
    }
    for (; *f >= '0' && *f <= '9'; f++)
        sp->width = sp->width * 10 + (*f - '0');
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            f++;
        }
        for (; *f >= '0' && *f <= '9'; f++)
            sp->precision = sp->precision * 10 + (*f - '0');
    }
    for (;; f++) {
        if (*f == 'l')
            sp->length++;
        else if (*f == 'h')
            sp->length--;
        else if (*f == 'z')
            sp->length = 3;
        else
            break;
    }
    sp->conv = *f;
    return f;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 1: return va_arg(*ap, unsigned long);
    case 2: return va_arg(*ap, unsigned long long);
    case 3: return va_arg(*ap, size_t);
    case -1: return (unsigned short)va_arg(*ap, unsigned int);
    case -2: return (unsigned char)va_arg(*ap, unsigned int);
    default: return va_arg(*ap, unsigned int);
    }
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 1: return va_arg(*ap, long);
    case 2: return va_arg(*ap, long long);
    case 3: return (int64_t)va_arg(*ap, size_t);
    case -1: return (short)va_arg(*ap, int);
    case -2: return (signed char)va_arg(*ap, int);
    default: return va_arg(*ap, int);
    }
}

static void convert(struct out *o, struct spec *sp, va_list *ap)
{
    int64_t sv;

    switch (sp->conv) {
    case 'd':
    case 'i':
        sv = fetch_signed(sp, ap);
        put_number(o, sp, sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv, sv < 0, 10);
        break;
    case 'u': put_number(o, sp, fetch_unsigned(sp, ap), false, 10); break;
    case 'x':
    case 'X': put_number(o, sp, fetch_unsigned(sp, ap), false, 16); break;
    case 'o': put_number(o, sp, fetch_unsigned(sp, ap), false, 8); break;
    case 'p':
        sp->zero = true;
        sp->width = 16;
        put_number(o, sp, (uint64_t)va_arg(*ap, void *), false, 16);
        break;
    case 's': put_string(o, sp, va_arg(*ap, const char *)); break;
    case 'c': put(o, (char)va_arg(*ap, int)); break;
    case '%': put(o, '%'); break;
    default:                         /* unknown: show it rather than guess */
        put(o, '%');
        if (sp->conv)
            put(o, sp->conv);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        convert(&o, &sp, &args);
        if (!*fmt)
            break;
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
