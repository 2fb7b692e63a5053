/*
 * Tern guest kernel, domain 0's backends: the toolstack's part, what Xen's
 * xl/libxl writes into xenstore for each domain it starts and removes when
 * the domain ends, and its requests to a running domain (control/shutdown).
 */
#ifndef BACKEND_TOOLSTACK_H
#define BACKEND_TOOLSTACK_H

#include <stdint.h>
#include <public/domctl.h>

/* Domain 0's own nodes (/local/domain/0/{name,domid}); and what the
 * command line asks of the toolstack (shutdown=). */
void toolstack_init(void);

/* The standard tree of a domain that starts:
 * /local/domain/<id>/{name,domid,vm,memory/{target,static-max},control/...,
 * data,device,console/...} and /vm/<uuid>/{name,uuid}, with libxl's
 * permissions. 0 or -XEN_Exxx. */
int toolstack_introduce(domid_t dom, struct xen_domctl_tern_ring_pages *r,
                        const struct xen_domctl_getdomaininfo *info);

/* The domain's name in r, NUL-ended ("unnamed" if empty). */
const char *toolstack_name(struct xen_domctl_tern_ring_pages *r);

/* Prints the domain list as `xl list` does (xl_list.c). */
void toolstack_list(void);

/* A domain ended: its tree goes. */
void toolstack_release(domid_t dom);

/* Domain 0's watch events (xenstored's on_watch). */
void toolstack_on_watch(const char *path, const char *token);

#endif /* BACKEND_TOOLSTACK_H */
