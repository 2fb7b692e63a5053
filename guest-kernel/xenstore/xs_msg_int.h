/*
 * Tern guest kernel, xenstore: what the two halves of the message layer
 * share (xs_msg.c: framing, dispatch and the node requests; xs_msg_admin.c:
 * transactions, domains and CONTROL). Not for the ring glue.
 */
#ifndef XS_MSG_INT_H
#define XS_MSG_INT_H

#include "xenstore/xs_msg.h"

/* One request, decoded: who asks, in which view of the store, with what. */
struct xs_req {
    struct xs_server *srv;
    uint16_t caller;
    unsigned int view;      /* XS_VIEW_MAIN, or the view of tx_id */
    uint32_t tx_id;
    const char *arg;        /* the payload, len bytes, untrusted */
    uint32_t len;
};

/* A handler returns the reply body's length, or -XEN_Exxx. */
typedef int (*xs_handler)(const struct xs_req *r, struct xs_reply *rep);

/* The body "OK" with its NUL; returns its length. */
int xs_msg_ok(struct xs_reply *rep);

/* The payload is exactly one string: a NUL as the last byte and no other.
 * 0, or -XEN_EINVAL. */
int xs_msg_one_string(const char *arg, uint32_t len);

/* Splits the payload into its NUL-ended strings (bytes after the last NUL
 * are not one), up to max of them into vec; returns how many there are. */
unsigned int xs_msg_strings(const char *arg, uint32_t len, const char **vec,
                            unsigned int max);

/* A domid in decimal: 0, or -XEN_EINVAL. */
int xs_msg_domid(const char *s, uint16_t *dom);

/* Watch events of a commit (struct xs_fire for xs_tx_end). */
void xs_msg_fire(void *srv, const char *path, const struct xs_perms *perms, int subtree);

int xs_do_transaction_start(const struct xs_req *r, struct xs_reply *rep);
int xs_do_transaction_end(const struct xs_req *r, struct xs_reply *rep);
int xs_do_introduce(const struct xs_req *r, struct xs_reply *rep);
int xs_do_release(const struct xs_req *r, struct xs_reply *rep);
int xs_do_is_domain_introduced(const struct xs_req *r, struct xs_reply *rep);
int xs_do_resume(const struct xs_req *r, struct xs_reply *rep);
int xs_do_set_target(const struct xs_req *r, struct xs_reply *rep);
int xs_do_reset_watches(const struct xs_req *r, struct xs_reply *rep);
int xs_do_control(const struct xs_req *r, struct xs_reply *rep);

#endif /* XS_MSG_INT_H */
