/*
 * Tern guest kernel, xenstore: the store, with Xen's xenstored semantics.
 *
 * Invariants:
 *   1. The root "/" always exists; every other node's parent exists (a
 *      write creates missing parents, a removal takes the subtree).
 *   2. A node's path is canonical (xs_path.c) and unique in the store.
 *   3. A new node copies its parent's permissions; when an unprivileged
 *      domain creates it, that domain becomes its owner (entry 0).
 *   4. A refused operation changes nothing: quotas and free slots are
 *      checked before the first node is made.
 * Access (xs_perms.c): READ for read, directory and get_perms; WRITE for
 * write, mkdir and rm; OWNER for set_perms, and only domain 0 may give a node
 * another owner (EPERM). A missing node is ENOENT when the nearest existing
 * ancestor grants the access asked, else EACCES, so that a refusal does not
 * tell whether a hidden node exists. Quotas (XS_QUOTA_*) bind all domains
 * but 0.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_path.h"
#include "xenstore/xs_store.h"

static int find_len(const struct xs_store *s, const char *p, size_t len)
{
    for (int i = 0; i < XS_NODES_MAX; i++) {
        const struct xs_node *n = &s->nodes[i];
        if (n->used && n->path_len == len && memcmp(n->path, p, len) == 0)
            return i;
    }
    return -1;
}

static int find(const struct xs_store *s, const char *p)
{
    return find_len(s, p, strlen(p));
}

/* The nearest existing ancestor of p (the root at worst: invariant 1). */
static int nearest_ancestor(const struct xs_store *s, const char *p)
{
    size_t len = strlen(p);
    int i;

    do {
        len = xs_parent_len(p, len);
        i = find_len(s, p, len);
    } while (i < 0 && len > 1);
    return i < 0 ? 0 : i;
}

/* Finds p for dom wanting access want; sets *idx. */
static int lookup(const struct xs_store *s, uint16_t dom, const char *p,
                  unsigned int want, int *idx)
{
    *idx = find(s, p);
    if (*idx >= 0)
        return (xs_perms_for(&s->nodes[*idx].perms, dom) & want) == want ? 0 : -XEN_EACCES;
    if (xs_perms_for(&s->nodes[nearest_ancestor(s, p)].perms, dom) & want)
        return -XEN_ENOENT;
    return -XEN_EACCES;
}

unsigned int xs_store_owned(const struct xs_store *s, uint16_t dom)
{
    unsigned int n = 0;

    for (int i = 0; i < XS_NODES_MAX; i++)
        n += s->nodes[i].used && s->nodes[i].perms.p[0].domid == dom;
    return n;
}

unsigned int xs_store_used(const struct xs_store *s)
{
    unsigned int n = 0;

    for (int i = 0; i < XS_NODES_MAX; i++)
        n += s->nodes[i].used;
    return n;
}

void xs_store_init(struct xs_store *s)
{
    memset(s, 0, sizeof(*s));
    s->quota_nodes = XS_QUOTA_NODES;
    s->quota_entry = XS_QUOTA_ENTRY;
    s->nodes[0].used = 1;
    s->nodes[0].path_len = 1;
    s->nodes[0].path[0] = '/';
    s->nodes[0].perms.n = 1;    /* owner 0, others none */
}

/* Nodes to create for p to exist: p and its missing ancestors. */
static unsigned int missing(const struct xs_store *s, const char *p)
{
    unsigned int n = 0;

    for (size_t len = strlen(p); len > 1 && find_len(s, p, len) < 0;
         len = xs_parent_len(p, len))
        n++;
    return n;
}

static int free_slot(const struct xs_store *s)
{
    for (int i = 0; i < XS_NODES_MAX; i++) {
        if (!s->nodes[i].used)
            return i;
    }
    return -1;
}

/* Invariant 4: may dom add count nodes (with a value of vlen bytes)? */
static int may_grow(const struct xs_store *s, uint16_t dom, unsigned int count,
                    size_t vlen)
{
    unsigned int free_nodes = XS_NODES_MAX - xs_store_used(s);

    if (vlen > XS_VALUE_MAX || count > free_nodes)
        return -XEN_ENOSPC;
    if (dom != 0 && (vlen > s->quota_entry ||
                     xs_store_owned(s, dom) + count > s->quota_nodes))
        return -XEN_ENOSPC;
    return 0;
}

/* Makes the node of p's first len bytes, a child of parent (invariant 3). */
static int make_node(struct xs_store *s, uint16_t dom, const char *p, size_t len,
                     int parent)
{
    int i = free_slot(s);
    struct xs_node *n = &s->nodes[i];

    n->used = 1;
    n->path_len = (uint16_t)len;
    memcpy(n->path, p, len);
    n->path[len] = '\0';
    n->value_len = 0;
    n->perms = s->nodes[parent].perms;
    if (dom != 0)
        n->perms.p[0].domid = dom;
    return i;
}

/* Creates p and its missing ancestors, top down; returns p's node. */
static int create(struct xs_store *s, uint16_t dom, const char *p)
{
    size_t len = strlen(p);
    int at = 0;

    for (size_t end = 1; end <= len; end++) {
        if (end < len && p[end] != '/')
            continue;
        int i = find_len(s, p, end);
        at = i >= 0 ? i : make_node(s, dom, p, end, at);
    }
    return at;
}

