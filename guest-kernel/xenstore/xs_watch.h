/*
 * Tern guest kernel, xenstore: watches, and which of them a change fires.
 * Pure: an event is handed to a function the caller gives.
 */
#ifndef XS_WATCH_H
#define XS_WATCH_H

#include <stdint.h>
#include "xenstore/xs_perms.h"
#include "xenstore/xs_store.h"

#define XS_WATCHES_MAX     (XS_GUESTS_MAX * XS_QUOTA_WATCHES + 64)  /* each domain's quota (8
                                    served at once) and domain 0's 64 */
#define XS_WATCH_TOKEN_MAX 256   /* bytes of a token, NUL included */
#define XS_QUOTA_WATCHES   128   /* Xen's default per unprivileged domain */

struct xs_watch {
    uint8_t used;
    uint16_t dom;                      /* the watching domain (connection) */
    uint16_t strip;                    /* bytes of home prefix to drop in events */
    char path[XS_NODE_PATH_MAX];       /* canonical, or "@introduceDomain"... */
    char token[XS_WATCH_TOKEN_MAX];
};

struct xs_watches {
    struct xs_watch w[XS_WATCHES_MAX];
    uint32_t quota;                    /* XS_QUOTA_WATCHES unless a test says */
    uint32_t top;                      /* slots from here on are all unused */
};

/* Where events go: emit(ctx, dom, path, token) once per event. */
struct xs_events {
    void (*emit)(void *ctx, uint16_t dom, const char *path, const char *token);
    void *ctx;
};

void xs_watch_init(struct xs_watches *ws);

/* Adds dom's watch on path (as sent: absolute, relative or special) with
 * token. Returns 0 or -XEN_Exxx. Xenstored then fires the new watch once,
 * after its reply: xs_msg_finish does that. */
int xs_watch_add(struct xs_watches *ws, uint16_t dom, const char *path,
                 const char *token);

/* Removes dom's watch of that path and token: 0 or -XEN_ENOENT/EINVAL. */
int xs_watch_remove(struct xs_watches *ws, uint16_t dom, const char *path,
                    const char *token);

/* Removes every watch of dom (release, RESET_WATCHES, reintroduction). */
void xs_watch_remove_all(struct xs_watches *ws, uint16_t dom);

/* The node at canonical path changed (written, made, permissions set, or,
 * with subtree set, removed with all below it); perms are the node's (before
 * a removal). Fires every watch on it or above it (and below it if subtree)
 * whose domain may read the node. A special name ("@releaseDomain") fires
 * the watches on that name alone. */
void xs_watch_fire(const struct xs_watches *ws, const char *path,
                   const struct xs_perms *perms, int subtree,
                   const struct xs_events *ev);

#endif /* XS_WATCH_H */
