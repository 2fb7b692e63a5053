/*
 * Tern guest kernel, xenstore: the store itself, a tree of nodes in fixed
 * arrays (values in a shared pool), and the operations clients ask of it,
 * on the main tree or on a transaction's view of it. Pure: the caller
 * provides the struct xs_store (domain 0's xenstored keeps one).
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "xenstore/xs_domain.h"
#include "xenstore/xs_perms.h"
#include "xenstore/xs_pool.h"

/* Isolation by capacity: the store holds every quota of XS_GUESTS_MAX
 * unprivileged domains at once plus domain 0's reserve (the toolstack's
 * trees, about 70 nodes and 2 KiB per domain), so no domain can fill what
 * another one is owed: a full store is only ever full for the domain that
 * hit its own quota. Node slots hold the main tree and the transactions'
 * shadows alike. */
#define XS_DOM0_RESERVE_NODES 1024
#define XS_NODES_MAX (XS_GUESTS_MAX * (XS_QUOTA_NODES + XS_QUOTA_TX_DOM_NODES) + \
                      XS_DOM0_RESERVE_NODES)
#define XS_NODE_PATH_MAX 256    /* bytes of a canonical path, NUL included */
#define XS_VALUE_MAX     2048   /* bytes of a value */

/* Quotas for unprivileged domains (domain 0 has none): nodes a domain owns
 * (Xen's quota-nb-entry-per-domain is 1000: more than a fair share of this
 * store, and Linux owns a handful), bytes of one value (quota-max-entry-size,
 * Xen's), and nodes one transaction may touch (transaction-nodes; Xen's
 * 1024). Over them: ENOSPC. */
#define XS_QUOTA_NODES    256
#define XS_QUOTA_ENTRY    2048
#define XS_QUOTA_TX_NODES 256

/* Tern's own bounds, so that one unprivileged domain cannot fill what all
 * share (Xen bounds it with its memory quota, 2.5 MiB per domain, more
 * than this whole store): the nodes all its transactions together may
 * touch, and the pool chunks its values (owned nodes, and its views' own
 * nodes) may hold, 96 KiB. Over them: ENOSPC. */
#define XS_QUOTA_TX_DOM_NODES 256
#define XS_QUOTA_CHUNKS       3072                 /* 96 KiB */
_Static_assert(XS_GUESTS_MAX * XS_QUOTA_CHUNKS + 8192 <= XS_CHUNKS,
               "the pool holds every domain's value quota and domain 0's 256 KiB");

/* A view: XS_VIEW_MAIN, the tree everyone sees, or 1 + the slot of an open
 * transaction (xs_tx.c), its own view of the tree. */
#define XS_VIEW_MAIN 0u
#define XS_VIEWS_MAX 96u        /* transaction views 1..XS_VIEWS_MAX: 8 domains x 10, and 16 */

/* What a node slot holds. */
enum xs_kind {
    XS_FREE = 0,   /* nothing */
    XS_MAIN,       /* a node of the main tree */
    XS_MARK,       /* view: the main node (or its absence) was seen, not changed */
    XS_DATA,       /* view: the view's own node (value and perms here) */
    XS_GONE        /* view: the node was removed in the view */
};

/* Watch events a shadow owes at commit. */
#define XS_FIRE_NONE 0
#define XS_FIRE_NODE 1   /* written, made or permissions set */
#define XS_FIRE_TREE 2   /* removed, with what was below it */

struct xs_node {
    uint8_t kind;                      /* enum xs_kind */
    uint8_t view;                      /* shadows: the transaction view */
    uint8_t fire;                      /* shadows: XS_FIRE_* */
    uint16_t dom;                      /* shadows: the domain whose view it is */
    uint16_t path_len;                 /* without the NUL */
    uint16_t value_len;
    uint16_t value;                    /* first pool chunk (XS_MAIN, XS_DATA) */
    /* XS_MAIN: the generation of its last change (its value, permissions
     * or list of children). Shadows: the main node's generation when the
     * view first touched it, 0 when it did not exist. */
    uint64_t gen;
    struct xs_perms perms;             /* XS_MAIN, XS_DATA */
    char path[XS_NODE_PATH_MAX];       /* canonical, NUL-ended */
};

