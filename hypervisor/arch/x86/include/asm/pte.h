/*
 * x86-64 page-table entry bits: the one set of names, used by the
 * hypervisor's own tables (paging.c), the page-type rules that validate a
 * guest's (page_types.c), the guest-memory walk (guest_memory.c) and the builder.
 * Architectural facts only; what a guest may set is page_types.c's business.
 */
#ifndef ASM_PTE_H
#define ASM_PTE_H

#define PTE_P           (1ULL << 0)     /* present */
#define PTE_RW          (1ULL << 1)     /* writable */
#define PTE_US          (1ULL << 2)     /* user (ring 3) may use it */
#define PTE_PWT         (1ULL << 3)
#define PTE_PCD         (1ULL << 4)     /* cache disabled */
#define PTE_A           (1ULL << 5)     /* accessed */
#define PTE_D           (1ULL << 6)     /* dirty */
#define PTE_PS          (1ULL << 7)     /* superpage (L2, L3) */
#define PTE_G           (1ULL << 8)     /* global */
#define PTE_AVAIL       (7ULL << 9)     /* ignored by the CPU, the software's */
#define PTE_HIGH_AVAIL  (0x7ffULL << 52)
#define PTE_NX          (1ULL << 63)    /* no execute (with EFER.NXE) */
#define PTE_ADDR_MASK   0x000ffffffffff000ULL
/* Xen's "kernel-only" marker in a guest L1 entry (one of the high
 * available bits): the guest kernel runs in ring 3, so US alone cannot say
 * it. */
#define PTE_GUEST_KERNEL (1ULL << 52)
/* A PTE the grant code wrote for a grant mapping (bit 62, as a debug Xen
 * marks them): the hypervisor's alone, never a guest's to set or change. */
#define PTE_GRANT        (1ULL << 62)

#endif /* ASM_PTE_H */
