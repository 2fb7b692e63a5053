/*
 * Tern guest kernel: blkback's target syntax (see blk_target.h).
 * Invariants: a target names one of the four IDE positions or the module
 * image, and then at most one of: a range, two decimal numbers that
 * cannot have wrapped (at most 19 digits each) with a non-zero count; or
 * a partition, one digit 1..4; anything else is refused with the
 * reason, never half-parsed.
 */
#include "blk/blk_target.h"

#define DIGITS_MAX 19                   /* 10^19 - 1 < 2^64 */

static bool prefix(const char **s, const char *p)
{
    const char *q = *s;

    while (*p)
        if (*q++ != *p++)
            return false;
    *s = q;
    return true;
}

/* A decimal number at *s; moves past it. */
static bool number(const char **s, uint64_t *out)
{
    uint64_t v = 0;
    unsigned int n = 0;

    while (**s >= '0' && **s <= '9' && n < DIGITS_MAX) {
        v = v * 10 + (uint64_t)(*(*s)++ - '0');
        n++;
    }
    *out = v;
    return n > 0 && !(**s >= '0' && **s <= '9');
}

static bool device(const char **s, struct blk_target *t, const char **why)
{
    if (prefix(s, "module")) {
        t->pos = BLK_TARGET_MODULE;
        return true;
    }
    if (!prefix(s, "ide") || **s < '0' || **s >= '0' + BLK_TARGET_IDE_MAX)
        return *why = "want ide0..ide3 or module", false;
    t->pos = (unsigned int)(*(*s)++ - '0');
    return true;
}

static bool range(const char *s, struct blk_target *t, const char **why)
{
    if (!number(&s, &t->first) || *s++ != '+' || !number(&s, &t->count) || *s)
        return *why = "want :<first>+<count> in 512-byte sectors", false;
    if (t->count == 0)
        return *why = "an empty range", false;
    return true;
}

static bool partition(const char *s, struct blk_target *t, const char **why)
{
    if (*s < '1' || *s > '4' || s[1])
        return *why = "want p1..p4, an MBR primary partition", false;
    t->partition = (unsigned int)(*s - '0');
    return true;
}

bool blk_target_parse(const char *s, struct blk_target *t, const char **why)
{
    *t = (struct blk_target){ .whole = true };
    if (!device(&s, t, why))
        return false;
    if (*s == 0)
        return true;
    t->whole = false;
    if (*s == 'p')
        return partition(s + 1, t, why);
    if (*s++ != ':')
        return *why = "want ide<N>[:<first>+<count>] or ide<N>p<K>", false;
    return range(s, t, why);
}
