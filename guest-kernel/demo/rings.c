/*
 * Tern guest kernel: the console and xenstore ring pages the builder gives
 * an unprivileged domain, checked from both ends (command line, roles.c):
 *
 *   rings-check=<backend>:<port>   an unprivileged domain checks its own
 *       start_info: both pages are its own frames (M2P and p2m agree), at
 *       the pfns after start_info (xenstore, then console, as Xen's libxc
 *       places them), distinct from each other, from shared_info and from
 *       every other pfn, mapped and zeroed (what Xen 4.17's toolstack
 *       leaves); both ports distinct and unbound for <backend>
 *       (EVTCHNOP_status); domctl and the host's memory map refused to
 *       it (-EPERM). Then it reports
 *       to domain 0 on domain 0's port <port>, waits for the answer, and
 *       checks what domain 0 did to its two ports meanwhile: bound both
 *       and signalled on both when domain 0 is the backend, nothing when
 *       another domain is.
 *   rings-serve=<dom>[:<dom>...]   domain 0 offers each listed domain a
 *       report port, in order (the first free ports: 1, 2, ...); once a
 *       domain has reported it reads that domain's pages and ports with
 *       domctl tern_ring_pages, binds to both ports when they are offered
 *       to it (or is refused, -EINVAL, when they are another domain's),
 *       signals on both, and answers on the report port.
 *
 * The order makes each step deterministic: a domain checks its ports
 * before domain 0 can have bound them (it binds only after the report),
 * and ends only after domain 0 answered, so domain 0's domctl finds it
 * alive. Each side prints what it saw, "rings: FAIL: ..." for anything
 * wrong; the scenario (tests/scenarios/run.py, domains-rings) checks that
 * domain 0's domctl view of each domain equals that domain's own view.
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define RINGS_MAX_DOMAINS  4
#define OPTION_LEN         64
#define WAIT_NS            (20 * NS_PER_S)     /* the other side may start late */
#define RETRY_NS           (10 * NS_PER_MS)

/* One report port: who reports on it and how many events came in. */
struct report {
    domid_t dom;
    evtchn_port_t port;
    volatile uint32_t events;
};

static struct report reports[RINGS_MAX_DOMAINS];
static unsigned int nr_reports;
static unsigned int failures;

static void fail(const char *what, uint64_t got, uint64_t want)
{
    printk("rings: FAIL: %s: %#lx, expected %#lx\n", what, got, want);
    failures++;
}

static bool expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        fail(what, got, want);
    return got == want;
}

static void on_report(evtchn_port_t port, struct regs *r, void *data)
{
    struct report *rep = data;

    (void)port;
    (void)r;
    rep->events++;
}

static bool report_arrived(void *arg)
{
    const struct report *rep = arg;

    return rep->events != 0;
}

/* Reads "<n>[:<n>...]" (decimal) into ids, at most max; the count, or 0
 * if malformed. */
static unsigned int parse_ids(const char *v, uint64_t *ids, unsigned int max)
{
    unsigned int n = 0;

    while (n < max && *v >= '0' && *v <= '9') {
        ids[n] = 0;
        while (*v >= '0' && *v <= '9')
            ids[n] = ids[n] * 10 + (uint64_t)(*v++ - '0');
        n++;
        if (*v != ':')
            return *v ? 0 : n;
        v++;
    }
    return 0;
}

/* ---- the domain's own view (rings-check) -------------------------------- */

/* How many pfns of ours map mfn (the p2m). */
static uint64_t p2m_count(uint64_t mfn)
{
    uint64_t n = 0;

    for (uint64_t pfn = 0; pfn < start_info.nr_pages; pfn++)
        n += p2m[pfn] == mfn;
    return n;
}

static bool page_is_zero(uint64_t pfn)
{
    const volatile uint64_t *w = pfn_to_virt(pfn);

    for (unsigned int i = 0; i < PAGE_SIZE / sizeof(*w); i++)
        if (w[i])
            return false;
    return true;
}

