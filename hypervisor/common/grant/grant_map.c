/*
 * grant_map.c: map_grant_ref and unmap_grant_ref (GNTTABOP 0 and 1), and
 * what a domain's end does to the mappings it holds and to its frames
 * that others map.
 *
 * Rules (Xen's, for a 64-bit PV mapper):
 *  - a mapping uses the grant (GTF_reading, and GTF_writing unless
 *    GNTMAP_readonly) and holds, in its maptrack entry, a general
 *    reference on the frame and, if writable, its writable type: a frame
 *    that is a page table or descriptor page cannot be mapped writable,
 *    and one mapped writable cannot become either (page_types.c rule 4);
 *  - GNTMAP_host_map writes a grant PTE (page_types.c rule 9) into the
 *    mapper's L1: the one mapping host_addr in its current kernel tables,
 *    or, with GNTMAP_contains_pte, the entry at machine address host_addr
 *    (8-byte aligned: XSA-227) of one of its own L1s; the entry must be
 *    free. GNTMAP_device_map gives the frame's machine address;
 *  - only the mapper unmaps, by its handle and the same host_addr (and
 *    the frame's address for a device mapping); the TLB is flushed before
 *    the references go;
 *  - a mapper's end releases its mappings; a granter's end leaves the
 *    frames others still map allocated, with no owner, until the last
 *    mapping goes: then each is returned to the allocator and said so.
 */
#include "console.h"
#include "directmap.h"
#include "domain.h"
#include "err.h"
#include "grant.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "mm_hypercalls.h"
#include "page_types.h"
#include <asm/paging.h>

/* ---- the grant PTE's place --------------------------------------------------- */

static int16_t pte_of(const struct vcpu *v, uint64_t host_addr, uint32_t flags,
                      uint64_t *maddr)
{
    int64_t l1;

    if (flags & GNTMAP_contains_pte) {
        if (host_addr & 7)
            return GNTST_general_error;                  /* XSA-227 */
        *maddr = host_addr;
        return GNTST_okay;
    }
    l1 = guest_l1_of(v->cr3, host_addr);
    if (l1 < 0)
        return GNTST_general_error;
    *maddr = ((uint64_t)l1 << PAGE_SHIFT) | (((host_addr >> PAGE_SHIFT) & 511) << 3);
    return GNTST_okay;
}

static int16_t write_pte(const struct vcpu *v, struct maptrack_entry *m, uint32_t flags)
{
    int16_t st = pte_of(v, m->host_addr, flags, &m->pte_maddr);

    if (st != GNTST_okay)
        return st;
    if (set_grant_entry(&ftable, m->pte_maddr >> PAGE_SHIFT,
                        (unsigned int)((m->pte_maddr & (PAGE_SIZE - 1)) >> 3), m->frame,
                        !(m->flags & MAPTRACK_RO), flags & GNTMAP_application_map,
                        flags >> _GNTMAP_guest_avail0, v->domain->id))
        return GNTST_general_error;
    return GNTST_okay;
}

static void clear_pte(const struct maptrack_entry *m, domid_t mapper)
{
    /* A table no longer an L1 holds the entry as inert data: nothing to do. */
    clear_grant_entry(&ftable, m->pte_maddr >> PAGE_SHIFT,
                      (unsigned int)((m->pte_maddr & (PAGE_SIZE - 1)) >> 3), m->frame, mapper);
    flush_tlb_global();
}

/* ---- the frame's references ---------------------------------------------------------- */

static int16_t hold_frame(uint64_t frame, domid_t granter, bool readonly)
{
    /* The inline forms (page_types.h): a granted page is usually mapped
     * writable by its granter already, so no count starts. */
    if (get_page_fast(&ftable, frame, granter))
        return GNTST_bad_page;                           /* not the granter's */
    if (!readonly && get_page_type_fast(&ftable, frame, PGT_writable)) {
        put_page_fast(&ftable, frame);
        return GNTST_general_error;                      /* a table or GDT page */
    }
    return GNTST_okay;
}

/* Drop a mapping's references (a dead granter's frame goes back to the
 * allocator with its last one: ft->released). */
static void release_frame(uint64_t frame, bool readonly)
{
    if (!readonly)
        put_page_type_fast(&ftable, frame);
    put_page_fast(&ftable, frame);
}

/* ---- map ------------------------------------------------------------------------------ */

static int16_t map_held(struct vcpu *v, struct gnttab_map_grant_ref *op,
                        struct maptrack_entry *m)
{
    struct domain *d = v->domain;
    int16_t st = GNTST_okay;

    if (op->flags & GNTMAP_host_map)
        st = write_pte(v, m, op->flags);
    if (st == GNTST_okay && maptrack_get(&d->maptrack, &gnttab_env, m, &op->handle)) {
        if (op->flags & GNTMAP_host_map)
            clear_pte(m, d->id);
        st = GNTST_no_space;
    }
    if (st == GNTST_okay && (op->flags & GNTMAP_device_map))
        op->dev_bus_addr = m->frame << PAGE_SHIFT;
    return st;
}

