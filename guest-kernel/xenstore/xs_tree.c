/*
 * Tern guest kernel, xenstore: node slots.
 *
 * Invariants:
 *   1. A path has at most one XS_MAIN slot, and at most one shadow per
 *      view.
 *   2. Only XS_MAIN and XS_DATA slots own a pool chain; any other slot has
 *      value XS_CHUNK_NONE and value_len 0.
 *   3. Generations only grow: every change of the main tree takes
 *      ++s->gen, so a shadow's remembered generation differs from the main
 *      node's as soon as anyone changed it (0 stands for "absent").
 *   4. Every slot at or above s->top is free: a scan of the store stops at
 *      top (slots are taken lowest first, so top stays near the count of
 *      slots in use, and a write costs what the store holds, not its size).
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_path.h"
#include "xenstore/xs_tree.h"

static int same_path(const struct xs_node *n, const char *p, size_t len)
{
    return n->path_len == len && memcmp(n->path, p, len) == 0;
}

int xs_tree_is_shadow(const struct xs_node *n, unsigned int v)
{
    return n->kind >= XS_MARK && n->view == v;
}

int xs_tree_main(const struct xs_store *s, const char *p, size_t len)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (s->nodes[i].kind == XS_MAIN && same_path(&s->nodes[i], p, len))
            return i;
    }
    return -1;
}

int xs_tree_shadow(const struct xs_store *s, unsigned int v, const char *p, size_t len)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (xs_tree_is_shadow(&s->nodes[i], v) && same_path(&s->nodes[i], p, len))
            return i;
    }
    return -1;
}

int xs_tree_visible(const struct xs_store *s, unsigned int v, const char *p, size_t len)
{
    int i = v == XS_VIEW_MAIN ? -1 : xs_tree_shadow(s, v, p, len);

    if (i < 0 || s->nodes[i].kind == XS_MARK)
        return xs_tree_main(s, p, len);
    return s->nodes[i].kind == XS_DATA ? i : -1;
}

int xs_tree_top(const struct xs_store *s)
{
    return (int)s->top;
}

int xs_tree_free_slot(const struct xs_store *s)
{
    for (int i = 0; i < xs_tree_top(s); i++) {
        if (s->nodes[i].kind == XS_FREE)
            return i;
    }
    return s->top < XS_NODES_MAX ? (int)s->top : -1;
}

unsigned int xs_tree_free_slots(const struct xs_store *s)
{
    unsigned int n = XS_NODES_MAX - s->top;

    for (int i = 0; i < xs_tree_top(s); i++)
        n += s->nodes[i].kind == XS_FREE;
    return n;
}

unsigned int xs_tree_shadows(const struct xs_store *s, unsigned int v)
{
    unsigned int n = 0;

    for (int i = 0; i < xs_tree_top(s); i++)
        n += (unsigned int)xs_tree_is_shadow(&s->nodes[i], v);
    return n;
}

unsigned int xs_tree_shadows_of(const struct xs_store *s, uint16_t dom)
{
    unsigned int n = 0;

    for (int i = 0; i < xs_tree_top(s); i++)
        n += s->nodes[i].kind >= XS_MARK && s->nodes[i].dom == dom;
    return n;
}

unsigned int xs_tree_chunks(size_t len)
{
    return (unsigned int)((len + XS_CHUNK - 1) / XS_CHUNK);
}

unsigned int xs_tree_chunks_of(const struct xs_store *s, uint16_t dom)
{
    unsigned int n = 0;

    for (int i = 0; i < xs_tree_top(s); i++) {
        const struct xs_node *x = &s->nodes[i];
        if ((x->kind == XS_MAIN && x->perms.p[0].domid == dom) ||
            (x->kind == XS_DATA && x->dom == dom))
            n += xs_tree_chunks(x->value_len);
    }
    return n;
}

void xs_tree_fill(struct xs_store *s, int i, uint8_t kind, const char *p, size_t len,
                  uint64_t gen)
{
    struct xs_node *n = &s->nodes[i];

    if ((unsigned int)i >= s->top)
        s->top = (unsigned int)i + 1;
    n->kind = kind;
    n->view = 0;
    n->dom = 0;
    n->fire = XS_FIRE_NONE;
    n->path_len = (uint16_t)len;
    memcpy(n->path, p, len);
    n->path[len] = '\0';
    n->value = XS_CHUNK_NONE;
    n->value_len = 0;
    n->gen = gen;
}

void xs_tree_release(struct xs_store *s, int i)
{
    xs_pool_free(&s->pool, s->nodes[i].value);
    s->nodes[i].value = XS_CHUNK_NONE;
    s->nodes[i].value_len = 0;
    s->nodes[i].kind = XS_FREE;
    while (s->top > 0 && s->nodes[s->top - 1].kind == XS_FREE)
        s->top--;
}

int xs_tree_set_value(struct xs_store *s, int i, const uint8_t *v, size_t len)
{
    uint16_t head;
    int rc = xs_pool_store(&s->pool, v, len, &head);

    if (rc != 0)
        return rc;
    xs_pool_free(&s->pool, s->nodes[i].value);
    s->nodes[i].value = head;
    s->nodes[i].value_len = (uint16_t)len;
    return 0;
}

int xs_tree_in_subtree(const struct xs_node *n, const char *p, size_t len)
{
    if (len == 1)
        return 1;    /* everything is below the root */
    return n->path_len >= len && memcmp(n->path, p, len) == 0 &&
           (n->path_len == len || n->path[len] == '/');
}

void xs_tree_touch(struct xs_store *s, int i)
{
    s->nodes[i].gen = ++s->gen;
}

void xs_tree_touch_parent(struct xs_store *s, const char *p, size_t len)
{
    int i = xs_tree_main(s, p, xs_parent_len(p, len));

    if (i >= 0)
        xs_tree_touch(s, i);
}