/* One ring page: ours, where Xen puts it, nothing else's, mapped, zero. */
static void check_page(const char *name, uint64_t mfn, uint64_t want_pfn)
{
    uint64_t pfn = mfn_to_pfn(mfn);
    char what[80];

    snprintf(what, sizeof(what), "%s page: M2P pfn", name);
    if (!expect(what, pfn, want_pfn))
        return;
    snprintf(what, sizeof(what), "%s page: our frame (p2m agrees)", name);
    expect(what, mfn_is_ours(mfn), 1);
    snprintf(what, sizeof(what), "%s page: pfns mapping its frame", name);
    expect(what, p2m_count(mfn), 1);
    snprintf(what, sizeof(what), "%s page: not the shared_info frame", name);
    expect(what, mfn == start_info.shared_info >> PAGE_SHIFT, 0);
    snprintf(what, sizeof(what), "%s page: mapped by the builder", name);
    if (expect(what, pfn_is_mapped(pfn), 1)) {
        snprintf(what, sizeof(what), "%s page: zeroed", name);
        expect(what, page_is_zero(pfn), 1);
    }
}

/* One ring port: unbound, and offered to the backend. */
static void check_port_unbound(const char *name, evtchn_port_t port, domid_t backend)
{
    struct evtchn_status st;
    char what[80];
    long rc = gk_evtchn_status(port, &st);

    snprintf(what, sizeof(what), "%s port %u: EVTCHNOP_status", name, port);
    if (!expect(what, (uint64_t)rc, 0))
        return;
    snprintf(what, sizeof(what), "%s port %u: status (1 = unbound)", name, port);
    if (expect(what, st.status, EVTCHNSTAT_unbound)) {
        snprintf(what, sizeof(what), "%s port %u: offered to domain", name, port);
        expect(what, st.u.unbound.dom, backend);
    }
}

static uint8_t grant_window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* One reserved entry of our grant table, as the builder seeded it. */
static void check_grant(const volatile struct grant_entry_v1 *e, const char *name,
                        domid_t backend, uint64_t mfn)
{
    char what[80];

    snprintf(what, sizeof(what), "grant entry for the %s page: flags", name);
    expect(what, e->flags, GTF_permit_access);
    snprintf(what, sizeof(what), "grant entry for the %s page: domid", name);
    expect(what, e->domid, backend);
    snprintf(what, sizeof(what), "grant entry for the %s page: frame", name);
    expect(what, e->frame, mfn);
}

/* Entries GNTTAB_RESERVED_CONSOLE and _XENSTORE grant the two pages to the
 * backend: read through our table's first frame, mapped read-only over a
 * page of ours for the time of the look. */
static void check_reserved_grants(domid_t backend)
{
    uint64_t frames[1] = { 0 }, va = (uint64_t)(uintptr_t)grant_window;
    uint64_t own = pfn_to_mfn(virt_to_pfn(grant_window));
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
                                     .frame_list = hc_ptr(frames) };
    const volatile struct grant_entry_v1 *e = (const void *)grant_window;

    if (!expect("setup_table(1)", (uint64_t)HYPERVISOR_grant_table_op(GNTTABOP_setup_table,
                                                                      &st, 1), 0) ||
        !expect("setup_table status", (uint64_t)(int64_t)st.status, GNTST_okay))
        return;
    if (!expect("map our grant frame", (uint64_t)HYPERVISOR_update_va_mapping(
                    va, mfn_pte(frames[0], PTE_PAGE_RO), UVMF_INVLPG), 0))
        return;
    check_grant(&e[GNTTAB_RESERVED_CONSOLE], "console", backend,
                start_info.console.domU.mfn);
    check_grant(&e[GNTTAB_RESERVED_XENSTORE], "xenstore", backend, start_info.store_mfn);
    HYPERVISOR_update_va_mapping(va, mfn_pte(own, PTE_PAGE_RW), UVMF_INVLPG);
}

