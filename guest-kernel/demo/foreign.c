/*
 * Tern guest kernel: foreign mappings by domain 0, for the scenarios
 * (issue 12). Command-line words:
 *
 *   foreign-take=<dom>   (domain 0) map <dom>'s xenstore page (its mfn from
 *                        the domctl) with update_va_mapping_otherdomain and
 *                        again with mmu_update and a foreigndom, write
 *                        FOREIGN_WORD through the first; once <dom> has
 *                        answered, or ended, read it again and unmap both
 *   foreign-offer        (an unprivileged domain) wait for FOREIGN_WORD in
 *                        our xenstore page, answer ANSWER_WORD next to it;
 *                        a foreign mapping of domain 0's frames, asked by
 *                        us, is refused (-EPERM)
 *
 * Each side polls with a deadline, so the outcome holds whichever domain
 * runs first. Failures print "foreign: FAIL: ...".
 */
#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define FOREIGN_WORD  0x666f726569676e21UL      /* "foreign!" */
#define ANSWER_WORD   0x616e737765726564UL      /* "answered" */
#define OPTION_LEN    32
#define WAIT_NS       (20 * NS_PER_S)
#define POLL_NS       (5 * NS_PER_MS)

static unsigned int failures;
static uint8_t windows[2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void fail(const char *what, uint64_t got)
{
    printk("foreign: FAIL: %s (%#lx)\n", what, got);
    failures++;
}

static domid_t number(const char *v)
{
    uint64_t n = 0;

    while (*v >= '0' && *v <= '9' && n < DOMID_FIRST_RESERVED)
        n = n * 10 + (uint64_t)(*v++ - '0');
    return (domid_t)n;
}

static bool running(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;

    return control_next_domain(dom, &info) == 1 && info.domain == dom &&
           control_domain_running(&info);
}

/* The L1 entry that maps va in our kernel tables, by mmu_update with a
 * foreigndom. */
static long map_by_mmu_update(uint64_t va, uint64_t mfn, domid_t dom)
{
    struct mmu_update u = { .ptr = as_entry_maddr(&kernel_space, va, 1) | MMU_NORMAL_PT_UPDATE,
                            .val = mfn_pte(mfn, PTE_PAGE_RO) };

    return HYPERVISOR_mmu_update(&u, 1, NULL, dom);
}

static void restore(uint64_t va)
{
    HYPERVISOR_update_va_mapping(va, mfn_pte(pfn_to_mfn(virt_to_pfn((void *)(uintptr_t)va)),
                                             PTE_PAGE_RW), UVMF_INVLPG);
}

static void take(domid_t dom)
{
    struct xen_domctl_tern_ring_pages r;
    uint64_t va = (uint64_t)(uintptr_t)windows[0], va2 = (uint64_t)(uintptr_t)windows[1];
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)va;
    uint64_t deadline = time_now_ns() + WAIT_NS;
    long rc;

    if (control_ring_pages(dom, XEN_DOMCTL_INTERFACE_VERSION, &r))
        return fail("no ring pages for that domain", dom);
    rc = HYPERVISOR_update_va_mapping_otherdomain(va, mfn_pte(r.store_mfn, PTE_PAGE_RW),
                                                  UVMF_INVLPG, dom);
    if (rc)
        return fail("update_va_mapping_otherdomain", (uint64_t)rc);
    HYPERVISOR_update_va_mapping(va2, 0, UVMF_INVLPG);
    if ((rc = map_by_mmu_update(va2, r.store_mfn, dom)) != 0)
        fail("mmu_update with a foreigndom", (uint64_t)rc);
    w[0] = FOREIGN_WORD;
    printk("foreign: mapped domain %u's xenstore page twice and wrote to it\n", dom);
    while (w[1] != ANSWER_WORD && running(dom) && time_now_ns() < deadline)
        time_sleep_ns(POLL_NS);
    if (w[1] != ANSWER_WORD && w[0] == FOREIGN_WORD && !running(dom))
        printk("foreign: domain %u ended; its page is still ours to read\n", dom);
    else if (w[1] == ANSWER_WORD)
        printk("foreign: domain %u answered through the page\n", dom);
    else
        fail("no answer", w[1]);
    if (*(volatile uint64_t *)(uintptr_t)va2 != FOREIGN_WORD)
        fail("the second mapping does not show the same page", 0);
    HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
    HYPERVISOR_update_va_mapping(va2, 0, UVMF_INVLPG);
    restore(va);
    restore(va2);
    printk("foreign: unmapped domain %u's page\n", dom);
}

static void offer(void)
{
    volatile uint64_t *w = pfn_to_virt(mfn_to_pfn(start_info.store_mfn));
    uint64_t deadline = time_now_ns() + WAIT_NS;
    long rc = map_by_mmu_update((uint64_t)(uintptr_t)windows[0], 0, 0);

    if (rc != -XEN_EPERM)
        fail("an unprivileged foreign mmu_update was not -EPERM", (uint64_t)rc);
    while (w[0] != FOREIGN_WORD && time_now_ns() < deadline)
        time_sleep_ns(POLL_NS);
    if (w[0] != FOREIGN_WORD)
        return fail("domain 0 never wrote into our page", w[0]);
    w[1] = ANSWER_WORD;
    printk("foreign: domain 0 wrote into our xenstore page; answered\n");
}

bool foreign_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("foreign-take", buf, sizeof(buf));

    if (v) {
        take(number(v));
    } else if (cmdline_option("foreign-offer", buf, sizeof(buf))) {
        offer();
    } else {
        return false;
    }
    printk("foreign: done, %u failures\n", failures);
    return true;
}
