/*
 * Tern guest kernel: domain 0 as a driver domain (command line word
 * `driver-domain`, roles.c). One loop serves every other domain whose
 * console and xenstore ports the builder left for domain 0:
 *
 *   - a domain found running for the first time gets its standard xenstore
 *     tree (toolstack.c), then its xenstore ring served (xenstored.c) and
 *     its console ring drained (consoled.c);
 *   - a domain found ended (or gone) has its console drained one last
 *     time, both rings unmapped and unbound, and its tree removed;
 *   - each domain's virtual block devices are served by blkback.c;
 *   - each domain's vifs are served by netback.c (and bridged);
 *   - then every served ring gets one pass on each event; the domain list
 *     is looked at only every POLL_NS (the hypervisor sends no event when
 *     a domain starts or ends), and the loop ends when no other domain
 *     runs;
 *   - console input (VIRQ_CONSOLE): what was typed for a served domain
 *     (domctl tern_console_input) goes into its console ring; what was
 *     typed for us is a command key ('l': the domain list, as xl list).
 *
 * A domain whose rings are another domain's to serve is left alone, and so
 * is one whose pages cannot be mapped (said once). Since all the state of
 * a served domain is dropped when it ends, every frame it granted us is
 * unmapped before the hypervisor reclaims it.
 */
#include <public/domctl.h>
#include "backend/blkback.h"
#include "backend/consoled.h"
#include "backend/netback.h"
#include "backend/toolstack.h"
#include "backend/xenstored.h"
#include "demo/roles.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/control.h"
#include "xen/hypercall.h"

#define GUESTS_MAX XENSTORED_MAX
#define POLL_NS    (20 * NS_PER_MS)
#define OPTION_LEN 16

struct guest {
    bool known;                        /* seen running; its state below is live */
    domid_t dom;
    struct consoled cons;
};

static struct guest guests[GUESTS_MAX];
static volatile uint32_t input_events;      /* VIRQ_CONSOLE: someone typed */
static domid_t last_turned_away;            /* the highest domid refused for room */

static uint8_t windows[GUESTS_MAX][2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile uint32_t events;

static void on_event(void)
{
    events++;
}

static void on_console_virq(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    input_events++;
    events++;
}

static bool event_came(void *arg)
{
    (void)arg;
    return events != 0;
}

static struct guest *guest_of(domid_t dom)
{
    for (unsigned int i = 0; i < GUESTS_MAX; i++)
        if (guests[i].known && guests[i].dom == dom)
            return &guests[i];
    return NULL;
}

static struct guest *free_guest(void)
{
    for (unsigned int i = 0; i < GUESTS_MAX; i++)
        if (!guests[i].known)
            return &guests[i];
    return NULL;
}

static void start_serving(struct guest *g, struct xen_domctl_tern_ring_pages *r)
{
    unsigned int i = (unsigned int)(g - guests);
    long rc = xenstored_connect(g->dom, r->store_mfn, r->store_evtchn, windows[i][0]);

    if (rc)
        printk("xenstored: domain %u: cannot serve its xenstore ring: %ld\n", g->dom, rc);
    rc = consoled_connect(&g->cons, g->dom, r->console_evtchn, windows[i][1], on_event);
    printk("driver-domain: domain %u (%s): xenstore %s, console %s\n", g->dom,
           toolstack_name(r),
           xenstored_serving(g->dom) ? "served" : "not served",
           rc ? "not served" : "served");
}

/* A running domain we have not seen: tree, then rings. */
static void found(const struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl_tern_ring_pages r;
    struct guest *g;
    long rc = control_ring_pages(info->domain, XEN_DOMCTL_INTERFACE_VERSION, &r);

    if (rc || r.backend != 0)
        return;                            /* not ours to serve */
    g = free_guest();
    if (!g) {
        if (info->domain > last_turned_away) {     /* said once per domain */
            printk("driver-domain: domain %u: already serving %u domains; its rings "
                   "stay unserved\n", info->domain, GUESTS_MAX);
            last_turned_away = info->domain;
        }
        return;
    }
    *g = (struct guest){ .known = true, .dom = info->domain };
    toolstack_introduce(g->dom, &r, info);
    start_serving(g, &r);
}

static void ended(struct guest *g)
{
    consoled_drain(&g->cons);
    consoled_disconnect(&g->cons, "has ended");
    blkback_release(g->dom);
    netback_release(g->dom);
    xenstored_disconnect(g->dom, "has ended");
    toolstack_release(g->dom);
    g->known = false;
}

static bool running(domid_t dom)
{
    struct xen_domctl_getdomaininfo info;

    return control_next_domain(dom, &info) == 1 && info.domain == dom &&
           control_domain_running(&info);
}

/* New domains in, ended ones out; how many others still run. */
static unsigned int scan(void)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int others = 0;

    for (unsigned int i = 0; i < GUESTS_MAX; i++)
        if (guests[i].known && !running(guests[i].dom))
            ended(&guests[i]);
    for (domid_t next = 1; control_next_domain(next, &info) == 1; next = info.domain + 1) {
        if (!control_domain_running(&info))
            continue;
        others++;
        if (!guest_of(info.domain))
            found(&info);
    }
    return others;
}

