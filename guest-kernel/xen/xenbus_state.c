/*
 * Tern guest kernel: the xenbus handshake decisions (see xenbus_state.h).
 * Invariants: a side only moves forward through the setup (never back to
 * Initialising), connects only once the other side is where the protocol
 * says it must be (a frontend publishes only when the backend is in
 * InitWait or later, a backend connects only when the frontend is
 * Initialised or Connected), closes when the other side closes, and a
 * state the other side may not be in (Unknown after setup began, or
 * Reconfiguring, which Tern's devices do not offer) is broken.
 */
#include "xen/xenbus_state.h"

bool xenbus_state_parse(const char *s, size_t len, enum xenbus_state *st)
{
    if (len == 2 && s[1] == '\0')
        len = 1;                                 /* the NUL some writers add */
    if (len != 1 || s[0] < '0' || s[0] > '8')
        return false;
    *st = (enum xenbus_state)(s[0] - '0');
    return true;
}

static bool closing(enum xenbus_state s)
{
    return s == XenbusStateClosing || s == XenbusStateClosed;
}

enum xenbus_action xenbus_frontend_next(enum xenbus_state self, enum xenbus_state backend)
{
    if (self == XenbusStateClosed)
        return XB_CLOSED;
    if (closing(backend))
        return backend == XenbusStateClosed && self == XenbusStateClosing ? XB_CLOSED
                                                                         : XB_CLOSE;
    if (backend == XenbusStateReconfiguring || backend == XenbusStateReconfigured)
        return XB_BROKEN;
    switch (self) {
    case XenbusStateInitialising:
        return backend == XenbusStateInitWait || backend == XenbusStateConnected
                   ? XB_PUBLISH : XB_WAIT;
    case XenbusStateInitialised:
        return backend == XenbusStateConnected ? XB_CONNECT : XB_WAIT;
    case XenbusStateConnected:
        return backend == XenbusStateConnected ? XB_WAIT : XB_BROKEN;
    default:
        return XB_WAIT;                          /* Closing: until the backend closes */
    }
}

enum xenbus_action xenbus_backend_next(enum xenbus_state self, enum xenbus_state frontend)
{
    if (self == XenbusStateClosed)
        return XB_CLOSED;
    if (closing(frontend))
        return frontend == XenbusStateClosed && self == XenbusStateClosing ? XB_CLOSED
                                                                          : XB_CLOSE;
    if (frontend == XenbusStateReconfiguring || frontend == XenbusStateReconfigured)
        return XB_BROKEN;
    switch (self) {
    case XenbusStateInitWait:
        return frontend == XenbusStateInitialised || frontend == XenbusStateConnected
                   ? XB_CONNECT : XB_WAIT;
    case XenbusStateConnected:
        return frontend == XenbusStateUnknown || frontend == XenbusStateInitialising
                   ? XB_BROKEN : XB_WAIT;
    default:
        return XB_WAIT;
    }
}
