/*
 * grant_copy.c: GNTTABOP_copy (#5), one uop: up to a page of bytes from a
 * source to a destination, each a grant or a plain frame.
 *
 * Rules, as on Xen for a 64-bit PV guest:
 *  - the offset and length of each side stay within its page
 *    (GNTST_bad_copy_arg), checked before anything is taken;
 *  - a grant side names the granter (DOMID_SELF: the caller) and an entry
 *    of its table granted to the caller (gnttab_pin: permit_access, the
 *    caller's domid, and not GTF_readonly for the destination); the entry
 *    is in use (GTF_reading, and GTF_writing for the destination) while
 *    it is copied, its frame the one read at its first use;
 *  - a plain frame is the caller's own, or for a privileged caller the
 *    named domain's (GNTST_permission_denied, GNTST_bad_domain);
 *  - each frame is owned by the granter (or named domain) and holds a
 *    general reference for the copy's duration (GNTST_bad_page); the
 *    destination also holds the writable type while it is written
 *    (GNTST_general_error), so a page table or descriptor page is never
 *    written;
 *  - whatever was taken is given back, on every path.
 * It is one hot path (netback copies every packet): the helpers are
 * inlined into grant_copy, the frames' references taken and dropped inline
 * when no count starts or ends (page_types.h), the bytes copied through
 * the direct map with one `rep movsq` when all is in whole quadwords.
 */
#include "directmap.h"
#include "domain.h"
#include "err.h"
#include "grant.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "page_types.h"
#include "vcpu_copy.h"

#define HOT static inline __attribute__((always_inline))

/* One side of a copy, held for its duration. */
struct copy_side {
    struct domain *granter;      /* the grant's domain; NULL: a plain frame */
    grant_ref_t ref;
    uint64_t frame;
    bool held;                   /* a general reference taken on frame */
};

/* The grant's domain and frame, the entry pinned. */
HOT int16_t take_grant(struct vcpu *v, const struct gnttab_copy_ptr *p, bool readonly,
                       struct copy_side *s)
{
    struct domain *g = p->domid == DOMID_SELF ? v->domain : domain_by_id(p->domid);
    int16_t st;

    if (!g)
        return GNTST_bad_domain;
    st = gnttab_pin(&g->gnttab, &gnttab_env, p->u.ref, v->domain->id, readonly, &s->frame);
    if (st == GNTST_okay) {
        s->granter = g;
        s->ref = p->u.ref;
    }
    return st;
}

/* A side: a grant, or a plain frame; then its general reference, the
 * frame being its grant's or named domain's. */
HOT int16_t take_side(struct vcpu *v, const struct gnttab_copy_ptr *p, bool gref,
                      bool readonly, struct copy_side *s)
{
    struct domain *owner = v->domain;
    int16_t st = GNTST_okay;

    s->granter = NULL;
    s->held = false;
    if (gref) {
        st = take_grant(v, p, readonly, s);
        owner = s->granter;
    } else {
        if (p->domid != DOMID_SELF)
            st = grant_target(v, p->domid, &owner);
        s->frame = p->u.gmfn;
    }
    if (st != GNTST_okay)
        return st;
    if (get_page_fast(&ftable, s->frame, owner->id))
        return GNTST_bad_page;
    s->held = true;
    return GNTST_okay;
}

HOT void release_side(struct copy_side *s, bool readonly)
{
    if (s->held)
        put_page_fast(&ftable, s->frame);
    if (s->granter)
        gnttab_unpin(&s->granter->gnttab, &gnttab_env, s->ref, readonly);
}

/* Whole quadwords (the common case: a page, or a packet's aligned
 * buffer) in one `rep movsq`; anything else through memcpy. */
HOT void copy_frames(uint8_t *to, const uint8_t *from, size_t len)
{
    if (((uintptr_t)to | (uintptr_t)from | len) & 7) {
        memcpy(to, from, len);
        return;
    }
    len /= 8;
    __asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(len) : : "memory");
}

HOT int16_t copy_bytes(const struct gnttab_copy *op, const struct copy_side *src,
                       const struct copy_side *dst)
{
    /* The destination takes the writable type while it is written. */
    if (get_page_type_fast(&ftable, dst->frame, PGT_writable))
        return GNTST_general_error;
    copy_frames((uint8_t *)phys_to_virt(dst->frame << PAGE_SHIFT) + op->dest.offset,
                (const uint8_t *)phys_to_virt(src->frame << PAGE_SHIFT) + op->source.offset,
                op->len);
    put_page_type_fast(&ftable, dst->frame);
    return GNTST_okay;
}

HOT int16_t grant_copy(struct vcpu *v, const struct gnttab_copy *op)
{
    struct copy_side src, dst;
    int16_t st = gnttab_copy_check(op);

    if (st != GNTST_okay)
        return st;
    st = take_side(v, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if (st == GNTST_okay) {
        st = take_side(v, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
        if (st == GNTST_okay)
            st = copy_bytes(op, &src, &dst);
        release_side(&dst, false);
    }
    release_side(&src, true);
    return st;
}

/* As the other uops' batches (grant_table_op.c), but with the copy inlined
 * and, as on Xen, only each uop's status written back. */
int64_t grant_copy_batch(struct vcpu *v, uint64_t uops, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        uint64_t uop = uops + i * sizeof(struct gnttab_copy);
        struct gnttab_copy op;
        int16_t st;

        if (i == GRANT_PREEMPT_UOPS) {
            const struct hypercall_args next = { GNTTABOP_copy, uop, count - i, 0, 0, NULL };
            hypercall_continue(v, &next);
            return 0;
        }
        if (vcpu_copy_from(v, &op, uop, sizeof(op)))
            return -EFAULT;
        st = grant_copy(v, &op);
        if (vcpu_copy_to(v, uop + offsetof(struct gnttab_copy, status), &st, sizeof(st)))
            return -EFAULT;
    }
    return 0;
}
