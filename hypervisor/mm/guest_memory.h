/*
 * Guest memory access (guest_memory.c, pure).
 *
 * The hypervisor reaches guest memory only through these functions. They
 * translate a guest virtual address by walking the guest's own page tables
 * in software, with the permissions a ring-3 access would need (present and
 * user at every level, writable at every level for a write), and then copy
 * through the hypervisor's direct map. So a bad pointer is an -EFAULT and
 * never a fault in the hypervisor, and the hypervisor range (L4 slots
 * 256-271) is never reachable through a guest pointer whatever the guest's
 * tables say. On failure the destination of a copy-in is zeroed, so no
 * caller acts on stale bytes.
 *
 * Direct access (issue 15). When the hypervisor runs on behalf of the vCPU
 * whose page tables are loaded in CR3 (a hypercall from the guest kernel:
 * CR3 is the kernel's L4, gs->cr3), the CPU's own walk of those tables
 * gives exactly the translation the software walk gives: every guest
 * table is validated, so every present entry reaches a frame the guest
 * may reach, with the user bit forced (page_types.c adjust_entry) and
 * write permission honoured in ring 0 (CR0.WP). So a copy may use the
 * guest's virtual address itself, after the one range check (canonical,
 * no wrap, outside the hypervisor's slots: guest_range_ok), through
 * gs->raw, whose faults an exception-table fixup turns into a short
 * count (arch/x86/guest_copy.S, stac/clac around it under SMAP). A short
 * count falls back to the walk, which then decides (-EFAULT, the
 * destination zeroed). Copies to the guest go direct only within one
 * page, where a fault comes before the first byte, so a failed copy still
 * leaves guest memory unchanged. Whether the root is loaded is asked at
 * each copy (gs->root_loaded), since a NEW_BASEPTR may change it within a
 * hypercall; another vCPU's or domain's memory, or a guest in user mode
 * (CR3 its user L4), always takes the walk.
 */
#ifndef GUEST_MEMORY_H
#define GUEST_MEMORY_H

#include "guest_address.h"
#include "lib.h"
#include <asm/pte.h>

struct guest_space {
    uint64_t cr3;                 /* machine address of the guest's L4 */
    /* Pointer to the 4 KiB machine frame mfn, or NULL if the hypervisor
     * must not touch it (not RAM, past the direct map). */
    void *(*frame)(void *ctx, uint64_t mfn);
    void *ctx;
    /* The last translation, kept for the life of this struct only (one
     * hypercall or one bounce, during which the guest's tables cannot
     * change): a copy that checks a page and then writes it walks once. */
    bool cached, cached_rw;
    uint64_t cached_page, cached_maddr;
    /* Direct access, or NULL: is this root in CR3 now, and the raw copy
     * (returns the bytes not copied). */
    bool (*root_loaded)(uint64_t cr3);
    size_t (*raw)(void *dst, const void *src, size_t n);
};

/* Machine address for gva, or -EFAULT. write: the access needs RW. */
int guest_translate(struct guest_space *gs, uint64_t gva, bool write,
                    uint64_t *maddr);

int copy_from_guest(struct guest_space *gs, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct guest_space *gs, uint64_t gva, const void *src, size_t len);
/* Zero len bytes of guest memory. */
int clear_guest(struct guest_space *gs, uint64_t gva, size_t len);

#endif /* GUEST_MEMORY_H */