/* The host's memory map is for privileged domains only (-EPERM). */
static void expect_host_map_refused(void)
{
    static struct xen_e820_entry e[64];
    struct xen_memory_map map = { .nr_entries = 64, .buffer = hc_ptr(e) };

    expect("machine_memory_map from an unprivileged domain",
           (uint64_t)HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map),
           (uint64_t)-XEN_EPERM);
}

static void check_own_rings(domid_t backend)
{
    const struct start_info *si = &start_info;
    uint64_t si_pfn = virt_to_pfn((const void *)(uintptr_t)start_info_va);
    struct xen_domctl_tern_ring_pages r;

    printk("rings: xenstore page mfn %#lx pfn %#lx port %u, console page mfn %#lx pfn "
           "%#lx port %u (start_info)\n", si->store_mfn, mfn_to_pfn(si->store_mfn),
           si->store_evtchn, si->console.domU.mfn, mfn_to_pfn(si->console.domU.mfn),
           si->console.domU.evtchn);
    expect("SIF_INITDOMAIN clear", si->flags & SIF_INITDOMAIN, 0);
    check_page("xenstore", si->store_mfn, si_pfn + 1);
    check_page("console", si->console.domU.mfn, si_pfn + 2);
    expect("two distinct ports", si->store_evtchn != si->console.domU.evtchn, 1);
    expect("xenstore port non-zero", si->store_evtchn != 0, 1);
    expect("console port non-zero", si->console.domU.evtchn != 0, 1);
    check_port_unbound("xenstore", si->store_evtchn, backend);
    check_port_unbound("console", si->console.domU.evtchn, backend);
    check_reserved_grants(backend);
    expect("domctl tern_ring_pages from an unprivileged domain",
           (uint64_t)control_ring_pages(DOMID_SELF, XEN_DOMCTL_INTERFACE_VERSION, &r),
           (uint64_t)-XEN_EPERM);
    expect_host_map_refused();
    if (!failures)
        printk("rings: both pages ours, distinct and zeroed; both ports unbound for "
               "domain %u; both granted to it\n", backend);
}

/* Binds to domain 0's report port, retrying while it is not offered yet. */
static long connect_report(evtchn_port_t remote, evtchn_port_t *local)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;
    long rc;

    while ((rc = gk_evtchn_bind_interdomain(0, remote, local)) != 0) {
        if ((rc != -XEN_EINVAL && rc != -XEN_ESRCH) || time_now_ns() >= deadline)
            return rc;
        time_sleep_ns(RETRY_NS);
    }
    gk_evtchn_clear_port(*local);       /* the event every new binding starts with */
    return 0;
}

/* After domain 0's answer: what it did to the port. */
static void check_port_after(const char *name, evtchn_port_t port, domid_t backend)
{
    struct evtchn_status st;
    char what[80];

    if (backend != 0) {
        check_port_unbound(name, port, backend);      /* nobody else may bind it */
        return;
    }
    gk_evtchn_status(port, &st);
    snprintf(what, sizeof(what), "%s port %u after the answer: status (2 = bound)", name,
             port);
    if (expect(what, st.status, EVTCHNSTAT_interdomain)) {
        snprintf(what, sizeof(what), "%s port %u: bound to domain", name, port);
        expect(what, st.u.interdomain.dom, 0);
        printk("rings: domain 0 bound our %s port %u (its port %u)%s\n", name, port,
               st.u.interdomain.port, gk_evtchn_port_pending(port) ? " and signalled" : "");
    }
    snprintf(what, sizeof(what), "%s port %u: pending (domain 0 signalled)", name, port);
    expect(what, gk_evtchn_port_pending(port), 1);
}

