/* Tern's own version, and the Xen version whose guest ABI it implements. */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#include <public/features.h>

#define TERN_VERSION          "0.1"
#define TERN_XEN_MAJOR        4
#define TERN_XEN_MINOR        17
#define TERN_XEN_EXTRAVERSION ".0-tern"

/* The features every 64-bit PV domain gets (XENVER_get_features, and what
 * a kernel's FEATURES note may require), as Xen 4.17 reports them: A/D kept
 * by MMU_PT_UPDATE_PRESERVE_AD, MMUEXT_CLEAR_PAGE/COPY_PAGE (highmem_
 * assist), grant PTE software bits; Linux 6.1 panics without the first and
 * last. */
#define TERN_PV_FEATURES ((1u << XENFEAT_mmu_pt_update_preserve_ad) | \
                          (1u << XENFEAT_highmem_assist) |             \
                          (1u << XENFEAT_gnttab_map_avail_bits))

/* The hypervisor's command line as the boot loader gave it ("" if none). */
const char *hv_command_line(void);

#endif /* HV_VERSION_H */
