/*
 * Tern guest kernel, domain 0's backends: mapping a frontend's ring page
 * (see ring_map.h). The window's own frame is unmapped first, so that the
 * grant mapping takes a free PTE, and mapped back after the unmap, so that
 * no mapping of ours keeps the frontend's frame once it is disconnected.
 */
#include "backend/ring_map.h"
#include "kernel/kernel.h"
#include "kernel/mm.h"
#include "xen/hypercall.h"

static void restore_window(void *window)
{
    uint64_t va = (uint64_t)(uintptr_t)window;

    HYPERVISOR_update_va_mapping(va, mfn_pte(virt_to_mfn(window), PTE_PAGE_RW),
                                 UVMF_INVLPG);
}

int16_t ring_map(struct ring_map *m, domid_t dom, grant_ref_t ref, void *window)
{
    uint64_t va = (uint64_t)(uintptr_t)window;
    struct gnttab_map_grant_ref g = { .host_addr = va, .flags = GNTMAP_host_map,
                                      .ref = ref, .dom = dom };

    HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &g, 1);
    m->dom = dom;
    m->window = window;
    m->handle = g.handle;
    if (g.status != GNTST_okay)
        restore_window(window);
    return g.status;
}

void ring_unmap(struct ring_map *m)
{
    uint64_t va = (uint64_t)(uintptr_t)m->window;
    struct gnttab_unmap_grant_ref u = { .host_addr = va, .handle = m->handle };

    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    if (u.status != GNTST_okay)
        printk("backend: domain %u: unmap_grant_ref: %d\n", m->dom, u.status);
    restore_window(m->window);
}
