/*
 * grant_table_op.c: grant_table_op (#20), the hypercall front end of the
 * grant tables (gnttab.c is the model), and each domain's table.
 *
 * Rules, as on Xen for a 64-bit PV guest:
 *  - every uop is copied in once, acted on, and its status copied back,
 *    all in the calling vCPU's own memory (vcpu_copy.h: directly while
 *    its kernel root is loaded, else the walk of its tables);
 *    batches are cut into continuations every GRANT_PREEMPT_UOPS (mapping is in
 *    grant_map.c);
 *  - a uop naming a domain other than the caller needs a privileged caller
 *    (GNTST_permission_denied) and a domain that exists (GNTST_bad_domain);
 *  - a table starts with one frame and grows on demand to
 *    gnttab_max_frames (Xen's option and default, 64); its frames are the
 *    hypervisor's, shared with the domain (rule 8 of page_types.c: we set
 *    status bits in them at any time), on the domain's frame list so that
 *    its teardown returns them;
 *  - a copy is grant_copy.c's.
 */
#include "console.h"
#include "directmap.h"
#include "domain.h"
#include "err.h"
#include "grant.h"
#include "heap.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "page_types.h"
#include "unimpl.h"
#include "vcpu_copy.h"
#include <asm/page.h>

static unsigned int max_frames = GNTTAB_DEFAULT_FRAMES;

void gnttab_set_max_frames(unsigned int n)
{
    max_frames = n;
}

/* ---- the model's environment ------------------------------------------------ */

static void *env_frame(void *ctx, uint64_t mfn)
{
    (void)ctx;
    return phys_to_virt(mfn << PAGE_SHIFT);
}

static struct domain *any_domain_by_id(domid_t id)
{
    return id < MAX_DOMAINS ? domains[id] : NULL;     /* slot = id (domain.c) */
}

static int env_new_frame(void *ctx, domid_t owner, uint64_t *mfn)
{
    struct domain *d = any_domain_by_id(owner);
    int64_t m = d ? domain_alloc_frame(d) : -ENOMEM;

    (void)ctx;
    if (m < 0)
        return -ENOMEM;
    clear_page(phys_to_virt((uint64_t)m << PAGE_SHIFT));
    if (share_page(&ftable, (uint64_t)m, owner))
        panic("grant table: a fresh frame could not be shared\n");
    *mfn = (uint64_t)m;
    return 0;
}

/* Whole pages at least: the heap keeps pages of small objects for reuse,
 * and a domain's records must go back to the allocator with it (the
 * free-frame count after every teardown is checked). */
static void *env_zalloc(void *ctx, size_t bytes)
{
    (void)ctx;
    return heap_zalloc(MAX(bytes, (size_t)HEAP_MAX_SMALL + 1));
}

static void env_free(void *ctx, void *p)
{
    (void)ctx;
    heap_free(p);
}

const struct gnttab_env gnttab_env = { env_frame, env_new_frame, env_zalloc, env_free, NULL };

int domain_gnttab_init(struct domain *d)
{
    maptrack_init(&d->maptrack);
    if (gnttab_init(&d->gnttab, &gnttab_env, d->id, max_frames))
        return -ENOMEM;
    return gnttab_grow(&d->gnttab, &gnttab_env, 1) == GNTST_okay ? 0 : -ENOMEM;
}

void domain_gnttab_destroy(struct domain *d)
{
    gnttab_destroy(&d->gnttab, &gnttab_env);
    maptrack_destroy(&d->maptrack, &gnttab_env);
}

int gnttab_grant_access(struct domain *d, grant_ref_t ref, domid_t to, uint64_t mfn)
{
    struct grant_entry_v1 *e = gnttab_shared(&d->gnttab, &gnttab_env, ref);

    if (!e || mfn > UINT32_MAX)
        return -EINVAL;
    e->domid = to;
    e->frame = (uint32_t)mfn;
    __atomic_store_n(&e->flags, (uint16_t)GTF_permit_access, __ATOMIC_RELEASE);  /* last */
    return 0;
}

/* ---- one uop each --------------------------------------------------------------- */

static int16_t setup_table(struct vcpu *v, struct gnttab_setup_table *op)
{
    struct domain *d;
    int16_t st = grant_target(v, op->dom, &d);

    if (st == GNTST_okay)
        st = gnttab_grow(&d->gnttab, &gnttab_env, op->nr_frames);
    if (st != GNTST_okay)
        return st;
    if (vcpu_copy_to(v, op->frame_list, d->gnttab.frames,
                     op->nr_frames * sizeof(d->gnttab.frames[0])))
        return GNTST_bad_virt_addr;
    return GNTST_okay;
}

