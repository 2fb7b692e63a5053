/*
 * Tern guest kernel, domain 0's backends: xenstored, the xenstore daemon
 * serving each unprivileged domain's xenstore ring (public/io/xs_wire.h)
 * from one store (xenstore/xs_msg.c), and domain 0's own requests to that
 * store (domain 0 is toolstack and daemon in one kernel, so they are
 * function calls, not ring messages).
 */
#ifndef BACKEND_XENSTORED_H
#define BACKEND_XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/event_channel.h>

#define XENSTORED_MAX 8                /* domains served at once */

/* on_event: called (events masked) on each event from a served domain;
 * on_watch: domain 0's own watch events, called from xenstored_* calls. */
void xenstored_init(void (*on_event)(void),
                    void (*on_watch)(const char *path, const char *token));

/* Maps dom's xenstore page (grant entry GNTTAB_RESERVED_XENSTORE, frame
 * gfn) over window, binds to its store port, introduces it (watches on
 * @introduceDomain fire) and starts serving it: 0 or an error. */
long xenstored_connect(domid_t dom, uint64_t gfn, evtchn_port_t remote_port, void *window);
/* Stops serving dom: its watches, transactions and own nodes go,
 * @releaseDomain fires; unbinds, unmaps. */
void xenstored_disconnect(domid_t dom, const char *why);
/* Is dom served? */
bool xenstored_serving(domid_t dom);

/* One pass: a bounded number of requests from each served domain, then
 * every reply and event that fits into their rings. */
void xenstored_serve(void);

/* Domain 0's requests: 0 (or the bytes read) or -XEN_Exxx. perms is
 * xenstored's list of NUL-ended permission strings ("n0\0r1\0"). */
int xsd_read(const char *path, char *out, size_t room);
int xsd_write(const char *path, const char *value);
int xsd_mkdir(const char *path);
int xsd_rm(const char *path);
int xsd_set_perms(const char *path, const char *perms, size_t len);
int xsd_watch(const char *path, const char *token);
int xsd_unwatch(const char *path, const char *token);
/* value at path (a directory when value is NULL), then its permissions:
 * owned by owner, readable by reader (nobody else, unless privileged). */
int xsd_put(const char *path, const char *value, domid_t owner, domid_t reader);

#endif /* BACKEND_XENSTORED_H */