/* Input typed for a served domain goes into its console ring. */
static void forward_input(struct guest *g)
{
    struct xen_domctl_tern_console_input in;
    uint32_t n;

    if (!g->cons.connected || control_console_input(g->dom, &in) != 0 || in.len == 0)
        return;
    n = consoled_input(&g->cons, in.bytes, in.len);
    if (n < in.len)
        printk("console: domain %u: its input ring is full; %u bytes dropped\n", g->dom,
               in.len - n);
}

/* Our own input: single-key commands. */
static void own_input(void)
{
    char keys[16];
    long n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(keys), keys);

    for (long i = 0; i < n; i++) {
        if (keys[i] == 'l') {
            /* A domain our last drain notified is runnable until it has
             * taken that event and blocked again: let it, so the list
             * shows it waiting (-b----) rather than caught in between. */
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            toolstack_list();
        } else if (keys[i] == 'h')
            printk("driver-domain: keys: l lists the domains (as xl list), h this help\n");
    }
}

static void serve_input(void)
{
    if (!input_events)
        return;
    input_events = 0;
    own_input();
    for (unsigned int i = 0; i < GUESTS_MAX; i++)
        if (guests[i].known)
            forward_input(&guests[i]);
}

static void bind_console_virq(void)
{
    evtchn_port_t port;

    if (gk_evtchn_bind_virq(VIRQ_CONSOLE, &port) == 0)
        gk_evtchn_attach(port, on_console_virq, NULL);
    else
        printk("driver-domain: no VIRQ_CONSOLE; no console input\n");
}

static void serve_pass(void)
{
    events = 0;
    serve_input();
    xenstored_serve();
    blkback_serve();
    netback_serve();
    for (unsigned int i = 0; i < GUESTS_MAX; i++)
        if (guests[i].known)
            consoled_drain(&guests[i].cons);
}

bool driver_domain_run(void)
{
    char buf[OPTION_LEN];

    if (!cmdline_option("driver-domain", buf, sizeof(buf)))
        return false;
    if (!(start_info.flags & SIF_INITDOMAIN)) {
        printk("driver-domain: only domain 0 serves the others\n");
        return false;
    }
    if (timer_start() != 0)
        printk("driver-domain: no timer; serving by polling only\n");
    xenstored_init(on_event, toolstack_on_watch);
    toolstack_init();
    blkback_init(on_event);
    netback_init(on_event);
    bind_console_virq();
    printk("driver-domain: serving xenstore and consoles (keys: l lists the domains)\n");
    for (uint64_t next_scan = 0;; ) {
        if (time_now_ns() >= next_scan) {
            if (!scan())
                break;
            next_scan = time_now_ns() + POLL_NS;
        }
        serve_pass();
        time_wait_until(event_came, NULL, next_scan);
    }
    serve_pass();
    netback_fini();
    printk("driver-domain: no other domain runs; done\n");
    return true;
}