static int16_t query_size(struct vcpu *v, struct gnttab_query_size *op)
{
    struct domain *d;
    int16_t st = grant_target(v, op->dom, &d);

    if (st == GNTST_okay) {
        op->nr_frames = d->gnttab.nr_frames;
        op->max_nr_frames = d->gnttab.max_frames;
    }
    return st;
}

/* Exchange two entries of the caller's table, neither in use. */
static int16_t swap_grant_ref(struct vcpu *v, struct gnttab_swap_grant_ref *op)
{
    struct grant_table *gt = &v->domain->gnttab;
    struct grant_entry_v1 *a = gnttab_shared(gt, &gnttab_env, op->ref_a);
    struct grant_entry_v1 *b = gnttab_shared(gt, &gnttab_env, op->ref_b);
    struct grant_entry_v1 t;

    if (!a || !b)
        return GNTST_bad_gntref;
    if (gnttab_in_use(gt, op->ref_a) || gnttab_in_use(gt, op->ref_b))
        return GNTST_eagain;
    t = *a;
    *a = *b;
    *b = t;
    return GNTST_okay;
}

/* ---- versions ---------------------------------------------------------------------- */

static int64_t get_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;

    if (vcpu_copy_from(v, &op, uop, sizeof(op)))
        return -EFAULT;
    if (grant_target(v, op.dom, &d) != GNTST_okay)
        return op.dom == DOMID_SELF || domain_by_id(op.dom) ? -EPERM : -ESRCH;
    op.version = 1;
    return vcpu_copy_to(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Only version 1: a request for another is -EINVAL, as Xen answers one it
 * does not offer; the version in force is written back either way. */
static int64_t set_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_set_version op;
    int64_t rc;

    if (vcpu_copy_from(v, &op, uop, sizeof(op)))
        return -EFAULT;
    rc = op.version == 1 ? 0 : -EINVAL;
    op.version = 1;
    return vcpu_copy_to(v, uop, &op, sizeof(op)) ? -EFAULT : rc;
}

/* ---- batches --------------------------------------------------------------------- */

/* One uop of a batch: copy in, act, status back; -EFAULT ends the call. */
typedef int16_t (*uop_fn)(struct vcpu *v, void *op);

struct uop_kind {
    size_t size, status_off;     /* the struct, and where its status lives */
    uop_fn fn;
    bool single;                 /* count must be 1 (-EINVAL otherwise) */
};

/* get_status_frames: a v1 table has none (asking for none is fine). */
static int16_t status_frames(struct vcpu *v, struct gnttab_get_status_frames *op)
{
    struct domain *d;
    int16_t st = grant_target(v, op->dom, &d);

    return st != GNTST_okay ? st : op->nr_frames ? GNTST_general_error : GNTST_okay;
}

/* A frame of d's that nothing references: its owner may give it away. */
static bool transferable(const struct domain *d, uint64_t mfn)
{
    const struct page_info *pg = mfn < ftable.nr ? &ftable.pages[mfn] : NULL;

    return pg && pg->owner == d->id && !pg->count && !pg->type_count &&
           !(pg->flags & PGF_shared);
}

/* As Xen does with a page it has taken but cannot deliver: it is gone. */
static int16_t drop_frame(struct domain *d, uint64_t mfn, int16_t st)
{
    if (domain_free_frame(d, mfn) == 0)
        d->nr_pages--;
    return st;
}

/* transfer: our unmapped page becomes the receiver's, into the entry it
 * offered for it (GTF_accept_transfer to us). As on Xen, once the page is
 * taken a failure on the receiver's side loses it. */
static int16_t transfer(struct vcpu *v, struct gnttab_transfer *op)
{
    struct domain *d = v->domain, *e;
    int16_t st;

    if (!transferable(d, op->mfn))
        return GNTST_bad_page;
    e = domain_by_id(op->domid);
    if (!e)
        return drop_frame(d, op->mfn, GNTST_bad_domain);
    if (e->nr_pages >= e->max_pages + (e == d))
        return drop_frame(d, op->mfn, GNTST_general_error);   /* no room there */
    st = gnttab_accept_transfer(&e->gnttab, &gnttab_env, op->ref, d->id);
    if (st != GNTST_okay)
        return drop_frame(d, op->mfn, GNTST_general_error);
    if (domain_give_frame(d, e, op->mfn))
        return drop_frame(d, op->mfn, GNTST_general_error);
    gnttab_complete_transfer(&e->gnttab, &gnttab_env, op->ref, op->mfn);
    return GNTST_okay;
}

