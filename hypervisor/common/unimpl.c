/*
 * unimpl.c: the debug console's line for a number Tern does not implement
 * (see unimpl.h); every site that refuses an unknown hypercall or sub-op
 * with -ENOSYS answers through unimpl_enosys.
 *
 * Invariant: a domain's line for a (kind, number) is printed at most once
 * (unimpl_first decides), so a guest cannot flood the console with them.
 */
#include "unimpl.h"
#include "console.h"
#include "domain.h"
#include "err.h"

static void name_hypercall(const struct domain *d, uint64_t nr, const char *more)
{
    const char *name = hypercall_name(nr);

    log_debug("d%u: hypercall %lu (%s) not implemented%s\n", d->id, nr,
              name ? name : "no such hypercall", more);
}

int unimpl_enosys(struct domain *d, unsigned int kind, uint64_t nr)
{
    const char *more = nr < UNIMPL_NUMBERS ? "" : " (higher numbers are not named again)";

    if (!unimpl_first(&d->unimpl, kind, nr))
        return -ENOSYS;
    if (kind == UNIMPL_HYPERCALL)
        name_hypercall(d, nr, more);
    else
        log_debug("d%u: %s %lu not implemented%s\n", d->id, unimpl_kind_name(kind), nr, more);
    return -ENOSYS;
}
