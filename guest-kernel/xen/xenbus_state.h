/*
 * Tern guest kernel: the xenbus device handshake (public/io/xenbus.h) as
 * a pure decision, one for each end: given our state and the other end's,
 * what to do next. Frontends (blkfront, netfront) and backends (blkback,
 * netback) call it each time the other end's state node changes (a watch)
 * and do the action; the same rules then hold for every device type.
 */
#ifndef GUEST_XENBUS_STATE_H
#define GUEST_XENBUS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <public/io/xenbus.h>

enum xenbus_action {
    XB_WAIT,          /* nothing to do until the other end moves */
    XB_PUBLISH,       /* frontend: set up rings, write their details, go Initialised */
    XB_CONNECT,       /* backend: read the frontend's details, map, go Connected;
                         frontend: the backend is Connected, go Connected */
    XB_CLOSE,         /* tear down and go Closing, then Closed */
    XB_CLOSED,        /* go (or stay) Closed: the device is gone */
    XB_BROKEN,        /* the other end published nonsense: close and report */
};

/* A state node's value: "0".."8" (as Xen writes it). false otherwise. */
bool xenbus_state_parse(const char *s, size_t len, enum xenbus_state *st);

enum xenbus_action xenbus_frontend_next(enum xenbus_state self, enum xenbus_state backend);
enum xenbus_action xenbus_backend_next(enum xenbus_state self, enum xenbus_state frontend);

#endif /* GUEST_XENBUS_STATE_H */