static void report_and_wait(domid_t backend, evtchn_port_t remote)
{
    static struct report answer;         /* domain 0's answer comes in here */
    struct report *rep = &answer;
    long rc = timer_start();

    if (rc == 0)
        rc = connect_report(remote, &rep->port);
    if (rc) {
        fail("timer_start, then binding domain 0's report port", (uint64_t)rc, 0);
        return;
    }
    gk_evtchn_attach(rep->port, on_report, rep);
    gk_evtchn_send(rep->port);
    printk("rings: reported to domain 0 (its port %u)\n", remote);
    if (!time_wait_until(report_arrived, rep, time_now_ns() + WAIT_NS)) {
        fail("no answer from domain 0 in 20 s", 0, 1);
        return;
    }
    check_port_after("xenstore", start_info.store_evtchn, backend);
    check_port_after("console", start_info.console.domU.evtchn, backend);
    gk_evtchn_detach(rep->port);
}

static bool rings_check(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("rings-check", buf, sizeof(buf));
    uint64_t args[2];

    if (!v)
        return false;
    if (parse_ids(v, args, 2) != 2 || args[0] >= DOMID_FIRST_RESERVED ||
        args[1] == 0 || args[1] >= NR_EVTCHN_PORTS) {
        printk("rings: rings-check=%s: want <backend>:<port>\n", buf);
        return false;
    }
    check_own_rings((domid_t)args[0]);
    report_and_wait((domid_t)args[0], (evtchn_port_t)args[1]);
    printk("rings: check done, %u failure%s\n", failures, failures == 1 ? "" : "s");
    return true;
}

/* ---- domain 0, the backend (rings-serve) -------------------------------- */

void rings_publish(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("rings-serve", buf, sizeof(buf));
    uint64_t ids[RINGS_MAX_DOMAINS];
    unsigned int n;

    if (!v)
        return;
    n = parse_ids(v, ids, RINGS_MAX_DOMAINS);
    if (n == 0) {
        printk("rings: rings-serve=%s: want <dom>[:<dom>...], at most %u\n", buf,
               RINGS_MAX_DOMAINS);
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        struct report *rep = &reports[nr_reports];
        rep->dom = (domid_t)ids[i];
        if (ids[i] == 0 || ids[i] >= DOMID_FIRST_RESERVED ||
            gk_evtchn_alloc_unbound(rep->dom, &rep->port) != 0) {
            fail("a report port for that domain", ids[i], 0);
            continue;
        }
        gk_evtchn_attach(rep->port, on_report, rep);
        printk("rings: domain %u reports on port %u\n", rep->dom, rep->port);
        nr_reports++;
    }
}

/* The refusals: ourselves (no pages), no such domain, a wrong version. */
static void check_refusals(void)
{
    struct xen_domctl_tern_ring_pages r;

    expect("domctl tern_ring_pages of ourselves (-ENOENT: no pages)",
           (uint64_t)control_ring_pages(0, XEN_DOMCTL_INTERFACE_VERSION, &r),
           (uint64_t)-XEN_ENOENT);
    expect("domctl tern_ring_pages of a domain that does not exist",
           (uint64_t)control_ring_pages(DOMID_FIRST_RESERVED - 1,
                                        XEN_DOMCTL_INTERFACE_VERSION, &r),
           (uint64_t)-XEN_ESRCH);
    expect("domctl tern_console_input of ourselves (-EPERM: not our backend)",
           (uint64_t)control_console_input(0, &(struct xen_domctl_tern_console_input){ 0 }),
           (uint64_t)-XEN_EPERM);
    expect("domctl tern_ring_pages with a wrong interface version",
           (uint64_t)control_ring_pages(reports[0].dom, XEN_DOMCTL_INTERFACE_VERSION + 1,
                                        &r),
           (uint64_t)-XEN_EACCES);
}

/* Binds to one of dom's ring ports (when it is offered to us) and
 * signals on it; when another domain is the backend, the bind must be
 * refused. */
