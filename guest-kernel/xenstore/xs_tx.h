/*
 * Tern guest kernel, xenstore: open transactions, their ids and quota.
 * Each open transaction owns one view of the store (xs_store.h). Pure.
 */
#ifndef XS_TX_H
#define XS_TX_H

#include <stdint.h>
#include "xenstore/xs_commit.h"
#include "xenstore/xs_store.h"

#define XS_TX_MAX   XS_VIEWS_MAX   /* open transactions, all domains */
#define XS_QUOTA_TX 10             /* Xen's quota-max-transaction per unprivileged domain */

struct xs_tx {
    uint8_t used;
    uint16_t dom;      /* the domain (connection) that started it */
    uint32_t id;       /* what the domain names it by in tx_id; never 0 */
};

/* All zero is a valid empty table. */
struct xs_txs {
    struct xs_tx t[XS_TX_MAX];
    uint32_t last_id;  /* the last id handed out */
};

/* Opens a transaction for dom and sets *id. 0, or -XEN_ENOSPC: dom (not
 * domain 0) holds XS_QUOTA_TX already, or the table is full. */
int xs_tx_start(struct xs_txs *txs, uint16_t dom, uint32_t *id);

/* The view of dom's transaction id, or XS_VIEW_MAIN when dom has none of
 * that id (0 included). */
unsigned int xs_tx_view(const struct xs_txs *txs, uint16_t dom, uint32_t id);

/* Ends the transaction of view v (as xs_tx_view gave it): commit applies it
 * (0), or refuses it with -XEN_EAGAIN (a conflict) or -XEN_ENOSPC (the node
 * quota); without commit it is dropped (0). It is closed in every case. */
int xs_tx_end(struct xs_txs *txs, struct xs_store *s, unsigned int v, int commit,
              const struct xs_fire *f);

/* Drops every transaction of dom (release, reset, reintroduction). */
void xs_tx_end_all(struct xs_txs *txs, struct xs_store *s, uint16_t dom);

/* Transactions dom holds open. */
unsigned int xs_tx_count(const struct xs_txs *txs, uint16_t dom);

#endif /* XS_TX_H */
