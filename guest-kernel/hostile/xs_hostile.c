/*
 * Tern guest kernel: a hostile xenstore client (command line, roles.c),
 * for the scenario in which a well-behaved domain must keep being served:
 *
 *   xs-hostile=long   set watches until the daemon refuses one (its watch
 *       quota), then flood the req ring with requests without ever reading
 *       a reply until the daemon stops taking them, then drain the
 *       replies, then send a header announcing 4097 payload bytes: the
 *       daemon must answer with XENSTORE_ERROR_PROTO in the page's error
 *       field and serve us no more.
 *   xs-hostile=lie    write a req_prod 2000 bytes past req_cons (a 1024-byte
 *       ring): the daemon must answer XENSTORE_ERROR_RINGIDX.
 *
 * Each prints what it saw ("xs-hostile: ..."), never judged by itself: the
 * scenario (tests/scenarios/run.py) checks the lines and that the others
 * were served meanwhile.
 */
#include <public/errno.h>
#include <public/io/xs_wire.h>
#include "demo/roles.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/byte_ring.h"
#include "xen/hypercall.h"
#include "xen/xenbus.h"

#define OPTION_LEN   16
#define WATCHES_MAX  1000
#define STALL_NS     (2 * NS_PER_S)
#define ERROR_WAIT   (20 * NS_PER_S)

static volatile struct xenstore_domain_interface *page;

static void watch_until_refused(void)
{
    char token[16], path[64], got[16];
    int rc = 0;
    unsigned int n;

    for (n = 0; n < WATCHES_MAX; n++) {
        snprintf(token, sizeof(token), "w%u", n);
        rc = xenbus_watch("data", token);
        if (rc)
            break;
        while (xenbus_next_event(path, sizeof(path), got, sizeof(got), time_now_ns()))
            ;                                     /* the first events, dropped */
    }
    printk("xs-hostile: %u watches accepted, the next refused: %d\n", n, rc);
}

static struct byte_ring req_ring(void)
{
    return (struct byte_ring){ .buf = page->req, .size = XENSTORE_RING_SIZE,
                               .cons = &page->req_cons, .prod = &page->req_prod };
}

/* READ requests of "domid" into req until the daemon stops taking them
 * for STALL_NS; how many went in. */
static unsigned int flood(void)
{
    struct { struct xsd_sockmsg h; char path[6]; } m = {
        .h = { .type = XS_READ, .len = 6 }, .path = "domid" };
    struct byte_ring r = req_ring();
    uint64_t stall = time_now_ns() + STALL_NS;
    unsigned int sent = 0;

    while (time_now_ns() < stall) {
        if (XENSTORE_RING_SIZE - (page->req_prod - page->req_cons) < sizeof(m)) {
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        m.h.req_id = ++sent;
        byte_ring_write(&r, (const char *)&m, sizeof(m));
        gk_evtchn_send(start_info.store_evtchn);
        stall = time_now_ns() + STALL_NS;
    }
    return sent;
}

static bool error_set(void *arg)
{
    (void)arg;
    return page->error != XENSTORE_ERROR_NONE;
}

static void await_error(const char *what)
{
    time_wait_until(error_set, NULL, time_now_ns() + ERROR_WAIT);
    printk("xs-hostile: after %s: error field %u\n", what, page->error);
}

static void drain_replies(void)
{
    char buf[256];
    struct byte_ring r = { .buf = page->rsp, .size = XENSTORE_RING_SIZE,
                           .cons = &page->rsp_cons, .prod = &page->rsp_prod };
    unsigned int total = 0, got;

    do {
        time_sleep_ns(20 * NS_PER_MS);
        got = 0;
        for (uint32_t n; (n = byte_ring_read(&r, buf, sizeof(buf)).moved) != 0; got += n)
            gk_evtchn_send(start_info.store_evtchn);
        total += got;
    } while (got);
    printk("xs-hostile: drained %u bytes of replies\n", total);
}

static void too_long(void)
{
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };
    struct byte_ring r = req_ring();

    watch_until_refused();
    printk("xs-hostile: %u requests flooded before the daemon stopped taking them\n",
           flood());
    drain_replies();
    byte_ring_write(&r, (const char *)&h, sizeof(h));
    gk_evtchn_send(start_info.store_evtchn);
    await_error("a 4097-byte header");
}

static void lie(void)
{
    page->req_prod = page->req_cons + 2000;
    gk_evtchn_send(start_info.store_evtchn);
    await_error("req_prod 2000 past req_cons");
}

bool xs_hostile_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("xs-hostile", buf, sizeof(buf));

    if (!v)
        return false;
    if (xenbus_init() != 0 || (strcmp(v, "long") && strcmp(v, "lie"))) {
        printk("xs-hostile=%s: want long or lie, and a xenstore ring\n", buf);
        return true;
    }
    page = (volatile struct xenstore_domain_interface *)xenbus_page();
    if (timer_start() != 0)
        printk("xs-hostile: no timer\n");
    if (strcmp(v, "long") == 0)
        too_long();
    else
        lie();
    return true;
}
