/*
 * Tern guest kernel: the maptrack-flood role (domain 0), an attack of
 * issue 12: map one's own grants until the hypervisor's record of
 * mappings runs out, then give every mapping back.
 *
 * Two pages of ours are granted to ourselves read-only (entries 40 and
 * 41: one entry's uses stop at 65535) and mapped again and again with
 * GNTMAP_device_map, which needs no address. Every map must succeed until
 * the first GNTST_no_space, which must come at Tern's limit of 65536
 * handles and leave nothing half-done; then every handle is unmapped and
 * both entries must show no use. Prints "maptrack-flood: FAIL: ..." for a
 * check that does not hold and one summary line.
 */
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "demo/roles.h"
#include "xen/hypercall.h"

#define REF_A       40
#define LIMIT       65536u                   /* Tern's MAPTRACK_MAX */
#define TABLE_VA    0x00001e0000000000UL      /* L4 slot 60: nothing else */
#define OPTION_LEN  16

static unsigned int failures;

static void fail(const char *what, uint64_t got)
{
    printk("maptrack-flood: FAIL: %s (%#lx)\n", what, got);
    failures++;
}

static volatile struct grant_entry_v1 *own_table(void)
{
    uint64_t frames[1];
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1,
                                    .frame_list = hc_ptr(frames) };

    if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1) || s.status ||
        as_map(&kernel_space, TABLE_VA, mfn_pte(frames[0], PTE_PAGE_RW)))
        return NULL;
    return (volatile struct grant_entry_v1 *)TABLE_VA;
}

static int16_t map_ro(grant_ref_t ref, grant_handle_t *h)
{
    struct gnttab_map_grant_ref m = { .flags = GNTMAP_device_map | GNTMAP_readonly,
                                      .ref = ref, .dom = 0 };

    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    *h = m.handle;
    return m.status;
}

static int16_t unmap(grant_handle_t h, uint64_t dev_bus_addr)
{
    struct gnttab_unmap_grant_ref u = { .handle = h, .dev_bus_addr = dev_bus_addr };

    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    return u.status;
}

/* Maps until refused: the number of mappings made. */
static unsigned int flood(void)
{
    unsigned int n = 0;
    grant_handle_t h;
    int16_t st;

    while ((st = map_ro(REF_A + (n & 1), &h)) == GNTST_okay && n <= LIMIT)
        n++;
    if (st != GNTST_no_space)
        fail("the map that ran out did not say GNTST_no_space", (uint64_t)(int64_t)st);
    return n;
}

static void run(void)
{
    volatile struct grant_entry_v1 *t = own_table();
    long a = page_alloc(), b = page_alloc();
    unsigned int n, bad = 0;

    if (!t || a < 0 || b < 0)
        return fail("setup", 0);
    for (unsigned int i = 0; i < 2; i++) {
        t[REF_A + i].domid = 0;
        t[REF_A + i].frame = (uint32_t)pfn_to_mfn((uint64_t)(i ? b : a));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        t[REF_A + i].flags = GTF_permit_access | GTF_readonly;
    }
    n = flood();
    if (n != LIMIT)
        fail("mappings made before running out", n);
    for (grant_handle_t h = 0; h < n; h++)                  /* handle h maps REF_A + (h & 1) */
        bad += unmap(h, pfn_to_mfn((uint64_t)((h & 1) ? b : a)) << PAGE_SHIFT) != GNTST_okay;
    if (bad)
        fail("unmaps refused", bad);
    if ((t[REF_A].flags | t[REF_A + 1].flags) & (GTF_reading | GTF_writing))
        fail("an entry still in use after every unmap", t[REF_A].flags);
    if (unmap(0, pfn_to_mfn((uint64_t)a) << PAGE_SHIFT) != GNTST_bad_handle)
        fail("a second unmap of handle 0 was not GNTST_bad_handle", 0);
    printk("maptrack-flood: %u mappings, then GNTST_no_space; all %u unmapped\n", n, n - bad);
}

bool maptrack_flood_run(void)
{
    char buf[OPTION_LEN];

    if (!cmdline_option("maptrack-flood", buf, sizeof(buf)))
        return false;
    run();
    printk("maptrack-flood: done, %u failures\n", failures);
    return true;
}
