/*
 * Naming what Tern does not implement (unimpl.c; the decision and the
 * names: unimpl_seen.c, pure).
 *
 * At loglvl=debug, the first time a domain asks for a hypercall number
 * or a sub-op that gets -ENOSYS because Tern has nothing for it, the
 * console names it, once per domain, kind and number:
 *
 *   (tern) d1: hypercall 20 (grant_table_op) not implemented
 *   (tern) d1: memory_op 5 not implemented
 *
 * Each domain keeps one bit per kind and number below UNIMPL_NUMBERS;
 * every number from UNIMPL_NUMBERS up shares one more bit per kind, so a
 * guest that walks through 2^64 numbers prints at most UNIMPL_NUMBERS + 1
 * lines per kind, and the first high one says that higher ones are not
 * named again.
 */
#ifndef UNIMPL_H
#define UNIMPL_H

#include "lib.h"

/* The number spaces: the hypercall numbers, and each hypercall's
 * sub-op numbers (named as the hypercall). */
enum unimpl_kind {
    UNIMPL_HYPERCALL,
    UNIMPL_MEMORY_OP,
    UNIMPL_MMU_UPDATE,
    UNIMPL_MMUEXT_OP,
    UNIMPL_EVENT_CHANNEL_OP,
    UNIMPL_VCPU_OP,
    UNIMPL_SCHED_OP,
    UNIMPL_SCHED_OP_COMPAT,
    UNIMPL_PHYSDEV_OP,
    UNIMPL_CONSOLE_IO,
    UNIMPL_XEN_VERSION,
    UNIMPL_CALLBACK_OP,
    UNIMPL_NMI_OP,
    UNIMPL_VM_ASSIST,
    UNIMPL_DOMCTL,
    UNIMPL_SYSCTL,
    UNIMPL_GRANT_TABLE_OP,
    UNIMPL_PLATFORM_OP,
    NR_UNIMPL_KINDS,
};

#define UNIMPL_NUMBERS 128                    /* named one by one below this */
#define UNIMPL_WORDS   (UNIMPL_NUMBERS / 64 + 1)

/* Per domain: which numbers were named already (all zero at creation). */
struct unimpl_seen {
    uint64_t bits[NR_UNIMPL_KINDS][UNIMPL_WORDS];
};

/* True the first time (kind, nr) comes (for every nr >= UNIMPL_NUMBERS:
 * the first time one of them comes), and marks it; false after, and for
 * a kind out of range. */
bool unimpl_first(struct unimpl_seen *s, unsigned int kind, uint64_t nr);
/* "memory_op", ...: the hypercall a kind's numbers belong to. */
const char *unimpl_kind_name(unsigned int kind);
/* Xen's name of hypercall nr ("grant_table_op"), or NULL when Xen has
 * none for it. */
const char *hypercall_name(uint64_t nr);

struct domain;
/* Name (kind, nr) on the debug console if it is d's first; -ENOSYS, the
 * answer the guest gets, so a refusing site is one line. */
int unimpl_enosys(struct domain *d, unsigned int kind, uint64_t nr);

#endif /* UNIMPL_H */
