/*
 * Tern guest kernel: event channels, the guest's side of the 2-level ABI
 * (xen-pv-abi.md 3.3-3.4), and the vCPU's event mask (its virtual IF).
 *
 * The hypervisor marks a port pending in shared_info.evtchn_pending; if the
 * port is not masked it also sets the word's bit in the vCPU's
 * evtchn_pending_sel and evtchn_upcall_pending, and when the vCPU's
 * evtchn_upcall_mask is 0 it enters the event callback (entry.S ->
 * trap_dispatch -> gk_evtchn_do_upcall) with events masked. The upcall runs
 * the canonical loop and calls the handler bound to each pending port.
 *
 * Ports start masked (events_init masks all 4096): a port raises upcalls
 * only once the kernel has given it a handler and unmasked it. Handlers
 * run with events masked, on whatever stack the upcall came in on: they
 * must be short and must not print (a printk they interrupt would be cut).
 *
 * The port functions are gk_evtchn_* ("guest kernel"): the hypervisor's
 * side of the same operations is hypervisor/common/event/evtchn.c's evtchn_*, with other
 * arguments, and grep should never mix the two up.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>
#include "kernel/traps.h"

#define NR_EVTCHN_PORTS EVTCHN_2L_NR_CHANNELS

/* A port's handler: the port, the interrupted context, the handler's data. */
typedef void (*gk_evtchn_handler_t)(evtchn_port_t port, struct regs *r, void *data);

/* Upcalls so far, and events that found no handler. */
extern volatile uint64_t upcalls_seen;
extern volatile uint64_t events_unhandled;
extern volatile evtchn_port_t last_unhandled_port;

/* Masks every port, forgets every handler, then lets upcalls in (vCPU
 * mask 0). Without shared_info it does nothing. */
void events_init(void);

/* The upcall (entry.S -> trap_dispatch): handles every pending, unmasked
 * port; returns with none left. r: the interrupted context. */
void gk_evtchn_do_upcall(struct regs *r);

/* ---- the vCPU's event mask ---------------------------------------------- */

/* Masks upcalls; returns the mask as it was (0: they were enabled). */
unsigned int events_disable(void);
/* Unmasks upcalls and takes any that is pending at once. */
void events_enable(void);
/* Back to what events_disable returned. */
void events_restore(unsigned int was_masked);
/* True while upcalls are masked. */
bool events_masked(void);
/* Makes a pending upcall happen now: any hypercall returns through the
 * hypervisor's delivery check (Mini-OS's force_evtchn_callback). */
void events_force_callback(void);

/* ---- ports -------------------------------------------------------------- */

/* Installs fn for port (NULL removes it). The port stays masked. */
void gk_evtchn_set_handler(evtchn_port_t port, gk_evtchn_handler_t fn, void *data);
/* Guest-side unmask (Mini-OS unmask_evtchn): clears the mask bit and, if
 * the port is already pending, raises the upcall itself. */
void gk_evtchn_unmask_port(evtchn_port_t port);
void gk_evtchn_mask_port(evtchn_port_t port);
/* Clears the port's pending bit. */
void gk_evtchn_clear_port(evtchn_port_t port);
bool gk_evtchn_port_pending(evtchn_port_t port);
bool gk_evtchn_port_masked(evtchn_port_t port);

/* Handler and unmask in one; returns port. */
evtchn_port_t gk_evtchn_attach(evtchn_port_t port, gk_evtchn_handler_t fn, void *data);
/* Masks the port, drops its handler and closes it (EVTCHNOP_close). */
long gk_evtchn_detach(evtchn_port_t port);

/* ---- event_channel_op wrappers: 0 or a negative Xen errno --------------- */

long gk_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
long gk_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                                evtchn_port_t *local);
long gk_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port);
long gk_evtchn_close(evtchn_port_t port);
long gk_evtchn_send(evtchn_port_t port);
/* EVTCHNOP_status of our own port into *st. */
long gk_evtchn_status(evtchn_port_t port, struct evtchn_status *st);

#endif /* GUEST_EVENTS_H */
