/*
 * Test gdt_descriptors: a guest GDT (set_gdt, #2) and update_descriptor
 * (#10).
 *
 * What:
 *  - set_gdt of a page still mapped writable is refused (-EINVAL): a
 *    descriptor page must not be writable by the guest; once remapped
 *    read-only it is accepted, and its code/data descriptors now read back
 *    with DPL 3 (the hypervisor raised them, in place); a selector of it
 *    loads into %es and `lar` shows DPL 3; loading a not-present one is
 *    #NP(selector), one beyond the 16 entries given #GP(selector);
 *  - a page holding a TSS descriptor, or a call gate to the hypervisor's
 *    own code selector, is refused; a call gate to the flat user code
 *    selector is what Xen calls a restricted gate (accepted);
 *  - more than 7168 entries (14 pages, the guest's share of the GDT) is
 *    -EINVAL, an unreadable frame list -EFAULT, a frame that is not ours
 *    -EINVAL;
 *  - update_descriptor: a data descriptor into the live GDT page (read
 *    back with DPL 3), a TSS descriptor (-EINVAL), a misaligned address
 *    (-EINVAL), into a page-table page (-EINVAL), into an ordinary page
 *    (accepted, written).
 * The GDT is dropped (set_gdt with 0 entries) and the pages freed at the end.
 * Why: descriptors decide privilege; a writable GDT or a TSS/gate of the
 * guest's choosing would give it ring 0 (xen-pv-abi.md 2.5).
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "set_gdt and update_descriptor: checked, read-only, DPL 3";

#define DESC_CODE64_DPL0  0x00af9a000000ffffUL
#define DESC_DATA_DPL0    0x00cf92000000ffffUL
#define DESC_DATA_DPL3    0x00cff2000000ffffUL
#define DESC_TSS          0x0000890000000067UL    /* available 64-bit TSS */
#define DESC_DPL(d)       (((d) >> 45) & 3)
#define SEL(index)        (((index) << 3) | 3)
#define HV_CODE_SELECTOR  0xe008

/* A 64-bit call gate (low half) to selector:0. */
static uint64_t call_gate(uint16_t selector)
{
    return ((uint64_t)selector << 16) | (0xecUL << 40);     /* P, DPL 3, type 0xc */
}

static long gdt_page(void)
{
    long pfn = page_alloc();

    if (pfn < 0)
        test_error("page_alloc: %s", rc_name(pfn));
    return pfn;
}

/* set_gdt of one page with `entries` entries. */
static long set_gdt1(long pfn, unsigned int entries)
{
    uint64_t frames[1] = { pfn_to_mfn((uint64_t)pfn) };

    return HYPERVISOR_set_gdt(frames, entries);
}

/* A page with desc at index 5, made read-only, offered as a GDT. */
static long offer_with(long pfn, uint64_t lo, uint64_t hi)
{
    uint64_t *d = pfn_to_virt((uint64_t)pfn);
    long rc;

    memset(d, 0, PAGE_SIZE);
    d[5] = lo;
    d[6] = hi;
    pfn_set_readonly((uint64_t)pfn);
    rc = set_gdt1(pfn, 16);
    pfn_set_writable((uint64_t)pfn);
    return rc;
}

/* Loading a not-present descriptor is #NP(selector), one beyond the GDT's
 * limit #GP(selector) (error codes with the RPL bits cleared). */
static void test_segment_faults(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "mov $" "0x2b" ", %%eax", "mov %%eax, %%es");      /* SEL(5): not present */
    check_kernel_trap("mov SEL(5) (not present) into %es", n, X86_NP, 0x28, s, true);
    n = traps_seen();
    FAULT_AT(s, "mov $" "0x83" ", %%eax", "mov %%eax, %%es");      /* SEL(16): beyond 16 */
    check_kernel_trap("mov SEL(16) (beyond the limit) into %es", n, X86_GP, 0x80, s, true);
    __asm__ volatile("mov %0, %%es" : : "r"(0U) : "memory");
}

