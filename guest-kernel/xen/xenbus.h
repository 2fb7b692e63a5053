/*
 * Tern guest kernel: xenbus, the client side of xenstore, over the ring
 * page and port start_info names (store_mfn, store_evtchn), in Xen's wire
 * protocol (public/io/xs_wire.h), as Linux's xenbus and Mini-OS's xenbus
 * talk to xenstored. One request at a time, synchronously; watch events
 * that arrive meanwhile wait in a small queue for xenbus_next_event.
 *
 * Every call returns 0 (or bytes read) or a negative Xen errno: the error
 * xenstored named, -XEN_ETIMEDOUT when no reply came within the deadline
 * (nobody serves our ring), -XEN_EIO when the daemon broke the protocol
 * (a reply too long, lying ring indices): xenbus then stays down.
 */
#ifndef GUEST_XENBUS_H
#define GUEST_XENBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/xenbus.h>

typedef uint32_t xenbus_tx_t;          /* 0: no transaction */

/* Finds the ring; -XEN_ENODEV for a domain without one (domain 0). */
int xenbus_init(void);

int xenbus_read(xenbus_tx_t tx, const char *path, char *out, size_t room);
int xenbus_write(xenbus_tx_t tx, const char *path, const char *value);
int xenbus_mkdir(xenbus_tx_t tx, const char *path);
int xenbus_rm(xenbus_tx_t tx, const char *path);
/* Child names, each NUL-ended, one after the other. */
int xenbus_directory(xenbus_tx_t tx, const char *path, char *out, size_t room);
int xenbus_get_domain_path(unsigned int dom, char *out, size_t room);
int xenbus_watch(const char *path, const char *token);
int xenbus_unwatch(const char *path, const char *token);
int xenbus_transaction_start(xenbus_tx_t *tx);
int xenbus_transaction_end(xenbus_tx_t tx, bool abort);

/* Any request, for callers that test the daemon itself (hostile roles):
 * payload as given, the reply's payload into out. */
int xenbus_request(uint32_t type, xenbus_tx_t tx, const void *payload, uint32_t len,
                   char *out, size_t room);

/* The next watch event (path and token NUL-ended), waiting until
 * deadline_ns (system time); false if none came. */
bool xenbus_next_event(char *path, size_t path_room, char *token, size_t token_room,
                       uint64_t deadline_ns);

/* Drops the queued watch events whose token is token (after
 * xenbus_unwatch: the daemon sent them before its reply, so none is left
 * to come). */
void xenbus_forget_events(const char *token);

/* dir/state as a xenbus state (xenbus_state.h): 0, or -XEN_EINVAL when
 * the node holds something else, or the read's error. */
int xenbus_read_state(const char *dir, enum xenbus_state *st);
/* Writes st into dir/state. */
int xenbus_switch_state(const char *dir, enum xenbus_state st);

/* The ring page (hostile roles write lies into it), or NULL. */
volatile void *xenbus_page(void);

#endif /* GUEST_XENBUS_H */
