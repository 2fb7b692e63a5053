/*
 * Grant tables in the hypervisor (grant_table_op.c, grant_map.c): each
 * domain's table and maptrack, the hypercall's uops, and what a domain's
 * end does to its grants. The model itself is gnttab.h.
 */
#ifndef GRANT_H
#define GRANT_H

#include "domain.h"
#include "gnttab.h"

/* The model's environment in the hypervisor (grant_table_op.c). */
extern const struct gnttab_env gnttab_env;

/* gnttab_max_frames=: each new table's limit. */
void gnttab_set_max_frames(unsigned int n);
/* Each domain's grant table and maptrack: 0 or -ENOMEM; and their private
 * records given back at its end. */
int domain_gnttab_init(struct domain *d);
void domain_gnttab_destroy(struct domain *d);
/* Write entry ref of d's table as a granter would: permit_access to `to`
 * of frame mfn (the builder's seeding of the reserved entries). 0 or
 * -EINVAL. */
int gnttab_grant_access(struct domain *d, grant_ref_t ref, domid_t to, uint64_t mfn);

/* The domain a uop names (DOMID_SELF: the caller's): GNTST_okay, or
 * GNTST_bad_domain (none such), GNTST_permission_denied (another
 * domain, the caller unprivileged). */
static inline int16_t grant_target(const struct vcpu *v, domid_t dom, struct domain **out)
{
    struct domain *d = dom == DOMID_SELF ? v->domain : domain_by_id(dom);

    if (!d)
        return GNTST_bad_domain;
    if (d != v->domain && !v->domain->privileged)
        return GNTST_permission_denied;
    *out = d;
    return GNTST_okay;
}

/* Uops done between continuations of a batch. */
#define GRANT_PREEMPT_UOPS 512

/* GNTTABOP_copy of count uops at guest address uops: 0, -EFAULT, or a
 * continuation set up (grant_copy.c). */
int64_t grant_copy_batch(struct vcpu *v, uint64_t uops, uint32_t count);
/* map_grant_ref / unmap_grant_ref of one uop: its status (grant_map.c). */
int16_t grant_map(struct vcpu *v, struct gnttab_map_grant_ref *op);
int16_t grant_unmap(struct vcpu *v, struct gnttab_unmap_grant_ref *op);
int16_t grant_unmap_and_replace(struct vcpu *v, struct gnttab_unmap_and_replace *op);
/* A domain's end: release every mapping it holds (before its own tables
 * go); then, for each of its frames still referenced, keep it without an
 * owner until the last mapping of it goes (true), or say it is free
 * (false). */
void grant_release_mappings(struct domain *d);
bool grant_orphan_frame(uint64_t mfn);

#endif /* GRANT_H */
