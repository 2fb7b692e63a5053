/*
 * Page-table construction for the hypervisor's own address space (paging.c).
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include "frame_alloc.h"
#include <asm/cpufeature.h>      /* cpu_caps, read by the table builders */
#include <asm/pte.h>

/*
 * Build and load the final page tables: the image with per-section
 * permissions (guard pages left out), and the direct map of [0, map_top).
 * Table frames come from fa below 4 GiB (reachable by the boot direct map).
 * Returns 0 or -ENOMEM.
 */
int paging_init(struct frame_alloc *fa, uint64_t map_top);

/* Map the read-only M2P for nr_frames machine frames at MACH2PHYS_VIRT_START. */
int paging_init_m2p(struct frame_alloc *fa, uint64_t nr_frames);
#define M2P_INVALID (~0ULL)
/* Record that machine frame mfn is pfn of its domain (M2P_INVALID: none). */
void m2p_set(uint64_t mfn, uint64_t pfn);
/* Entries in the M2P: the number of machine frames it covers. */
uint64_t m2p_size(void);

/* Flush every TLB entry of this CPU, global ones included (a guest may set
 * G on its own L1 entries, and a CR3 load would leave those behind). */
void flush_tlb_global(void);
void flush_tlb_one(uint64_t va);

/* Map device memory [pa, pa + len) above the direct map's top at its
 * direct-map address, uncached; before any guest exists (guests copy the
 * hypervisor's L4 slots when they are built). 0, -ERANGE or -ENOMEM. */
int paging_map_mmio(struct frame_alloc *fa, uint64_t pa, uint64_t len);

/* CR3 of the hypervisor's own address space (no guest mappings). */
uint64_t paging_idle_cr3(void);
/* Copy the hypervisor's L4 slots (256-271, supervisor-only) into a guest L4:
 * they must be identical in every address space. */
void paging_fill_hypervisor_slots(uint64_t *l4);
/* The read-only M2P in slot 256 is mapped in kernel root tables only (as
 * Xen does without m2p_strict for kernel roots, and always keeps it out of
 * user-only roots): put it in or take it out of l4. */
void paging_set_m2p_slot(uint64_t *l4, bool present);
/* The L4 entry that maps the M2P. */
uint64_t paging_m2p_l4e(void);

#endif /* ASM_PAGING_H */
