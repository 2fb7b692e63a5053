/*
 * memory_setup.c: from the boot loader's memory map to a running allocator.
 *
 * Order matters, because nothing but the first 4 GiB is mapped at first:
 *   1. print the map and find the top of usable RAM (capped by mem=);
 *   2. place the allocator's bitmaps in free RAM below 4 GiB, clear of the
 *      image, the boot information and the modules;
 *   3. hand every page-aligned RAM range above 1 MiB to the allocator, then
 *      take back every non-RAM range (firmware maps overlap), the image, the
 *      boot information, the modules and the bitmaps themselves;
 *   4. build the final page tables with a direct map of all of it;
 *   5. start the heap on frames from the allocator.
 * The first MiB is never handed out: BIOS data, the EBDA and real-mode
 * trampolines live there on old machines.
 */
#include "cmdline_options.h"
#include "console.h"
#include "heap.h"
#include "memory_setup.h"
#include "directmap.h"
#include "domain.h"
#include "page_types.h"
#include "iomem_host.h"
#include <asm/paging.h>

#define LOW_RESERVED  (1ULL << 20)
#define FOUR_GIB      (4ULL << 30)
#define ONE_GIB       (1ULL << 30)
#define MAX_AVOID     (MB2_MAX_MODULES + 2)

struct frame_alloc machine_frames;
struct frame_table ftable;
static const struct boot_info *boot;
static uint64_t ram_top, usable_bytes;

extern char _start[], _end[];

static void print_map(const struct boot_info *bi)
{
    log_info("Memory map (from the boot loader):\n");
    for (unsigned int i = 0; i < bi->nr_ranges; i++) {
        const struct mem_range *r = &bi->ranges[i];
        log_info("  %016lx - %016lx  %s\n", r->base, r->base + r->len,
                 mb2_mem_type_name(r->type));
    }
}

/* End of the highest RAM range, capped at limit (0: none). */
static uint64_t find_ram_top(const struct boot_info *bi, uint64_t limit)
{
    uint64_t top = 0;

    for (unsigned int i = 0; i < bi->nr_ranges; i++)
        if (bi->ranges[i].type == MB2_MEM_RAM)
            top = MAX(top, bi->ranges[i].base + bi->ranges[i].len);
    return limit ? MIN(top, limit) : top;
}

/* The things in RAM that must survive: image, boot information, modules. */
static unsigned int boot_owned(const struct boot_info *bi, struct mem_range *out)
{
    unsigned int n = 0;

    out[n++] = (struct mem_range){ virt_to_phys(_start),
                                   (uint64_t)(_end - _start), 0 };
    out[n++] = (struct mem_range){ bi->info_phys, bi->info_size, 0 };
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        out[n++] = (struct mem_range){ bi->modules[i].start,
                                       bi->modules[i].end - bi->modules[i].start, 0 };
    return n;
}

static void reserve_bytes(uint64_t base, uint64_t len)
{
    uint64_t first = base >> PAGE_SHIFT;
    uint64_t last = (base + len + PAGE_SIZE - 1) >> PAGE_SHIFT;

    if (len && fa_reserve(&machine_frames, first, last - first))
        panic("memory: cannot reserve %#lx-%#lx: already in use\n", base, base + len);
}

