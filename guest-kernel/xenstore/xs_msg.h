/*
 * Tern guest kernel, xenstore: one request message in, one reply message
 * out. Pure: the ring glue copies a request out of a guest's ring page, calls
 * xs_msg_handle, and copies the reply back.
 */
#ifndef XS_MSG_H
#define XS_MSG_H

#include <stdint.h>
#include <public/io/xs_wire.h>
#include "xenstore/xs_domain.h"
#include "xenstore/xs_path.h"
#include "xenstore/xs_store.h"
#include "xenstore/xs_tx.h"
#include "xenstore/xs_watch.h"

/* Where CONTROL "print" text goes (print NULL: nowhere). */
struct xs_log {
    void (*print)(void *ctx, const char *text);
    void *ctx;
};

/* What a daemon serves: the store, the watches, where events go, the open
 * transactions, the introduced domains. */
struct xs_server {
    struct xs_store store;
    struct xs_watches watches;
    struct xs_events events;
    struct xs_txs txs;
    struct xs_domains domains;
    struct xs_log log;
};

/* A new server: an empty store, no watch, transaction or introduced domain;
 * events go to ev. */
void xs_server_init(struct xs_server *srv, const struct xs_events *ev);

struct xs_reply {
    struct xsd_sockmsg hdr;             /* len = bytes used in body */
    char body[XENSTORE_PAYLOAD_MAX];
    char scratch[XS_PATH_BUF];          /* working space: the canonical path */
};

/* Serves the request req from domain caller against srv; watch events it
 * causes go to srv->events before it returns. payload holds
 * req->len bytes when req->len <= XENSTORE_PAYLOAD_MAX and is not read
 * otherwise. Everything in req and payload is untrusted. Always fills rep.
 * Returns 0, or -XEN_E2BIG when the request broke the protocol (too long):
 * the reply is then an E2BIG error, and Xen's xenstored would drop the
 * connection (the ring glue may set XENSTORE_ERROR_PROTO). */
int xs_msg_handle(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                  const uint8_t *payload, struct xs_reply *rep);

/* To call after the reply of xs_msg_handle is sent: a new watch's first
 * event (xenstored sends it after the "OK"). Does nothing for other replies. */
void xs_msg_finish(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                   const uint8_t *payload, const struct xs_reply *rep);

/* The name Xen sends for error err (a positive XEN_Exxx): "EINVAL" for any
 * error not in xsd_errors. */
const char *xs_error_name(int err);

#endif /* XS_MSG_H */
