/*
 * domain.c: creating, stopping and tearing down domains, and vm_assist.
 *
 * Invariants: every frame a domain holds is on its frame list exactly once
 * and was allocated for it; domain_destroy frees exactly that list, and
 * reports the count; a domain is torn down only after the CPU has left its
 * page tables. The first crash reason is kept; later ones are ignored.
 */
#include <asm/guest_access.h>
#include <stdarg.h>
#include "evtchn_glue.h"
#include "console.h"
#include "console_io.h"
#include "domain.h"
#include "pirq_glue.h"
#include "grant.h"
#include "err.h"
#include "heap.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "directmap.h"
#include "page_types.h"
#include "power.h"
#include "sched.h"
#include <public/sched.h>
#include <asm/cpu.h>
#include <asm/context.h>
#include <asm/guest.h>
#include <asm/page.h>
#include <asm/paging.h>

struct vcpu *current_vcpu;
/* Frames of ended domains kept while others still map them (grant_map.c
 * frees them), since boot. */
static uint64_t frames_kept_total;
/* A domain's slot is its id, so finding one by id (every interdomain
 * event, grant and foreign mapping does) costs the same with 2 domains or
 * 200: no scan. */
struct domain *domains[MAX_DOMAINS];

struct domain *domain_by_id(domid_t id)
{
    struct domain *d = id < MAX_DOMAINS ? domains[id] : NULL;

    return d && d->state != DOMAIN_DEAD ? d : NULL;
}

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *shutdown_reason_name(unsigned int reason)
{
    return reason <= SHUTDOWN_MAX ? reason_names[reason] : "unknown";
}

/* Only frames the domain owns: never MMIO, another domain's or ours. */
static void *guest_frame_ptr(void *ctx, uint64_t mfn)
{
    const struct domain *d = ctx;

    if (!fa_is_managed(&machine_frames, mfn) || mfn >= ftable.nr || ftable.pages[mfn].owner != d->id)
        return NULL;
    return phys_to_virt(mfn << PAGE_SHIFT);
}

void vcpu_guest_space(const struct vcpu *v, struct guest_space *gs)
{
    *gs = (struct guest_space){ .cr3 = v->cr3, .frame = guest_frame_ptr, .ctx = v->domain,
                                .root_loaded = guest_root_loaded, .raw = guest_copy_raw };
}

/* vCPU id of d, as it is at reset. */
static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = heap_zalloc(sizeof(*v));

    if (!v)
        return NULL;
    v->domain = d;
    v->id = id;
    v->kernel_mode = true;
    v->dr[6] = 0xffff0ff0;                     /* architectural reset values */
    v->dr[7] = 0x400;
    v->run_state = VCPU_RUNNABLE;
    arch_vcpu_init_fpu(v);
    return v;
}

struct domain *domain_create(domid_t id, const char *name, bool privileged)
{
    struct domain *d = id >= MAX_DOMAINS || domains[id] ? NULL : heap_zalloc(sizeof(*d));

    if (!d)
        return NULL;
    d->id = id;
    memcpy(d->name, name, MIN(strlen(name), sizeof(d->name) - 1));
    d->privileged = privileged;
    d->state = DOMAIN_BUILDING;
    d->vcpu[0] = vcpu_create(d, 0);
    d->iocap = heap_alloc(sizeof(*d->iocap));
    if (!d->vcpu[0] || !d->iocap) {
        heap_free(d->vcpu[0]);
        heap_free(d->iocap);
        heap_free(d);
        return NULL;
    }
    iocap_init(d->iocap);                      /* nothing granted */
    d->nr_vcpus = 1;
    domains[id] = d;
    if (domain_gnttab_init(d)) {
        domain_destroy(d);
        return NULL;
    }
    return d;
}

static int grow_frame_list(struct domain *d)
{
    struct frame_list *l = &d->owned_frames;
    uint64_t cap = l->cap ? l->cap * 2 : 512;
    uint64_t *list = heap_alloc(cap * sizeof(*list));

    if (!list)
        return -ENOMEM;
    if (l->nr)
        memcpy(list, l->mfns, l->nr * sizeof(*list));
    heap_free(l->mfns);
    l->mfns = list;
    l->cap = cap;
    return 0;
}

/* A fresh frame becomes d's, at the end of its frame list (room made). */
static void take_frame(struct domain *d, uint64_t mfn)
{
    ftable.pages[mfn] = (struct page_info){ .owner = d->id };
    frame_list_add(&d->owned_frames, ftable.pages, mfn);
}

int64_t domain_alloc_frame(struct domain *d)
{
    int64_t mfn;

    if (d->owned_frames.nr == d->owned_frames.cap && grow_frame_list(d))
        return -ENOMEM;
    mfn = fa_alloc(&machine_frames);
    if (mfn >= 0)
        take_frame(d, (uint64_t)mfn);
    return mfn;
}

