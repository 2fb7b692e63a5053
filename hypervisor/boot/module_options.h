/*
 * A guest module's string (module_options.c, pure): hypervisor options for
 * the domain, then "--", then the guest's own command line:
 *     name=ping mem=16M privileged -- role=ping peer=1
 * Without "--" the whole string is the guest's command line and the
 * defaults stand. Known options: name=<up to 31 chars>, mem=<size>,
 * max_mem=<size>, privileged, backend=<domid> (the domain the console
 * and xenstore ports of an unprivileged domain are offered to; a domain
 * id below DOMID_FIRST_RESERVED). Anything else before "--" is an error.
 */
#ifndef MODULE_OPTIONS_H
#define MODULE_OPTIONS_H

#include "lib.h"
#include <public/xen.h>

#define MODULE_NAME_LEN 32

struct module_options {
    char name[MODULE_NAME_LEN];     /* "" = the default */
    uint64_t mem;                   /* 0 = the default */
    uint64_t max_mem;               /* 0 = mem */
    bool privileged;
    bool has_backend;               /* backend= was given */
    domid_t backend;                /* valid if has_backend */
    const char *guest_cmdline;      /* points into the string */
};

/* 0, or -EINVAL with the offending option copied into bad (64 bytes). */
int module_options_parse(const char *s, size_t max_len, struct module_options *out,
                         char *bad);

#endif /* MODULE_OPTIONS_H */