static void serve_port(domid_t dom, const char *name, evtchn_port_t port, domid_t backend)
{
    evtchn_port_t local = 0;
    long rc = gk_evtchn_bind_interdomain(dom, port, &local);
    char what[80];

    snprintf(what, sizeof(what), "binding domain %u's %s port %u", dom, name, port);
    if (!expect(what, (uint64_t)rc, backend == 0 ? 0 : (uint64_t)-XEN_EINVAL))
        return;
    if (backend != 0) {
        printk("rings: domain %u: binding its %s port %u refused (%ld): it is domain "
               "%u's\n", dom, name, port, rc, backend);
        return;
    }
    gk_evtchn_clear_port(local);
    gk_evtchn_send(local);
    printk("rings: domain %u: bound its %s port %u (our port %u) and signalled\n", dom,
           name, port, local);
}

/* Its console input is ours to take only as its console backend (there
 * is none: nobody has the focus). */
static void check_console_input(domid_t dom, domid_t backend)
{
    struct xen_domctl_tern_console_input in = { .len = 99 };
    long rc = control_console_input(dom, &in);
    char what[80];

    snprintf(what, sizeof(what), "domctl tern_console_input of domain %u", dom);
    if (expect(what, (uint64_t)rc, backend == 0 ? 0 : (uint64_t)-XEN_EPERM) && !rc)
        expect("  bytes waiting", in.len, 0);
    printk("rings: domain %u: its console input: %ld (%s)\n", dom, rc,
           backend == 0 ? "we are its backend" : "another domain is its backend");
}

/* Frames seen so far: no two domains (nor two pages) may share one. */
static uint64_t seen[2 * RINGS_MAX_DOMAINS];
static unsigned int nr_seen;

static void check_frame(domid_t dom, const char *name, uint64_t mfn)
{
    char what[80];

    snprintf(what, sizeof(what), "domain %u's %s frame: not one of ours", dom, name);
    expect(what, mfn_is_ours(mfn), 0);
    for (unsigned int i = 0; i < nr_seen; i++) {
        snprintf(what, sizeof(what), "domain %u's %s frame: not seen before", dom, name);
        expect(what, mfn == seen[i], 0);
    }
    seen[nr_seen++] = mfn;
}

static void serve_one(struct report *rep)
{
    struct xen_domctl_tern_ring_pages r;
    long rc;

    if (!time_wait_until(report_arrived, rep, time_now_ns() + WAIT_NS)) {
        fail("a report within 20 s from domain", rep->dom, 0);
        return;
    }
    rc = control_ring_pages(rep->dom, XEN_DOMCTL_INTERFACE_VERSION, &r);
    if (!expect("domctl tern_ring_pages", (uint64_t)rc, 0))
        return;
    printk("rings: domain %u: xenstore page mfn %#lx port %u, console page mfn %#lx "
           "port %u, backend %u (domctl)\n", rep->dom, r.store_mfn, r.store_evtchn,
           r.console_mfn, r.console_evtchn, r.backend);
    check_frame(rep->dom, "xenstore", r.store_mfn);
    check_frame(rep->dom, "console", r.console_mfn);
    serve_port(rep->dom, "xenstore", r.store_evtchn, r.backend);
    serve_port(rep->dom, "console", r.console_evtchn, r.backend);
    check_console_input(rep->dom, r.backend);
    gk_evtchn_send(rep->port);                   /* the answer: go on */
}

static bool rings_serve(void)
{
    if (nr_reports == 0)
        return false;
    if (timer_start() != 0)
        fail("timer_start", 1, 0);
    check_refusals();
    for (unsigned int i = 0; i < nr_reports; i++)
        serve_one(&reports[i]);
    printk("rings: served %u domain%s, %u failure%s\n", nr_reports,
           nr_reports == 1 ? "" : "s", failures, failures == 1 ? "" : "s");
    return true;
}

bool rings_run(void)
{
    bool checked = rings_check();
    bool served = rings_serve();

    return checked || served;
}
