/*
 * Tern guest kernel, xenstore: the transaction table, with xenstored's
 * rules:
 *
 *   1. Ids are never 0 (tx_id 0 means "no transaction") and never those of
 *      a transaction still open; a domain names only its own (another
 *      domain's id is ENOENT to it, as an unknown one).
 *   2. An unprivileged domain holds at most XS_QUOTA_TX open (ENOSPC).
 *   3. The end closes the transaction whatever the outcome, and frees its
 *      view; a refused commit (EAGAIN, ENOSPC) applied nothing.
 * Slot k of the table owns view k + 1 of the store.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_tx.h"

unsigned int xs_tx_count(const struct xs_txs *txs, uint16_t dom)
{
    unsigned int n = 0;

    for (unsigned int k = 0; k < XS_TX_MAX; k++)
        n += txs->t[k].used && txs->t[k].dom == dom;
    return n;
}

static int id_in_use(const struct xs_txs *txs, uint32_t id)
{
    for (unsigned int k = 0; k < XS_TX_MAX; k++) {
        if (txs->t[k].used && txs->t[k].id == id)
            return 1;
    }
    return 0;
}

/* Rule 1: the next id after last_id that is free. */
static uint32_t next_id(struct xs_txs *txs)
{
    do {
        txs->last_id++;
    } while (txs->last_id == 0 || id_in_use(txs, txs->last_id));
    return txs->last_id;
}

int xs_tx_start(struct xs_txs *txs, uint16_t dom, uint32_t *id)
{
    if (dom != 0 && xs_tx_count(txs, dom) >= XS_QUOTA_TX)
        return -XEN_ENOSPC;
    for (unsigned int k = 0; k < XS_TX_MAX; k++) {
        if (txs->t[k].used)
            continue;
        txs->t[k].used = 1;
        txs->t[k].dom = dom;
        txs->t[k].id = *id = next_id(txs);
        return 0;
    }
    return -XEN_ENOSPC;
}

unsigned int xs_tx_view(const struct xs_txs *txs, uint16_t dom, uint32_t id)
{
    for (unsigned int k = 0; id != 0 && k < XS_TX_MAX; k++) {
        if (txs->t[k].used && txs->t[k].dom == dom && txs->t[k].id == id)
            return k + 1;
    }
    return XS_VIEW_MAIN;
}

int xs_tx_end(struct xs_txs *txs, struct xs_store *s, unsigned int v, int commit,
              const struct xs_fire *f)
{
    struct xs_tx *t = &txs->t[v - 1];
    int rc = 0;

    if (commit)
        rc = xs_commit_check(s, v);
    if (commit && rc == 0)
        rc = xs_commit_quota(s, v, t->dom);
    if (commit && rc == 0)
        xs_commit_apply(s, v, f);
    else
        xs_commit_drop(s, v);
    t->used = 0;
    return rc;
}

void xs_tx_end_all(struct xs_txs *txs, struct xs_store *s, uint16_t dom)
{
    for (unsigned int k = 0; k < XS_TX_MAX; k++) {
        if (txs->t[k].used && txs->t[k].dom == dom)
            xs_tx_end(txs, s, k + 1, 0, NULL);
    }
}
