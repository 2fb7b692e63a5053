/*
 * descriptors.c: a guest's own GDT: set_gdt (#2) and update_descriptor
 * (#10).
 *
 * A guest may fill the first 14 pages of the GDT (7168 entries); the
 * hypervisor's own descriptors live in the 15th. Each guest page must take
 * the descriptor-page type, so every entry in it is checked (page_types.c) and the
 * guest can no longer map it writable; its descriptors are then copied
 * into the CPU's GDT. update_descriptor checks and writes one entry, and
 * refreshes the copy when the page is part of the loaded GDT.
 *
 * A vCPU may remember one CS/SS pair of its GDT that iret.c found to be a
 * 64-bit DPL-3 code and a writable DPL-3 data descriptor (v->gdt_sels,
 * which lets iret_fast.S and the exit skip the GDT walk). Invariant: the
 * pair is set only right after that check, and forgotten whenever either
 * descriptor can change: set_gdt and a GDT's release forget it, and
 * update_descriptor forgets it in every vCPU of the domain whose GDT has
 * that entry in that frame. Nothing else writes a descriptor page: its
 * type keeps it out of every writable mapping while a GDT holds it.
 *
 * The CPU's GDT holds one vCPU's descriptors at a time (gdt_loaded_for):
 * releasing another vCPU's GDT (a domain torn down while another runs)
 * drops that vCPU's page references and never touches the CPU's copy.
 */
#include "err.h"
#include "hypercall.h"
#include "memory_setup.h"
#include "page_types.h"
#include "bounce.h"
#include "vcpu_copy.h"
#include <asm/desc.h>

#define DESCS_PER_PAGE 512
#define MAX_GDT_ENTS   (14 * DESCS_PER_PAGE)

static void release_gdt(struct vcpu *v)
{
    for (unsigned int i = 0; i < (v->gdt_ents + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE; i++)
        put_page_and_type(&ftable, v->gdt_frames[i]);
    v->gdt_ents = 0;
    v->gdt_sels = 0;
}

/* The vCPU whose descriptors the CPU's GDT holds (NULL: none). Teardown
 * runs while another vCPU may be current: only the owner's release may
 * clear the CPU's copy. */
static const struct vcpu *gdt_loaded_for;

void vcpu_release_gdt(struct vcpu *v)
{
    release_gdt(v);
    if (gdt_loaded_for == v) {
        arch_load_guest_gdt(NULL, 0);
        gdt_loaded_for = NULL;
    }
}

void vcpu_load_gdt(const struct vcpu *v)
{
    uint64_t copy[DESCS_PER_PAGE];
    unsigned int left = v->gdt_ents;

    arch_load_guest_gdt(NULL, 0);
    gdt_loaded_for = v;
    for (unsigned int i = 0; left; i++) {
        unsigned int n = MIN(left, (unsigned int)DESCS_PER_PAGE);
        memcpy(copy, ftable.frame(ftable.ctx, v->gdt_frames[i]), n * sizeof(uint64_t));
        arch_set_guest_descriptors(i * DESCS_PER_PAGE, copy, n);
        left -= n;
    }
}

void vcpu_guest_gdt(const struct vcpu *v, struct guest_gdt *g)
{
    memset(g, 0, sizeof(*g));
    g->ents = v->gdt_ents;
    for (unsigned int i = 0; i * DESCS_PER_PAGE < v->gdt_ents; i++)
        g->pages[i] = ftable.frame(ftable.ctx, v->gdt_frames[i]);
}

void vcpu_gdt_sels_checked(struct vcpu *v, const struct guest_gdt *g, uint64_t cs,
                           uint64_t ss)
{
    uint32_t pair = gdt_sels_checked(g, cs, ss);

    if (pair)
        v->gdt_sels = pair;
}

/* Entry idx of descriptor frame mfn changes: each vCPU whose remembered
 * pair names it forgets the pair. */
static void forget_sels(struct domain *d, uint64_t mfn, unsigned int idx)
{
    struct vcpu *w;

    for_each_vcpu(d, w)
        if (gdt_sels_touched(w->gdt_sels, w->gdt_frames, mfn, idx))
            w->gdt_sels = 0;
}

int64_t do_set_gdt(struct vcpu *v, const struct hypercall_args *a)
{
    uint64_t list[14];
    unsigned int ents = (unsigned int)a->a2, pages;
    int rc = 0;

    if (a->a2 > MAX_GDT_ENTS)
        return -EINVAL;
    pages = (ents + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    if (pages && vcpu_copy_from(v, list, a->a1, pages * sizeof(uint64_t)))
        return -EFAULT;
    for (unsigned int i = 0; i < pages && !rc; i++) {
        rc = get_page_and_type(&ftable, list[i], v->domain->id, PGT_seg_desc);
        if (rc)
            while (i--)
                put_page_and_type(&ftable, list[i]);
    }
    if (rc)
        return -EINVAL;                          /* any frame it cannot use, as Xen */
    release_gdt(v);
    memcpy(v->gdt_frames, list, pages * sizeof(uint64_t));
    v->gdt_ents = ents;
    vcpu_load_gdt(v);
    return 0;
}

/* If mfn holds part of the loaded GDT, refresh that entry. */
static void refresh_live(const struct vcpu *v, uint64_t mfn, unsigned int idx, uint64_t desc)
{
    for (unsigned int i = 0; i * DESCS_PER_PAGE < v->gdt_ents; i++)
        if (v->gdt_frames[i] == mfn && i * DESCS_PER_PAGE + idx < v->gdt_ents)
            arch_set_guest_descriptors(i * DESCS_PER_PAGE + idx, &desc, 1);
}

int64_t do_update_descriptor(struct vcpu *v, const struct hypercall_args *a)
{
    uint64_t maddr = a->a1, desc = a->a2, mfn = maddr >> PAGE_SHIFT;
    unsigned int idx = (unsigned int)((maddr & (PAGE_SIZE - 1)) / 8);
    const struct page_info *pg;
    int rc;

    if (maddr & 7 || mfn >= ftable.nr || ftable.pages[mfn].owner != v->domain->id)
        return -EINVAL;
    if (!check_descriptor(&desc))
        return -EINVAL;
    pg = &ftable.pages[mfn];
    if (pg->type == PGT_seg_desc) {
        forget_sels(v->domain, mfn, idx);
        ((uint64_t *)ftable.frame(ftable.ctx, mfn))[idx] = desc;
        refresh_live(v, mfn, idx, desc);
        return 0;
    }
    rc = get_page_and_type(&ftable, mfn, v->domain->id, PGT_writable);
    if (rc)
        return -EINVAL;                          /* a page table, or not ours */
    ((uint64_t *)ftable.frame(ftable.ctx, mfn))[idx] = desc;
    put_page_and_type(&ftable, mfn);
    return 0;
}
