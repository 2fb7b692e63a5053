/* Domains from the boot modules (boot_domains.c). */
#ifndef BOOT_DOMAINS_H
#define BOOT_DOMAINS_H

#include "cmdline_options.h"
#include "multiboot2.h"

/* Build a domain for every kernel module; returns how many were built.
 * strip removes the image name some loaders put first in module strings. */
unsigned int build_boot_domains(const struct boot_info *bi, const struct hv_options *opt,
                                const char *(*strip)(const char *));

#endif /* BOOT_DOMAINS_H */