static void test_live(long pfn)
{
    volatile uint64_t *d = pfn_to_virt((uint64_t)pfn);
    uint64_t es = 0, maddr = pfn_to_mfn((uint64_t)pfn) << 12;
    uint32_t ar = 0;
    uint8_t ok = 0;

    d[1] = DESC_CODE64_DPL0;
    d[2] = DESC_DATA_DPL0;
    d[3] = DESC_DATA_DPL3;
    d[5] = DESC_DATA_DPL3 & ~(1UL << 47);        /* not present */
    check_rc("set_gdt(page mapped writable)", set_gdt1(pfn, 16), -XEN_EINVAL);
    check_rc("remap the page read-only", pfn_set_readonly((uint64_t)pfn), 0);
    if (!check_rc("set_gdt(read-only page, 16 entries)", set_gdt1(pfn, 16), 0))
        return;
    check_rc("code descriptor (DPL 0) reads back with DPL", (long)DESC_DPL(d[1]), 3);
    check_rc("data descriptor (DPL 0) reads back with DPL", (long)DESC_DPL(d[2]), 3);
    __asm__ volatile("mov %1, %%es\n\t"
                     "mov %%es, %0\n\t"
                     : "=&r"(es) : "r"((uint32_t)SEL(2)) : "memory");
    __asm__ volatile("mov %0, %%es" : : "r"(0U) : "memory");
    __asm__ volatile("lar %2, %0\n\t"
                     "setz %1"
                     : "+r"(ar), "=qm"(ok) : "r"((uint32_t)SEL(2)) : "cc");
    check_hex("mov SEL(2) into %es, mov %es", es, SEL(2));
    test_segment_faults();
    check_true("lar SEL(2) succeeds with DPL 3", ok && ((ar >> 13) & 3) == 3);
    check_rc("update_descriptor(entry 4, data DPL 0)",
             HYPERVISOR_update_descriptor(maddr + 4 * 8, DESC_DATA_DPL0), 0);
    check_rc("  ... reads back with DPL", (long)DESC_DPL(d[4]), 3);
    check_rc("update_descriptor(entry 4, TSS)",
             HYPERVISOR_update_descriptor(maddr + 4 * 8, DESC_TSS), -XEN_EINVAL);
    check_rc("update_descriptor(misaligned)",
             HYPERVISOR_update_descriptor(maddr + 4 * 8 + 4, DESC_DATA_DPL3), -XEN_EINVAL);
    check_rc("set_gdt(NULL, 0): drop the GDT", HYPERVISOR_set_gdt(NULL, 0), 0);
    check_rc("the page can be made writable again", pfn_set_writable((uint64_t)pfn), 0);
}

static void test_refused(long pfn)
{
    uint64_t frames[15], l4 = kernel_space.l4_mfn << 12;

    check_rc("set_gdt(page with a TSS descriptor)", offer_with(pfn, DESC_TSS, 0), -XEN_EINVAL);
    check_rc("set_gdt(call gate to the hypervisor's CS)",
             offer_with(pfn, call_gate(HV_CODE_SELECTOR), 0), -XEN_EINVAL);
    check_rc("set_gdt(call gate to the flat user CS: restricted gate)",
             offer_with(pfn, call_gate(FLAT_USER_CS), 0), 0);
    HYPERVISOR_set_gdt(NULL, 0);
    for (unsigned int i = 0; i < 15; i++)
        frames[i] = pfn_to_mfn((uint64_t)pfn);
    check_rc("set_gdt(7169 entries)", HYPERVISOR_set_gdt(frames, 7169), -XEN_EINVAL);
    check_rc("set_gdt(unmapped frame list)",
             HYPERVISOR_set_gdt(bad_ptr(BAD_VA_UNMAPPED), 16), -XEN_EFAULT);
    frames[0] = 0;
    check_rc("set_gdt(mfn 0, not ours)", HYPERVISOR_set_gdt(frames, 16), -XEN_EINVAL);
    check_rc("update_descriptor(into our L4)",
             HYPERVISOR_update_descriptor(l4 + 8 * 300, DESC_DATA_DPL3), -XEN_EINVAL);
}

static void test_ordinary(long pfn)
{
    volatile uint64_t *d = pfn_to_virt((uint64_t)pfn);
    uint64_t maddr = pfn_to_mfn((uint64_t)pfn) << 12;

    check_rc("update_descriptor(ordinary writable page)",
             HYPERVISOR_update_descriptor(maddr + 7 * 8, DESC_DATA_DPL0), 0);
    check_rc("  ... written, DPL", (long)DESC_DPL(d[7]), 3);
}

static void test_main(void)
{
    long pfn = gdt_page();

    if (pfn < 0)
        return;
    test_live(pfn);
    test_refused(pfn);
    test_ordinary(pfn);
    HYPERVISOR_set_gdt(NULL, 0);
    check_rc("page writable again", pfn_set_writable((uint64_t)pfn), 0);
    page_free((uint64_t)pfn);
    test_success(NULL);
}

const struct guest_test test_gdt_descriptors = { "gdt_descriptors", test_title, test_main };
