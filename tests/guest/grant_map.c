/*
 * Test grant_map: map_grant_ref and unmap_grant_ref on a grant to
 * ourselves (a domain may grant to itself, so no second domain is needed).
 *
 * What: a page of ours is granted (entry 10, to our own domid) through
 * our table's first frame, mapped over it. Mapped writable at a free VA
 * (GNTMAP_host_map): it shows the page's bytes, a write through it lands
 * in the page, the entry says GTF_reading|GTF_writing, so a granter's
 * revocation (compare-and-swap of flags to 0) cannot succeed. Unmapping
 * with another address is GNTST_general_error, with a forged handle
 * GNTST_bad_handle; the right one is okay and clears the status bits; a
 * second unmap of that handle is GNTST_bad_handle. Read-only
 * (GNTMAP_readonly) sets GTF_reading only; GNTMAP_device_map gives the
 * frame's machine address, and is ended only by an unmap naming that
 * address (naming neither address ends nothing; another address is
 * GNTST_bad_dev_addr); GNTMAP_contains_pte writes the PTE whose
 * machine address is given (misaligned: refused, XSA-227); flag bits from
 * 16 up put their low three bits in the PTE's bits 9-11
 * (XENFEAT_gnttab_map_avail_bits). The granter
 * rewriting the entry's frame while it is mapped changes nothing for the
 * mapping. Refused: a writable map of a page-table frame of ours (a read-
 * only one is fine), a grant of a frame that is not ours, a reference past
 * the table, a domain that does not exist (and DOMID_SELF: a map names
 * its granter), neither host_map nor
 * device_map.
 * Why: the split drivers' data path; each refusal is an attack a hostile
 * frontend or backend could try.
 * Expected (real Xen 4.17 as dom0): as the check lines say.
 */
#include "granttest.h"

static const char test_title[] = "grant maps: host, read-only, device, contains_pte, refusals";

#define REF        10
#define PATTERN    0x5a5a0123456789a5UL

static volatile struct grant_entry_v1 *table;     /* our first grant frame */
static uint64_t my_domid;

static long gop(unsigned int cmd, void *uop)
{
    return HYPERVISOR_grant_table_op(cmd, uop, 1);
}

static bool map_table(void)
{
    table = gt_map_own_table(test_va(0));
    return table != NULL;
}

static void grant(grant_ref_t ref, uint64_t mfn, uint16_t extra_flags)
{
    gt_grant(table, ref, 0, mfn, extra_flags);     /* to ourselves: domain 0 */
}

static struct gnttab_map_grant_ref map(grant_ref_t ref, uint64_t addr, uint32_t flags)
{
    struct gnttab_map_grant_ref m = { .host_addr = addr, .flags = flags, .ref = ref,
                                      .dom = (uint16_t)my_domid };

    if (gop(GNTTABOP_map_grant_ref, &m))
        test_failure("map_grant_ref: the hypercall itself failed");
    return m;
}

static int16_t unmap(uint64_t addr, grant_handle_t h)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = addr, .handle = h };

    if (gop(GNTTABOP_unmap_grant_ref, &u))
        test_failure("unmap_grant_ref: the hypercall itself failed");
    return u.status;
}

static int16_t unmap_dev(grant_handle_t h, uint64_t dev_bus_addr)
{
    struct gnttab_unmap_grant_ref u = { .dev_bus_addr = dev_bus_addr, .handle = h };

    if (gop(GNTTABOP_unmap_grant_ref, &u))
        test_failure("unmap_grant_ref: the hypercall itself failed");
    return u.status;
}

