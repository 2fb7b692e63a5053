/*
 * Tern guest kernel, domain 0's backends: the console backend of one
 * domain (see consoled.h). The page is read only through cons_ring.c
 * (indices read once, checked): a domain whose indices lie is disconnected
 * alone, with a line saying so, and the others keep being served; a
 * disconnected domain's frame is no longer mapped by us, and it is sent
 * one last event first, so a frontend waiting on its port learns that it
 * is no longer served. Every drain that consumed bytes notifies the
 * frontend once (as xenconsoled does): one waiting for room, or for its
 * lines to be out, is woken by it, not by a timer.
 */
#include <public/errno.h>
#include "backend/consoled.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define CHUNK 256

static void print_line(const char *line, uint32_t len, void *data)
{
    const struct consoled *c = data;
    char text[CONS_LINE_MAX + 1];          /* printk has no %.*s */

    memcpy(text, line, len);
    text[len] = 0;
    printk("(d%u) %s\n", c->map.dom, text);
}

static void on_port(evtchn_port_t port, struct regs *r, void *data)
{
    void (*on_event)(void) = (void (*)(void))data;

    (void)port;
    (void)r;
    on_event();
}

static volatile struct xencons_interface *page(const struct consoled *c)
{
    return c->map.window;
}

long consoled_connect(struct consoled *c, domid_t dom, evtchn_port_t remote_port,
                      void *window, void (*on_event)(void))
{
    int16_t st = ring_map(&c->map, dom, GNTTAB_RESERVED_CONSOLE, window);
    long rc;

    if (st != GNTST_okay) {
        printk("console: domain %u: cannot map its console page: %d\n", dom, st);
        return -XEN_EINVAL;
    }
    rc = gk_evtchn_bind_interdomain(dom, remote_port, &c->port);
    if (rc) {
        printk("console: domain %u: cannot bind to its console port %u: %ld\n", dom,
               remote_port, rc);
        ring_unmap(&c->map);
        return rc;
    }
    gk_evtchn_attach(c->port, on_port, (void *)on_event);
    c->line.len = 0;
    c->connected = true;
    return 0;
}

void consoled_disconnect(struct consoled *c, const char *why)
{
    if (!c->connected)
        return;
    cons_lines_flush(&c->line, print_line, c);
    gk_evtchn_send(c->port);        /* a frontend waiting for room must not wait for ever */
    gk_evtchn_detach(c->port);
    ring_unmap(&c->map);
    c->connected = false;
    printk("console: domain %u %s; disconnected\n", c->map.dom, why);
}

bool consoled_drain(struct consoled *c)
{
    char buf[CHUNK];
    struct ring_io r;
    bool consumed = false;

    if (!c->connected)
        return false;
    do {
        r = cons_ring_read(page(c), buf, sizeof(buf));
        if (r.lying) {
            printk("console: domain %u: out_cons %u out_prod %u: %u bytes in flight in a "
                   "%u-byte ring\n", c->map.dom, r.cons, r.prod, r.prod - r.cons,
                   CONS_OUT_SIZE);
            consoled_disconnect(c, "lied about its ring indices");
            return false;
        }
        cons_lines_feed(&c->line, buf, r.moved, print_line, c);
        consumed |= r.moved != 0;
    } while (r.moved);
    if (consumed)
        gk_evtchn_send(c->port);    /* as xenconsoled: it may wait for room or a drain */
    return true;
}

uint32_t consoled_input(struct consoled *c, const char *s, uint32_t n)
{
    struct ring_io r;

    if (!c->connected)
        return 0;
    r = cons_ring_input(page(c), s, n);
    if (r.lying) {
        consoled_disconnect(c, "lied about its input ring indices");
        return 0;
    }
    if (r.moved)
        gk_evtchn_send(c->port);
    return r.moved;
}
