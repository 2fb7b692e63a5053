/*
 * page_types_audit.c: the frame table's invariants (page_types.c) checked on the running
 * hypervisor, after every domain teardown and on debug key 'm'.
 *
 * mm_check_invariants recounts every reference that validated tables,
 * pins and shared pages hold; the references held from elsewhere are
 * declared here: each vCPU's kernel and user L4 (CR3) and its GDT pages,
 * and each domain's grant mappings (its maptrack).
 * Rule 8 (frames the hypervisor writes) is checked for every domain's
 * shared_info: it must be a PGF_shared page of that domain's. A broken
 * invariant is a hypervisor bug: it is reported with the frame's record.
 */
#include "console.h"
#include "domain.h"
#include "heap.h"
#include "memory_setup.h"
#include "page_types.h"
#include <asm/page.h>

static void count_frame(uint32_t *extra, uint64_t maddr)
{
    uint64_t mfn = maddr >> PAGE_SHIFT;

    if (maddr && mfn < ftable.nr)
        extra[mfn]++;
}

/* The type references vCPUs hold outside any table. */
static void count_vcpu_refs(uint32_t *extra, const struct vcpu *v)
{
    count_frame(extra, v->cr3);
    count_frame(extra, v->user_cr3);
    count_frame(extra, v->vcpu_info_mfn << PAGE_SHIFT);   /* register_vcpu_info */
    for (unsigned int i = 0; i * 512 < v->gdt_ents; i++)
        count_frame(extra, v->gdt_frames[i] << PAGE_SHIFT);
}

static bool shared_info_ok(const struct domain *d)
{
    const struct page_info *pg = &ftable.pages[d->shared_info_mfn];

    return !d->shared_info || ((pg->owner == d->id || pg->owner == OWNER_NONE) &&
                               (pg->flags & PGF_shared) && pg->type == PGT_writable);
}

static void report(uint64_t mfn, const char *when)
{
    const struct page_info *pg = &ftable.pages[mfn];

    log_err("frame table invariant broken %s: frame %#lx owner %u type %u x%u count %u "
            "flags %#x linear %d\n", when, mfn, pg->owner, pg->type, pg->type_count,
            pg->count, pg->flags, pg->linear);
}

static bool check_domains(const char *when)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        const struct domain *d = domains[i];
        if (d && !shared_info_ok(d)) {
            report(d->shared_info_mfn, when);
            return false;
        }
    }
    return true;
}

/* A domain's grant mappings hold their frames' references (grant_map.c):
 * a writable one the writable type, a read-only one a general reference. */
static void count_maptrack(uint32_t *extra, uint32_t *plain, const struct domain *d)
{
    for (uint32_t h = 0; h < d->maptrack.cap; h++) {
        const struct maptrack_entry *m = &d->maptrack.e[h];
        if (!m->flags || m->frame >= ftable.nr)
            continue;
        if (m->flags & MAPTRACK_RO)
            plain[m->frame]++;
        else
            extra[m->frame]++;
    }
}

bool mm_audit(const char *when)
{
    uint32_t *scratch = heap_zalloc(5 * ftable.nr * sizeof(uint32_t));
    uint32_t *extra = scratch ? scratch + 3 * ftable.nr : NULL;
    uint32_t *plain = scratch ? scratch + 4 * ftable.nr : NULL;
    uint64_t bad = 0;
    bool ok;

    if (!scratch) {
        log_warn("frame table check %s skipped: no memory for its counters\n", when);
        return true;
    }
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct vcpu *v;
        if (!domains[i])
            continue;
        for_each_vcpu(domains[i], v)
            count_vcpu_refs(extra, v);
        count_maptrack(extra, plain, domains[i]);
    }
    ok = check_domains(when);
    if (ok && mm_check_invariants_ext(&ftable, extra, plain, scratch, &bad) != 0) {
        report(bad, when);
        ok = false;
    }
    heap_free(scratch);
    if (ok)
        log_debug("frame table invariants hold %s (%lu frames)\n", when, ftable.nr);
    return ok;
}
