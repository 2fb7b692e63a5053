/*
 * Tier 1 page-table hypercalls of the 64-bit PV ABI: mmu_update (#1) and
 * mmuext_op (#26). Values and layouts are Xen's (xen/include/public/xen.h).
 * Permission is granted, free of charge, to use, copy, modify and
 * distribute this header for any purpose (MIT licence).
 */
#ifndef PUBLIC_MMU_H
#define PUBLIC_MMU_H

#include <stddef.h>
#include <stdint.h>

/*
 * __HYPERVISOR_mmu_update (1)
 *
 *   long mmu_update(struct mmu_update *reqs, unsigned int count,
 *                   unsigned int *pdone, unsigned int foreigndom);
 *
 *   reqs        IN   guest VA of count requests
 *   count       IN   number of requests (bit 31 is reserved for the
 *                    hypervisor's continuation: MMU_UPDATE_PREEMPTED)
 *   pdone       OUT  guest VA of an unsigned int: requests completed, or 0
 *   foreigndom  IN   bits 0-15: owner of the frames mapped (DOMID_SELF);
 *                    bits 16-31: owner of the page tables + 1 (0 = self)
 *
 * NOTES:
 *  1. ptr & 7 is the command; ptr & ~7 the machine address of the target
 *     (commands 4-7 do not exist: -XEN_ENOSYS).
 *  2. MMU_NORMAL_PT_UPDATE: *ptr = val, validated if ptr lies in a page
 *     table. An entry that needs a frame in use as another type:
 *     -XEN_EBUSY.
 *  3. MMU_MACHPHYS_UPDATE: M2P[ptr >> 12] = val; the frame must be the
 *     caller's.
 *  4. MMU_PT_UPDATE_PRESERVE_AD: as 2, keeping the A/D bits already set.
 *  5. Requests run in order; the first failure stops the batch and is
 *     returned; *pdone says how many completed.
 *  6. Any number of requests may be given: the hypervisor continues a long
 *     batch itself, re-entering the call with count | MMU_UPDATE_PREEMPTED
 *     and the count done so far in *pdone. A pdone that cannot be read or
 *     written is ignored (the batch still runs to its end).
 * ERRORS: -XEN_EINVAL bad command, pointer or entry; -XEN_EFAULT unreadable
 * request; -XEN_EPERM foreign domain without privilege; -XEN_ESRCH
 * no such domain.
 */
#define MMU_NORMAL_PT_UPDATE       0
#define MMU_MACHPHYS_UPDATE        1
#define MMU_PT_UPDATE_PRESERVE_AD  2
#define MMU_PT_UPDATE_NO_TRANSLATE 3
#define MMU_UPDATE_PREEMPTED       (~(~0U >> 1))

struct mmu_update {
    uint64_t ptr;            /* IN: machine address | command */
    uint64_t val;            /* IN: new entry, or pfn for MMU_MACHPHYS_UPDATE */
};

/*
 * __HYPERVISOR_mmuext_op (26)
 *
 *   long mmuext_op(struct mmuext_op *ops, unsigned int count,
 *                  unsigned int *pdone, unsigned int foreigndom);
 *
 * As mmu_update for count, pdone and the stop-at-first-failure rule.
 * Commands other than pin, unpin, copy and clear need foreigndom DOMID_SELF.
 */
#define MMUEXT_PIN_L1_TABLE        0   /* arg1.mfn: validate as L1 and pin */
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3
#define MMUEXT_UNPIN_TABLE         4   /* arg1.mfn: drop the pin */
#define MMUEXT_NEW_BASEPTR         5   /* arg1.mfn: L4 for guest kernel mode */
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7   /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI     8   /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI        9   /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11   /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE        12   /* needs cache-flush permission */
#define MMUEXT_SET_LDT            13   /* arg1.linear_addr, arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR   15   /* arg1.mfn: L4 for guest user mode, 0 = none */
#define MMUEXT_CLEAR_PAGE         16   /* arg1.mfn */
#define MMUEXT_COPY_PAGE          17   /* arg1.mfn (dst), arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18   /* privileged */
#define MMUEXT_MARK_SUPER         19   /* obsolete PV superpages: -XEN_EOPNOTSUPP */
#define MMUEXT_UNMARK_SUPER       20

struct mmuext_op {
    uint32_t cmd;            /* IN: MMUEXT_* */
    uint32_t pad;
    union {
        uint64_t mfn;        /* IN: pin, unpin, baseptr, clear, copy dst */
        uint64_t linear_addr;/* IN: invlpg, set_ldt */
    } arg1;
    union {
        uint32_t nr_ents;    /* IN: set_ldt */
        uint64_t vcpumask;   /* IN: guest VA of a vCPU bitmap */
        uint64_t src_mfn;    /* IN: copy source */
    } arg2;
};

_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update size");
_Static_assert(offsetof(struct mmu_update, val) == 8, "mmu_update.val");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op size");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op.arg1");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2");

#endif /* PUBLIC_MMU_H */