int domain_alloc_frames(struct domain *d, uint64_t *mfns, uint64_t n)
{
    while (d->owned_frames.nr + n > d->owned_frames.cap)
        if (grow_frame_list(d))
            return -ENOMEM;
    if (fa_alloc_many(&machine_frames, mfns, n))
        return -ENOMEM;
    for (uint64_t i = 0; i < n; i++)
        take_frame(d, mfns[i]);
    return 0;
}

int64_t domain_alloc_extent(struct domain *d, unsigned int order, uint64_t limit)
{
    uint64_t n = 1ULL << order;
    int64_t first;

    while (d->owned_frames.nr + n > d->owned_frames.cap)
        if (grow_frame_list(d))
            return -ENOMEM;
    first = fa_alloc_aligned(&machine_frames, order, limit);
    if (first < 0)
        return first;
    for (uint64_t mfn = (uint64_t)first; mfn < (uint64_t)first + n; mfn++) {
        clear_page(phys_to_virt(mfn << PAGE_SHIFT));     /* no data from before */
        take_frame(d, mfn);
    }
    return first;
}

int domain_give_frame(struct domain *from, struct domain *to, uint64_t mfn)
{
    if (to->owned_frames.nr == to->owned_frames.cap && grow_frame_list(to))
        return -ENOMEM;
    if (frame_list_remove(&from->owned_frames, ftable.pages, mfn))
        return -EINVAL;                      /* not on the list: never happens */
    m2p_set(mfn, M2P_INVALID);
    take_frame(to, mfn);                     /* owner, slot; no references */
    from->nr_pages--;
    to->nr_pages++;
    return 0;
}

int domain_free_frame(struct domain *d, uint64_t mfn)
{
    const struct page_info *pg;

    if (mfn >= ftable.nr || ftable.pages[mfn].owner != d->id)
        return -EINVAL;
    pg = &ftable.pages[mfn];
    if (pg->count || pg->type_count || (pg->flags & PGF_shared))
        return -EBUSY;                       /* still mapped, typed, or ours */
    if (frame_list_remove(&d->owned_frames, ftable.pages, mfn))
        return -EINVAL;                      /* not on the list: never happens */
    m2p_set(mfn, M2P_INVALID);
    ftable.pages[mfn].owner = OWNER_NONE;
    return fa_free(&machine_frames, mfn);
}

/* Drop the references the domain holds outside its page tables: the CR3s,
 * the GDT, the pins and the shared page's own. Everything its tables
 * referenced is released with them. */
static void relinquish_vcpu(struct vcpu *v)
{
    if (v->cr3)
        put_page_and_type(&ftable, v->cr3 >> PAGE_SHIFT);
    if (v->user_cr3)
        put_page_and_type(&ftable, v->user_cr3 >> PAGE_SHIFT);
    v->cr3 = v->user_cr3 = 0;
    vcpu_release_gdt(v);
    if (v->vcpu_info_mfn) {
        v->domain->evtchn.vcpu_info[v->id] = NULL;   /* nothing writes it after this */
        v->vcpu_info = evtchn_vcpu_info(&v->domain->evtchn, v->id);
        put_page_and_type(&ftable, v->vcpu_info_mfn);
        v->vcpu_info_mfn = 0;
    }
}

static void relinquish_references(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d, v)
        relinquish_vcpu(v);
    for (uint64_t i = 0; i < d->owned_frames.nr; i++) {
        uint64_t mfn = d->owned_frames.mfns[i];
        if (ftable.pages[mfn].flags & PGF_pinned)
            unpin_table(&ftable, mfn, d->id);
        unshare_page(&ftable, mfn);          /* shared_info, grant frames */
    }
}

bool domain_may_map_foreign(void *ctx, uint16_t mapper, uint16_t frame_owner)
{
    const struct domain *d = domain_by_id(mapper);

    (void)ctx;
    (void)frame_owner;
    return d && d->privileged;
}

/* Xen gives I/O memory to the hardware domain; Tern to privileged ones. */
bool domain_may_map_iomem(void *ctx, uint16_t mapper)
{
    const struct domain *d = domain_by_id(mapper);

    (void)ctx;
    return d && d->privileged;
}

void domain_frame_released(void *ctx, uint64_t mfn)
{
    struct page_info *pg = &ftable.pages[mfn];

    (void)ctx;
    if (pg->owner != OWNER_ORPHAN || pg->type_count)
        return;
    pg->owner = OWNER_NONE;
    fa_free(&machine_frames, mfn);
    printk("frame %#lx of an ended domain returned to the allocator after its last "
           "mapping by another domain (free frames %lu)\n", mfn, machine_frames.nr_free);
}

