/*
 * Tern guest kernel: a small vsnprintf (the subset documented in lib.h).
 * Output beyond the buffer is counted but not written, as in C.
 */
#include "kernel/lib.h"

struct out {
    char *buf;
    size_t size;
    size_t len;     /* characters produced so far, written or not */
};

struct spec {
    int left;       /* '-': pad on the right */
    int zero;       /* '0': pad numbers with zeros */
    int alt;        /* '#': 0x prefix for non-zero hex */
    unsigned int width;
    int longs;      /* number of 'l' (or 1 for 'z') */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, unsigned int n)
{
    while (n--)
        put(o, c);
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
    size_t n = strlen(s);
    unsigned int fill = sp->width > n ? sp->width - (unsigned int)n : 0;

    if (!sp->left)
        pad(o, ' ', fill);
    while (*s)
        put(o, *s++);
    if (sp->left)
        pad(o, ' ', fill);
}

/* Writes v in `base` after `prefix` ("-", "0x" or ""), padded per sp. */
static void put_num(struct out *o, const struct spec *sp, uint64_t v,
                    unsigned int base, const char *prefix, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    unsigned int n = 0, len, fill;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    len = n + (unsigned int)strlen(prefix);
    fill = sp->width > len ? sp->width - len : 0;
    if (!sp->left && !sp->zero)
        pad(o, ' ', fill);
    while (*prefix)
        put(o, *prefix++);
    if (!sp->left && sp->zero)
        pad(o, '0', fill);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', fill);
}

/* Parses flags, width and length after '%'; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp)
{
    memset(sp, 0, sizeof(*sp));
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else if (*f == '#')
            sp->alt = 1;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (unsigned int)(*f++ - '0');
    for (; *f == 'l' || *f == 'z'; f++)
        sp->longs++;
    return f;
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
    if (sp->longs)
        return va_arg(*ap, uint64_t);
    return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
    if (sp->longs)
        return va_arg(*ap, int64_t);
    return va_arg(*ap, int);
}

static void convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
    int64_t sv;
    uint64_t uv;
    const char *s;

    switch (c) {
    case 'd':
    case 'i':
        sv = arg_signed(sp, ap);
        put_num(o, sp, sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv, 10,
                sv < 0 ? "-" : "", 0);
        break;
    case 'u':
        put_num(o, sp, arg_unsigned(sp, ap), 10, "", 0);
        break;
    case 'x':
    case 'X':
        uv = arg_unsigned(sp, ap);
        put_num(o, sp, uv, 16, sp->alt && uv ? "0x" : "", c == 'X');
        break;
    case 'p':
        put_num(o, sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, "0x", 0);
        break;
    case 's':
        s = va_arg(*ap, const char *);
        put_str(o, sp, s ? s : "(null)");
        break;
    case 'c':
        put(o, (char)va_arg(*ap, int));
        break;
    default:                      /* '%' and anything unknown: print it */
        put(o, c);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        if (!*fmt)
            break;
        convert(&o, &sp, *fmt++, &args);
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
