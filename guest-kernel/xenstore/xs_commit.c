/*
 * Tern guest kernel, xenstore: the end of a transaction, as xenstored:
 *
 *   1. Conflict: a view remembers the main generation of every node it
 *      looked at (0: absent). If any differs now, someone else changed
 *      that node (or, for a parent, its children) and the commit is EAGAIN
 *      with nothing applied. As in xenstored, a node recreated after a
 *      removal has a new generation, so it conflicts too.
 *   2. Apply: XS_DATA shadows replace (or become) main nodes with a new
 *      generation, XS_GONE shadows remove theirs, and a parent whose
 *      children changed gets a new generation. Slots are reused in place,
 *      so a commit needs no free slot and no pool chunk.
 *   3. Watch events owed (XS_FIRE_*) fire only now, one per node changed by
 *      a request, none for parents made on the way.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_commit.h"
#include "xenstore/xs_tree.h"

int xs_commit_check(const struct xs_store *s, unsigned int v)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        const struct xs_node *n = &s->nodes[i];
        if (!xs_tree_is_shadow(n, v))
            continue;
        int m = xs_tree_main(s, n->path, n->path_len);
        if ((m >= 0 ? s->nodes[m].gen : 0) != n->gen)
            return -XEN_EAGAIN;
    }
    return 0;
}

int xs_commit_quota(const struct xs_store *s, unsigned int v, uint16_t dom)
{
    unsigned int made = 0;

    if (dom == 0)
        return 0;
    for (int i = 0; i < xs_tree_top(s); i++) {
        const struct xs_node *n = &s->nodes[i];
        made += xs_tree_is_shadow(n, v) && n->kind == XS_DATA &&
                xs_tree_main(s, n->path, n->path_len) < 0 && n->perms.p[0].domid == dom;
    }
    /* As xenstored, only a transaction that made nodes is checked. */
    return made > 0 && xs_store_owned(s, dom) + made > s->quota_nodes ? -XEN_ENOSPC : 0;
}

/* Rule 2 for an XS_DATA shadow i: it becomes the main node. */
static void apply_data(struct xs_store *s, int i, const struct xs_fire *f)
{
    struct xs_node *n = &s->nodes[i];
    int m = xs_tree_main(s, n->path, n->path_len);

    if (m >= 0)
        xs_tree_release(s, m);
    else
        xs_tree_touch_parent(s, n->path, n->path_len);
    n->kind = XS_MAIN;
    n->view = 0;
    xs_tree_touch(s, i);
    if (n->fire != XS_FIRE_NONE)
        f->fire(f->ctx, n->path, &n->perms, 0);
    n->fire = XS_FIRE_NONE;
}

/* Rule 2 for an XS_GONE shadow i: the main node (if any) goes. */
static void apply_gone(struct xs_store *s, int i, const struct xs_fire *f)
{
    struct xs_node *n = &s->nodes[i];
    int m = xs_tree_main(s, n->path, n->path_len);

    if (m >= 0) {
        if (n->fire == XS_FIRE_TREE)
            f->fire(f->ctx, n->path, &s->nodes[m].perms, 1);
        xs_tree_release(s, m);
        xs_tree_touch_parent(s, n->path, n->path_len);
    }
    xs_tree_release(s, i);
}

void xs_commit_apply(struct xs_store *s, unsigned int v, const struct xs_fire *f)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (!xs_tree_is_shadow(&s->nodes[i], v))
            continue;
        if (s->nodes[i].kind == XS_DATA)
            apply_data(s, i, f);
        else if (s->nodes[i].kind == XS_GONE)
            apply_gone(s, i, f);
        else
            xs_tree_release(s, i);
    }
}

void xs_commit_drop(struct xs_store *s, unsigned int v)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (xs_tree_is_shadow(&s->nodes[i], v))
            xs_tree_release(s, i);
    }
}
