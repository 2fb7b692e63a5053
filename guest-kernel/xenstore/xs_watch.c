/*
 * Tern guest kernel, xenstore: watches, with xenstored's rules.
 *
 *   1. A watch is (domain, path, token); the same three twice is EEXIST.
 *      The path is canonicalised like any other (xs_path.c), except the
 *      special names "@introduceDomain" and "@releaseDomain", kept as they
 *      are (no other '@' name is a watch: EINVAL).
 *   2. A new watch fires once at once, with its own path, after the reply
 *      (done by xs_msg_finish).
 *   3. A change of node N fires each watch on N or on an ancestor of N, and
 *      for a removal each watch below N too; the event names N, relative to
 *      the watcher's home when the watch was set relative. A watcher that
 *      may not read N gets no event.
 *   4. An unprivileged domain holds at most quota watches (E2BIG beyond, as
 *      Xen); the table's own limit is ENOSPC for everyone.
 *   5. Every slot at or above ws->top is unused: scans stop there (slots
 *      are taken lowest first), so firing costs the watches held, not the
 *      table's size.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_path.h"
#include "xenstore/xs_watch.h"

void xs_watch_init(struct xs_watches *ws)
{
    memset(ws, 0, sizeof(*ws));
    ws->quota = XS_QUOTA_WATCHES;
}

static int is_special(const char *p)
{
    return strcmp(p, "@introduceDomain") == 0 || strcmp(p, "@releaseDomain") == 0;
}

/* Rule 1: the stored form of path into out[XS_PATH_BUF]; *strip is what
 * events drop again for a relative watch. */
static int watch_path(uint16_t dom, const char *path, char *out, uint16_t *strip)
{
    size_t given = strlen(path);
    int rc;

    *strip = 0;
    if (path[0] == '@') {
        if (!is_special(path))
            return -XEN_EINVAL;
        memcpy(out, path, given + 1);
        return 0;
    }
    rc = xs_path_canon(dom, path, out);
    if (rc == 0 && path[0] != '/')
        *strip = (uint16_t)(strlen(out) - given);
    return rc;
}

static int find(const struct xs_watches *ws, uint16_t dom, const char *path,
                const char *token)
{
    for (int i = 0; i < (int)ws->top; i++) {
        const struct xs_watch *w = &ws->w[i];
        if (w->used && w->dom == dom && strcmp(w->path, path) == 0 &&
            strcmp(w->token, token) == 0)
            return i;
    }
    return -1;
}

static unsigned int count(const struct xs_watches *ws, uint16_t dom)
{
    unsigned int n = 0;

    for (int i = 0; i < (int)ws->top; i++)
        n += ws->w[i].used && ws->w[i].dom == dom;
    return n;
}

/* Slot i is free again; top comes down past the unused slots below it. */
static void release(struct xs_watches *ws, int i)
{
    ws->w[i].used = 0;
    while (ws->top > 0 && !ws->w[ws->top - 1].used)
        ws->top--;
}

static int free_slot(const struct xs_watches *ws)
{
    for (int i = 0; i < (int)ws->top; i++) {
        if (!ws->w[i].used)
            return i;
    }
    return ws->top < XS_WATCHES_MAX ? (int)ws->top : -1;
}

/* Checks rules 1 and 4 for a new watch; the slot to use, or -XEN_Exxx. */
static int admit(const struct xs_watches *ws, uint16_t dom, const char *canon,
                 const char *token)
{
    if (strlen(canon) >= XS_NODE_PATH_MAX || strlen(token) >= XS_WATCH_TOKEN_MAX)
        return -XEN_ENOSPC;
    if (find(ws, dom, canon, token) >= 0)
        return -XEN_EEXIST;
    if (dom != 0 && count(ws, dom) >= ws->quota)
        return -XEN_E2BIG;
    int i = free_slot(ws);
    return i < 0 ? -XEN_ENOSPC : i;
}

int xs_watch_add(struct xs_watches *ws, uint16_t dom, const char *path,
                 const char *token)
{
    char canon[XS_PATH_BUF];
    uint16_t strip;
    int i = watch_path(dom, path, canon, &strip);

    if (i == 0)
        i = admit(ws, dom, canon, token);
    if (i < 0)
        return i;
    struct xs_watch *w = &ws->w[i];
    if ((uint32_t)i >= ws->top)
        ws->top = (uint32_t)i + 1;
    w->used = 1;
    w->dom = dom;
    w->strip = strip;
    memcpy(w->path, canon, strlen(canon) + 1);
    memcpy(w->token, token, strlen(token) + 1);
    return 0;
}

int xs_watch_remove(struct xs_watches *ws, uint16_t dom, const char *path,
                    const char *token)
{
    char canon[XS_PATH_BUF];
    uint16_t strip;
    int i = watch_path(dom, path, canon, &strip);

    if (i != 0)
        return i;
    i = find(ws, dom, canon, token);
    if (i < 0)
        return -XEN_ENOENT;
    release(ws, i);
    return 0;
}

void xs_watch_remove_all(struct xs_watches *ws, uint16_t dom)
{
    for (int i = (int)ws->top - 1; i >= 0; i--) {
        if (ws->w[i].used && ws->w[i].dom == dom)
            release(ws, i);
    }
}

/* Is a the path b or an ancestor of it? */
static int at_or_above(const char *a, const char *b)
{
    size_t n = strlen(a);

    if (strncmp(a, b, n) != 0)
        return 0;
    return b[n] == '\0' || b[n] == '/' || (n == 1 && a[0] == '/');
}

void xs_watch_fire(const struct xs_watches *ws, const char *path,
                   const struct xs_perms *perms, int subtree,
                   const struct xs_events *ev)
{
    for (int i = 0; i < (int)ws->top; i++) {
        const struct xs_watch *w = &ws->w[i];
        if (!w->used || !(at_or_above(w->path, path) ||
                          (subtree && at_or_above(path, w->path))))
            continue;
        if (!(xs_perms_for(perms, w->dom) & XS_PERM_READ))
            continue;
        /* Rule 3: a relative watch hears relative names inside its home. */
        int inside = w->strip && strncmp(path, w->path, w->strip) == 0;
        ev->emit(ev->ctx, w->dom, inside ? path + w->strip : path, w->token);
    }
}
