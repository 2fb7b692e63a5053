/*
 * The state a frontend or backend device driver publishes in its xenstore
 * directory ("state" node, as a decimal string), and the order they pass
 * through them: Xen's (xen/include/public/io/xenbus.h). A device is set up
 * as: both Initialising; the backend InitWait (ready for the frontend's
 * details); the frontend writes its ring references and event channel and
 * goes Initialised; the backend maps them and goes Connected; the frontend
 * Connected. Either side ends with Closing then Closed.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence).
 */
#ifndef PUBLIC_IO_XENBUS_H
#define PUBLIC_IO_XENBUS_H

enum xenbus_state {
    XenbusStateUnknown = 0,
    XenbusStateInitialising = 1,
    XenbusStateInitWait = 2,       /* backend: waiting for the frontend's details */
    XenbusStateInitialised = 3,    /* frontend: details written */
    XenbusStateConnected = 4,
    XenbusStateClosing = 5,
    XenbusStateClosed = 6,
    XenbusStateReconfiguring = 7,
    XenbusStateReconfigured = 8,
};

#endif /* PUBLIC_IO_XENBUS_H */
