/*
 * Tern guest kernel: the grant-table benchmarks (bench_grants), on a grant
 * to ourselves (domain 0, on Tern and on Xen alike): map + unmap of one
 * writable grant at a free address, and a 4 KiB GNTTABOP_copy from a
 * granted page into a frame of ours. Our table's first frame is mapped at
 * GRANT_TABLE_VA for the setup only.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "bench/bench.h"
#include "kernel/time.h"

#define GRANT_VA        0x00001d0000000000UL      /* L4 slot 58: nothing else */
#define GRANT_TABLE_VA  (GRANT_VA + PAGE_SIZE)
#define REF             30

/* Grant frame src to ourselves (domain 0) as entry REF. */
static bool grant_self(uint64_t src)
{
    uint64_t frames[1];
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1,
                                    .frame_list = hc_ptr(frames) };
    volatile struct grant_entry_v1 *t = (volatile struct grant_entry_v1 *)GRANT_TABLE_VA;

    if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1) || s.status ||
        as_map(&kernel_space, GRANT_TABLE_VA, mfn_pte(frames[0], PTE_PAGE_RW)) ||
        as_map(&kernel_space, GRANT_VA, 0))          /* the L1 for GRANT_VA */
        return false;
    t[REF].domid = 0;
    t[REF].frame = (uint32_t)src;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t[REF].flags = GTF_permit_access;
    return true;
}

static void bench_map_unmap(void)
{
    const unsigned int n = 500;
    struct gnttab_map_grant_ref m;
    struct gnttab_unmap_grant_ref u;
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < n; i++) {
        m = (struct gnttab_map_grant_ref){ .host_addr = GRANT_VA, .flags = GNTMAP_host_map,
                                           .ref = REF, .dom = 0 };
        HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
        u = (struct gnttab_unmap_grant_ref){ .host_addr = GRANT_VA, .handle = m.handle };
        HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
        if (m.status || u.status) {
            printk("bench: grant_map_unmap error=%d/%d\n", m.status, u.status);
            return;
        }
    }
    bench_report("grant_map_unmap", n, tsc_read() - t0);
}

static void bench_copy(uint64_t dst)
{
    const unsigned int n = 500;
    struct gnttab_copy c;
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < n; i++) {
        c = (struct gnttab_copy){ .source = { .u.ref = REF, .domid = DOMID_SELF },
                                  .dest = { .u.gmfn = dst, .domid = DOMID_SELF },
                                  .len = PAGE_SIZE, .flags = GNTCOPY_source_gref };
        HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
        if (c.status) {
            printk("bench: grant_copy_4k error=%d\n", c.status);
            return;
        }
    }
    bench_report("grant_copy_4k", n, tsc_read() - t0);
}

void bench_grants(uint64_t src, uint64_t dst)
{
    if (!grant_self(src)) {
        printk("bench: grant setup error\n");
        return;
    }
    bench_map_unmap();
    bench_copy(dst);
}