/* p exists afterwards, with dom allowed to write it; *idx is its node. */
static int get_or_create(struct xs_store *s, uint16_t dom, const char *p,
                         size_t vlen, int *idx)
{
    int rc = lookup(s, dom, p, XS_PERM_WRITE, idx);

    if (rc != -XEN_ENOENT)
        return rc == 0 ? may_grow(s, dom, 0, vlen) : rc;
    if (strlen(p) >= XS_NODE_PATH_MAX)
        return -XEN_ENOSPC;
    rc = may_grow(s, dom, missing(s, p), vlen);
    if (rc == 0)
        *idx = create(s, dom, p);
    return rc;
}

int xs_store_write(struct xs_store *s, uint16_t dom, const char *path,
                   const uint8_t *value, size_t len)
{
    int idx, rc = get_or_create(s, dom, path, len, &idx);

    if (rc != 0)
        return rc;
    memcpy(s->nodes[idx].value, value, len);
    s->nodes[idx].value_len = (uint16_t)len;
    return 0;
}

int xs_store_mkdir(struct xs_store *s, uint16_t dom, const char *path)
{
    int idx;

    return get_or_create(s, dom, path, 0, &idx);
}

int xs_store_read(const struct xs_store *s, uint16_t dom, const char *path,
                  uint8_t *out, size_t room)
{
    int idx, rc = lookup(s, dom, path, XS_PERM_READ, &idx);

    if (rc != 0)
        return rc;
    if (s->nodes[idx].value_len > room)
        return -XEN_E2BIG;
    memcpy(out, s->nodes[idx].value, s->nodes[idx].value_len);
    return s->nodes[idx].value_len;
}

/* Is node n inside the subtree of the path of len bytes at p? */
static int in_subtree(const struct xs_node *n, const char *p, size_t len)
{
    return n->used && n->path_len >= len && memcmp(n->path, p, len) == 0 &&
           (n->path_len == len || n->path[len] == '/');
}

int xs_store_rm(struct xs_store *s, uint16_t dom, const char *path)
{
    size_t len = strlen(path);
    int idx, rc = lookup(s, dom, path, XS_PERM_WRITE, &idx);

    if (rc == -XEN_ENOENT)   /* already gone: fine if the parent exists */
        return find_len(s, path, xs_parent_len(path, len)) >= 0 ? 0 : rc;
    if (rc != 0)
        return rc;
    if (len == 1)
        return -XEN_EINVAL;  /* never the root */
    for (int i = 0; i < XS_NODES_MAX; i++) {
        if (in_subtree(&s->nodes[i], path, len))
            s->nodes[i].used = 0;
    }
    return 0;
}

/* The name of n's last component if n is a child of dir (len bytes). */
static const char *child_name(const struct xs_node *n, const char *dir, size_t len)
{
    if (!n->used || n->path_len <= len || !in_subtree(n, dir, len == 1 ? 0 : len))
        return NULL;
    if (xs_parent_len(n->path, n->path_len) != len)
        return NULL;
    return n->path + (len == 1 ? 1 : len + 1);
}

int xs_store_directory(const struct xs_store *s, uint16_t dom, const char *path,
                       char *out, size_t room)
{
    size_t len = strlen(path), used = 0;
    int idx, rc = lookup(s, dom, path, XS_PERM_READ, &idx);

    if (rc != 0)
        return rc;
    for (int i = 0; i < XS_NODES_MAX; i++) {
        const char *name = child_name(&s->nodes[i], path, len);
        if (name == NULL)
            continue;
        size_t n = strlen(name) + 1;
        if (used + n > room)
            return -XEN_E2BIG;
        memcpy(out + used, name, n);
        used += n;
    }
    return (int)used;
}

int xs_store_get_perms(const struct xs_store *s, uint16_t dom, const char *path,
                       char *out, size_t room)
{
    int idx, rc = lookup(s, dom, path, XS_PERM_READ, &idx);

    return rc != 0 ? rc : xs_perms_format(&s->nodes[idx].perms, out, room);
}

int xs_store_set_perms(struct xs_store *s, uint16_t dom, const char *path,
                       const struct xs_perms *perms)
{
    int idx, rc = lookup(s, dom, path, XS_PERM_WRITE | XS_PERM_OWNER, &idx);

    if (rc != 0)
        return rc;
    if (perms->n == 0 || perms->n > XS_PERMS_MAX)
        return -XEN_EINVAL;
    if (dom != 0 && perms->p[0].domid != s->nodes[idx].perms.p[0].domid)
        return -XEN_EPERM;
    if (dom != 0 && perms->n > XS_PERMS_QUOTA)
        return -XEN_ENOSPC;
    s->nodes[idx].perms = *perms;
    return 0;
}

int xs_store_perms_of(const struct xs_store *s, const char *path, struct xs_perms *out)
{
    int idx = find(s, path);

    if (idx < 0)
        return -XEN_ENOENT;
    *out = s->nodes[idx].perms;
    return 0;
}
