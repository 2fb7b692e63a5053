/*
 * Tern guest kernel: the gdt-destroy role, the attack test of issue 10's
 * hole 4 (destroying another domain wiped the caller's live GDT).
 *
 *   gdt-destroy=<first>:<last>   (domain 0) install a GDT of our own with
 *                                one data descriptor, then destroy domains
 *                                first..last one at a time; after each, the
 *                                descriptor must still be in the CPU's GDT
 *
 * The descriptor is probed with `lar`, which faults on nothing: ZF says
 * whether the selector names a valid descriptor the CPU can see. Domain
 * destruction (and so the teardown of the victim's GDT) runs on our way
 * back from the domctl, while we are the current domain: only the
 * victim's references may go, never our descriptors.
 * Prints "gdt-destroy: FAIL: ..." for each check that does not hold, and
 * one summary line.
 */
#include "xen/control.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "demo/roles.h"

#define DESC_DATA   0x00cff2000000ffffUL     /* flat writable data, DPL 3 */
#define SELECTOR    ((1u << 3) | 3)          /* GDT entry 1, RPL 3 */
#define OPTION_LEN  32

/* True if the CPU's GDT holds a valid descriptor for sel. */
static bool selector_valid(uint16_t sel)
{
    uint64_t rights = 0;
    uint8_t zf;

    __asm__ volatile("lar %2, %0; setz %1" : "=r"(rights), "=qm"(zf) : "rm"((uint64_t)sel)
                     : "cc");
    return zf != 0;
}

/* One page with DESC_DATA at entry 1, read-only, as our GDT. */
static bool install_gdt(void)
{
    long pfn = page_alloc();
    uint64_t *page, frames[1];

    if (pfn < 0)
        return false;
    page = pfn_to_virt((uint64_t)pfn);
    memset(page, 0, PAGE_SIZE);
    page[1] = DESC_DATA;
    if (pfn_set_readonly((uint64_t)pfn) != 0)
        return false;
    frames[0] = pfn_to_mfn((uint64_t)pfn);
    return HYPERVISOR_set_gdt(frames, 16) == 0;
}

/* A decimal number at *p; moves past it. False if there is none. */
static bool number(const char **p, uint64_t *out)
{
    const char *s = *p;

    *out = 0;
    while (*s >= '0' && *s <= '9' && *out < DOMID_FIRST_RESERVED)
        *out = *out * 10 + (uint64_t)(*s++ - '0');
    if (s == *p)
        return false;
    *p = s;
    return true;
}

static bool parse_range(const char *v, uint64_t *first, uint64_t *last)
{
    if (!number(&v, first) || *v++ != ':' || !number(&v, last) || *v)
        return false;
    return *first >= 1 && *first <= *last && *last < DOMID_FIRST_RESERVED;
}

static unsigned int destroy_and_check(uint64_t first, uint64_t last)
{
    unsigned int failed = 0;

    for (uint64_t id = first; id <= last; id++) {
        long rc = control_destroy((domid_t)id);
        if (rc)
            printk("gdt-destroy: domctl destroydomain(%lu) = %ld\n", id, rc);
        if (!selector_valid(SELECTOR)) {
            printk("gdt-destroy: FAIL: our GDT entry 1 is gone after destroying domain %lu\n",
                   id);
            failed++;
        }
    }
    return failed;
}

bool gdt_destroy_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("gdt-destroy", buf, sizeof(buf));
    uint64_t first, last;
    unsigned int failed;

    if (!v)
        return false;
    if (!parse_range(v, &first, &last)) {
        printk("roles: gdt-destroy=%s: want <first>:<last>\n", buf);
        return true;
    }
    if (!install_gdt() || !selector_valid(SELECTOR)) {
        printk("gdt-destroy: FAIL: could not install our GDT\n");
        return true;
    }
    failed = destroy_and_check(first, last);
    printk("gdt-destroy: %lu domains destroyed, our GDT %s\n", last - first + 1,
           failed ? "was wiped" : "intact after each");
    return true;
}
