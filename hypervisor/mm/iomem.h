/*
 * I/O memory (iomem.c, pure): which machine frames a privileged domain may
 * map as device memory, and which it may not, as Xen's dom0 permissions say.
 */
#ifndef IOMEM_H
#define IOMEM_H

#include "lib.h"
#include "multiboot2.h"

/* What a machine frame is, for an L1 entry that maps it (page_types rule 11). */
enum iomem_kind {
    IOMEM_NOT_IO = 0,   /* RAM: the ordinary ownership rules apply */
    IOMEM_MAPPABLE,     /* I/O memory a privileged domain may map */
    IOMEM_DENIED,       /* I/O memory no domain may map (the hypervisor's) */
};

#define IOMEM_MAX_DENY 40     /* modules, boot data, APICs, screen */
#define IOMEM_LOW_MFNS 0x100      /* the first MiB, I/O memory as on Xen */

struct iomem_policy {
    const struct mem_range *map;  /* the host's memory map (its RAM ranges count) */
    unsigned int nr_map;
    uint64_t limit_mfn;           /* frames at and above: beyond the CPU's reach */
    struct mem_range deny[IOMEM_MAX_DENY];
    unsigned int nr_deny;
};

/* Declare [base, base + len) the hypervisor's own (a device it drives, or
 * boot data it keeps). 0, -EINVAL (empty or wrapping), -ENOSPC (full). */
int iomem_deny(struct iomem_policy *p, uint64_t base, uint64_t len);
/* The kind of frame mfn. The answer is fixed once the denials are made
 * (before any domain exists), so a mapping's release sees what its
 * creation saw. */
enum iomem_kind iomem_kind_of(const struct iomem_policy *p, uint64_t mfn);

#endif /* IOMEM_H */
