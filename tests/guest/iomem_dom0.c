/*
 * Test iomem_dom0: the hardware domain maps I/O memory, not the
 * hypervisor's devices.
 *
 * What: as domain 0, update_va_mapping of frames that are not RAM: mfn 0
 * and the BIOS at 0xf0 (the first MiB) read-only and writable, reading
 * them back; the first frame above RAM (XENMEM_maximum_ram_page) read-only;
 * refused with -EPERM: the local APIC (0xfee00) and another frame of the
 * MSI window (0xfee10), read-only and writable; the test VA stays
 * unmapped after each refusal.
 * Why: Linux 6.1 as domain 0 reads DMI from the BIOS and its ACPI tables
 * through such mappings, and maps the whole first MiB at boot; the local
 * APIC and the MSI window are the hypervisor's (an interrupt message
 * written there would be a forged interrupt).
 * Expected (real Xen 4.17 as dom0): as the check lines say (dom0 holds
 * iomem permission for everything but what Xen keeps).
 */
#include "mmtest.h"

static const char test_title[] = "dom0 maps I/O memory, never the local APIC or MSI window";

#define MFN_BIOS   0xf0UL
#define MFN_LAPIC  0xfee00UL
#define MFN_MSI    0xfee10UL

static void mapped(const char *what, uint64_t mfn, uint64_t flags)
{
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)test_va(0);

    if (!check_rc(what, map_at(test_va(0), mfn, flags), 0))
        return;
    (void)*p;                                    /* readable: no fault to survive */
    check_true("  reads without a fault", true);
    unmap_at(test_va(0));
}

static void refused(const char *what, uint64_t mfn, uint64_t flags, uint64_t l1e)
{
    check_rc(what, map_at(test_va(0), mfn, flags), -XEN_EPERM);
    check_true("  the test VA stays unmapped", !(pt_read(l1e) & PTE_PRESENT));
}

static void test_main(void)
{
    long max_page = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    struct test_page warm;
    uint64_t l1e;

    if (!tp_alloc(&warm))
        return;
    if (!check_rc("as_map(test VA)", map_at(test_va(0), warm.mfn, PTE_PAGE_RW), 0))
        return;
    unmap_at(test_va(0));
    tp_free(&warm);
    if (!(l1e = entry_maddr(test_va(0), 1)))
        return;
    mapped("map mfn 0 read-only", 0, PTE_PAGE_RO);
    mapped("map mfn 0 writable", 0, PTE_PAGE_RW);
    mapped("map the BIOS (mfn 0xf0) read-only", MFN_BIOS, PTE_PAGE_RO);
    mapped("map the BIOS (mfn 0xf0) writable", MFN_BIOS, PTE_PAGE_RW);
    if (check_true("maximum_ram_page answered", max_page > 0))
        mapped("map the first frame above RAM read-only", (uint64_t)max_page, PTE_PAGE_RO);
    refused("map the local APIC read-only", MFN_LAPIC, PTE_PAGE_RO, l1e);
    refused("map the local APIC writable", MFN_LAPIC, PTE_PAGE_RW, l1e);
    refused("map the MSI window (0xfee10) writable", MFN_MSI, PTE_PAGE_RW, l1e);
    test_success(NULL);
}

const struct guest_test test_iomem_dom0 = { "iomem_dom0", test_title, test_main };
