/*
 * Tern guest ABI: feature bits (XENFEAT_*), as reported by
 * xen_version(XENVER_get_features) and named in the FEATURES ELF note.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence). Written for Tern from the
 * documented facts of Xen's xen/include/public/features.h.
 *
 * Each bit is the index in a 32-bit submap: bit b lives in submap b / 32,
 * at position b % 32. Only submap 0 exists (XENFEAT_NR_SUBMAPS).
 * In the FEATURES note, names are written without the XENFEAT_ prefix,
 * separated by '|'; a leading '!' marks a feature the guest requires.
 */
#ifndef PUBLIC_FEATURES_H
#define PUBLIC_FEATURES_H

#define XENFEAT_writable_page_tables        0  /* guest may write its PTEs directly */
#define XENFEAT_writable_descriptor_tables  1  /* guest may write GDT/LDT directly */
#define XENFEAT_auto_translated_physmap     2  /* hypervisor translates pfn -> mfn */
#define XENFEAT_supervisor_mode_kernel      3  /* guest kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb         4  /* PAE L3 may live above 4 GiB */
#define XENFEAT_mmu_pt_update_preserve_ad   5  /* MMU_PT_UPDATE_PRESERVE_AD exists */
#define XENFEAT_highmem_assist              6  /* highmem assists exist */
#define XENFEAT_gnttab_map_avail_bits       7  /* grant maps honour AVAIL PTE bits */
#define XENFEAT_hvm_callback_vector         8  /* HVM: event upcall by vector */
#define XENFEAT_hvm_safe_pvclock            9  /* HVM: pvclock safe to use */
#define XENFEAT_hvm_pirqs                  10  /* HVM: PIRQs as event channels */
#define XENFEAT_dom0                       11  /* the domain is (or may be) dom0 */
#define XENFEAT_grant_map_identity         12  /* ARM: grant maps 1:1 */
#define XENFEAT_memory_op_vnode_supported  13  /* XENMEM vNUMA ops exist */
#define XENFEAT_ARM_SMCCC_supported        14  /* ARM: SMCCC available */
#define XENFEAT_linux_rsdp_unrestricted    15  /* PVH dom0: RSDP anywhere */
#define XENFEAT_not_direct_mapped          16  /* guest memory not 1:1 with machine */
#define XENFEAT_direct_mapped              17  /* guest memory 1:1 with machine */

#define XENFEAT_NR_SUBMAPS                  1  /* number of 32-bit submaps */

#endif /* PUBLIC_FEATURES_H */