/* SET_TARGET: dom gets the owner's rights on the nodes target owns, as a
 * device model does for its guest. */
#define XS_TARGETS_MAX 64
struct xs_target {
    uint16_t dom;      /* 0: the entry is free (domain 0 needs none) */
    uint16_t target;
};

struct xs_store {
    struct xs_node nodes[XS_NODES_MAX];
    struct xs_target targets[XS_TARGETS_MAX];
    struct xs_pool pool;
    uint64_t gen;                      /* the last generation handed out */
    uint32_t top;                      /* slots from here on are all free */
    uint32_t quota_nodes;              /* XS_QUOTA_NODES unless a test says */
    uint32_t quota_entry;              /* XS_QUOTA_ENTRY unless a test says */
};

/* An empty store: the root "/" alone, owned by domain 0, "n0". */
void xs_store_init(struct xs_store *s);

/* The operations, in view v (XS_VIEW_MAIN or a transaction's). path is
 * canonical (xs_path_canon) and NUL-ended; dom is the caller. Each returns
 * 0 (or the bytes written to out) or -XEN_Exxx. In a transaction's view
 * every node looked at is remembered for the commit's check (ENOSPC when
 * the view may remember no more), and changes wait for the commit. */
int xs_store_read(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                  uint8_t *out, size_t room);
int xs_store_write(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                   const uint8_t *value, size_t len);
int xs_store_mkdir(struct xs_store *s, unsigned int v, uint16_t dom, const char *path);
int xs_store_rm(struct xs_store *s, unsigned int v, uint16_t dom, const char *path);
int xs_store_directory(struct xs_store *s, unsigned int v, uint16_t dom,
                       const char *path, char *out, size_t room);
/* DIRECTORY_PART: the node's generation in decimal with its NUL, then the
 * child names (each with its NUL) from byte off of the whole list, as many
 * as fit in room, then an empty string when the list ended there. */
int xs_store_directory_part(struct xs_store *s, unsigned int v, uint16_t dom,
                            const char *path, uint32_t off, char *out, size_t room);
int xs_store_get_perms(struct xs_store *s, unsigned int v, uint16_t dom,
                       const char *path, char *out, size_t room);
int xs_store_set_perms(struct xs_store *s, unsigned int v, uint16_t dom,
                       const char *path, const struct xs_perms *perms);

/* Whether the node at path exists in view v, and its permissions: 0, or
 * -XEN_ENOENT. For the daemon itself (which watches may see a change),
 * never for a client: it remembers nothing. */
int xs_store_perms_of(const struct xs_store *s, unsigned int v, const char *path,
                      struct xs_perms *out);

/* The node at path in view v with its generation (for DIRECTORY_PART): its
 * slot, or -1. */
int xs_store_find(const struct xs_store *s, unsigned int v, const char *path);

/* Sets (or replaces) dom's target: 0, or -XEN_ENOSPC when the table is
 * full; XS_TARGET_NONE as target forgets it. */
#define XS_TARGET_NONE 0xffffu
int xs_store_set_target(struct xs_store *s, uint16_t dom, uint16_t target);

/* Forgets every target entry of dom, as the domain acting and as the
 * target, so that a later domain with its domid inherits nothing. */
void xs_store_forget_targets(struct xs_store *s, uint16_t dom);

/* What dom may do with a node of perms: xs_perms_for, plus everything on
 * its target's nodes. */
unsigned int xs_store_access(const struct xs_store *s, const struct xs_perms *perms,
                             uint16_t dom);

/* Main nodes owned by dom (what its node quota counts), and slots in use. */
unsigned int xs_store_owned(const struct xs_store *s, uint16_t dom);
unsigned int xs_store_used(const struct xs_store *s);

#endif /* XS_STORE_H */
