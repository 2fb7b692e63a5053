/*
 * Tern guest kernel, domain 0's toolstack: device configuration in xl's
 * syntax (Xen's xl.cfg(5): `disk = [ ... ]`, `vif = [ ... ]`), several
 * domains in one text, each section starting at its `name = "..."` line:
 *
 *   name = "web"
 *   disk = [ 'phy:ide0,xvda,w', 'target=ide0, vdev=xvdb, access=ro' ]
 *   vif = [ 'mac=00:16:3e:00:01:00, bridge=xenbr0' ]
 *
 * Pure: text in, structures out, every refusal with the line and reason.
 * Lists stay on one line. Keys xl knows but Tern's toolstack does not use
 * (memory, vcpus, kernel, ...) are accepted and ignored; an unknown key is
 * refused, so that a typo is never silently dropped.
 */
#ifndef BACKEND_XL_CONFIG_H
#define BACKEND_XL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XL_NAME_LEN    32
#define XL_TARGET_LEN  64
#define XL_VDEV_LEN    16
#define XL_BRIDGE_LEN  16
#define XL_IP_LEN      16
#define XL_DISKS_MAX   4
#define XL_VIFS_MAX    4
#define XL_DOMAINS_MAX 8
#define XL_ERROR_LEN   96

struct xl_disk {
    char target[XL_TARGET_LEN];        /* what domain 0 serves it from */
    char vdev[XL_VDEV_LEN];            /* the guest's name: xvda, hdb, sdc1 */
    uint32_t devid;                    /* Xen's virtual-device number of vdev */
    bool readonly;
};

struct xl_vif {
    uint8_t mac[6];
    bool has_mac;                      /* else the toolstack chooses one */
    char bridge[XL_BRIDGE_LEN];        /* "xenbr0" unless given */
    char ip[XL_IP_LEN];                /* "" unless given (a.b.c.d) */
};

struct xl_domain {
    char name[XL_NAME_LEN];
    unsigned int nr_disks, nr_vifs;
    struct xl_disk disks[XL_DISKS_MAX];
    struct xl_vif vifs[XL_VIFS_MAX];
};

struct xl_config {
    unsigned int nr;
    struct xl_domain dom[XL_DOMAINS_MAX];
    char error[XL_ERROR_LEN];          /* "line N: why" after a refusal */
};

/* Parses text[0..len); 0, or -1 with c->error set (c is then partial). */
int xl_config_parse(struct xl_config *c, const char *text, size_t len);

/* One disk or vif specification (an element of the list, unquoted):
 * 0, or -1 with *why set. */
int xl_disk_parse(struct xl_disk *d, const char *spec, size_t len, const char **why);
int xl_vif_parse(struct xl_vif *v, const char *spec, size_t len, const char **why);

/* Xen's virtual-device number of xvdX[N] / hdX[N] / sdX[N]: 0 or -1. */
int xl_vdev_number(const char *vdev, uint32_t *devid);

/* The section of that name, or NULL. */
const struct xl_domain *xl_config_find(const struct xl_config *c, const char *name);

#endif /* BACKEND_XL_CONFIG_H */