/* Return one frame to the allocator if nothing references it any more. */
static bool release_frame(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = &ftable.pages[mfn];

    m2p_set(mfn, M2P_INVALID);
    if (grant_orphan_frame(mfn)) {
        /* Its own references are all gone (relinquish_references): what is
         * left is other domains' grant mappings. It returns with the last. */
        frames_kept_total++;
        return false;
    }
    pg->owner = OWNER_NONE;
    if (fa_free(&machine_frames, mfn) == 0)
        return true;
    log_err("domain %u: frame %#lx was not allocated (frame list corrupt)\n", d->id, mfn);
    return false;
}

uint64_t domain_destroy(struct domain *d)
{
    uint64_t freed = 0;
    struct vcpu *v;

    evtchn_destroy_domain(&evtchn_env, &d->evtchn);   /* peers become unbound */
    pirq_domain_destroy(d);                            /* its lines masked */
    grant_release_mappings(d);                         /* before its tables go */
    relinquish_references(d);
    for (uint64_t i = 0; i < d->owned_frames.nr; i++)
        freed += release_frame(d, d->owned_frames.mfns[i]);
    d->state = DOMAIN_DEAD;
    domains[d->id] = NULL;
    heap_free(d->owned_frames.mfns);
    heap_free(d->p2m);
    for_each_vcpu(d, v)
        heap_free(v);
    heap_free(d->iocap);
    domain_gnttab_destroy(d);
    heap_free(d);
    return freed;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->state == DOMAIN_SHUTDOWN || d->state == DOMAIN_DEAD)
        return;
    console_io_flush(d);
    if (d->has_shutdown_code)            /* a recorded code wins, as on Xen */
        reason = d->shutdown_code;
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_reason = reason;
    sched_note_shutdown();
    printk("domain %u (%s) shut down: reason %u (%s)\n", d->id, d->name, reason,
           shutdown_reason_name(reason));
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    va_list ap;

    if (d->state == DOMAIN_SHUTDOWN || d->state == DOMAIN_DEAD)
        return;
    va_start(ap, fmt);
    vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, ap);
    va_end(ap);
    log_err("domain %u (%s) crashed: %s\n", d->id, d->name, d->crash_reason);
    domain_shutdown(d, SHUTDOWN_crash);
}

uint64_t domain_reap(struct domain *d)
{
    uint64_t held = d->owned_frames.nr, freed, free_before = machine_frames.nr_free, kept_before;
    domid_t id = d->id;

    char kept[64] = "";

    kept_before = frames_kept_total;
    freed = domain_destroy(d);
    if (frames_kept_total != kept_before)
        snprintf(kept, sizeof(kept), "; %lu kept until other domains unmap them",
                 frames_kept_total - kept_before);
    printk("domain %u destroyed: %lu of %lu frames returned to the allocator "
           "(free frames %lu -> %lu)%s\n", id, freed, held, free_before,
           machine_frames.nr_free, kept);
    mm_audit("after a domain teardown");
    return freed;
}

/* The VMASST types a 64-bit PV guest may set (Xen's PV64 mask). */
#define VMASST_VALID ((1ULL << VMASST_TYPE_4gb_segments) |          \
                      (1ULL << VMASST_TYPE_4gb_segments_notify) |   \
                      (1ULL << VMASST_TYPE_writable_pagetables) |   \
                      (1ULL << VMASST_TYPE_pae_extended_cr3) |      \
                      (1ULL << VMASST_TYPE_architectural_iopl) |    \
                      (1ULL << VMASST_TYPE_runstate_update_flag) |  \
                      (1ULL << VMASST_TYPE_m2p_strict))

int64_t do_vm_assist(struct vcpu *v, const struct hypercall_args *a)
{
    uint64_t type = a->a2;

    if (type >= 64 || !(VMASST_VALID & (1ULL << type)))
        return -EINVAL;
    switch (a->a1) {
    case VMASST_CMD_enable:  v->domain->vm_assist |= 1ULL << type; return 0;
    case VMASST_CMD_disable: v->domain->vm_assist &= ~(1ULL << type); return 0;
    default:                 return unimpl_enosys(v->domain, UNIMPL_VM_ASSIST, a->a1);
    }
}

static const char *const state_names[] = {
    [DOMAIN_BUILDING] = "building", [DOMAIN_RUNNING] = "running",
    [DOMAIN_SHUTDOWN] = "shut down", [DOMAIN_DEAD] = "dead",
};

void domain_dump_all(void)
{
    bool any = false;

    printk("'q' pressed -> domains:\n");
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        const struct domain *d = domains[i];
        const struct cpu_regs *r;
        if (!d)
            continue;
        r = d == current_domain() ? guest_frame() : &d->vcpu[0]->regs;
        any = true;
        printk("  d%u %-12s %s%s%s, %lu pages (max %lu), %lu frames, cpu %lu ms, rip %#lx\n",
               d->id, d->name, state_names[d->state], d->privileged ? ", privileged" : "",
               d->paused ? ", paused" : "", d->nr_pages, d->max_pages, d->owned_frames.nr,
               d->vcpu[0]->runtime_ns / 1000000, r->rip);
    }
    if (!any)
        printk("  (none)\n");
}
