/*
 * Tern guest kernel, network: text parsers (see net_text.h).
 * Invariants: every number is bounded while it is read (no wrap), and a
 * parse fails whole: no output is written unless all of it is valid.
 */
#include <stddef.h>
#include "net/net_text.h"

#define VIF_BACKEND "/local/domain/0/backend/vif/"

/* A decimal number of at most `digits` digits, at most max: the end, or
 * NULL. */
static const char *decimal(const char *s, uint32_t max, unsigned int digits, uint32_t *out)
{
    uint32_t v = 0;
    unsigned int n = 0;

    while (*s >= '0' && *s <= '9' && n < digits) {
        v = v * 10 + (uint32_t)(*s++ - '0');
        n++;
    }
    if (n == 0 || v > max || (*s >= '0' && *s <= '9'))
        return NULL;
    *out = v;
    return s;
}

/* "a.b.c.d" at s: the character after it, or NULL. */
static const char *ipv4_at(const char *s, uint32_t *ip)
{
    uint32_t v = 0, part;

    for (unsigned int i = 0; i < 4; i++) {
        s = decimal(s, 255, 3, &part);
        if (!s || (i < 3 && *s++ != '.'))
            return NULL;
        v = v << 8 | part;
    }
    *ip = v;
    return s;
}

bool net_parse_ipv4(const char *s, uint32_t *ip)
{
    uint32_t v;

    s = ipv4_at(s, &v);
    if (!s || *s)
        return false;
    *ip = v;
    return true;
}

bool net_parse_ipv4_port(const char *s, uint32_t *ip, uint16_t *port)
{
    uint32_t v, p;

    s = ipv4_at(s, &v);
    if (!s || *s++ != ':')
        return false;
    s = decimal(s, 65535, 5, &p);
    if (!s || *s || p == 0)
        return false;
    *ip = v;
    *port = (uint16_t)p;
    return true;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool net_parse_mac(const char *s, uint8_t mac[6])
{
    uint8_t m[6];

    for (unsigned int i = 0; i < 6; i++, s += 3) {
        int hi = hex(s[0]), lo = hi < 0 ? -1 : hex(s[1]);

        if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
            return false;
        m[i] = (uint8_t)(hi << 4 | lo);
    }
    for (unsigned int i = 0; i < 6; i++)
        mac[i] = m[i];
    return true;
}

bool net_parse_vif_backend(const char *path, uint16_t *dom, uint32_t *n)
{
    const char *p = VIF_BACKEND;
    uint32_t d, id;

    while (*p && *path == *p) {
        p++;
        path++;
    }
    if (*p)
        return false;
    path = decimal(path, 0x7fef, 5, &d);
    if (!path || *path != '/')
        return false;
    path = decimal(path + 1, 0xffff, 5, &id);
    if (!path || (*path != '\0' && *path != '/'))
        return false;
    *dom = (uint16_t)d;
    *n = id;
    return true;
}
