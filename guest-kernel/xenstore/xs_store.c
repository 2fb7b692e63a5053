/*
 * Tern guest kernel, xenstore: the store's operations, with Xen's
 * xenstored semantics, on the main tree or on a transaction's view.
 *
 * Invariants:
 *   1. The root "/" always exists; every other node's parent exists (a
 *      write creates missing parents, a removal takes the subtree). Both
 *      hold in the main tree and in every view.
 *   2. A node's path is canonical (xs_path.c) and unique in the store (in a
 *      view: unique among what the view sees).
 *   3. A new node copies its parent's permissions; when an unprivileged
 *      domain creates it, that domain becomes its owner (entry 0).
 *   4. A refused operation changes nothing anyone sees: quotas, free slots
 *      and pool chunks are checked before the first node is made. (In a
 *      view, what it looked at before the refusal stays remembered.)
 *   5. A view changes only its shadows (xs_tree.c); the main tree changes
 *      at the commit alone (xs_commit.c). A view remembers every path it
 *      looked at, with the main generation it saw, and for a change also
 *      the parent, whose list of children changes with it.
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
#include "xenstore/xs_tree.h"

/* May view v (of dom) take n more shadows? 0, or -XEN_ENOSPC: no free
 * slots, or dom (not domain 0) over a transaction quota. */
static int may_note(const struct xs_store *s, unsigned int v, uint16_t dom, unsigned int n)
{
    if (n > xs_tree_free_slots(s))
        return -XEN_ENOSPC;
    if (dom != 0 && (xs_tree_shadows(s, v) + n > XS_QUOTA_TX_NODES ||
                     xs_tree_shadows_of(s, dom) + n > XS_QUOTA_TX_DOM_NODES))
        return -XEN_ENOSPC;
    return 0;
}

/* Invariant 5: view v has seen p (len bytes). 0, or -XEN_ENOSPC. */
static int note(struct xs_store *s, unsigned int v, uint16_t dom, const char *p, size_t len)
{
    int i, m, rc;

    if (v == XS_VIEW_MAIN || xs_tree_shadow(s, v, p, len) >= 0)
        return 0;
    rc = may_note(s, v, dom, 1);
    if (rc != 0)
        return rc;
    i = xs_tree_free_slot(s);
    m = xs_tree_main(s, p, len);
    xs_tree_fill(s, i, XS_MARK, p, len, m >= 0 ? s->nodes[m].gen : 0);
    s->nodes[i].view = (uint8_t)v;
    s->nodes[i].dom = dom;
    return 0;
}

/* May dom's values take chunks more pool chunks? (Its old value counts
 * until a write replaces it.) */
static int may_take_chunks(const struct xs_store *s, uint16_t dom, unsigned int chunks)
{
    if (chunks > s->pool.free_count)
        return -XEN_ENOSPC;
    if (dom != 0 && xs_tree_chunks_of(s, dom) + chunks > XS_QUOTA_CHUNKS)
        return -XEN_ENOSPC;
    return 0;
}

/* The nearest ancestor of p that view v sees (the root at worst). */
static int nearest_ancestor(const struct xs_store *s, unsigned int v, const char *p)
{
    size_t len = strlen(p);
    int i;

    do {
        len = xs_parent_len(p, len);
        i = xs_tree_visible(s, v, p, len);
    } while (i < 0 && len > 1);
    return i < 0 ? 0 : i;
}

/* dom's entry in the target table, or else a free one (or -1). */
static int target_slot(const struct xs_store *s, uint16_t dom)
{
    int free_one = -1;

    for (int i = 0; i < XS_TARGETS_MAX; i++) {
        if (s->targets[i].dom == dom)
            return i;
        if (s->targets[i].dom == 0 && free_one < 0)
            free_one = i;
    }
    return free_one;
}

int xs_store_set_target(struct xs_store *s, uint16_t dom, uint16_t target)
{
    int i = target_slot(s, dom);

    if (dom == 0)
        return 0;    /* domain 0 may do everything anyway */
    if (i < 0)
        return target == XS_TARGET_NONE ? 0 : -XEN_ENOSPC;
    s->targets[i].dom = target == XS_TARGET_NONE ? 0 : dom;
    s->targets[i].target = target;
    return 0;
}

