/*
 * Tern guest kernel, xenstore: the domains xenstored serves (introduced),
 * and the special nodes "@introduceDomain" and "@releaseDomain" whose
 * watches hear of them. Pure. In Tern domain 0 is both the toolstack and
 * xenstored, so the ring glue calls these directly as well as through
 * INTRODUCE and RELEASE messages.
 */
#ifndef XS_DOMAIN_H
#define XS_DOMAIN_H

#include <stdint.h>
#include "xenstore/xs_perms.h"

#define XS_GUESTS_MAX           8        /* unprivileged domains served at once */
#define XS_DOMAINS_MAX          XS_GUESTS_MAX  /* introduced domains at a time: the store
                                                  holds the quotas of this many */
#define XS_DOMID_FIRST_RESERVED 0x7ff0u  /* DOMID_FIRST_RESERVED: no domain */
#define XS_DOMID_SELF           0x7ff0u  /* DOMID_SELF */
#define XS_DOMID_NONE           0xffffu  /* no target */

struct xs_domain {
    uint8_t used;
    uint16_t domid;
    uint32_t port;     /* the event channel of its xenstore ring */
    uint64_t gfn;      /* the frame of its xenstore ring page */
};

/* All zero is a valid empty table (the special nodes then "n0"). */
struct xs_domains {
    struct xs_domain d[XS_DOMAINS_MAX];
    struct xs_perms introduce_perms;   /* of "@introduceDomain" */
    struct xs_perms release_perms;     /* of "@releaseDomain" */
};

struct xs_server;

/* No domain introduced; the special nodes owned by domain 0, "n0". */
void xs_domains_init(struct xs_domains *ds);

/* Introduces dom, whose ring is at gfn with event channel port. A new
 * domain fires "@introduceDomain". One already introduced gets the new gfn
 * and port and loses its watches and transactions, with no event (as
 * xenstored, which takes INTRODUCE again to reconnect a ring). 0, or
 * -XEN_EINVAL (domain 0, a reserved domid, port 0), -XEN_ENOSPC (table
 * full). */
int xs_domain_introduce(struct xs_server *srv, uint16_t dom, uint64_t gfn, uint32_t port);

/* Releases dom: its watches and transactions go, the nodes it owns go
 * (with their watch events, as xenstored removes a dead domain's nodes),
 * then "@releaseDomain" fires. 0, -XEN_EINVAL (domain 0), -XEN_ENOENT (not
 * introduced). */
int xs_domain_release(struct xs_server *srv, uint16_t dom);

/* RESUME: 0 for an introduced domain, -XEN_EINVAL (0), -XEN_ENOENT. */
int xs_domain_resume(const struct xs_server *srv, uint16_t dom);

/* SET_TARGET: dom acts with target's rights on target's nodes (the store
 * keeps that: xs_store_set_target). Both must be introduced: 0 or
 * -XEN_ENOENT. */
int xs_domain_set_target(struct xs_server *srv, uint16_t dom, uint16_t target);

/* 1 if dom is introduced (domain 0 and DOMID_SELF always are), else 0. */
int xs_domain_is_introduced(const struct xs_server *srv, uint16_t dom);

/* The ring of an introduced dom: 0 with *gfn and *port, or -XEN_ENOENT. */
int xs_domain_ring(const struct xs_server *srv, uint16_t dom, uint64_t *gfn,
                   uint32_t *port);

/* Writes up to max introduced domids to out; returns how many there are. */
unsigned int xs_domain_list(const struct xs_server *srv, uint16_t *out, unsigned int max);

/* RESET_WATCHES: dom's watches and transactions go. */
void xs_domain_reset(struct xs_server *srv, uint16_t dom);

/* The permissions of special node name, or NULL for any other name. */
struct xs_perms *xs_domain_special(struct xs_server *srv, const char *name);

#endif /* XS_DOMAIN_H */
