/*
 * The host's I/O memory policy (iomem_host.c): the one iomem_policy the
 * frame table consults (page_types rule 11), filled at boot.
 */
#ifndef IOMEM_HOST_H
#define IOMEM_HOST_H

#include "iomem.h"

/* Keep [base, base + len) from every domain: a device the hypervisor
 * drives (what names it in the log if the list is full). Before the
 * first domain is built. */
void iomem_host_deny(uint64_t base, uint64_t len, const char *what);
/* The memory map, the CPU's physical address width, the boot data and
 * the MSI window (memory_init). */
void iomem_host_init(const struct boot_info *bi);
/* ft->iomem: enum iomem_kind of machine frame mfn. */
unsigned int iomem_host_kind(void *ctx, uint64_t mfn);

#endif /* IOMEM_HOST_H */