void xs_store_forget_targets(struct xs_store *s, uint16_t dom)
{
    for (int i = 0; i < XS_TARGETS_MAX; i++) {
        if (s->targets[i].dom == dom || s->targets[i].target == dom)
            s->targets[i].dom = 0;
    }
}

unsigned int xs_store_access(const struct xs_store *s, const struct xs_perms *perms,
                             uint16_t dom)
{
    int i = dom == 0 ? -1 : target_slot(s, dom);

    if (i >= 0 && s->targets[i].dom == dom && perms->p[0].domid == s->targets[i].target)
        return XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    return xs_perms_for(perms, dom);
}

/* Finds p in view v for dom wanting access want; sets *idx. */
static int lookup(struct xs_store *s, unsigned int v, uint16_t dom, const char *p,
                  unsigned int want, int *idx)
{
    size_t len = strlen(p);
    int rc = note(s, v, dom, p, len);

    if (rc != 0)
        return rc;
    *idx = xs_tree_visible(s, v, p, len);
    if (*idx >= 0)
        return (xs_store_access(s, &s->nodes[*idx].perms, dom) & want) == want ? 0 : -XEN_EACCES;
    if (xs_store_access(s, &s->nodes[nearest_ancestor(s, v, p)].perms, dom) & want)
        return -XEN_ENOENT;
    return -XEN_EACCES;
}

unsigned int xs_store_owned(const struct xs_store *s, uint16_t dom)
{
    unsigned int n = 0;

    for (int i = 0; i < xs_tree_top(s); i++)
        n += s->nodes[i].kind == XS_MAIN && s->nodes[i].perms.p[0].domid == dom;
    return n;
}

/* What dom's node quota counts in view v: its main nodes, and the nodes the
 * view made (new to the main tree) for it. */
static unsigned int owned_in(const struct xs_store *s, unsigned int v, uint16_t dom)
{
    unsigned int n = xs_store_owned(s, dom);

    for (int i = 0; v != XS_VIEW_MAIN && i < xs_tree_top(s); i++) {
        const struct xs_node *x = &s->nodes[i];
        n += xs_tree_is_shadow(x, v) && x->kind == XS_DATA && x->gen == 0 &&
             x->perms.p[0].domid == dom;
    }
    return n;
}

unsigned int xs_store_used(const struct xs_store *s)
{
    return XS_NODES_MAX - xs_tree_free_slots(s);
}

void xs_store_init(struct xs_store *s)
{
    memset(s, 0, sizeof(*s));
    xs_pool_init(&s->pool);
    s->quota_nodes = XS_QUOTA_NODES;
    s->quota_entry = XS_QUOTA_ENTRY;
    xs_tree_fill(s, 0, XS_MAIN, "/", 1, ++s->gen);
    s->nodes[0].perms.n = 1;    /* owner 0, others none */
}

/* Paths to create for p to exist in view v: p and its missing ancestors. */
static unsigned int missing(const struct xs_store *s, unsigned int v, const char *p)
{
    unsigned int n = 0;

    for (size_t len = strlen(p); len > 1 && xs_tree_visible(s, v, p, len) < 0;
         len = xs_parent_len(p, len))
        n++;
    return n;
}

/* Invariant 5: view v remembers the missing ancestors of p and the nearest
 * existing one, before it creates them. */
static int note_missing(struct xs_store *s, unsigned int v, uint16_t dom, const char *p)
{
    size_t len = strlen(p);
    int rc = 0;

    while (rc == 0 && len > 1 && xs_tree_visible(s, v, p, len) < 0) {
        len = xs_parent_len(p, len);
        rc = note(s, v, dom, p, len);
    }
    return rc;
}

/* Invariant 4: may dom add count nodes (with a value of vlen bytes)? */
static int may_grow(const struct xs_store *s, unsigned int v, uint16_t dom,
                    unsigned int count, size_t vlen)
{
    if (vlen > XS_VALUE_MAX || may_take_chunks(s, dom, xs_tree_chunks(vlen)) != 0)
        return -XEN_ENOSPC;
    if (v == XS_VIEW_MAIN && count > xs_tree_free_slots(s))
        return -XEN_ENOSPC;
    if (dom != 0 && (vlen > s->quota_entry || owned_in(s, v, dom) + count > s->quota_nodes))
        return -XEN_ENOSPC;
    return 0;
}

