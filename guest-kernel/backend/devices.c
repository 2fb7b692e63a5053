/*
 * Tern guest kernel, domain 0's toolstack: a domain's virtual devices in
 * xenstore, as libxl writes them (libxl__device_generic_add and the disk
 * and nic adders): for each device a frontend directory
 * /local/domain/<dom>/device/<type>/<id> owned by the domain and readable
 * by its backend, and a backend directory
 * /local/domain/0/backend/<type>/<dom>/<id> owned by domain 0 and readable
 * by the domain, both in state 1 (XenbusStateInitialising), each naming
 * the other. The backend driver (blkback, netback) takes it from there.
 * Where they come from: the domain's section of the configuration module
 * (xl_config.c), plus disk.<name>= and vif.<name>= on domain 0's command
 * line (one each).
 */
#include <public/errno.h>
#include "backend/devices.h"
#include "backend/xenstored.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define PATH_LEN   96
#define VALUE_LEN  64

struct dev {
    domid_t dom;
    char fe[PATH_LEN], be[PATH_LEN];
};

static void dev_init(struct dev *d, const char *type, domid_t dom, uint32_t id)
{
    d->dom = dom;
    snprintf(d->fe, sizeof(d->fe), "/local/domain/%u/device/%s/%u", dom, type, id);
    snprintf(d->be, sizeof(d->be), "/local/domain/0/backend/%s/%u/%u", type, dom, id);
}

/* A frontend node (the domain's, its backend may read). */
static int fe(const struct dev *d, const char *key, const char *value)
{
    char path[PATH_LEN + 32];

    snprintf(path, sizeof(path), "%s%s%s", d->fe, *key ? "/" : "", key);
    return xsd_put(path, value, d->dom, 0);
}

/* A backend node (domain 0's, the domain may read). */
static int be(const struct dev *d, const char *key, const char *value)
{
    char path[PATH_LEN + 32];

    snprintf(path, sizeof(path), "%s%s%s", d->be, *key ? "/" : "", key);
    return xsd_put(path, value, 0, d->dom);
}

static int linked(const struct dev *d)
{
    char dom[8];

    snprintf(dom, sizeof(dom), "%u", d->dom);
    return fe(d, "", NULL) ?: fe(d, "backend", d->be) ?: fe(d, "backend-id", "0") ?:
           fe(d, "state", "1") ?: be(d, "", NULL) ?: be(d, "frontend", d->fe) ?:
           be(d, "frontend-id", dom) ?: be(d, "online", "1") ?: be(d, "state", "1");
}

int devices_add_disk(domid_t dom, const struct xl_disk *k)
{
    struct dev d;
    char id[12];

    dev_init(&d, "vbd", dom, k->devid);
    snprintf(id, sizeof(id), "%u", k->devid);
    return linked(&d) ?: fe(&d, "virtual-device", id) ?: fe(&d, "device-type", "disk") ?:
           be(&d, "dev", k->vdev) ?: be(&d, "type", "phy") ?: be(&d, "params", k->target) ?:
           be(&d, "mode", k->readonly ? "r" : "w") ?: be(&d, "device-type", "disk") ?:
           be(&d, "removable", "0") ?: be(&d, "bootable", "1") ?:
           be(&d, "discard-enable", "0");
}

static void mac_text(char *out, size_t room, const struct xl_vif *v, domid_t dom,
                     unsigned int n)
{
    uint8_t own[6] = { 0x00, 0x16, 0x3e, (uint8_t)(dom >> 8), (uint8_t)dom, (uint8_t)n };
    const uint8_t *m = v->has_mac ? v->mac : own;     /* Xen's OUI, then dom, n */

    snprintf(out, room, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
             m[5]);
}

int devices_add_vif(domid_t dom, unsigned int n, const struct xl_vif *v)
{
    struct dev d;
    char handle[12], mac[20];
    int rc;

    dev_init(&d, "vif", dom, n);
    snprintf(handle, sizeof(handle), "%u", n);
    mac_text(mac, sizeof(mac), v, dom, n);
    rc = linked(&d) ?: fe(&d, "handle", handle) ?: fe(&d, "mac", mac) ?:
         be(&d, "handle", handle) ?: be(&d, "mac", mac) ?: be(&d, "bridge", v->bridge) ?:
         be(&d, "type", "vif") ?: be(&d, "script", "");
    return rc || !v->ip[0] ? rc : be(&d, "ip", v->ip);
}

void devices_remove(domid_t dom)
{
    char path[PATH_LEN];

    snprintf(path, sizeof(path), "/local/domain/0/backend/vbd/%u", dom);
    xsd_rm(path);
    snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u", dom);
    xsd_rm(path);
}
