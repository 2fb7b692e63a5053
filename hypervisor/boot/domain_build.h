/*
 * The domain builder (domain_build.c): a PV kernel module becomes a domain
 * laid out the way Xen's builder lays out a 64-bit PV guest.
 */
#ifndef DOMAIN_BUILD_H
#define DOMAIN_BUILD_H

#include "domain.h"
#include "multiboot2.h"

struct build_request {
    domid_t id;
    const char *name;
    bool privileged;                    /* domain 0: SIF_PRIVILEGED|SIF_INITDOMAIN */
    domid_t backend;                    /* unprivileged: console and xenstore
                                           ports are offered to it */
    const struct boot_module *kernel;
    const struct boot_module *initrd;   /* or NULL */
    const char *cmdline;                /* the guest's command line */
    uint64_t mem_bytes;                 /* RAM to give it */
    uint64_t max_bytes;                 /* how far it may grow (>= mem_bytes) */
};

/* Build a domain, ready to run. NULL (and a console line saying why, all
 * its frames returned) if the image is refused or memory runs out. */
struct domain *domain_build(const struct build_request *req);

#endif /* DOMAIN_BUILD_H */
