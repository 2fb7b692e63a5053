/*
 * Tern guest kernel, xenstore: introduced domains, as xenstored keeps them.
 *
 *   1. Domain 0 is xenstored's own and always introduced: it cannot be
 *      introduced, released or resumed (EINVAL), unlike in xenstored where
 *      the master domain's INTRODUCE resets its own connection.
 *   2. A domid appears at most once in the table.
 *   3. "@introduceDomain" fires when a new domain is introduced,
 *      "@releaseDomain" after one is released; each reaches only watchers
 *      that may read the special node (its permissions here, "n0" at
 *      first: domain 0 alone, until domain 0 grants others with SET_PERMS).
 *   4. A released domain leaves nothing behind: no watch, no transaction,
 *      no target, no node it owns.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_msg.h"
#include "xenstore/xs_tree.h"

static const char introduce_name[] = "@introduceDomain";
static const char release_name[] = "@releaseDomain";

void xs_domains_init(struct xs_domains *ds)
{
    memset(ds, 0, sizeof(*ds));
    ds->introduce_perms.n = 1;   /* owner 0, others none */
    ds->release_perms.n = 1;
}

static struct xs_domain *find(const struct xs_server *srv, uint16_t dom)
{
    for (int i = 0; i < XS_DOMAINS_MAX; i++) {
        const struct xs_domain *d = &srv->domains.d[i];
        if (d->used && d->domid == dom)
            return (struct xs_domain *)d;
    }
    return NULL;
}

static struct xs_domain *free_entry(struct xs_server *srv)
{
    for (int i = 0; i < XS_DOMAINS_MAX; i++) {
        if (!srv->domains.d[i].used)
            return &srv->domains.d[i];
    }
    return NULL;
}

/* Rule 3. */
static void fire_special(struct xs_server *srv, const char *name)
{
    xs_watch_fire(&srv->watches, name, xs_domain_special(srv, name), 0, &srv->events);
}

void xs_domain_reset(struct xs_server *srv, uint16_t dom)
{
    xs_watch_remove_all(&srv->watches, dom);
    xs_tx_end_all(&srv->txs, &srv->store, dom);
}

int xs_domain_introduce(struct xs_server *srv, uint16_t dom, uint64_t gfn, uint32_t port)
{
    struct xs_domain *d = find(srv, dom);
    int fresh = d == NULL;

    if (dom == 0 || dom >= XS_DOMID_FIRST_RESERVED || port == 0)
        return -XEN_EINVAL;
    if (fresh)
        d = free_entry(srv);
    if (d == NULL)
        return -XEN_ENOSPC;
    if (!fresh)
        xs_domain_reset(srv, dom);
    d->used = 1;
    d->domid = dom;
    d->gfn = gfn;
    d->port = port;
    if (fresh)
        fire_special(srv, introduce_name);
    return 0;
}

/* The main node owned by dom with the shortest path (the top of what it
 * owns), or -1. */
static int top_owned(const struct xs_store *s, uint16_t dom)
{
    int best = -1;

    for (int i = 1; i < xs_tree_top(s); i++) {
        const struct xs_node *n = &s->nodes[i];
        if (n->kind == XS_MAIN && n->perms.p[0].domid == dom &&
            (best < 0 || n->path_len < s->nodes[best].path_len))
            best = i;
    }
    return best;
}

/* Rule 4: removes every subtree whose top dom owns, firing as RM does. */
static void remove_owned(struct xs_server *srv, uint16_t dom)
{
    char path[XS_NODE_PATH_MAX];
    struct xs_perms perms;

    for (int i = top_owned(&srv->store, dom); i >= 0; i = top_owned(&srv->store, dom)) {
        memcpy(path, srv->store.nodes[i].path, srv->store.nodes[i].path_len + 1u);
        perms = srv->store.nodes[i].perms;
        xs_store_rm(&srv->store, XS_VIEW_MAIN, 0, path);
        xs_watch_fire(&srv->watches, path, &perms, 1, &srv->events);
    }
}

int xs_domain_release(struct xs_server *srv, uint16_t dom)
{
    struct xs_domain *d = find(srv, dom);

    if (dom == 0)
        return -XEN_EINVAL;
    if (d == NULL)
        return -XEN_ENOENT;
    xs_domain_reset(srv, dom);   /* first: its own watches hear nothing */
    xs_store_forget_targets(&srv->store, dom);
    remove_owned(srv, dom);
    d->used = 0;
    fire_special(srv, release_name);
    return 0;
}

int xs_domain_resume(const struct xs_server *srv, uint16_t dom)
{
    if (dom == 0)
        return -XEN_EINVAL;
    return find(srv, dom) != NULL ? 0 : -XEN_ENOENT;
}

int xs_domain_set_target(struct xs_server *srv, uint16_t dom, uint16_t target)
{
    if (!xs_domain_is_introduced(srv, dom) || !xs_domain_is_introduced(srv, target))
        return -XEN_ENOENT;
    return xs_store_set_target(&srv->store, dom, target);
}

int xs_domain_is_introduced(const struct xs_server *srv, uint16_t dom)
{
    return dom == 0 || dom == XS_DOMID_SELF || find(srv, dom) != NULL;
}

int xs_domain_ring(const struct xs_server *srv, uint16_t dom, uint64_t *gfn,
                   uint32_t *port)
{
    const struct xs_domain *d = find(srv, dom);

    if (d == NULL)
        return -XEN_ENOENT;
    *gfn = d->gfn;
    *port = d->port;
    return 0;
}

unsigned int xs_domain_list(const struct xs_server *srv, uint16_t *out, unsigned int max)
{
    unsigned int n = 0;

    for (int i = 0; i < XS_DOMAINS_MAX; i++) {
        if (!srv->domains.d[i].used)
            continue;
        if (n < max)
            out[n] = srv->domains.d[i].domid;
        n++;
    }
    return n;
}

struct xs_perms *xs_domain_special(struct xs_server *srv, const char *name)
{
    if (strcmp(name, introduce_name) == 0)
        return &srv->domains.introduce_perms;
    if (strcmp(name, release_name) == 0)
        return &srv->domains.release_perms;
    return NULL;
}