static int16_t map_uop(struct vcpu *v, void *op) { return grant_map(v, op); }
static int16_t replace_uop(struct vcpu *v, void *op) { return grant_unmap_and_replace(v, op); }
static int16_t frames_uop(struct vcpu *v, void *op) { return status_frames(v, op); }
static int16_t transfer_uop(struct vcpu *v, void *op) { return transfer(v, op); }
static int16_t unmap_uop(struct vcpu *v, void *op) { return grant_unmap(v, op); }
static int16_t setup_uop(struct vcpu *v, void *op) { return setup_table(v, op); }
static int16_t query_uop(struct vcpu *v, void *op) { return query_size(v, op); }
static int16_t swap_uop(struct vcpu *v, void *op) { return swap_grant_ref(v, op); }

#define KIND(type, f, one) { sizeof(struct type), offsetof(struct type, status), f, one }
static const struct uop_kind kinds[] = {
    [GNTTABOP_map_grant_ref]   = KIND(gnttab_map_grant_ref, map_uop, false),
    [GNTTABOP_unmap_grant_ref] = KIND(gnttab_unmap_grant_ref, unmap_uop, false),
    [GNTTABOP_transfer]        = KIND(gnttab_transfer, transfer_uop, false),
    [GNTTABOP_unmap_and_replace] = KIND(gnttab_unmap_and_replace, replace_uop, false),
    [GNTTABOP_get_status_frames] = KIND(gnttab_get_status_frames, frames_uop, true),
    [GNTTABOP_setup_table]    = KIND(gnttab_setup_table, setup_uop, true),
    [GNTTABOP_query_size]     = KIND(gnttab_query_size, query_uop, false),
    [GNTTABOP_swap_grant_ref] = KIND(gnttab_swap_grant_ref, swap_uop, false),
};
#undef KIND

static int64_t one_uop(struct vcpu *v, const struct uop_kind *k, uint64_t uop)
{
    uint64_t buf[5];                         /* the largest uop, 40 bytes */
    int16_t st;

    _Static_assert(sizeof(struct gnttab_copy) <= sizeof(buf), "uop buffer");
    if (vcpu_copy_from(v, buf, uop, k->size))
        return -EFAULT;
    st = k->fn(v, buf);
    /* Two bytes at a run-time offset: inline, not a call to memcpy. */
    __builtin_memcpy((uint8_t *)buf + k->status_off, &st, sizeof(st));
    return vcpu_copy_to(v, uop, buf, k->size) ? -EFAULT : 0;
}

static int64_t run_uops(struct vcpu *v, unsigned int cmd, uint64_t uops, uint32_t count)
{
    const struct uop_kind *k = &kinds[cmd];

    if (k->single && count != 1)
        return -EINVAL;
    for (uint32_t i = 0; i < count; i++) {
        int64_t rc;
        if (i == GRANT_PREEMPT_UOPS) {
            const struct hypercall_args next = { cmd, uops + i * k->size, count - i, 0, 0, NULL };
            hypercall_continue(v, &next);
            return 0;
        }
        rc = one_uop(v, k, uops + i * k->size);
        if (rc)
            return rc;
    }
    return 0;
}

/* Every op but copy (kept out of line: its frame is not the copy's). */
static __attribute__((noinline)) int64_t other_op(struct vcpu *v, const struct hypercall_args *a)
{
    unsigned int cmd = (unsigned int)a->a1;
    uint32_t count = (uint32_t)a->a3;
    if (cmd == GNTTABOP_get_version)
        return count == 1 ? get_version(v, a->a2) : -EINVAL;
    if (cmd == GNTTABOP_set_version)
        return count == 1 ? set_version(v, a->a2) : -EINVAL;
    if (cmd == GNTTABOP_cache_flush)
        return 0;                            /* x86 caches are coherent: nothing to do */
    if (cmd >= ARRAY_SIZE(kinds) || !kinds[cmd].fn)
        return unimpl_enosys(v->domain, UNIMPL_GRANT_TABLE_OP, cmd);
    return run_uops(v, cmd, a->a2, count);
}

int64_t do_grant_table_op(struct vcpu *v, const struct hypercall_args *a)
{
    if ((unsigned int)a->a1 == GNTTABOP_copy)     /* first: netback's hot path */
        return grant_copy_batch(v, a->a2, (uint32_t)a->a3);
    return other_op(v, a);
}
