/*
 * Test guest_pointers: hypercall buffers at the edges of what a guest may
 * name, read and written by the hypervisor.
 *
 * What: XENMEM_current_reservation (reads a 2-byte domid),
 * EVTCHNOP_unmask (reads a 4-byte port with one load: a port no domain
 * has, so a read that works answers -EINVAL) and
 * XENVER_extraversion (writes 16 bytes) with a buffer that is ours and
 * writable; one that ends exactly at the end of a mapped page; one that
 * starts in a mapped page and runs into an unmapped one; one in a page we
 * mapped read-only (read: fine; write: refused, the page unchanged); an
 * unmapped low address; the hypervisor's range (the read-only M2P, which
 * we can read ourselves); a non-canonical address.
 * Why: issue 15 lets the hypervisor touch guest memory through the
 * guest's own virtual addresses, with an exception-table fixup for the
 * faults; each of these must still be 0 or -EFAULT exactly as before, the
 * hypervisor must live through every fault, and a refused write must not
 * have changed a byte.
 * Expected (real Xen 4.17 as dom0): good, page-end and read-only reads ->
 * the reservation, and -EINVAL for the port; good and page-end writes ->
 * 0; everything else ->
 * -EFAULT; the read-only page still holds its pattern.
 */
#include "mmtest.h"

static const char test_title[] = "hypercall buffers: page ends, unmapped, read-only, hypervisor, non-canonical";

#define EXTRA_LEN 16

static uint8_t buf[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static long read_domid_at(uint64_t va)
{
    return HYPERVISOR_memory_op(XENMEM_current_reservation, bad_ptr(va));
}

#define NO_SUCH_PORT 0xffffffu

static long unmask_at(uint64_t va)
{
    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, bad_ptr(va));
}

static long write_extra_at(uint64_t va)
{
    return HYPERVISOR_xen_version(XENVER_extraversion, bad_ptr(va));
}

static void good_buffers(void)
{
    uint64_t va = (uint64_t)(uintptr_t)buf;
    long reservation;

    *(domid_t *)buf = DOMID_SELF;
    reservation = read_domid_at(va);
    check_true("current_reservation from our buffer", reservation > 0);
    *(domid_t *)(buf + PAGE_SIZE - 2) = DOMID_SELF;
    check_rc("current_reservation, the domid in the page's last 2 bytes",
             read_domid_at(va + PAGE_SIZE - 2), reservation);
    *(uint32_t *)buf = NO_SUCH_PORT;
    check_rc("unmask, the port from our buffer", unmask_at(va), -XEN_EINVAL);
    *(uint32_t *)(buf + PAGE_SIZE - 4) = NO_SUCH_PORT;
    check_rc("unmask, the port in the page's last 4 bytes", unmask_at(va + PAGE_SIZE - 4),
             -XEN_EINVAL);
    check_rc("extraversion into our buffer", write_extra_at(va), 0);
    check_rc("extraversion into the page's last 16 bytes",
             write_extra_at(va + PAGE_SIZE - EXTRA_LEN), 0);
}

/* buf's second page unmapped: a buffer that starts in the first. */
static void into_unmapped(void)
{
    uint64_t second = (uint64_t)(uintptr_t)buf + PAGE_SIZE;
    uint64_t pte = pt_read(entry_maddr(second, 1));

    if (!check_rc("unmap our buffer's second page",
                  HYPERVISOR_update_va_mapping(second, 0, UVMF_INVLPG), 0))
        return;
    check_rc("current_reservation, domid across into the unmapped page",
             read_domid_at(second - 1), -XEN_EFAULT);
    check_rc("unmask, port across into the unmapped page", unmask_at(second - 2),
             -XEN_EFAULT);
    check_rc("extraversion across into the unmapped page",
             write_extra_at(second - 8), -XEN_EFAULT);
    check_rc("current_reservation, domid in the unmapped page", read_domid_at(second),
             -XEN_EFAULT);
    HYPERVISOR_update_va_mapping(second, pte, UVMF_INVLPG);
}

/* A page of ours mapped read-only at a test VA. */
static void read_only(void)
{
    struct test_page p;
    uint64_t va = test_va(0);

    if (!tp_alloc(&p))
        return;
    memset(p.va, 0x5a, PAGE_SIZE);
    *(domid_t *)p.va = DOMID_SELF;
    *(uint32_t *)((uint8_t *)p.va + 8) = NO_SUCH_PORT;
    if (check_rc("map a page of ours read-only", map_at(va, p.mfn, PTE_PRESENT), 0)) {
        check_true("current_reservation from the read-only page", read_domid_at(va) > 0);
        check_rc("unmask, the port from the read-only page", unmask_at(va + 8), -XEN_EINVAL);
        check_rc("extraversion into the read-only page", write_extra_at(va + 64),
                 -XEN_EFAULT);
        check_true("the read-only page is unchanged",
                   ((volatile uint8_t *)p.va)[64] == 0x5a &&
                   ((volatile uint8_t *)p.va)[64 + EXTRA_LEN - 1] == 0x5a);
        unmap_at(va);
    }
    tp_free(&p);
}

static void never_buffers(void)
{
    const struct { const char *name; uint64_t va; } bad[] = {
        { "unmapped", BAD_VA_UNMAPPED },
        { "hypervisor range (M2P)", BAD_VA_HYPERVISOR },
        { "non-canonical", BAD_VA_NONCANONICAL },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        check_rc(bad[i].name, read_domid_at(bad[i].va), -XEN_EFAULT);
        check_rc(bad[i].name, unmask_at(bad[i].va), -XEN_EFAULT);
        check_rc(bad[i].name, write_extra_at(bad[i].va), -XEN_EFAULT);
    }
}

static void test_main(void)
{
    good_buffers();
    into_unmapped();
    read_only();
    never_buffers();
    test_success(NULL);
}

const struct guest_test test_guest_pointers = { "guest_pointers", test_title, test_main };
