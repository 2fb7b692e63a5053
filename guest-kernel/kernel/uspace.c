/*
 * Tern guest kernel: user address spaces (process.h).
 *
 * A user L4 starts empty (the hypervisor fills its own slots 256-271), so
 * nothing of the kernel is reachable from user mode: not its image, not
 * its direct map. Into it go the user programs' pages, read-only at
 * USER_CODE_BASE (the same frames as in the kernel image, between
 * __user_start and __user_end, see guest.ld), and zeroed pages on demand
 * for every first touch in [USER_DZ_BASE, USER_STACK_TOP). The tables are
 * built and pinned through mm.h (as_map, as_destroy); the space is never
 * the kernel's loaded one, so mm changes it with mmu_update.
 *
 * The kernel never dereferences a user address: its own L4 does not map
 * user space. copy_from_user walks the process's tables and reads the
 * frame through the direct map instead.
 */
#include <public/errno.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/process.h"
#include "kernel/syscall_abi.h"

extern const uint8_t __user_start[], __user_end[];     /* guest.ld */

#define PTE_USER_CODE  (PTE_PRESENT | PTE_USER | PTE_ACCESSED)
#define PTE_USER_DATA  (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY | PTE_NX)

uint64_t user_code_address(const void *kernel_address)
{
    return USER_CODE_BASE + ((uint64_t)(uintptr_t)kernel_address -
                             (uint64_t)(uintptr_t)__user_start);
}

static long map_code(struct process *p)
{
    for (const uint8_t *k = __user_start; k < __user_end; k += PAGE_SIZE) {
        long rc = as_map(&p->as, user_code_address(k), mfn_pte(virt_to_mfn(k), PTE_USER_CODE));

        if (rc)
            return rc;
    }
    return 0;
}

long uspace_create(struct process *p)
{
    long pfn = page_alloc(), rc;

    memset(&p->as, 0, sizeof(p->as));
    if (pfn < 0)
        return pfn;
    rc = pfn_set_readonly((uint64_t)pfn);
    if (rc) {
        page_free((uint64_t)pfn);
        return rc;
    }
    p->as.tables[p->as.nr_tables++] = (uint64_t)pfn;
    p->as.l4_mfn = pfn_to_mfn((uint64_t)pfn);
    rc = mmuext_mfn(MMUEXT_PIN_L4_TABLE, p->as.l4_mfn);
    if (rc) {
        pfn_set_writable((uint64_t)pfn);
        page_free((uint64_t)pfn);
        return rc;
    }
    p->has_as = true;
    rc = map_code(p);
    if (rc)
        uspace_destroy(p);
    return rc;
}

long uspace_demand_zero(struct process *p, uint64_t va)
{
    long pfn, rc;

    if (va < USER_DZ_BASE || va >= USER_STACK_TOP || p->nr_pages == MAX_USER_PAGES)
        return -XEN_EFAULT;
    pfn = page_alloc();                 /* zeroed */
    if (pfn < 0)
        return pfn;
    rc = as_map(&p->as, va & ~(PAGE_SIZE - 1), mfn_pte(pfn_to_mfn((uint64_t)pfn), PTE_USER_DATA));
    if (rc) {
        page_free((uint64_t)pfn);
        return rc;
    }
    p->pages[p->nr_pages++] = (uint64_t)pfn;
    return 0;
}

void uspace_destroy(struct process *p)
{
    long rc;

    if (!p->has_as)
        return;
    rc = as_destroy(&p->as);
    if (rc)
        panic("process %d: as_destroy failed: %ld", p->pid, rc);
    while (p->nr_pages)
        page_free(p->pages[--p->nr_pages]);
    p->has_as = false;
}

/* The kernel address of user address uva in p, for len bytes that must not
 * cross its page; NULL when it is not mapped user-accessible. */
static const uint8_t *user_page(const struct process *p, uint64_t uva)
{
    uint64_t maddr, pte, pfn;

    if (!p->has_as || uva >= USER_STACK_TOP)
        return NULL;
    maddr = as_entry_maddr(&p->as, uva, 1);
    if (!maddr)
        return NULL;
    pte = pt_read(maddr);
    if ((pte & (PTE_PRESENT | PTE_USER)) != (PTE_PRESENT | PTE_USER))
        return NULL;
    pfn = mfn_to_pfn(pte_mfn(pte));
    return (const uint8_t *)pfn_to_virt(pfn) + (uva & (PAGE_SIZE - 1));
}

long copy_from_user(const struct process *p, void *dst, uint64_t uva, uint64_t len)
{
    uint8_t *d = dst;

    if (uva + len < uva)
        return -XEN_EFAULT;
    while (len) {
        uint64_t chunk = min_u64(len, PAGE_SIZE - (uva & (PAGE_SIZE - 1)));
        const uint8_t *s = user_page(p, uva);

        if (!s)
            return -XEN_EFAULT;
        memcpy(d, s, chunk);
        d += chunk;
        uva += chunk;
        len -= chunk;
    }
    return 0;
}

long strncpy_from_user(const struct process *p, char *dst, uint64_t uva, uint64_t size)
{
    for (uint64_t i = 0; i < size; i++) {
        if (copy_from_user(p, &dst[i], uva + i, 1))
            return -XEN_EFAULT;
        if (dst[i] == '\0')
            return (long)i;
    }
    return -XEN_EFAULT;
}
