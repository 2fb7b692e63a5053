/*
 * Tern guest kernel, domain 0's backends: netback, the backend half of
 * Xen's network protocol (public/io/netif.h), in the driver-domain loop.
 * Each vif backend directory the toolstack writes
 * (/local/domain/0/backend/vif/<dom>/<n>, devices.c) becomes a vif
 * "vif<dom>.<n>", a port of domain 0's bridge (netbridge.c), which also
 * joins the e1000 when there is one.
 */
#ifndef BACKEND_NETBACK_H
#define BACKEND_NETBACK_H

#include <stdbool.h>
#include <public/xen.h>

/* on_event: called (events masked) on each event from a frontend. Sets
 * a watch on the vif backend directories; starts the e1000 if present. */
void netback_init(void (*on_event)(void));
/* Domain 0's watch events: true when it was netback's. Only takes note:
 * it is called from inside xenstored. */
bool netback_on_watch(const char *path, const char *token);
/* One pass: handshakes that moved, then each connected vif's tx ring,
 * then the NIC's received frames. */
void netback_serve(void);
/* dom ended: its vifs are disconnected (rings unmapped, port closed). */
void netback_release(domid_t dom);
/* The loop ends: every vif released, the NIC stopped (its DMA off). */
void netback_fini(void);

#endif /* BACKEND_NETBACK_H */
