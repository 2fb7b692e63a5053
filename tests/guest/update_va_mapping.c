/*
 * Test update_va_mapping: hypercall 14 with each flush flag.
 *
 * What: remapping a test VA between pages A and B with UVMF_NONE (then an
 * explicit INVLPG), UVMF_TLB_FLUSH and UVMF_INVLPG each with LOCAL, ALL
 * and MULTI (a pointer to a vCPU bitmap holding vCPU 0), reading the page
 * through the VA after each; unmapping with 0; a vCPU-bitmap pointer that
 * is unmapped or non-canonical; VAs with no L1 table (an empty L4 slot,
 * the hypervisor's range, a non-canonical address).
 * Why: this is the call guests use most (Mini-OS and XTF map shared_info
 * with it); the flush flags are how the guest keeps its TLB honest, and
 * the MULTI form makes the hypervisor read a guest pointer hidden in the
 * flags.
 * Expected (real Xen 4.17 as dom0): every flag combination -> 0 and the
 * VA reads the new page; unmap -> 0; a bad bitmap pointer -> -EFAULT;
 * a VA without an L1 -> -EINVAL.
 * Fact: Xen changes the entry before it reads the bitmap, so with a bad
 * bitmap pointer the mapping is already made when -EFAULT comes back
 * (printed as info).
 */
#include "mmtest.h"

static const char test_title[] = "update_va_mapping: every UVMF flush flag, bad bitmap, no L1";

#define PATTERN_A 0xa1a1a1a1a1a1a1a1UL
#define PATTERN_B 0xb2b2b2b2b2b2b2b2UL

static uint64_t vcpu_mask __attribute__((aligned(8))) = 1;   /* vCPU 0 */

static void flush_flags(const struct test_page *a, const struct test_page *b)
{
    const struct { const char *name; uint64_t flags; } cases[] = {
        { "UVMF_NONE", UVMF_NONE },
        { "UVMF_TLB_FLUSH|UVMF_LOCAL", UVMF_TLB_FLUSH | UVMF_LOCAL },
        { "UVMF_INVLPG|UVMF_LOCAL", UVMF_INVLPG | UVMF_LOCAL },
        { "UVMF_TLB_FLUSH|UVMF_ALL", UVMF_TLB_FLUSH | UVMF_ALL },
        { "UVMF_INVLPG|UVMF_ALL", UVMF_INVLPG | UVMF_ALL },
        { "UVMF_TLB_FLUSH|MULTI(vCPU 0)", UVMF_TLB_FLUSH | hc_ptr(&vcpu_mask) },
        { "UVMF_INVLPG|MULTI(vCPU 0)", UVMF_INVLPG | hc_ptr(&vcpu_mask) },
    };
    char what[96];

    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct test_page *p = (i & 1) ? a : b;

        snprintf(what, sizeof(what), "update_va_mapping(test VA -> page %c, %s)",
                 (i & 1) ? 'A' : 'B', cases[i].name);
        check_rc(what, HYPERVISOR_update_va_mapping(test_va(0), mfn_pte(p->mfn, PTE_PAGE_RW),
                                                    cases[i].flags), 0);
        if (cases[i].flags == UVMF_NONE)
            invlpg(test_va(0));
        check_true((i & 1) ? "the VA reads page A" : "the VA reads page B",
                   *test_ptr(0) == ((i & 1) ? PATTERN_A : PATTERN_B));
    }
}

static void bad_masks(const struct test_page *a)
{
    static const struct { const char *what; uint64_t ptr; } bad[] = {
        { "unmapped", BAD_VA_UNMAPPED },
        { "non-canonical", BAD_VA_NONCANONICAL },
    };
    char what[96];
    uint64_t l1e = entry_maddr(test_va(1), 1);

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(what, sizeof(what), "update_va_mapping(UVMF_INVLPG|MULTI, %s bitmap)",
                 bad[i].what);
        check_rc(what, HYPERVISOR_update_va_mapping(test_va(1), mfn_pte(a->mfn, PTE_PAGE_RW),
                                                    UVMF_INVLPG | bad[i].ptr), -XEN_EFAULT);
        test_info("the entry was %s", (pt_read(l1e) & PTE_PRESENT) ? "changed all the same"
                                                                  : "left alone");
        unmap_at(test_va(1));
    }
}

static void no_l1(const struct test_page *a)
{
    static const struct { const char *what; uint64_t va; } bad[] = {
        { "a VA in an empty L4 slot", 0x0000108000000000UL },
        { "a VA in the hypervisor's range", HYPERVISOR_VIRT_START + 0x1000 },
        { "a non-canonical VA", 0x0000800000000000UL },
    };
    char what[96];

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(what, sizeof(what), "update_va_mapping(%s)", bad[i].what);
        check_rc(what, HYPERVISOR_update_va_mapping(bad[i].va, mfn_pte(a->mfn, PTE_PAGE_RW),
                                                    UVMF_INVLPG), -XEN_EINVAL);
    }
}

static void test_main(void)
{
    struct test_page a, b;

    if (!tp_alloc(&a) || !tp_alloc(&b))
        return;
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
        a.va[i] = PATTERN_A;
        b.va[i] = PATTERN_B;
    }
    if (check_rc("as_map(test VA -> page A)", map_at(test_va(0), a.mfn, PTE_PAGE_RW), 0)) {
        flush_flags(&a, &b);
        check_rc("update_va_mapping(test VA, 0: unmap, UVMF_INVLPG)",
                 HYPERVISOR_update_va_mapping(test_va(0), 0, UVMF_INVLPG), 0);
        check_true("the entry is empty", pt_read(entry_maddr(test_va(0), 1)) == 0);
        bad_masks(&a);
    }
    no_l1(&a);
    tp_free(&a);
    tp_free(&b);
    test_success(NULL);
}

const struct guest_test test_update_va_mapping = { "update_va_mapping", test_title, test_main };