static void host_map(const struct test_page *p)
{
    struct gnttab_map_grant_ref m = map(REF, test_va(2), GNTMAP_host_map);
    volatile uint64_t *w = test_ptr(2);
    uint16_t expect_busy = GTF_permit_access | GTF_reading | GTF_writing;

    if (!check_rc("map_grant_ref(writable, host_map)", m.status, GNTST_okay))
        return;
    check_true("  the mapping shows the page", *w == PATTERN);
    *w = ~PATTERN;
    check_true("  a write through it lands in the page", p->va[0] == ~PATTERN);
    check_rc("  entry flags: permit_access|reading|writing", table[REF].flags, expect_busy);
    check_true("  the granter cannot revoke it (flags swap to 0 fails)",
               !__atomic_compare_exchange_n((uint16_t *)&table[REF].flags, &(uint16_t){
                   GTF_permit_access}, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    table[REF].frame = (uint32_t)(p->mfn + 1);           /* rewritten while mapped */
    check_true("  the granter's rewrite changes nothing for the mapping", *w == ~PATTERN);
    check_rc("unmap at another address", unmap(test_va(3), m.handle), GNTST_general_error);
    check_rc("unmap with a forged handle", unmap(test_va(2), m.handle + 1000),
             GNTST_bad_handle);
    check_rc("unmap", unmap(test_va(2), m.handle), GNTST_okay);
    check_rc("  entry flags back to permit_access", table[REF].flags, GTF_permit_access);
    check_rc("unmap the same handle again", unmap(test_va(2), m.handle), GNTST_bad_handle);
    table[REF].frame = (uint32_t)p->mfn;
}

static void other_kinds(const struct test_page *p)
{
    struct gnttab_map_grant_ref m = map(REF, test_va(2), GNTMAP_host_map | GNTMAP_readonly);
    uint64_t pte;

    if (!check_rc("map_grant_ref(read-only)", m.status, GNTST_okay))
        return;
    check_rc("  entry flags: permit_access|reading", table[REF].flags,
             GTF_permit_access | GTF_reading);
    check_true("  the mapping shows the page", *test_ptr(2) == ~PATTERN);
    check_rc("  unmap", unmap(test_va(2), m.handle), GNTST_okay);
    m = map(REF, 0, GNTMAP_device_map);
    check_rc("map_grant_ref(device_map)", m.status, GNTST_okay);
    check_true("  dev_bus_addr is the frame's machine address",
               m.dev_bus_addr == p->mfn << PAGE_SHIFT);
    check_rc("  unmap naming neither address (ends nothing)", unmap(0, m.handle), GNTST_okay);
    check_true("  the grant is still in use", table[REF].flags & GTF_reading);
    check_rc("  unmap with another device address", unmap_dev(m.handle, 4096),
             GNTST_bad_dev_addr);
    check_rc("  unmap", unmap_dev(m.handle, m.dev_bus_addr), GNTST_okay);
    check_rc("  entry flags back to permit_access", table[REF].flags, GTF_permit_access);
    pte = entry_maddr(test_va(3), 1);
    m = map(REF, pte + 4, GNTMAP_host_map | GNTMAP_contains_pte);
    check_rc("map_grant_ref(contains_pte, misaligned)", m.status, GNTST_general_error);
    m = map(REF, pte, GNTMAP_host_map | GNTMAP_contains_pte);
    if (!check_rc("map_grant_ref(contains_pte)", m.status, GNTST_okay))
        return;
    check_true("  the PTE maps the page", *test_ptr(3) == ~PATTERN);
    check_rc("  unmap", unmap(pte, m.handle), GNTST_okay);
}

/* XENFEAT_gnttab_map_avail_bits: the flags from bit 16 up put their low
 * three bits in the grant PTE's bits 9-11 (read through a read-only
 * mapping of the L1 that holds it). */
static void avail_bits(void)
{
    uint64_t pte = entry_maddr(test_va(3), 1);
    struct gnttab_map_grant_ref m = map(REF, test_va(3), GNTMAP_host_map | GNTMAP_readonly |
                                                         (0xfu << _GNTMAP_guest_avail0));
    volatile uint64_t *l1 = (volatile uint64_t *)test_ptr(5);

    if (!check_rc("map_grant_ref(avail bits 0xf)", m.status, GNTST_okay))
        return;
    if (check_rc("  map its L1 read-only", map_at(test_va(5), pte >> PAGE_SHIFT, PTE_PAGE_RO),
                 0)) {
        check_rc("  the PTE's bits 9-11", (long)((l1[(pte & (PAGE_SIZE - 1)) / 8] >> 9) & 7), 7);
        unmap_at(test_va(5));
    }
    check_rc("  unmap", unmap(test_va(3), m.handle), GNTST_okay);
}

static void refusals(void)
{
    struct gnttab_map_grant_ref m;
    uint64_t l1 = table_mfn(test_va(2), 1), hv = hypervisor_frame();

    grant(REF + 1, l1, 0);
    m = map(REF + 1, test_va(2), GNTMAP_host_map);
    check_rc("map a page-table frame writable", m.status, GNTST_general_error);
    m = map(REF + 1, 0, GNTMAP_device_map | GNTMAP_readonly);
    check_rc("map a page-table frame read-only (device)", m.status, GNTST_okay);
    if (m.status == GNTST_okay)
        check_rc("  unmap", unmap_dev(m.handle, m.dev_bus_addr), GNTST_okay);
    grant(REF + 2, hv, GTF_readonly);
    m = map(REF + 2, 0, GNTMAP_device_map | GNTMAP_readonly);
    check_rc("map a grant of a frame that is not ours", m.status, GNTST_bad_page);
    m = map(512 * 64, 0, GNTMAP_device_map);
    check_rc("map a reference past the table", m.status, GNTST_bad_gntref);
    m = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map, .ref = REF, .dom = 1000 };
    gop(GNTTABOP_map_grant_ref, &m);
    check_rc("map from a domain that does not exist", m.status, GNTST_bad_domain);
    m = map(REF, test_va(2), 0);
    check_rc("map with neither host_map nor device_map", m.status, GNTST_bad_gntref);
    m = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map, .ref = REF,
                                       .dom = DOMID_SELF };
    gop(GNTTABOP_map_grant_ref, &m);
    check_rc("map from DOMID_SELF (a map names the granter)", m.status, GNTST_bad_domain);
    table[REF + 1].flags = table[REF + 2].flags = 0;
}

static void test_main(void)
{
    struct test_page p;

    my_domid = start_info.flags & SIF_INITDOMAIN ? 0 : (uint64_t)-1;
    if (!map_table() || !tp_alloc(&p))
        return;
    p.va[0] = PATTERN;
    if (map_at(test_va(3), p.mfn, PTE_PAGE_RW) == 0)     /* builds test_va(3)'s L1 */
        unmap_at(test_va(3));
    grant(REF, p.mfn, 0);
    host_map(&p);
    other_kinds(&p);
    avail_bits();
    refusals();
    table[REF].flags = 0;
    unmap_at(test_va(0));
    tp_free(&p);
    test_success(NULL);
}

const struct guest_test test_grant_map = { "grant_map", test_title, test_main };