int16_t grant_map(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    bool ro = op->flags & GNTMAP_readonly;
    struct domain *g = domain_by_id(op->dom);          /* a map names its granter */
    struct maptrack_entry m = { .ref = op->ref, .host_addr = op->host_addr };
    int16_t st;

    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_gntref;
    if (!g)
        return GNTST_bad_domain;
    st = gnttab_pin(&g->gnttab, &gnttab_env, op->ref, v->domain->id, ro, &m.frame);
    if (st != GNTST_okay)
        return st;
    m.granter = g->id;
    m.flags = (uint8_t)((ro ? MAPTRACK_RO : 0) |
                        ((op->flags & GNTMAP_host_map) ? MAPTRACK_HOST : 0) |
                        ((op->flags & GNTMAP_device_map) ? MAPTRACK_DEVICE : 0));
    st = hold_frame(m.frame, g->id, ro);
    if (st == GNTST_okay) {
        st = map_held(v, op, &m);
        if (st != GNTST_okay)
            release_frame(m.frame, ro);
    }
    if (st != GNTST_okay)
        gnttab_unpin(&g->gnttab, &gnttab_env, op->ref, ro);
    return st;
}

/* ---- unmap ---------------------------------------------------------------------------- */

/* End mapping h of d's, m its entry (the caller has looked it up): PTE,
 * references, the grant's use, the handle. */
static void release_mapping(struct domain *d, grant_handle_t h, struct maptrack_entry *m)
{
    struct domain *g = domain_by_id(m->granter);
    bool ro = m->flags & MAPTRACK_RO;

    if (m->flags & MAPTRACK_HOST)
        clear_pte(m, d->id);
    release_frame(m->frame, ro);
    if (g)
        gnttab_unpin(&g->gnttab, &gnttab_env, m->ref, ro);
    maptrack_put(&d->maptrack, h);
}

/* unmap_grant_ref ends the parts of a mapping it names, as on Xen: the
 * host mapping when host_addr is given (it must be the mapping's), the
 * device mapping when dev_bus_addr is (it must be the frame's address);
 * naming neither ends nothing. The mapping goes with its last part. */
int16_t grant_unmap(struct vcpu *v, struct gnttab_unmap_grant_ref *op)
{
    struct domain *d = v->domain;
    struct maptrack_entry *m = maptrack_lookup(&d->maptrack, op->handle);
    uint8_t parts;

    if (!m)
        return GNTST_bad_handle;
    if (op->host_addr && (!(m->flags & MAPTRACK_HOST) || op->host_addr != m->host_addr))
        return GNTST_general_error;
    if (op->dev_bus_addr && (!(m->flags & MAPTRACK_DEVICE) ||
                             op->dev_bus_addr != (m->frame << PAGE_SHIFT)))
        return GNTST_bad_dev_addr;
    parts = (op->host_addr ? MAPTRACK_HOST : 0) | (op->dev_bus_addr ? MAPTRACK_DEVICE : 0);
    if (parts && !(m->flags & (MAPTRACK_HOST | MAPTRACK_DEVICE) & ~parts)) {
        release_mapping(d, op->handle, m);   /* its last part: all of it */
        return GNTST_okay;
    }
    if (parts & MAPTRACK_HOST)
        clear_pte(m, d->id);
    m->flags &= (uint8_t)~parts;             /* the other part stays */
    return GNTST_okay;
}

/* unmap_and_replace: the mapping at host_addr ends, and the entry that
 * maps new_addr takes its place (Linux's gntdev restores a page so). */
int16_t grant_unmap_and_replace(struct vcpu *v, struct gnttab_unmap_and_replace *op)
{
    struct domain *d = v->domain;
    struct maptrack_entry *m = maptrack_lookup(&d->maptrack, op->handle);
    uint64_t src;

    if (!m)
        return GNTST_bad_handle;
    if (!(m->flags & MAPTRACK_HOST) || op->host_addr != m->host_addr)
        return GNTST_general_error;
    if (pte_of(v, op->new_addr, 0, &src) != GNTST_okay ||
        replace_grant_entry(&ftable, m->pte_maddr >> PAGE_SHIFT,
                            (unsigned int)((m->pte_maddr & (PAGE_SIZE - 1)) >> 3), m->frame,
                            src >> PAGE_SHIFT, (unsigned int)((src & (PAGE_SIZE - 1)) >> 3),
                            d->id))
        return GNTST_general_error;
    m->flags &= (uint8_t)~MAPTRACK_HOST;     /* the PTE is gone: only the rest */
    flush_tlb_global();
    release_mapping(d, op->handle, m);
    return GNTST_okay;
}

/* ---- a domain's end ------------------------------------------------------------------ */

void grant_release_mappings(struct domain *d)
{
    for (grant_handle_t h = 0; h < d->maptrack.cap; h++) {
        struct maptrack_entry *m = maptrack_lookup(&d->maptrack, h);
        if (m)
            release_mapping(d, h, m);
    }
}

bool grant_orphan_frame(uint64_t mfn)
{
    struct page_info *pg = &ftable.pages[mfn];

    if (!pg->count && !pg->type_count)
        return false;
    pg->owner = OWNER_ORPHAN;
    return true;
}
