/*
 * Tern guest kernel: an unprivileged domain flooding the console (command
 * line console-flood), the attacker of issue 10, hole 3.
 *
 * It maps 4 GiB of readable zero bytes at FLOOD_VA for four frames: one
 * zero page repeated 512 times through one L1, that L1 repeated 512 times
 * through one L2 (1 GiB), that L2 repeated four times through one L3,
 * which goes into a free slot of the kernel's L4. Then it hands all of it
 * to one console_io write of count 0xffffffff. A hypervisor that reads
 * every byte with interrupts off freezes every domain for seconds (NULs
 * are dropped, so nothing even shows); Tern reads what the domain's rate
 * limit allows, drops the rest unread and says so.
 *
 * The domain powers off when the call returned 0 and crashes itself
 * otherwise: its lines after the flood may well be dropped by that same
 * rate limit, so the shutdown reason is what the scenario reads. The
 * tables stay mapped: the hypervisor's teardown must give back every frame.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "demo/roles.h"

#define FLOOD_VA     0x0000200000000000UL      /* L4 slot 64: unused by the kernel */
#define FLOOD_GIB    4
#define FLOOD_COUNT  0xffffffffU               /* console_io's count is 32 bits */

/* A zeroed page of ours: its pfn, or a negative errno. */
static long zero_page(uint64_t *mfn)
{
    long pfn = page_alloc();

    if (pfn >= 0)
        *mfn = pfn_to_mfn((uint64_t)pfn);
    return pfn;
}

/* A new table whose first n entries all hold pte, made read-only (so it
 * can become a page table); its mfn in *mfn. */
static long repeat_table(uint64_t pte, unsigned int n, uint64_t *mfn)
{
    long pfn = zero_page(mfn);
    uint64_t *t;

    if (pfn < 0)
        return pfn;
    t = pfn_to_virt((uint64_t)pfn);
    for (unsigned int i = 0; i < n; i++)
        t[i] = pte;
    return pfn_set_readonly((uint64_t)pfn);
}

/* Maps the 4 GiB of zeros at FLOOD_VA; 0 or a negative errno. */
static long map_flood(void)
{
    uint64_t zero, l1, l2, l3, slot = as_entry_maddr(as_current(), FLOOD_VA, 4);
    long rc = zero_page(&zero);

    if (rc >= 0)
        rc = repeat_table(mfn_pte(zero, PTE_PAGE_RO), PT_ENTRIES, &l1);
    if (rc >= 0)
        rc = repeat_table(mfn_pte(l1, PTE_TABLE), PT_ENTRIES, &l2);
    if (rc >= 0)
        rc = repeat_table(mfn_pte(l2, PTE_TABLE), FLOOD_GIB, &l3);
    if (rc >= 0)
        rc = pt_write(slot, mfn_pte(l3, PTE_TABLE));
    return rc < 0 ? rc : 0;
}

void console_flood_run(void)
{
    const volatile uint64_t *last =
        (const volatile uint64_t *)((FLOOD_VA + ((uint64_t)FLOOD_GIB << 30)) - 8);
    long rc = map_flood();

    if (rc)
        panic("console-flood: cannot map the zeros: %ld", rc);
    printk("console-flood: %d GiB of zero bytes at %#lx (last word %lu), from 4 frames; "
           "writing %u of them with one console_io call\n", FLOOD_GIB, FLOOD_VA,
           (unsigned long)*last, FLOOD_COUNT);
    rc = HYPERVISOR_console_io(CONSOLEIO_write, FLOOD_COUNT, (const char *)FLOOD_VA);
    printk("console-flood: console_io returned %ld\n", rc);
    if (rc != 0)
        panic("console-flood: console_io returned %ld, expected 0", rc);
}
