/*
 * Tern guest kernel: granting our pages (see gnttab.h).
 * Invariants: an entry's domid and frame are written before its flags
 * make it valid (a barrier between); an entry is ended only by a
 * compare-and-swap from exactly the flags we set, so an entry the other
 * domain is reading or writing (GTF_reading/GTF_writing) is never
 * revoked under it; refs we hand out are tracked in a bitmap, never
 * below GNTTAB_FIRST_FREE.
 */
#include <public/errno.h>
#include "kernel/mm.h"
#include "xen/gnttab.h"
#include "xen/hypercall.h"

static volatile struct grant_entry_v1 *table;
static uint64_t used[GNTTAB_ENTRIES / 64];
static unsigned int in_use;
static uint8_t window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

int gnttab_init(void)
{
    uint64_t frames[1] = { 0 };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
                                     .frame_list = hc_ptr(frames) };
    long rc;

    if (table)
        return 0;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (rc || st.status)
        return rc ? (int)rc : -XEN_EINVAL;
    rc = HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)window,
                                      mfn_pte(frames[0], PTE_PAGE_RW), UVMF_INVLPG);
    if (rc)
        return (int)rc;
    table = (volatile struct grant_entry_v1 *)window;
    return 0;
}

static int take_ref(void)
{
    for (unsigned int r = GNTTAB_FIRST_FREE; r < GNTTAB_ENTRIES; r++)
        if (!(used[r / 64] & (1ULL << (r % 64)))) {
            used[r / 64] |= 1ULL << (r % 64);
            in_use++;
            return (int)r;
        }
    return -1;
}

static void put_ref(grant_ref_t r)
{
    used[r / 64] &= ~(1ULL << (r % 64));
    in_use--;
}

int gnttab_grant(domid_t dom, uint64_t mfn, bool ro)
{
    int r = table ? take_ref() : -1;

    if (r < 0)
        return -1;
    table[r].domid = dom;
    table[r].frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);     /* domid, frame before flags */
    table[r].flags = (uint16_t)(GTF_permit_access | (ro ? GTF_readonly : 0));
    return r;
}

bool gnttab_end(grant_ref_t ref)
{
    uint16_t flags;

    if (!table || ref < GNTTAB_FIRST_FREE || ref >= GNTTAB_ENTRIES ||
        !(used[ref / 64] & (1ULL << (ref % 64))))
        return false;
    flags = table[ref].flags;
    if (flags & (GTF_reading | GTF_writing))
        return false;
    if (!__atomic_compare_exchange_n((uint16_t *)&table[ref].flags, &flags, 0, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return false;
    put_ref(ref);
    return true;
}

volatile struct grant_entry_v1 *gnttab_entry(grant_ref_t ref)
{
    return table && ref < GNTTAB_ENTRIES ? &table[ref] : NULL;
}

unsigned int gnttab_in_use(void)
{
    return in_use;
}
