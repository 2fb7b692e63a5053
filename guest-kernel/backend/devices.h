/*
 * Tern guest kernel, domain 0's toolstack: a domain's virtual devices'
 * frontend and backend directories in xenstore (devices.c).
 */
#ifndef BACKEND_DEVICES_H
#define BACKEND_DEVICES_H

#include <public/xen.h>
#include "backend/xl_config.h"

/* 0 or -XEN_Exxx. */
int devices_add_disk(domid_t dom, const struct xl_disk *k);
int devices_add_vif(domid_t dom, unsigned int n, const struct xl_vif *v);
/* The backend directories of dom's devices (its frontends go with its
 * /local/domain/<dom>). */
void devices_remove(domid_t dom);

#endif /* BACKEND_DEVICES_H */
