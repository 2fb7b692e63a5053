/*
 * Tern guest kernel: a page shared between domains through a grant, for
 * the scenarios (issue 12). Command-line words:
 *
 *   grant-offer[=crash]      (an unprivileged domain) grant a page of ours,
 *                            entry GRANT_REF, to domain 0; wait until
 *                            domain 0 has written through its mapping;
 *                            then check we cannot revoke the entry while
 *                            it is mapped and revoke it once it is not, or
 *                            (=crash) crash while it is still mapped
 *   grant-take=<dom>[:<dom>...]  (domain 0) map each domain's GRANT_REF,
 *                            read its pattern, write ours through the
 *                            mapping; unmap once the granter acknowledges,
 *                            or, if it ended meanwhile, use the mapping
 *                            again (a dead granter's page stays while
 *                            mapped) and unmap it then
 *
 * The page holds the granter's pattern (GRANTER_WORD) at
 * word 0 and, once domain 0 has written, MAPPER_WORD at word 1. Each side
 * polls for the other with a deadline, so the outcome does not depend on
 * which domain runs first. Failures print "grants: FAIL: ...".
 */
#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define GRANT_REF     16
#define GRANTER_WORD  0x6772616e74000000UL      /* "grant" */
#define MAPPER_WORD   0x6d61707065642121UL      /* "mapped!!" */
#define ACK_WORD      0x61636b6e6f776c65UL      /* "acknowle" */
#define MAX_TAKE      4
#define OPTION_LEN    64
#define WAIT_NS       (20 * NS_PER_S)
#define POLL_NS       (5 * NS_PER_MS)

static unsigned int failures;

static void fail(const char *what, uint64_t got)
{
    printk("grants: FAIL: %s (%#lx)\n", what, got);
    failures++;
}

/* Waits until *w == want or the deadline; true if it came. */
static bool wait_word(const volatile uint64_t *w, uint64_t want)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;

    while (*w != want && time_now_ns() < deadline)
        time_sleep_ns(POLL_NS);
    return *w == want;
}

/* ---- the granter --------------------------------------------------------------- */

static uint8_t table_window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Our table's first frame, mapped over table_window. */
static volatile struct grant_entry_v1 *our_table(void)
{
    uint64_t frames[1] = { 0 };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
                                     .frame_list = hc_ptr(frames) };

    if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1) || st.status ||
        HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)table_window,
                                     mfn_pte(frames[0], PTE_PAGE_RW), UVMF_INVLPG))
        return NULL;
    return (volatile struct grant_entry_v1 *)table_window;
}

