/*
 * Test iomem_uncached: domain 0 maps I/O memory uncached, as ioremap does.
 *
 * What: as domain 0, update_va_mapping of the BIOS frame (mfn 0xf0, I/O
 * memory) with the cache attributes Linux's ioremap puts in a PTE: PCD
 * (UC-), PCD|PWT (UC), PWT (WT), read-only and writable; each mapping
 * reads the same first 64 bytes as a write-back one. Refused with -EPERM
 * whatever the attributes: the local APIC (0xfee00) with PCD|PWT; the
 * test VA stays unmapped.
 * Why: Linux as domain 0 maps device memory with ioremap(), which asks
 * for PCD; Tern used to refuse every entry with PCD or PWT (-EINVAL), so
 * a dom0 driver's MMIO mapping failed (seen: the HPET driver's ioremap of
 * 0xfed00000 at boot).
 * Expected (real Xen 4.17 as dom0): 0 for each mapping, the same bytes
 * through each; -EPERM for the local APIC. (Xen also lets domain 0 put
 * cache attributes on its own RAM, changing its own mapping's type to
 * match; Tern refuses that: not checked here.)
 */
#include "mmtest.h"

static const char test_title[] = "dom0 maps I/O memory uncached (PCD/PWT), as ioremap does";

#define MFN_BIOS   0xf0UL
#define MFN_LAPIC  0xfee00UL
#define SAMPLE     64

static uint8_t wb_bytes[SAMPLE];

static bool read_sample(uint8_t *out)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)test_va(0);

    for (int i = 0; i < SAMPLE; i++)
        out[i] = p[i];
    return true;
}

static bool same_sample(void)
{
    uint8_t now[SAMPLE];

    read_sample(now);
    for (int i = 0; i < SAMPLE; i++)
        if (now[i] != wb_bytes[i])
            return false;
    return true;
}

static void uncached(const char *what, uint64_t flags)
{
    if (!check_rc(what, map_at(test_va(0), MFN_BIOS, flags), 0))
        return;
    check_true("  reads the bytes the write-back mapping read", same_sample());
    unmap_at(test_va(0));
}

static void test_main(void)
{
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
    if (!check_rc("map the BIOS write-back", map_at(test_va(0), MFN_BIOS, PTE_PAGE_RO), 0))
        return;
    read_sample(wb_bytes);
    unmap_at(test_va(0));
    uncached("map the BIOS read-only, PCD", PTE_PAGE_RO | PTE_PCD);
    uncached("map the BIOS writable, PCD", PTE_PAGE_RW | PTE_PCD);
    uncached("map the BIOS writable, PCD|PWT", PTE_PAGE_RW | PTE_PCD | PTE_PWT);
    uncached("map the BIOS read-only, PWT", PTE_PAGE_RO | PTE_PWT);
    check_rc("map the local APIC with PCD|PWT",
             map_at(test_va(0), MFN_LAPIC, PTE_PAGE_RW | PTE_PCD | PTE_PWT), -XEN_EPERM);
    check_true("  the test VA stays unmapped", !(pt_read(l1e) & PTE_PRESENT));
    test_success(NULL);
}

const struct guest_test test_iomem_uncached = { "iomem_uncached", test_title, test_main };
