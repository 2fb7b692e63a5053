/*
 * Tern guest kernel: the block protocol's xenstore values (see
 * blk_node.h). Invariants: a number is all digits and never wraps (each
 * step is checked against the limit before it is taken); a backend path
 * has exactly the expected prefix and two such numbers, the second ended
 * by the string's end or a '/'.
 */
#include <public/xen.h>
#include "blk/blk_node.h"
#include "kernel/lib.h"

#define BACKEND_ROOT "/local/domain/0/backend/vbd/"
#define NUMBER_LEN   20

bool blk_node_number(const char *s, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        uint64_t d = (uint64_t)(*s - '0');

        if (*s < '0' || *s > '9' || d > limit || v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* The path component at *p (up to '/' or the end) as a number; moves
 * past it. */
static bool component(const char **p, uint64_t limit, uint64_t *out)
{
    char num[NUMBER_LEN + 1];
    size_t n = 0;

    while ((*p)[n] && (*p)[n] != '/' && n < NUMBER_LEN) {
        num[n] = (*p)[n];
        n++;
    }
    num[n] = 0;
    if ((*p)[n] && (*p)[n] != '/')
        return false;
    *p += n;
    return blk_node_number(num, limit, out);
}

bool blk_node_backend_path(const char *path, uint16_t *dom, uint32_t *devid)
{
    uint64_t d, id;

    if (strncmp(path, BACKEND_ROOT, strlen(BACKEND_ROOT)))
        return false;
    path += strlen(BACKEND_ROOT);
    if (!component(&path, DOMID_FIRST_RESERVED - 1, &d) || *path++ != '/' ||
        !component(&path, UINT32_MAX, &id))
        return false;
    *dom = (uint16_t)d;
    *devid = (uint32_t)id;
    return true;
}
