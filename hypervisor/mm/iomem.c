/*
 * iomem.c: the machine frames that are I/O memory, and which of them a
 * privileged domain may map (page_types rule 11). Pure.
 *
 * Xen gives domain 0 every machine frame that is not RAM (holes, reserved
 * and ACPI ranges, device memory above RAM) and the whole first MiB (BIOS
 * data, option ROMs, the BIOS itself), minus what it drives itself: the
 * local APIC, the I/O APICs, the MSI window. Linux reads DMI and ACPI
 * tables through such mappings. The rules here:
 *  1. A frame at or above limit_mfn is beyond the CPU's physical address
 *     width: denied (an entry pointing there faults with reserved bits).
 *  2. A frame overlapping a denied range is denied: the hypervisor's
 *     devices (local APIC, I/O APICs, MSI window, its framebuffer) and the
 *     boot data it keeps (its image, the multiboot information, the
 *     modules).
 *  3. Otherwise a frame of the first MiB is mappable: Tern never hands
 *     those frames out (memory_setup.c), so no domain's RAM is there.
 *     The VGA text screen (0xb8000) is among them, shared with the
 *     hypervisor's console: Linux maps the whole first MiB at boot and
 *     stops if a frame of it is refused, and Xen hands its VGA console to
 *     domain 0 too. What domain 0 writes there can only garble the screen.
 *  4. Otherwise a frame that overlaps a RAM range of the map is RAM (the
 *     allocator's, or above mem=: either way not device memory).
 *  5. Otherwise it is mappable I/O memory.
 * Every frame the allocator can hand out is RAM above the first MiB, so a
 * frame this says is I/O memory never has an owner or a reference.
 *
 * A denial whose frames touch or overlap those of the previous one widens
 * it instead of taking a new entry: the same frames are denied, and a
 * boot loader's long run of back-to-back modules (a hundred domains')
 * takes one entry, not one each.
 */
#include "iomem.h"
#include "err.h"

/* Do the frames of [b0, e0) and [b1, e1) (ends exclusive, non-empty)
 * overlap or sit side by side? */
static bool frames_touch(uint64_t b0, uint64_t e0, uint64_t b1, uint64_t e1)
{
    return (b1 >> PAGE_SHIFT) <= ((e0 - 1) >> PAGE_SHIFT) + 1 &&
           (b0 >> PAGE_SHIFT) <= ((e1 - 1) >> PAGE_SHIFT) + 1;
}

int iomem_deny(struct iomem_policy *p, uint64_t base, uint64_t len)
{
    struct mem_range *last = p->nr_deny ? &p->deny[p->nr_deny - 1] : NULL;

    if (!len || base + len < base)
        return -EINVAL;
    if (last && frames_touch(last->base, last->base + last->len, base, base + len)) {
        uint64_t end = MAX(last->base + last->len, base + len);
        last->base = MIN(last->base, base);
        last->len = end - last->base;
        return 0;
    }
    if (p->nr_deny == IOMEM_MAX_DENY)
        return -ENOSPC;
    p->deny[p->nr_deny++] = (struct mem_range){ base, len, 0 };
    return 0;
}

/* Does [base, base + len) share a byte with frame mfn? (A range running
 * past the top of the address space is cut there.) */
static bool overlaps(uint64_t base, uint64_t len, uint64_t mfn)
{
    uint64_t last = len > UINT64_MAX - base ? UINT64_MAX : base + len - 1;

    return len && (base >> PAGE_SHIFT) <= mfn && (last >> PAGE_SHIFT) >= mfn;
}

static bool denied(const struct iomem_policy *p, uint64_t mfn)
{
    for (unsigned int i = 0; i < p->nr_deny; i++)
        if (overlaps(p->deny[i].base, p->deny[i].len, mfn))
            return true;
    return false;
}

static bool is_ram(const struct iomem_policy *p, uint64_t mfn)
{
    for (unsigned int i = 0; i < p->nr_map; i++)
        if (p->map[i].type == MB2_MEM_RAM && overlaps(p->map[i].base, p->map[i].len, mfn))
            return true;
    return false;
}

enum iomem_kind iomem_kind_of(const struct iomem_policy *p, uint64_t mfn)
{
    if (mfn >= p->limit_mfn || denied(p, mfn))
        return IOMEM_DENIED;
    if (mfn < IOMEM_LOW_MFNS)
        return IOMEM_MAPPABLE;
    return is_ram(p, mfn) ? IOMEM_NOT_IO : IOMEM_MAPPABLE;
}
