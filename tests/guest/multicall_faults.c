/*
 * Test multicall_faults: a multicall array that faults where the
 * hypervisor reads or writes it, at the worst places (#15).
 *
 * What:
 *  - 2 entries at a non-canonical address and in the hypervisor's range:
 *    -EFAULT, nothing run;
 *  - an array whose second entry straddles the end of a mapped page (its
 *    first 24 bytes mapped, the rest on an unmapped page): entry 0 runs
 *    and answers, then -EFAULT;
 *  - an entry whose result field straddles a page boundary, the page
 *    after it mapped read-only (the entry readable, its result not
 *    writable): the entry runs (a loopback send: its event is pending),
 *    -EFAULT, the entry after it never runs;
 *  - an entry that makes its own array read-only (update_va_mapping of
 *    the array's page, UVMF_INVLPG): it runs, its result cannot be
 *    written (the translation of this instant is used, not one kept from
 *    the read): -EFAULT, the entry after it never runs.
 * Why: Tern reads an entry with one rep movsq and writes a result with one
 * store, straight through the guest's mappings; a fault there must be
 * caught (exception table) and become the guest's -EFAULT, never a
 * hypervisor crash, and a fault in the middle of an entry or of a result
 * must not be mistaken for success. The test ends: the hypervisor lived.
 * Expected (real Xen 4.17, release build): as above. (Xen writes the
 * result's bytes that lie on the writable page; the test does not look
 * at them.)
 */
#include "evtest.h"
#include "mmtest.h"

static const char test_title[] = "multicall: arrays that fault on read or on write";

#define SENTINEL 0x5e5e5e5e5e5e5e5eUL
#define ENTRY    sizeof(struct multicall_entry)

static long version;

static struct multicall_entry entry(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return (struct multicall_entry){ .op = op, .result = SENTINEL, .args = { a0, a1, a2 } };
}

static struct multicall_entry xen_version_entry(void)
{
    return entry(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
}

/* The entry's copy at byte offset off of page p (possibly unaligned). */
static void put_entry(struct test_page *p, size_t off, struct multicall_entry e)
{
    memcpy((uint8_t *)p->va + off, &e, sizeof(e));
}

static uint64_t result_at(struct test_page *p, size_t off)
{
    uint64_t r;

    memcpy(&r, (uint8_t *)p->va + off + offsetof(struct multicall_entry, result), sizeof(r));
    return r;
}

static void test_bad_addresses(void)
{
    test_info("2 entries where no guest array can be");
    check_rc("multicall(non-canonical, 2)",
             HYPERVISOR_multicall(bad_ptr(BAD_VA_NONCANONICAL), 2), -XEN_EFAULT);
    check_rc("multicall(hypervisor range, 2)",
             HYPERVISOR_multicall(bad_ptr(BAD_VA_HYPERVISOR), 2), -XEN_EFAULT);
}

/* Page a at test_va(0), flags; test_va(1) as the caller leaves it. */
static bool map_first(struct test_page *a, uint64_t flags)
{
    if (!tp_alloc(a))
        return false;
    if (map_at(test_va(0), a->mfn, flags) == 0)
        return true;
    test_error("mapping a test page failed");
    tp_free(a);
    return false;
}

static void test_entry_straddles_unmapped(void)
{
    const size_t off0 = PAGE_SIZE - ENTRY - 24;        /* entry 1: 24 bytes mapped */
    struct multicall_entry e;
    struct test_page a;

    test_info("an entry that straddles the end of a mapped page");
    if (!map_first(&a, PTE_PAGE_RW))
        return;
    unmap_at(test_va(1));
    put_entry(&a, off0, xen_version_entry());
    e = xen_version_entry();
    memcpy((uint8_t *)a.va + off0 + ENTRY, &e, 24);     /* what page a holds of it */
    check_rc("multicall(2 entries, the 2nd half unmapped)",
             HYPERVISOR_multicall((struct multicall_entry *)(uintptr_t)(test_va(0) + off0), 2),
             -XEN_EFAULT);
    check_rc("  [0] ran and answered", (long)result_at(&a, off0), version);
    check_true("  [1] holds no result", result_at(&a, off0 + ENTRY) == SENTINEL);
    unmap_at(test_va(0));
    tp_free(&a);
}

/* Entry 0 starts 12 bytes before the end of page a: its op and half its
 * result on a (writable), the rest on b (read-only); entry 1 on b. */
static void straddle_run(struct test_page *a, struct test_page *b, const struct ev_loopback *l)
{
    const size_t off0 = PAGE_SIZE - 12, off1 = ENTRY - 12;
    struct evtchn_send send = { .port = l->far };
    struct multicall_entry e;

    e = entry(__HYPERVISOR_event_channel_op, EVTCHNOP_send, hc_ptr(&send), 0);
    memcpy((uint8_t *)a->va + off0, &e, 12);
    memcpy(b->va, (uint8_t *)&e + 12, ENTRY - 12);
    put_entry(b, off1, xen_version_entry());
    if (map_at(test_va(1), b->mfn, PTE_PAGE_RO) != 0) {
        test_error("mapping a test page read-only failed");
        return;
    }
    check_rc("multicall(2 entries, [0]'s result half read-only)",
             HYPERVISOR_multicall((struct multicall_entry *)(uintptr_t)(test_va(0) + off0), 2),
             -XEN_EFAULT);
    check_true("  [0] ran: its event is pending", gk_evtchn_port_pending(l->near));
    check_true("  [1] never ran", result_at(b, off1) == SENTINEL);
    unmap_at(test_va(1));
}

static void test_result_straddles_read_only(void)
{
    struct ev_loopback l;
    struct test_page a, b;

    test_info("a result that straddles into a read-only page");
    if (!ev_loopback_open(&l) || !map_first(&a, PTE_PAGE_RW)) {
        ev_cleanup();
        return;
    }
    if (tp_alloc(&b)) {
        straddle_run(&a, &b, &l);
        tp_free(&b);
    }
    unmap_at(test_va(0));
    tp_free(&a);
    ev_cleanup();
}

static void test_entry_makes_array_read_only(void)
{
    struct test_page a;
    struct multicall_entry *rw;

    test_info("an entry that makes its own array read-only");
    if (!map_first(&a, PTE_PAGE_RW))
        return;
    rw = (struct multicall_entry *)a.va;
    rw[0] = entry(__HYPERVISOR_update_va_mapping, test_va(0), mfn_pte(a.mfn, PTE_PAGE_RO),
                  UVMF_INVLPG);
    rw[1] = xen_version_entry();
    check_rc("multicall(update_va_mapping(array, read-only), version)",
             HYPERVISOR_multicall((struct multicall_entry *)(uintptr_t)test_va(0), 2),
             -XEN_EFAULT);
    check_true("  [0] holds no result", rw[0].result == SENTINEL);
    check_true("  [1] never ran", rw[1].result == SENTINEL);
    unmap_at(test_va(0));
    tp_free(&a);
}

static void test_main(void)
{
    if (!ev_require_shared_info())
        return;
    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    test_bad_addresses();
    test_entry_straddles_unmapped();
    test_result_straddles_read_only();
    test_entry_makes_array_read_only();
    test_success(NULL);
}

const struct guest_test test_multicall_faults = { "multicall_faults", test_title, test_main };
