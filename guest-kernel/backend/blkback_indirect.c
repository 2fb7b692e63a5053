/*
 * Tern guest kernel, domain 0's backends: the indirect pages of a
 * frontend that reuses its grants (feature-persistent), kept mapped
 * read-only in pages of ours until it disconnects, so an indirect
 * request's descriptors cost a copy of their own bytes instead of a
 * grant-copy hypercall. A page that cannot be kept (BLKIF_RING_SIZE kept
 * already, no page of ours left, a grant that does not map) is left to
 * the caller's grant copy. Invariants: the descriptors are copied out of
 * the mapping once, before anything checks them (the frontend may
 * rewrite its page at any time); a window's own frame is put back under
 * it before the page is freed; every kept mapping is ended at
 * disconnect; a regranted reference keeps naming the frame first mapped
 * (the mapping pins it), which only the frontend itself can notice.
 */
#include "backend/blkback_vbd.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "xen/hypercall.h"

static uint64_t window_va(const struct vbd_indirect *k)
{
    return (uint64_t)(uintptr_t)pfn_to_virt(k->pfn);
}

/* Our own frame back under the window, and the page freed. */
static void give_back(uint64_t pfn)
{
    uint64_t va = (uint64_t)(uintptr_t)pfn_to_virt(pfn);

    HYPERVISOR_update_va_mapping(va, mfn_pte(pfn_to_mfn(pfn), PTE_PAGE_RW), UVMF_INVLPG);
    page_free(pfn);
}

static const struct vbd_indirect *find(const struct vbd *v, grant_ref_t gref)
{
    for (uint32_t i = 0; i < v->nr_indirect; i++)
        if (v->indirect[i].gref == gref)
            return &v->indirect[i];
    return NULL;
}

/* gref's page mapped read-only over a page of ours and kept: NULL when
 * it cannot be. */
static const struct vbd_indirect *keep(struct vbd *v, grant_ref_t gref)
{
    long pfn = v->nr_indirect < BLKIF_RING_SIZE ? page_alloc() : -1;
    struct gnttab_map_grant_ref g = { .flags = GNTMAP_host_map | GNTMAP_readonly, .ref = gref,
                                      .dom = v->dom, .status = GNTST_general_error };
    struct vbd_indirect *k;

    if (pfn < 0)
        return NULL;
    g.host_addr = (uint64_t)(uintptr_t)pfn_to_virt((uint64_t)pfn);
    HYPERVISOR_update_va_mapping(g.host_addr, 0, UVMF_INVLPG);
    if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &g, 1) || g.status != GNTST_okay) {
        give_back((uint64_t)pfn);
        return NULL;
    }
    k = &v->indirect[v->nr_indirect++];
    *k = (struct vbd_indirect){ .gref = gref, .handle = g.handle, .pfn = (uint64_t)pfn };
    return k;
}

bool vbd_indirect_read(struct vbd *v, grant_ref_t gref, void *out, size_t bytes)
{
    const struct vbd_indirect *k = find(v, gref) ?: keep(v, gref);

    if (!k)
        return false;
    memcpy(out, pfn_to_virt(k->pfn), bytes);
    return true;
}

void vbd_indirect_forget(struct vbd *v)
{
    for (uint32_t i = 0; i < v->nr_indirect; i++) {
        struct vbd_indirect *k = &v->indirect[i];
        struct gnttab_unmap_grant_ref u = { .host_addr = window_va(k), .handle = k->handle };

        if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1) || u.status != GNTST_okay)
            printk("blkback: vbd %u/%u: unmapping a kept indirect page failed\n", v->dom,
                   v->devid);
        give_back(k->pfn);
    }
    v->nr_indirect = 0;
}
