/*
 * Tern guest kernel, xenstore: node permissions, with xenstored's rules.
 *
 *   1. Domain 0 may do everything to every node (READ, WRITE, OWNER).
 *   2. The owner (entry 0) may do everything to its node.
 *   3. Another domain gets the mode of the first later entry naming it, or
 *      else entry 0's mode (the default for everyone not listed).
 * As text each entry is one letter and the domid in decimal: 'r' read, 'w'
 * write, 'b' both, 'n' none ("n0", "r5", "b12").
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_path.h"
#include "xenstore/xs_perms.h"

static const char letters[4] = { 'n', 'r', 'w', 'b' };  /* indexed by mode */

unsigned int xs_perms_for(const struct xs_perms *perms, uint16_t dom)
{
    if (dom == 0 || perms->p[0].domid == dom)
        return XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    for (unsigned int i = 1; i < perms->n; i++) {
        if (perms->p[i].domid == dom)
            return perms->p[i].mode;
    }
    return perms->p[0].mode;
}

int xs_perms_may_set(const struct xs_perms *cur, uint16_t dom, const struct xs_perms *next)
{
    if (next->n == 0 || next->n > XS_PERMS_MAX)
        return -XEN_EINVAL;
    if (dom != 0 && next->p[0].domid != cur->p[0].domid)
        return -XEN_EPERM;
    if (dom != 0 && next->n > XS_PERMS_QUOTA)
        return -XEN_ENOSPC;
    return 0;
}

/* One string "<letter><domid>" into *e. */
static int parse_one(const char *s, struct xs_perm *e)
{
    uint32_t id;

    for (uint8_t m = 0; m < 4; m++) {
        if (s[0] != letters[m])
            continue;
        if (xs_str_to_u32(s + 1, 0xffff, &id) != 0)
            return -XEN_EINVAL;
        e->mode = m;
        e->domid = (uint16_t)id;
        return 0;
    }
    return -XEN_EINVAL;
}

int xs_perms_parse(const char *buf, size_t len, struct xs_perms *out)
{
    size_t off = 0;

    out->n = 0;
    if (len == 0 || buf[len - 1] != '\0')
        return -XEN_EINVAL;
    while (off < len) {
        if (out->n == XS_PERMS_MAX)
            return -XEN_ENOSPC;
        if (parse_one(buf + off, &out->p[out->n]) != 0)
            return -XEN_EINVAL;
        off += strlen(buf + off) + 1;
        out->n++;
    }
    return 0;
}

int xs_perms_format(const struct xs_perms *perms, char *out, size_t room)
{
    char one[12];
    size_t used = 0;

    for (unsigned int i = 0; i < perms->n; i++) {
        one[0] = letters[perms->p[i].mode & 3u];
        size_t n = 1 + xs_u32_to_str(perms->p[i].domid, one + 1) + 1;
        if (used + n > room)
            return -XEN_E2BIG;
        memcpy(out + used, one, n);
        used += n;
    }
    return (int)used;
}