/* Add one RAM range, frame by frame where the firmware map overlaps. */
static void add_ram(uint64_t base, uint64_t len)
{
    uint64_t first = ALIGN_UP(MAX(base, LOW_RESERVED), PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t end = ALIGN_DOWN(MIN(base + len, ram_top), PAGE_SIZE) >> PAGE_SHIFT;

    if (end <= first)
        return;
    if (fa_add_ram(&machine_frames, first, end - first) == 0)
        return;
    log_warn("memory: RAM ranges overlap in the firmware map at %#lx\n", base);
    for (uint64_t f = first; f < end; f++)
        if (!fa_is_managed(&machine_frames, f))
            fa_add_ram(&machine_frames, f, 1);
}

static void init_allocator(const struct boot_info *bi)
{
    static struct mem_range avoid[MAX_AVOID];   /* too big for the boot stack */
    unsigned int nr_avoid = boot_owned(bi, avoid);
    uint64_t nr_frames = ram_top >> PAGE_SHIFT;
    uint64_t bytes = ALIGN_UP(fa_storage_bytes(nr_frames), PAGE_SIZE), pa;

    if (memmap_find_free(bi->ranges, bi->nr_ranges, avoid, nr_avoid, bytes,
                         PAGE_SIZE, LOW_RESERVED, MIN(ram_top, FOUR_GIB), &pa))
        panic("memory: no room below 4 GiB for the frame bitmaps (%lu KiB)\n",
              bytes >> 10);
    fa_init(&machine_frames, phys_to_virt(pa), nr_frames);
    for (unsigned int i = 0; i < bi->nr_ranges; i++)
        if (bi->ranges[i].type == MB2_MEM_RAM)
            add_ram(bi->ranges[i].base, bi->ranges[i].len);
    for (unsigned int i = 0; i < bi->nr_ranges; i++)
        if (bi->ranges[i].type != MB2_MEM_RAM)
            reserve_bytes(bi->ranges[i].base, bi->ranges[i].len);
    usable_bytes = machine_frames.nr_managed << PAGE_SHIFT;
    for (unsigned int i = 0; i < nr_avoid; i++)
        reserve_bytes(avoid[i].base, avoid[i].len);
    reserve_bytes(pa, bytes);
}

static void *heap_pages_from_frames(void *ctx, size_t n)
{
    int64_t mfn = fa_alloc_contig(ctx, n, machine_frames.nr_frames);

    return mfn < 0 ? NULL : phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
}

static void *ft_frame(void *ctx, uint64_t mfn)
{
    (void)ctx;
    return phys_to_virt(mfn << PAGE_SHIFT);
}

static void ft_fill_hv_slots(void *ctx, uint64_t *l4)
{
    (void)ctx;
    paging_fill_hypervisor_slots(l4);
}

/* One page_info per machine frame, in contiguous frames of its own. */
static void init_frame_table(void)
{
    uint64_t bytes = machine_frames.nr_frames * sizeof(struct page_info);
    uint64_t pages = ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
    int64_t first = fa_alloc_contig(&machine_frames, pages, machine_frames.nr_frames);

    if (first < 0)
        panic("memory: no room for the frame table (%lu KiB)\n", bytes >> 10);
    ftable = (struct frame_table){
        .pages = phys_to_virt((uint64_t)first << PAGE_SHIFT), .nr = machine_frames.nr_frames,
        .frame = ft_frame, .direct = phys_to_virt(0), .fill_hv_slots = ft_fill_hv_slots, .nx = cpu_caps.nx,
        .m2p_l4e = paging_m2p_l4e(),
        .foreign_ok = domain_may_map_foreign, .released = domain_frame_released,
        .iomem = iomem_host_kind, .iomem_ok = domain_may_map_iomem,
    };
    ft_init(&ftable);
}

static void heap_pages_to_frames(void *ctx, void *pages, size_t n)
{
    uint64_t first = virt_to_phys(pages) >> PAGE_SHIFT;

    for (size_t i = 0; i < n; i++)
        if (fa_free(ctx, first + i))
            panic("heap: freeing frame %#lx it did not own\n", first + i);
}

static void print_totals(void)
{
    log_info("RAM: %lu MiB usable, %lu MiB free (%lu free frames), "
             "hypervisor image %lu KiB, direct map up to %#lx\n",
             usable_bytes >> 20, (machine_frames.nr_free << PAGE_SHIFT) >> 20, machine_frames.nr_free,
             (uint64_t)(_end - _start) >> 10, directmap_top);
}

void memory_init(const struct boot_info *bi, const struct hv_options *opt)
{
    struct heap_pages provider = { heap_pages_from_frames, &machine_frames, heap_pages_to_frames };

    boot = bi;
    print_map(bi);
    ram_top = find_ram_top(bi, opt->mem_limit);
    if (opt->mem_limit)
        log_info("mem=%#lx: RAM above it is left unused\n", opt->mem_limit);
    init_allocator(bi);
    iomem_host_init(bi);
    if (paging_init(&machine_frames, ALIGN_UP(MAX(ram_top, FOUR_GIB), ONE_GIB)))
        panic("memory: out of memory building the hypervisor page tables\n");
    if (paging_init_m2p(&machine_frames, machine_frames.nr_frames))
        panic("memory: out of memory for the machine-to-phys table\n");
    init_frame_table();
    heap_init(&provider);
    print_totals();
}

const struct mem_range *host_memory_map(unsigned int *nr)
{
    *nr = boot ? boot->nr_ranges : 0;
    return boot ? boot->ranges : NULL;
}

void memory_dump_info(void)
{
    struct heap_stats hs;

    heap_get_stats(&hs);
    printk("'m' pressed -> memory information\n");
    if (boot)
        print_map(boot);
    print_totals();
    printk("frame allocator: %lu frames managed, %lu free frames, bitmap check %s\n",
           machine_frames.nr_managed, machine_frames.nr_free, fa_check(&machine_frames) ? "FAILED" : "ok");
    printk("heap: %lu pages, %lu live objects\n", hs.pages, hs.objects);
    printk("frame table: invariants %s\n", mm_audit("on debug key 'm'") ? "ok" : "BROKEN");
}
