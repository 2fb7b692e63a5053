/*
 * Tern guest tests: helpers for the memory-management tests (mmtest.h).
 */
#include "mmtest.h"

bool tp_alloc(struct test_page *p)
{
    long pfn = page_alloc();

    memset(p, 0, sizeof(*p));
    if (pfn < 0) {
        test_error("page_alloc failed: %s", rc_name(pfn));
        return false;
    }
    p->pfn = (uint64_t)pfn;
    p->mfn = pfn_to_mfn(p->pfn);
    p->va = pfn_to_virt(p->pfn);
    return true;
}

bool tp_alloc_table(struct test_page *p)
{
    long rc;

    if (!tp_alloc(p))
        return false;
    rc = pfn_set_readonly(p->pfn);
    if (rc) {
        test_error("making pfn %#lx read-only failed: %s", p->pfn, rc_name(rc));
        page_free(p->pfn);
        return false;
    }
    p->table = true;
    return true;
}

void tp_free(struct test_page *p)
{
    long rc;

    if (!p->va)
        return;
    if (p->table) {
        rc = pfn_set_writable(p->pfn);
        if (rc) {
            test_error("making pfn %#lx (mfn %#lx) writable again failed: %s; "
                       "leaving it", p->pfn, p->mfn, rc_name(rc));
            return;
        }
    }
    page_free(p->pfn);
    memset(p, 0, sizeof(*p));
}

long map_at(uint64_t va, uint64_t mfn, uint64_t flags)
{
    return as_map(as_current(), va, mfn_pte(mfn, flags));
}

void unmap_at(uint64_t va)
{
    long rc = as_map(as_current(), va, 0);

    if (rc)
        test_error("unmapping %#lx failed: %s", va, rc_name(rc));
}

uint64_t entry_maddr(uint64_t va, unsigned int level)
{
    uint64_t m = as_entry_maddr(as_current(), va, level);

    if (!m)
        test_error("no level-%u table for %#lx", level, va);
    return m;
}

uint64_t table_mfn(uint64_t va, unsigned int level)
{
    return entry_maddr(va, level) >> PAGE_SHIFT;
}

void invlpg(uint64_t va)
{
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };
    long rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);

    if (rc)
        test_error("mmuext_op(INVLPG_LOCAL, %#lx) failed: %s", va, rc_name(rc));
}

long mmu_update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update req = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

long mmuext1(unsigned int cmd, uint64_t mfn)
{
    return mmuext_mfn(cmd, mfn);
}

uint64_t hypervisor_frame(void)
{
    const uint64_t *l4 = pfn_to_virt(mfn_to_pfn(as_current()->l4_mfn));

    for (unsigned int slot = HV_L4_LAST; slot >= HV_L4_FIRST; slot--) {
        uint64_t mfn = pte_mfn(l4[slot]);

        if ((l4[slot] & PTE_PRESENT) && !mfn_is_ours(mfn)) {
            test_info("hypervisor frame: mfn %#lx behind L4 slot %u (M2P says %#lx)",
                      mfn, slot, mfn_to_pfn(mfn));
            return mfn;
        }
    }
    test_error("no present hypervisor L4 slot in our L4");
    return 0;
}
