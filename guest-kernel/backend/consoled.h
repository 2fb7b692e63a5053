/*
 * Tern guest kernel, domain 0's backends: the console backend of one
 * domain, as Xen's xenconsoled is: its console ring drained, each line
 * printed as "(dN) line" (the hypervisor prefixes our own output with
 * "(d0) "), console input put into the ring's in[].
 */
#ifndef BACKEND_CONSOLED_H
#define BACKEND_CONSOLED_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>
#include "backend/ring_map.h"
#include "xen/cons_ring.h"

struct consoled {
    bool connected;
    evtchn_port_t port;                /* ours, bound to its console port */
    struct ring_map map;
    struct cons_lines line;
};

/* Maps dom's console page (grant entry GNTTAB_RESERVED_CONSOLE) over
 * window and binds to its port; 0 or a negative error. on_event runs (with
 * events masked) on each of its events. */
long consoled_connect(struct consoled *c, domid_t dom, evtchn_port_t remote_port,
                      void *window, void (*on_event)(void));

/* Drains the ring into lines; false when it lied about its indices (it is
 * then disconnected). */
bool consoled_drain(struct consoled *c);

/* Console input for it: as many of the n bytes as the ring takes. */
uint32_t consoled_input(struct consoled *c, const char *s, uint32_t n);

/* Prints what is left of its last line, unbinds and unmaps. */
void consoled_disconnect(struct consoled *c, const char *why);

#endif /* BACKEND_CONSOLED_H */
