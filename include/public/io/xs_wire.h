/*
 * The xenstore wire protocol: the messages a guest (or a tool) exchanges with
 * the xenstore daemon, and the shared ring page that carries them between
 * domains. The numbers and layout are Xen's (xen/include/public/io/xs_wire.h);
 * a guest written for Xen reads and writes the same bytes here.
 *
 * A message is a struct xsd_sockmsg header followed by len payload bytes,
 * len <= XENSTORE_PAYLOAD_MAX. The payload is usually one or more strings,
 * each ended by a NUL. A reply carries the request's type, req_id and tx_id;
 * a failed request gets type XS_ERROR with the errno's NAME as payload
 * ("ENOENT\0"), never its number, so that both sides need not share errno
 * values. Watch events arrive unasked, as XS_WATCH_EVENT, in the rsp ring.
 *
 * Permission is granted, free of charge, to use, copy, modify and distribute
 * this header for any purpose (MIT licence).
 */
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

#include <stdint.h>
#include <stddef.h>
#include <public/errno.h>

/* Message types (struct xsd_sockmsg.type). Arguments are NUL-ended strings. */
enum xsd_sockmsg_type {
    XS_CONTROL = 0,            /* daemon control commands (privileged) */
    XS_DIRECTORY = 1,          /* path -> child names, each NUL-ended */
    XS_READ = 2,               /* path -> value bytes (no NUL added) */
    XS_GET_PERMS = 3,          /* path -> permission strings */
    XS_WATCH = 4,              /* path, token -> "OK" */
    XS_UNWATCH = 5,            /* path, token -> "OK" */
    XS_TRANSACTION_START = 6,  /* "" -> transaction id as decimal string */
    XS_TRANSACTION_END = 7,    /* "T" commit / "F" abort -> "OK" or EAGAIN */
    XS_INTRODUCE = 8,          /* domid, mfn, port -> "OK" (privileged) */
    XS_RELEASE = 9,            /* domid -> "OK" (privileged) */
    XS_GET_DOMAIN_PATH = 10,   /* domid -> "/local/domain/<domid>" */
    XS_WRITE = 11,             /* path, value bytes -> "OK" */
    XS_MKDIR = 12,             /* path -> "OK" */
    XS_RM = 13,                /* path -> "OK" */
    XS_SET_PERMS = 14,         /* path, permission strings -> "OK" */
    XS_WATCH_EVENT = 15,       /* daemon to client: path, token */
    XS_ERROR = 16,             /* daemon to client: errno name */
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, removed from Xen; it stays unused. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,        /* one past the last type */
    XS_INVALID = 0xffff        /* never a valid type */
};
#define XS_DEBUG XS_CONTROL    /* the old name of type 0 */

/* The header of every message, in both directions. */
struct xsd_sockmsg {
    uint32_t type;    /* enum xsd_sockmsg_type */
    uint32_t req_id;  /* chosen by the client, echoed in the reply */
    uint32_t tx_id;   /* transaction id, 0 outside a transaction */
    uint32_t len;     /* payload bytes after this header */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");

/* Watch events carry two strings, in this order. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN = 1
};

/* Limits. A payload above XENSTORE_PAYLOAD_MAX breaks the protocol (Xen's
 * xenstored drops such a client); paths above the path limits only get an
 * error. The relative limit counts what follows "/local/domain/<domid>/". */
#define XENSTORE_PAYLOAD_MAX  4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* Errors travel as names. xsd_errors lists every name a daemon may send,
 * with Xen's errno value for it (public/errno.h). Unknown errors are sent as
 * EINVAL, the table's first entry. */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
__attribute__((unused)) static const struct xsd_errors xsd_errors[] = {
    { XEN_EINVAL, "EINVAL" },
    { XEN_EACCES, "EACCES" },
    { XEN_EEXIST, "EEXIST" },
    { XEN_EISDIR, "EISDIR" },
    { XEN_ENOENT, "ENOENT" },
    { XEN_ENOMEM, "ENOMEM" },
    { XEN_ENOSPC, "ENOSPC" },
    { XEN_EIO, "EIO" },
    { XEN_ENOTEMPTY, "ENOTEMPTY" },
    { XEN_ENOSYS, "ENOSYS" },
    { XEN_EROFS, "EROFS" },
    { XEN_EBUSY, "EBUSY" },
    { XEN_EAGAIN, "EAGAIN" },
    { XEN_EISCONN, "EISCONN" },
    { XEN_E2BIG, "E2BIG" },
    { XEN_EPERM, "EPERM" },
};

/*
 * The ring page shared by a guest and the daemon (the page start_info's
 * store_mfn names; its event channel is store_evtchn). Two byte rings of
 * XENSTORE_RING_SIZE: req carries client requests, rsp carries replies and
 * watch events. Indexes run freely and wrap modulo 2^32; the byte of index i
 * is at MASK_XENSTORE_IDX(i). Writers: the client writes req[] and req_prod
 * and reads rsp[] advancing rsp_cons; the daemon the other way round. The
 * daemon writes server_features at start; the client writes connection to
 * ask for a reconnect; the daemon writes error when the client broke the
 * protocol (with XENSTORE_SERVER_FEATURE_ERROR).
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* client to daemon */
    char rsp[XENSTORE_RING_SIZE];   /* daemon to client */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;       /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;            /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                 /* XENSTORE_ERROR_* */
};
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048, "ring indexes");
_Static_assert(offsetof(struct xenstore_domain_interface, server_features) == 2064, "features");
_Static_assert(offsetof(struct xenstore_domain_interface, error) == 2072, "error");

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* connection field honoured */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* error field written */

#define XENSTORE_CONNECTED 0   /* the steady state */
#define XENSTORE_RECONNECT 1   /* the client asked for a reconnect */

#define XENSTORE_ERROR_NONE    0  /* no error */
#define XENSTORE_ERROR_COMM    1  /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2  /* bad ring index */
#define XENSTORE_ERROR_PROTO   3  /* protocol violation (e.g. too long) */

#endif /* PUBLIC_IO_XS_WIRE_H */