/* The slot for a new node of p's first len bytes in view v: a free one in
 * the main tree; in a view the shadow that note() made. */
static int new_slot(struct xs_store *s, unsigned int v, const char *p, size_t len)
{
    int i;

    if (v == XS_VIEW_MAIN) {
        i = xs_tree_free_slot(s);
        xs_tree_fill(s, i, XS_MAIN, p, len, ++s->gen);
        xs_tree_touch_parent(s, p, len);
        return i;
    }
    i = xs_tree_shadow(s, v, p, len);
    uint16_t dom = s->nodes[i].dom;
    xs_pool_free(&s->pool, s->nodes[i].value);
    xs_tree_fill(s, i, XS_DATA, p, len, s->nodes[i].gen);
    s->nodes[i].view = (uint8_t)v;
    s->nodes[i].dom = dom;
    return i;
}

/* Makes the node of p's first len bytes, a child of parent (invariant 3). */
static int make_node(struct xs_store *s, unsigned int v, uint16_t dom, const char *p,
                     size_t len, int parent)
{
    struct xs_perms perms = s->nodes[parent].perms;
    int i = new_slot(s, v, p, len);

    s->nodes[i].perms = perms;
    if (dom != 0)
        s->nodes[i].perms.p[0].domid = dom;
    return i;
}

/* Creates p and its missing ancestors in view v, top down; returns p's slot. */
static int create(struct xs_store *s, unsigned int v, uint16_t dom, const char *p)
{
    size_t len = strlen(p);
    int at = 0;

    for (size_t end = 1; end <= len; end++) {
        if (end < len && p[end] != '/')
            continue;
        int i = xs_tree_visible(s, v, p, end);
        at = i >= 0 ? i : make_node(s, v, dom, p, end, at);
    }
    return at;
}

/* The slot view v may change for the visible node i: i itself in the main
 * tree or when the view's own; else its XS_MARK shadow becomes XS_DATA,
 * with a copy of the main value when keep is set. */
static int own(struct xs_store *s, unsigned int v, uint16_t dom, int i, int keep, int *out)
{
    const struct xs_node *m = &s->nodes[i];
    uint16_t copy = XS_CHUNK_NONE;
    int sh, rc = 0;

    *out = i;
    if (v == XS_VIEW_MAIN || m->kind == XS_DATA)
        return 0;
    sh = xs_tree_shadow(s, v, m->path, m->path_len);   /* the XS_MARK note() made */
    if (keep)
        rc = may_take_chunks(s, dom, xs_tree_chunks(m->value_len));
    if (keep && rc == 0)
        rc = xs_pool_dup(&s->pool, m->value, m->value_len, &copy);
    if (rc == 0) {
        s->nodes[sh].value = copy;
        s->nodes[sh].value_len = keep ? m->value_len : 0;
        s->nodes[sh].kind = XS_DATA;
        s->nodes[sh].perms = m->perms;
        *out = sh;
    }
    return rc;
}

/* After a change of slot i: a new generation in the main tree, a watch
 * event owed at the commit in a view. */
static void changed(struct xs_store *s, unsigned int v, int i, uint8_t fire)
{
    if (v == XS_VIEW_MAIN)
        xs_tree_touch(s, i);
    else if (s->nodes[i].fire != XS_FIRE_TREE)
        s->nodes[i].fire = fire;
}

/* p exists afterwards in view v, with dom allowed to write it; *idx is the
 * slot to change. */
static int get_or_create(struct xs_store *s, unsigned int v, uint16_t dom, const char *p,
                         size_t vlen, int *idx)
{
    int rc = lookup(s, v, dom, p, XS_PERM_WRITE, idx);

    if (rc == 0)
        rc = may_grow(s, v, dom, 0, vlen);
    if (rc == 0)
        return own(s, v, dom, *idx, 0, idx);
    if (rc != -XEN_ENOENT)
        return rc;
    if (strlen(p) >= XS_NODE_PATH_MAX)
        return -XEN_ENOSPC;
    rc = note_missing(s, v, dom, p);
    if (rc == 0)
        rc = may_grow(s, v, dom, missing(s, v, p), vlen);
    if (rc == 0)
        *idx = create(s, v, dom, p);
    return rc;
}

