/*
 * module_options.c: split a module string into the domain's options and
 * the guest's command line. Pure; every copy is bounded.
 */
#include "module_options.h"
#include "cmdline.h"
#include "err.h"

static const char *find_separator(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '-' && s[i + 1] == '-' && (i == 0 || s[i - 1] == ' ') &&
            (i + 2 == len || s[i + 2] == ' '))
            return s + i;
    return NULL;
}

static void copy_bad(char *bad, const char *s, size_t n)
{
    n = MIN(n, (size_t)63);
    memcpy(bad, s, n);
    bad[n] = '\0';
}

/* backend=<domid>: an ordinary domain id, not DOMID_SELF or above. */
static int backend_option(const char *s, size_t n, struct module_options *o)
{
    uint64_t id;

    if (parse_uint(s, n, &id) || id >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    o->backend = (domid_t)id;
    o->has_backend = true;
    return 0;
}

static int one_option(const char *s, size_t n, struct module_options *o)
{
    if (n == 10 && !strncmp(s, "privileged", 10)) {
        o->privileged = true;
        return 0;
    }
    if (n > 5 && !strncmp(s, "name=", 5) && n - 5 < MODULE_NAME_LEN) {
        memcpy(o->name, s + 5, n - 5);
        o->name[n - 5] = '\0';
        return 0;
    }
    if (n > 4 && !strncmp(s, "mem=", 4))
        return parse_size(s + 4, n - 4, &o->mem);
    if (n > 8 && !strncmp(s, "max_mem=", 8))
        return parse_size(s + 8, n - 8, &o->max_mem);
    if (n > 8 && !strncmp(s, "backend=", 8))
        return backend_option(s + 8, n - 8, o);
    return -EINVAL;
}

int module_options_parse(const char *s, size_t max_len, struct module_options *o,
                         char *bad)
{
    size_t len = strnlen(s, max_len), i = 0;
    const char *sep = find_separator(s, len);
    size_t opt_len = sep ? (size_t)(sep - s) : 0;

    memset(o, 0, sizeof(*o));
    bad[0] = '\0';
    o->guest_cmdline = sep ? sep + 2 : s;
    while (o->guest_cmdline < s + len && *o->guest_cmdline == ' ')   /* not past max_len */
        o->guest_cmdline++;
    while (i < opt_len) {
        size_t start;
        while (i < opt_len && s[i] == ' ')
            i++;
        start = i;
        while (i < opt_len && s[i] != ' ')
            i++;
        if (i > start && one_option(s + start, i - start, o)) {
            copy_bad(bad, s + start, i - start);
            return -EINVAL;
        }
    }
    return 0;
}
