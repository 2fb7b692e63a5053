/*
 * domain_layout.c: where the builder puts each piece of a new PV domain.
 * Pure arithmetic, checked for overflow at every step: the inputs come
 * from the kernel image, which is untrusted.
 */
#include "domain_layout.h"
#include "err.h"
#include "layout.h"

#define SLACK      (512ULL << 10)
#define END_ALIGN  (4ULL << 20)

static uint64_t tables_at(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

uint64_t pv_pt_frames(uint64_t start, uint64_t end)
{
    if (end <= start)
        return 1;
    return 1 + tables_at(start, end, 39) + tables_at(start, end, 30) +
           tables_at(start, end, 21);
}

/* a + b, or false on overflow. */
static bool add(uint64_t a, uint64_t b, uint64_t *out)
{
    *out = a + b;
    return *out >= a;
}

/* The region must stay inside one guest half and clear of the hypervisor. */
static bool region_ok(uint64_t start, uint64_t end)
{
    if (end < start)
        return false;
    if (end <= (1ULL << 47))
        return true;                                   /* lower half */
    return start >= HV_VIRT_END;                       /* upper guest slots */
}

/* The ring pages (if any), then the page tables, after start_info. */
static int place_rings(struct pv_layout *l)
{
    uint64_t pages = l->rings ? 3 : 1;

    if (!add(l->start_info, pages * PAGE_SIZE, &l->pt_start))
        return -EINVAL;
    if (l->rings) {
        l->store_ring = l->start_info + PAGE_SIZE;       /* xenstore first, as libxc */
        l->console_ring = l->store_ring + PAGE_SIZE;
    }
    return 0;
}

static int place_tail(struct pv_layout *l, uint64_t nr_pt)
{
    uint64_t end;

    if (place_rings(l))
        return -EINVAL;
    l->nr_pt_frames = nr_pt;
    l->stack = l->pt_start + nr_pt * PAGE_SIZE;
    if (!add(l->stack, PAGE_SIZE + SLACK + END_ALIGN - 1, &end))
        return -EINVAL;
    l->v_end = ALIGN_DOWN(end, END_ALIGN);
    return region_ok(l->virt_base, l->v_end) ? 0 : -EINVAL;
}

int pv_layout_compute(uint64_t virt_base, uint64_t kstart, uint64_t kend,
                      uint64_t initrd_len, uint64_t nr_pages, bool rings,
                      struct pv_layout *l)
{
    uint64_t nr_pt = 1, need, p2m_bytes;
    int rc;

    memset(l, 0, sizeof(*l));
    if (kstart < virt_base || kend < kstart || nr_pages > (1ULL << 40) ||
        initrd_len > (1ULL << 40) || !region_ok(virt_base, kend))
        return -EINVAL;
    l->virt_base = virt_base;
    l->nr_pages = nr_pages;
    l->rings = rings;
    l->kstart = kstart;
    l->kend = kend;
    l->initrd_start = kend;
    p2m_bytes = nr_pages * sizeof(uint64_t);
    if (!add(kend, ALIGN_UP(initrd_len, PAGE_SIZE), &l->initrd_end) ||
        !add(l->initrd_end, ALIGN_UP(p2m_bytes, PAGE_SIZE), &l->p2m_end))
        return -EINVAL;
    l->initrd_end = l->initrd_start + initrd_len;
    l->p2m_start = ALIGN_UP(l->initrd_end, PAGE_SIZE);
    l->p2m_end = l->p2m_start + ALIGN_UP(p2m_bytes, PAGE_SIZE);
    l->start_info = l->p2m_end;
    for (;;) {
        rc = place_tail(l, nr_pt);
        if (rc)
            return rc;
        need = pv_pt_frames(virt_base, l->v_end);
        if (need <= nr_pt)
            break;
        nr_pt = need;
    }
    return pv_pfn(l, l->v_end) > nr_pages ? -ENOMEM : 0;
}
