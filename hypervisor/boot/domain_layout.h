/*
 * Start-of-day virtual layout of a 64-bit PV domain (domain_layout.c, pure),
 * as Xen's builder makes it. Everything is in one region from VIRT_BASE, at
 * VA = VIRT_BASE + pfn * 4096, in this order:
 *   kernel image | initrd | p2m list | start_info | [xenstore | console] |
 *   page tables | boot stack
 * The xenstore and console ring pages are there only for a domain built as
 * Xen's toolstack builds an unprivileged one (libxc's alloc_magic_pages_pv
 * takes them right after start_info, xenstore first); a domain built as
 * Xen builds the hardware domain has none, and its page tables follow
 * start_info. The initial page tables map [VIRT_BASE, v_end), where v_end
 * is the end of the boot stack plus at least 512 KiB, rounded up to 4 MiB.
 */
#ifndef DOMAIN_LAYOUT_H
#define DOMAIN_LAYOUT_H

#include "lib.h"

struct pv_layout {
    uint64_t virt_base;
    uint64_t kstart, kend;           /* kernel image, page aligned */
    uint64_t initrd_start, initrd_end;
    uint64_t p2m_start, p2m_end;     /* unsigned long p2m[nr_pages] */
    uint64_t start_info;             /* one page */
    bool rings;                      /* the two ring pages below exist */
    uint64_t store_ring;             /* one page, start_info + 4 KiB (0: none) */
    uint64_t console_ring;           /* one page, start_info + 8 KiB (0: none) */
    uint64_t pt_start;               /* L4 first, then L3s, L2s, L1s */
    uint64_t nr_pt_frames;
    uint64_t stack;                  /* one page; rsp starts at its end */
    uint64_t v_end;
    uint64_t nr_pages;
};

/* Page-table frames (L4 + L3s + L2s + L1s) needed to map [start, end). */
uint64_t pv_pt_frames(uint64_t start, uint64_t end);

/*
 * Lay out a domain of nr_pages whose image is [kstart, kend) and whose
 * initrd has initrd_len bytes, with the xenstore and console ring pages
 * when rings is true. Returns 0; -EINVAL if an address would leave the
 * guest's lower or upper canonical half, or cross the hypervisor range;
 * -ENOMEM if the layout needs more than nr_pages.
 */
int pv_layout_compute(uint64_t virt_base, uint64_t kstart, uint64_t kend,
                      uint64_t initrd_len, uint64_t nr_pages, bool rings,
                      struct pv_layout *l);

/* pfn of a VA inside the layout. */
static inline uint64_t pv_pfn(const struct pv_layout *l, uint64_t va)
{
    return (va - l->virt_base) >> PAGE_SHIFT;
}

#endif /* DOMAIN_LAYOUT_H */