static bool try_revoke(volatile struct grant_entry_v1 *e)
{
    uint16_t expect = GTF_permit_access;

    return __atomic_compare_exchange_n((uint16_t *)&e->flags, &expect, 0, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Revokes the entry as soon as domain 0 has unmapped it; false at the
 * deadline. */
static bool wait_revoked(volatile struct grant_entry_v1 *e)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;

    while (!try_revoke(e))
        if (time_now_ns() >= deadline)
            return false;
        else
            time_sleep_ns(POLL_NS);
    return true;
}

static void offer(bool crash)
{
    volatile struct grant_entry_v1 *t = our_table();
    long pfn = page_alloc();
    volatile uint64_t *page;

    if (!t || pfn < 0)
        return fail("no grant table or page", 0);
    page = pfn_to_virt((uint64_t)pfn);
    page[0] = GRANTER_WORD;
    t[GRANT_REF].domid = 0;
    t[GRANT_REF].frame = (uint32_t)pfn_to_mfn((uint64_t)pfn);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t[GRANT_REF].flags = GTF_permit_access;
    printk("grants: offered page mfn %#lx as ref %u to domain 0\n", pfn_to_mfn((uint64_t)pfn),
           GRANT_REF);
    if (!wait_word(&page[1], MAPPER_WORD))
        return fail("domain 0 never wrote through its mapping", page[1]);
    printk("grants: domain 0 wrote through its mapping\n");
    if (try_revoke(&t[GRANT_REF]))
        return fail("revoked while mapped", t[GRANT_REF].flags);
    if (crash)
        panic("grants: crashing on purpose with the page still mapped");
    page[2] = ACK_WORD;                      /* domain 0 may unmap now */
    if (!wait_revoked(&t[GRANT_REF]))
        return fail("still in use long after the ack", t[GRANT_REF].flags);
    printk("grants: revoked after domain 0 unmapped\n");
}

/* ---- domain 0, the mapper ------------------------------------------------------ */

static uint8_t map_window[MAX_TAKE][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

struct take {
    domid_t dom;
    grant_handle_t handle;
    uint64_t va;
    bool mapped;
};

/* Map dom's GRANT_REF over our window i, retrying until it is granted. */
static void take_one(struct take *t, unsigned int i)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;
    struct gnttab_map_grant_ref m;

    t->va = (uint64_t)(uintptr_t)map_window[i];
    HYPERVISOR_update_va_mapping(t->va, 0, UVMF_INVLPG);      /* free the entry */
    do {
        m = (struct gnttab_map_grant_ref){ .host_addr = t->va, .flags = GNTMAP_host_map,
                                           .ref = GRANT_REF, .dom = t->dom };
        HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
        if (m.status != GNTST_okay)
            time_sleep_ns(POLL_NS);
    } while (m.status != GNTST_okay && time_now_ns() < deadline);
    if (m.status != GNTST_okay)
        return fail("map_grant_ref never succeeded", (uint64_t)(int64_t)m.status);
    t->handle = m.handle;
    t->mapped = true;
}

static void use_mapping(const struct take *t, const char *when)
{
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)t->va;

    if (w[0] != GRANTER_WORD)
        return fail("the mapped page does not hold its granter's pattern", w[0]);
    w[1] = MAPPER_WORD;
    printk("grants: domain %u's page read and written through our mapping %s\n", t->dom,
           when);
}

static void give_back(struct take *t)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = t->va, .handle = t->handle };
    uint64_t own = pfn_to_mfn(virt_to_pfn((void *)(uintptr_t)t->va));

    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    if (u.status != GNTST_okay)
        fail("unmap_grant_ref", (uint64_t)(int64_t)u.status);
    HYPERVISOR_update_va_mapping(t->va, mfn_pte(own, PTE_PAGE_RW), UVMF_INVLPG);
    printk("grants: unmapped domain %u's page\n", t->dom);
}

static unsigned int parse_take(const char *v, struct take *t)
{
    unsigned int n = 0;

    while (*v && n < MAX_TAKE) {
        uint64_t d = 0;
        while (*v >= '0' && *v <= '9')
            d = d * 10 + (uint64_t)(*v++ - '0');
        t[n++] = (struct take){ .dom = (domid_t)d };
        if (*v == ':')
            v++;
        else
            break;
    }
    return n;
}

static bool running(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;

    return control_next_domain(dom, &info) == 1 && info.domain == dom &&
           control_domain_running(&info);
}

/* The granter either acknowledges (we unmap while it runs) or ends with
 * the page still mapped (we use it once more, then unmap). */
static void finish(struct take *t)
{
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)t->va;
    uint64_t deadline = time_now_ns() + WAIT_NS;

    while (w[2] != ACK_WORD && running(t->dom) && time_now_ns() < deadline)
        time_sleep_ns(POLL_NS);
    if (w[2] != ACK_WORD && running(t->dom))
        return fail("the granter neither acknowledged nor ended", w[2]);
    if (w[2] != ACK_WORD)
        use_mapping(t, "after it ended");
    give_back(t);
}

static void take(const char *v)
{
    struct take t[MAX_TAKE];
    unsigned int n = parse_take(v, t);

    for (unsigned int i = 0; i < n; i++) {
        take_one(&t[i], i);
        if (t[i].mapped)
            use_mapping(&t[i], "while it runs");
    }
    for (unsigned int i = 0; i < n; i++)
        if (t[i].mapped)
            finish(&t[i]);
}

bool grants_run(void)
{
    char buf[OPTION_LEN];
    const char *o = cmdline_option("grant-offer", buf, sizeof(buf));

    if (o) {
        offer(strcmp(o, "crash") == 0);
    } else if ((o = cmdline_option("grant-take", buf, sizeof(buf)))) {
        take(o);
    } else {
        return false;
    }
    printk("grants: done, %u failures\n", failures);
    return true;
}