int xs_store_write(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                   const uint8_t *value, size_t len)
{
    int idx, rc = get_or_create(s, v, dom, path, len, &idx);

    if (rc == 0)
        rc = xs_tree_set_value(s, idx, value, len);   /* may_grow saw the room */
    if (rc == 0)
        changed(s, v, idx, XS_FIRE_NODE);
    return rc;
}

int xs_store_mkdir(struct xs_store *s, unsigned int v, uint16_t dom, const char *path)
{
    int idx, existed = xs_tree_visible(s, v, path, strlen(path)) >= 0;
    int rc = get_or_create(s, v, dom, path, 0, &idx);

    if (rc == 0 && !existed)
        changed(s, v, idx, XS_FIRE_NODE);
    return rc;
}

int xs_store_read(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                  uint8_t *out, size_t room)
{
    int idx, rc = lookup(s, v, dom, path, XS_PERM_READ, &idx);

    if (rc != 0)
        return rc;
    if (s->nodes[idx].value_len > room)
        return -XEN_E2BIG;
    xs_pool_load(&s->pool, s->nodes[idx].value, out, s->nodes[idx].value_len);
    return s->nodes[idx].value_len;
}

/* Main nodes below p (len bytes) that view v has no shadow of yet. */
static unsigned int unnoted_below(const struct xs_store *s, unsigned int v,
                                  const char *p, size_t len)
{
    unsigned int n = 0;

    for (int i = 0; i < xs_tree_top(s); i++) {
        const struct xs_node *x = &s->nodes[i];
        n += x->kind == XS_MAIN && xs_tree_in_subtree(x, p, len) &&
             xs_tree_shadow(s, v, x->path, x->path_len) < 0;
    }
    return n;
}

/* Removes p's subtree (len bytes, not the root) from the main tree. */
static void rm_main(struct xs_store *s, const char *p, size_t len)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (s->nodes[i].kind == XS_MAIN && xs_tree_in_subtree(&s->nodes[i], p, len))
            xs_tree_release(s, i);
    }
    xs_tree_touch_parent(s, p, len);
}

/* Removes p's subtree in view v: every node of it becomes an XS_GONE shadow
 * (invariant 4: the slots were counted first). */
static int rm_view(struct xs_store *s, unsigned int v, uint16_t dom, const char *p, size_t len)
{
    int rc = note(s, v, dom, p, xs_parent_len(p, len));

    if (rc == 0)
        rc = may_note(s, v, dom, unnoted_below(s, v, p, len));
    for (int i = 0; rc == 0 && i < xs_tree_top(s); i++) {
        const struct xs_node *x = &s->nodes[i];
        if (x->kind == XS_MAIN && xs_tree_in_subtree(x, p, len))
            note(s, v, dom, x->path, x->path_len);
    }
    for (int i = 0; rc == 0 && i < xs_tree_top(s); i++) {
        struct xs_node *x = &s->nodes[i];
        if (!xs_tree_is_shadow(x, v) || !xs_tree_in_subtree(x, p, len))
            continue;
        xs_pool_free(&s->pool, x->value);
        x->value = XS_CHUNK_NONE;
        x->value_len = 0;
        x->kind = XS_GONE;
        x->fire = x->path_len == len ? XS_FIRE_TREE : XS_FIRE_NONE;
    }
    return rc;
}

int xs_store_rm(struct xs_store *s, unsigned int v, uint16_t dom, const char *path)
{
    size_t len = strlen(path), plen = xs_parent_len(path, len);
    int idx, rc = lookup(s, v, dom, path, XS_PERM_WRITE, &idx);

    if (rc == -XEN_ENOENT)   /* already gone: fine if the parent exists */
        return xs_tree_visible(s, v, path, plen) >= 0 ? 0 : rc;
    if (rc != 0)
        return rc;
    if (len == 1)
        return -XEN_EINVAL;  /* never the root */
    if (v != XS_VIEW_MAIN)
        return rm_view(s, v, dom, path, len);
    rm_main(s, path, len);
    return 0;
}

