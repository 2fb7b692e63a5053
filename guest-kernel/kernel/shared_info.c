/*
 * Tern guest kernel: mapping the shared_info page.
 *
 * start_info.shared_info is the page's MACHINE address; the builder does not
 * map it. We point the L1 entry of a page-aligned .bss page at it with
 * update_va_mapping (as Mini-OS and XTF do). That hypercall is tier 1: a
 * hypervisor without it answers -ENOSYS, and the kernel then goes on
 * without shared_info (shared_info stays NULL). Any other error is fatal.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include <public/errno.h>

struct shared_info *shared_info;

static uint8_t shared_info_window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void shared_info_init(void)
{
    uint64_t va = (uint64_t)(uintptr_t)shared_info_window;
    uint64_t maddr = start_info.shared_info;
    uint64_t pte = maddr | PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY;
    long rc;

    if (maddr & (PAGE_SIZE - 1))
        panic("start_info.shared_info %#lx is not page aligned", maddr);
    rc = HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
    if (rc == -XEN_ENOSYS) {
        printk("shared_info: update_va_mapping not available (-ENOSYS); "
               "continuing without shared_info\n");
        return;
    }
    if (rc != 0)
        panic("update_va_mapping(%#lx, %#lx) for shared_info failed: %ld", va, pte, rc);
    shared_info = (struct shared_info *)shared_info_window;
    printk("shared_info: machine %#lx mapped at %#lx\n", maddr, va);
}
