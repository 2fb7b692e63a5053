/*
 * Tern guest kernel, xenstore: the store itself, a tree of nodes in fixed
 * arrays, and the operations clients ask of it. Pure: the caller provides
 * the struct xs_store (domain 0's xenstored keeps one).
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "xenstore/xs_perms.h"

/* The store's own limits (below Xen's path limits: a longer path, or a
 * store with no free node, gets ENOSPC). */
#define XS_NODES_MAX     128    /* nodes, root included */
#define XS_NODE_PATH_MAX 256    /* bytes of a canonical path, NUL included */
#define XS_VALUE_MAX     2048   /* bytes of a value */

/* Xen's default quotas for unprivileged domains (domain 0 has none):
 * nodes a domain owns (quota-nb-entry-per-domain) and bytes of one value
 * (quota-max-entry-size). Over them: ENOSPC. */
#define XS_QUOTA_NODES 1000
#define XS_QUOTA_ENTRY 2048

struct xs_node {
    uint8_t used;
    uint16_t path_len;                 /* without the NUL */
    uint16_t value_len;
    char path[XS_NODE_PATH_MAX];       /* canonical, NUL-ended */
    uint8_t value[XS_VALUE_MAX];       /* any bytes; no NUL required */
    struct xs_perms perms;
};

struct xs_store {
    struct xs_node nodes[XS_NODES_MAX];
    uint32_t quota_nodes;              /* XS_QUOTA_NODES unless a test says */
    uint32_t quota_entry;              /* XS_QUOTA_ENTRY unless a test says */
};

/* An empty store: the root "/" alone, owned by domain 0, "n0". */
void xs_store_init(struct xs_store *s);

/* The operations. path is canonical (xs_path_canon) and NUL-ended; dom is
 * the caller. Each returns 0 (or the bytes written to out) or -XEN_Exxx. */
int xs_store_read(const struct xs_store *s, uint16_t dom, const char *path,
                  uint8_t *out, size_t room);
int xs_store_write(struct xs_store *s, uint16_t dom, const char *path,
                   const uint8_t *value, size_t len);
int xs_store_mkdir(struct xs_store *s, uint16_t dom, const char *path);
int xs_store_rm(struct xs_store *s, uint16_t dom, const char *path);
int xs_store_directory(const struct xs_store *s, uint16_t dom, const char *path,
                       char *out, size_t room);
int xs_store_get_perms(const struct xs_store *s, uint16_t dom, const char *path,
                       char *out, size_t room);
int xs_store_set_perms(struct xs_store *s, uint16_t dom, const char *path,
                       const struct xs_perms *perms);

/* The permissions of the node at path, whoever asks: 0, or -XEN_ENOENT. For
 * the daemon itself (which watches may see a change), never for a client. */
int xs_store_perms_of(const struct xs_store *s, const char *path, struct xs_perms *out);

/* Nodes owned by dom (what its node quota counts), and nodes in use. */
unsigned int xs_store_owned(const struct xs_store *s, uint16_t dom);
unsigned int xs_store_used(const struct xs_store *s);

#endif /* XS_STORE_H */