/* Does view v see slot i as a child of dir (len bytes)? Its name if so. */
static const char *child_name(const struct xs_store *s, unsigned int v, int i,
                              const char *dir, size_t len)
{
    const struct xs_node *n = &s->nodes[i];
    int sh;

    if (n->kind != XS_MAIN && !(n->kind == XS_DATA && n->view == v))
        return NULL;
    if (n->path_len <= len || !xs_tree_in_subtree(n, dir, len) ||
        xs_parent_len(n->path, n->path_len) != len)
        return NULL;
    if (n->kind == XS_MAIN && v != XS_VIEW_MAIN) {
        sh = xs_tree_shadow(s, v, n->path, n->path_len);
        if (sh >= 0 && s->nodes[sh].kind != XS_MARK)
            return NULL;   /* the view's own or gone */
    }
    return n->path + (len == 1 ? 1 : len + 1);
}

int xs_store_directory(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                       char *out, size_t room)
{
    size_t len = strlen(path), used = 0;
    int idx, rc = lookup(s, v, dom, path, XS_PERM_READ, &idx);

    if (rc != 0)
        return rc;
    for (int i = 0; i < xs_tree_top(s); i++) {
        const char *name = child_name(s, v, i, path, len);
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

/* Appends the part of the list from byte off (the list is every child name
 * with its NUL, in slot order) that fits below max bytes, as xenstored:
 * whole strings from off; sets *end when the list ended. */
static size_t list_part(struct xs_store *s, unsigned int v, const char *path, uint32_t off,
                        char *out, size_t max, int *end)
{
    size_t len = strlen(path), pos = 0, used = 0;

    *end = 1;
    for (int i = 0; i < xs_tree_top(s); i++) {
        const char *name = child_name(s, v, i, path, len);
        if (name == NULL)
            continue;
        size_t n = strlen(name), skip = off > pos ? off - pos : 0;
        pos += n + 1;
        if (skip > n)
            continue;    /* wholly before off */
        if (used + n - skip >= max) {
            *end = 0;
            break;
        }
        memcpy(out + used, name + skip, n - skip + 1);
        used += n - skip + 1;
    }
    return used;
}

int xs_store_directory_part(struct xs_store *s, unsigned int v, uint16_t dom,
                            const char *path, uint32_t off, char *out, size_t room)
{
    int idx, end, rc = lookup(s, v, dom, path, XS_PERM_READ, &idx);
    size_t gl, used;

    if (rc != 0)
        return rc;
    gl = xs_u64_to_str(s->nodes[idx].gen, out) + 1;
    if (room < gl + 2)
        return -XEN_E2BIG;
    used = gl + list_part(s, v, path, off, out + gl, room - gl - 1, &end);
    if (end)
        out[used++] = '\0';   /* the empty string that ends the list */
    return (int)used;
}

int xs_store_get_perms(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                       char *out, size_t room)
{
    int idx, rc = lookup(s, v, dom, path, XS_PERM_READ, &idx);

    return rc != 0 ? rc : xs_perms_format(&s->nodes[idx].perms, out, room);
}

int xs_store_set_perms(struct xs_store *s, unsigned int v, uint16_t dom, const char *path,
                       const struct xs_perms *perms)
{
    int idx, rc = lookup(s, v, dom, path, XS_PERM_WRITE | XS_PERM_OWNER, &idx);

    if (rc == 0)
        rc = xs_perms_may_set(&s->nodes[idx].perms, dom, perms);
    if (rc == 0)
        rc = own(s, v, dom, idx, 1, &idx);
    if (rc != 0)
        return rc;
    s->nodes[idx].perms = *perms;
    changed(s, v, idx, XS_FIRE_NODE);
    return 0;
}

int xs_store_perms_of(const struct xs_store *s, unsigned int v, const char *path,
                      struct xs_perms *out)
{
    int idx = xs_store_find(s, v, path);

    if (idx < 0)
        return -XEN_ENOENT;
    *out = s->nodes[idx].perms;
    return 0;
}

int xs_store_find(const struct xs_store *s, unsigned int v, const char *path)
{
    return xs_tree_visible(s, v, path, strlen(path));
}
