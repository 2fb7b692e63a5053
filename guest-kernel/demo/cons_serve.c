/*
 * Tern guest kernel: domain 0 as the console backend of other domains, as
 * Xen's xenconsoled is (command line, roles.c):
 *
 *   console-serve=<dom>[:<dom>...]   for each listed domain: learn its
 *       console page and port (domctl tern_ring_pages), map the page
 *       through its reserved grant entry GNTTAB_RESERVED_CONSOLE, bind an
 *       interdomain port to its console port; then, on each event (and
 *       every POLL_NS), drain each ring and print every line as
 *       "(dN) <line>" (our own console_io output is prefixed "(d0) " by
 *       the hypervisor, so the console shows "(d0) (dN) <line>").
 *
 * A domain whose indices lie (more in flight than the ring holds) is
 * disconnected alone: its port closed, its page unmapped, a line printed;
 * the others keep being served. A domain that ends is drained once more,
 * its unfinished line printed, and disconnected likewise, so no mapping of
 * ours keeps its frame; the role ends when no domain is served. The page
 * is read only through cons_ring.c (indices read once, checked).
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/cons_ring.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define SERVE_MAX   4
#define OPTION_LEN  64
#define CHUNK       256
#define POLL_NS     (20 * NS_PER_MS)

struct served {
    domid_t dom;
    bool connected;
    evtchn_port_t port;                /* ours, bound to its console port */
    grant_handle_t handle;
    volatile struct xencons_interface *page;
    struct cons_lines line;
};

static uint8_t windows[SERVE_MAX][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct served served[SERVE_MAX];
static unsigned int nr_served;
static volatile uint32_t events;       /* console events since the last drain */

static void on_event(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    events++;
}

static bool event_came(void *arg)
{
    (void)arg;
    return events != 0;
}

static void print_line(const char *line, uint32_t len, void *data)
{
    const struct served *s = data;
    char text[CONS_LINE_MAX + 1];          /* printk has no %.*s */

    memcpy(text, line, len);
    text[len] = 0;
    printk("(d%u) %s\n", s->dom, text);
}

/* Maps dom's console page (grant entry 0) over window i. */
static long map_page(struct served *s, unsigned int i)
{
    uint64_t va = (uint64_t)(uintptr_t)windows[i];
    struct gnttab_map_grant_ref m = { .host_addr = va, .flags = GNTMAP_host_map,
                                      .ref = GNTTAB_RESERVED_CONSOLE, .dom = s->dom };

    HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);      /* free the entry */
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    if (m.status != GNTST_okay)
        return m.status;
    s->handle = m.handle;
    s->page = (volatile struct xencons_interface *)(uintptr_t)va;
    return 0;
}

static void unmap_page(struct served *s)
{
    uint64_t va = (uint64_t)(uintptr_t)s->page;
    struct gnttab_unmap_grant_ref u = { .host_addr = va, .handle = s->handle };
    uint64_t own = pfn_to_mfn(virt_to_pfn((void *)(uintptr_t)va));

    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    if (u.status != GNTST_okay)
        printk("console: domain %u: unmap_grant_ref: %d\n", s->dom, u.status);
    HYPERVISOR_update_va_mapping(va, mfn_pte(own, PTE_PAGE_RW), UVMF_INVLPG);
}

static void connect(struct served *s, unsigned int i)
{
    struct xen_domctl_tern_ring_pages r;
    long rc = control_ring_pages(s->dom, XEN_DOMCTL_INTERFACE_VERSION, &r);

    if (rc == 0 && r.backend != 0)
        rc = -XEN_EPERM;                               /* not ours to serve */
    if (rc == 0)
        rc = map_page(s, i);
    if (rc == 0 && (rc = gk_evtchn_bind_interdomain(s->dom, r.console_evtchn, &s->port)))
        unmap_page(s);
    if (rc) {
        printk("console: domain %u: cannot serve its console: %ld\n", s->dom, rc);
        return;
    }
    gk_evtchn_attach(s->port, on_event, s);
    s->connected = true;
    printk("console: serving domain %u (console page mfn %#lx, its port %u, ours %u)\n",
           s->dom, r.console_mfn, r.console_evtchn, s->port);
}

static void disconnect(struct served *s, const char *why)
{
    gk_evtchn_detach(s->port);
    unmap_page(s);
    s->connected = false;
    printk("console: domain %u %s; disconnected\n", s->dom, why);
}

/* Drains s's ring into lines; false if its indices lied (it is then
 * disconnected). */
static bool drain(struct served *s)
{
    char buf[CHUNK];
    struct ring_io r;

    do {
        r = cons_ring_read(s->page, buf, sizeof(buf));
        if (r.lying) {
            printk("console: domain %u: out_cons %u out_prod %u: %u bytes in flight in a "
                   "%u-byte ring\n", s->dom, r.cons, r.prod, r.prod - r.cons, CONS_OUT_SIZE);
            disconnect(s, "lied about its ring indices");
            return false;
        }
        cons_lines_feed(&s->line, buf, r.moved, print_line, s);
        if (r.moved)
            gk_evtchn_send(s->port);                   /* room again */
    } while (r.moved);
    return true;
}

static bool running(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;

    return control_next_domain(dom, &info) == 1 && info.domain == dom &&
           control_domain_running(&info);
}

/* One pass over every connected domain; how many remain connected. */
static unsigned int serve_pass(void)
{
    unsigned int left = 0;

    events = 0;
    for (unsigned int i = 0; i < nr_served; i++) {
        struct served *s = &served[i];
        bool alive = running(s->dom);       /* before the drain: no line is missed */

        if (!s->connected || !drain(s))
            continue;
        if (!alive) {
            cons_lines_flush(&s->line, print_line, s);
            disconnect(s, "has ended");
            continue;
        }
        left++;
    }
    return left;
}

static unsigned int parse_doms(const char *v)
{
    unsigned int n = 0;

    while (n < SERVE_MAX && *v >= '0' && *v <= '9') {
        uint64_t d = 0;
        while (*v >= '0' && *v <= '9')
            d = d * 10 + (uint64_t)(*v++ - '0');
        if (d == 0 || d >= DOMID_FIRST_RESERVED)
            return 0;
        served[n++] = (struct served){ .dom = (domid_t)d };
        if (*v != ':')
            return *v ? 0 : n;
        v++;
    }
    return 0;
}

bool console_serve_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("console-serve", buf, sizeof(buf));

    if (!v)
        return false;
    nr_served = parse_doms(v);
    if (nr_served == 0) {
        printk("console: console-serve=%s: want <dom>[:<dom>...], at most %u\n", buf,
               SERVE_MAX);
        return false;
    }
    if (timer_start() != 0)
        printk("console: no timer; serving by polling only\n");
    for (unsigned int i = 0; i < nr_served; i++)
        connect(&served[i], i);
    while (serve_pass())
        time_wait_until(event_came, NULL, time_now_ns() + POLL_NS);
    printk("console: served %u domain%s; none left\n", nr_served, nr_served == 1 ? "" : "s");
    return true;
}
