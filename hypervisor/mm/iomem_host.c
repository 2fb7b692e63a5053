/*
 * iomem_host.c: the host's I/O memory policy (mm/iomem.c decides). Denials
 * come from the drivers as they start (local APIC, I/O APICs, the screen)
 * and from memory_init (boot data, the MSI window), all before the first
 * domain is built, so a frame's kind never changes while it may be mapped.
 */
#include "iomem_host.h"
#include "console.h"
#include <asm/cpu.h>

#define MSI_WINDOW_BASE 0xfee00000ULL      /* interrupt messages, not memory */
#define MSI_WINDOW_LEN  0x100000ULL
#define DEFAULT_PHYS_BITS 36               /* without CPUID leaf 0x80000008 */

static struct iomem_policy host_iomem;

void iomem_host_deny(uint64_t base, uint64_t len, const char *what)
{
    if (iomem_deny(&host_iomem, base, len))
        panic("iomem: cannot keep %s (%#lx+%#lx) from the domains\n", what, base, len);
}

static unsigned int phys_bits(void)
{
    if (cpuid(0x80000000, 0).eax < 0x80000008)
        return DEFAULT_PHYS_BITS;
    return cpuid(0x80000008, 0).eax & 0xff;
}

void iomem_host_init(const struct boot_info *bi)
{
    host_iomem.map = bi->ranges;
    host_iomem.nr_map = bi->nr_ranges;
    host_iomem.limit_mfn = 1ULL << (phys_bits() - PAGE_SHIFT);
    iomem_host_deny(MSI_WINDOW_BASE, MSI_WINDOW_LEN, "the MSI window");
    iomem_host_deny(bi->info_phys, bi->info_size, "the multiboot information");
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        if (bi->modules[i].end > bi->modules[i].start)    /* an empty one holds nothing */
            iomem_host_deny(bi->modules[i].start, bi->modules[i].end - bi->modules[i].start,
                            "a boot module");
}

unsigned int iomem_host_kind(void *ctx, uint64_t mfn)
{
    (void)ctx;
    return iomem_kind_of(&host_iomem, mfn);
}
