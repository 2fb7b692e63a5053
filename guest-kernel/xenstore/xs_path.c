/*
 * Tern guest kernel, xenstore: path rules, as Xen's xenstored applies them.
 *
 * A canonical path:
 *   1. starts with '/'; a path without it is relative to the caller's home,
 *      "/local/domain/<caller>", and gets that prefix and a '/';
 *   2. holds only [A-Za-z0-9/_@-];
 *   3. has no empty component ("//") and no trailing '/', except "/" itself;
 *   4. is at most XENSTORE_ABS_PATH_MAX bytes, and the part after
 *      "/local/domain/<n>/" (the whole path elsewhere) at most
 *      XENSTORE_REL_PATH_MAX bytes (Xen's default path quota).
 * Anything else is EINVAL. Names starting with '@' (the special watch paths
 * "@introduceDomain", "@releaseDomain") are not paths of the store: as in
 * xenstored, outside a watch they are relative names like any other.
 */
#include <public/errno.h>
#include <public/io/xs_wire.h>
#include "kernel/lib.h"
#include "xenstore/xs_path.h"

static const char home_prefix[] = "/local/domain/";

size_t xs_u32_to_str(uint32_t v, char *out)
{
    return xs_u64_to_str(v, out);
}

size_t xs_u64_to_str(uint64_t v, char *out)
{
    char tmp[20];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

int xs_str_to_u32(const char *s, uint32_t max, uint32_t *v)
{
    uint64_t wide;
    int rc = strnlen(s, 11) > 10 ? -XEN_EINVAL : xs_str_to_u64(s, max, &wide);

    if (rc == 0)
        *v = (uint32_t)wide;
    return rc;
}

int xs_str_to_u64(const char *s, uint64_t max, uint64_t *v)
{
    uint64_t acc = 0;
    size_t n = strnlen(s, 21);

    if (n == 0 || n > 20)
        return -XEN_EINVAL;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9' || acc > (UINT64_MAX - d) / 10)
            return -XEN_EINVAL;    /* not a digit, or beyond 64 bits */
        acc = acc * 10 + d;
    }
    if (acc > max)
        return -XEN_EINVAL;
    *v = acc;
    return 0;
}

static int valid_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '@' || c == '-';
}

/* Bytes of "/local/domain/<digits>/" at the start of p, or 0. */
static size_t home_len(const char *p, size_t len)
{
    size_t pre = sizeof(home_prefix) - 1, i = pre;

    if (len <= pre || memcmp(p, home_prefix, pre) != 0)
        return 0;
    while (i < len && i - pre < 5 && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == pre || i >= len || p[i] != '/')
        return 0;
    return i + 1;
}

/* Rules 2 to 4 on a canonical candidate of len bytes. */
static int check_canonical(const char *p, size_t len)
{
    if (len > XENSTORE_ABS_PATH_MAX || p[0] != '/')
        return -XEN_EINVAL;
    if (len > 1 && p[len - 1] == '/')
        return -XEN_EINVAL;
    for (size_t i = 0; i < len; i++) {
        if (!valid_char(p[i]) || (p[i] == '/' && i + 1 < len && p[i + 1] == '/'))
            return -XEN_EINVAL;
    }
    if (len - home_len(p, len) > XENSTORE_REL_PATH_MAX)
        return -XEN_EINVAL;
    return 0;
}

int xs_path_canon(uint32_t caller, const char *in, char *out)
{
    size_t n = strnlen(in, XS_PATH_BUF), pre = 0;

    if (in[0] != '/') {
        pre = sizeof(home_prefix) - 1;
        memcpy(out, home_prefix, pre);
        pre += xs_u32_to_str(caller, out + pre);
        out[pre++] = '/';
    }
    if (n + pre >= XS_PATH_BUF)
        return -XEN_EINVAL;
    memcpy(out + pre, in, n);
    out[n + pre] = '\0';
    return check_canonical(out, n + pre);
}

size_t xs_parent_len(const char *p, size_t len)
{
    size_t i = len;

    if (len <= 1)
        return 0;
    while (i > 0 && p[i - 1] != '/')
        i--;
    return i > 1 ? i - 1 : 1;
}
