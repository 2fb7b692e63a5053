/*
 * Tern guest kernel, xenstore: ending a transaction's view of the store:
 * the conflict check, and applying or dropping the view. Pure.
 */
#ifndef XS_COMMIT_H
#define XS_COMMIT_H

#include <stdint.h>
#include "xenstore/xs_store.h"

/* Where a commit's watch events go: the node at path changed (subtree: it
 * was removed with all below it), with these permissions (before a
 * removal). */
struct xs_fire {
    void (*fire)(void *ctx, const char *path, const struct xs_perms *perms, int subtree);
    void *ctx;
};

/* 0 when no node view v looked at changed in the main tree since it did,
 * else -XEN_EAGAIN. */
int xs_commit_check(const struct xs_store *s, unsigned int v);

/* 0 when dom (the view's domain) stays within its node quota once the
 * nodes the view made join the main tree, else -XEN_ENOSPC. */
int xs_commit_quota(const struct xs_store *s, unsigned int v, uint16_t dom);

/* Makes view v's changes the main tree's and frees its shadows; each change
 * fires its watch event. Allocates nothing, so it cannot fail. */
void xs_commit_apply(struct xs_store *s, unsigned int v, const struct xs_fire *f);

/* Frees view v's shadows: the main tree stays as it is. */
void xs_commit_drop(struct xs_store *s, unsigned int v);

#endif /* XS_COMMIT_H */
