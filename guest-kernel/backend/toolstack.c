/*
 * Tern guest kernel, domain 0's backends: the toolstack's xenstore writes
 * (see toolstack.h), with the permissions libxl gives (Xen's
 * tools/libs/light/libxl_create.c, libxl__domain_make): the domain's
 * directory is owned by domain 0 and readable by the domain; the nodes the
 * guest itself writes (control/shutdown, control/feature-*, data, ...)
 * are owned by the domain; its console frontend directory is owned by the
 * domain and readable by its backend (domain 0). Nothing else may read or
 * write another domain's nodes.
 *
 * Its initrd is the disk image of the `module` block target instead when
 * its command line has the word disk-image (backend/blk_store.c).
 *
 * Devices (devices.c): the domain's section of the configuration module
 * (our initrd, in xl syntax), and disk.<name>=<spec> and vif.<name>=<spec>
 * on our command line.
 *
 * Requests to running domains (shutdown=, reboot=): shutdown_req.c.
 */
#include <public/errno.h>
#include "backend/blk_store.h"
#include "backend/blkback.h"
#include "backend/devices.h"
#include "backend/netback.h"
#include "backend/shutdown_req.h"
#include "backend/toolstack.h"
#include "backend/xl_config.h"
#include "backend/xenstored.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define PATH_LEN   96
#define VALUE_LEN  48
#define OPTION_LEN 64

static struct xl_config config;          /* the configuration module's */

static void dom_path(char *out, domid_t dom, const char *rel)
{
    snprintf(out, PATH_LEN, "/local/domain/%u%s%s", dom, *rel ? "/" : "", rel);
}

static void vm_path(char *out, domid_t dom, const char *rel)
{
    snprintf(out, PATH_LEN, "/vm/00000000-0000-0000-0000-%012x%s%s", dom, *rel ? "/" : "",
             rel);
}

static int put(const char *path, const char *value, domid_t owner, domid_t reader)
{
    return xsd_put(path, value, owner, reader);
}

static int put_dom(domid_t dom, const char *rel, const char *value, domid_t owner,
                   domid_t reader)
{
    char path[PATH_LEN];

    dom_path(path, dom, rel);
    return put(path, value, owner, reader);
}

static int put_num(domid_t dom, const char *rel, uint64_t v, domid_t owner)
{
    char value[VALUE_LEN];

    snprintf(value, sizeof(value), "%lu", v);
    return put_dom(dom, rel, value, owner, dom);
}

/* The nodes and directories the guest writes itself (libxl's rwperm). */
static const char *const guest_nodes[] = {
    "control/shutdown", "control/feature-poweroff", "control/feature-reboot",
    "control/feature-suspend", "control/sysrq",
};
static const char *const guest_dirs[] = { "data", "drivers", "feature", "attr", "error" };

static int control_nodes(domid_t dom)
{
    int rc = put_dom(dom, "control", NULL, 0, dom);

    for (size_t i = 0; !rc && i < sizeof(guest_nodes) / sizeof(guest_nodes[0]); i++)
        rc = put_dom(dom, guest_nodes[i], "", dom, dom);
    for (size_t i = 0; !rc && i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++)
        rc = put_dom(dom, guest_dirs[i], NULL, dom, dom);
    return rc;
}

static int console_nodes(domid_t dom, const struct xen_domctl_tern_ring_pages *r)
{
    int rc = put_dom(dom, "console", NULL, dom, r->backend);

    rc = rc ?: put_num(dom, "console/ring-ref", r->console_mfn, dom);
    rc = rc ?: put_num(dom, "console/port", r->console_evtchn, dom);
    rc = rc ?: put_dom(dom, "console/type", "xenconsoled", dom, r->backend);
    return rc ?: put_dom(dom, "console/output", "pty", dom, r->backend);
}

static int vm_nodes(domid_t dom, const char *name)
{
    char path[PATH_LEN], value[PATH_LEN];

    vm_path(path, dom, "");
    vm_path(value, dom, "name");
    return put(path, NULL, 0, dom) ?: put(value, name, 0, dom) ?:
           put_dom(dom, "vm", path, 0, dom);
}

const char *toolstack_name(struct xen_domctl_tern_ring_pages *r)
{
    r->name[sizeof(r->name) - 1] = 0;            /* whatever the hypervisor wrote */
    return r->name[0] ? r->name : "unnamed";
}

/* disk.<name>= or vif.<name>= on our command line: 1 when given and
 * valid (then in *d or *v), 0 when absent, -1 when refused (said). */
static int cmdline_device(const char *kind, const char *name, struct xl_disk *d,
                          struct xl_vif *v)
{
    char key[48], buf[128];
    const char *spec, *why = NULL;
    int rc;

    snprintf(key, sizeof(key), "%s.%s", kind, name);
    spec = cmdline_option(key, buf, sizeof(buf));
    if (!spec)
        return 0;
    rc = d ? xl_disk_parse(d, spec, strlen(spec), &why)
           : xl_vif_parse(v, spec, strlen(spec), &why);
    if (rc)
        printk("toolstack: %s=%s: %s; ignored\n", key, spec, why);
    return rc ? -1 : 1;
}

/* The domain's devices: its configuration section, then the command line. */
static int configure_devices(domid_t dom, const char *name)
{
    const struct xl_domain *c = xl_config_find(&config, name);
    struct xl_disk disk;
    struct xl_vif vif;
    unsigned int vifs = c ? c->nr_vifs : 0;
    int rc = 0;

    for (unsigned int i = 0; c && !rc && i < c->nr_disks; i++)
        rc = devices_add_disk(dom, &c->disks[i]);
    for (unsigned int i = 0; !rc && i < vifs; i++)
        rc = devices_add_vif(dom, i, &c->vifs[i]);
    if (!rc && cmdline_device("disk", name, &disk, NULL) == 1)
        rc = devices_add_disk(dom, &disk);
    if (!rc && cmdline_device("vif", name, NULL, &vif) == 1)
        rc = devices_add_vif(dom, vifs, &vif);
    return rc;
}

/* libxl's cpu/<n>/availability for each vCPU (one here): Linux's
 * cpu_hotplug reads it at boot and watches it. */
static int cpu_nodes(domid_t dom)
{
    return put_dom(dom, "cpu/0/availability", "online", 0, dom);
}

int toolstack_introduce(domid_t dom, struct xen_domctl_tern_ring_pages *r,
                        const struct xen_domctl_getdomaininfo *info)
{
    const char *name = toolstack_name(r);
    int rc;

    put_dom(dom, "", NULL, 0, dom);
    rc = put_dom(dom, "name", name, 0, dom) ?: put_num(dom, "domid", dom, 0) ?:
         vm_nodes(dom, name) ?: put_num(dom, "memory/target", info->tot_pages * 4, 0) ?:
         put_num(dom, "memory/static-max", info->max_pages * 4, 0) ?:
         cpu_nodes(dom) ?: control_nodes(dom) ?: put_dom(dom, "device", NULL, 0, dom) ?:
         put_num(dom, "store/port", r->store_evtchn, 0) ?:
         put_num(dom, "store/ring-ref", r->store_mfn, 0) ?: console_nodes(dom, r);
    rc = rc ?: configure_devices(dom, name);
    if (rc)
        printk("toolstack: domain %u: its xenstore tree is incomplete: %d\n", dom, rc);
    return rc;
}

void toolstack_release(domid_t dom)
{
    char path[PATH_LEN];

    dom_path(path, dom, "");
    xsd_rm(path);
    vm_path(path, dom, "");
    xsd_rm(path);
    devices_remove(dom);
}

void toolstack_on_watch(const char *path, const char *token)
{
    if (blkback_on_watch(path, token) || netback_on_watch(path, token))
        return;
    shutdown_requests_on_watch(path, token);
}

/* Our initrd, if any, is the configuration module (xl syntax); a
 * configuration with any error is refused whole, never half-applied. */
static void read_config(void)
{
    const char *text = (const char *)(uintptr_t)start_info.mod_start;

    if (!start_info.mod_start || !start_info.mod_len ||
        (start_info.flags & SIF_MOD_START_PFN) || blk_store_module_given())
        return;
    if (xl_config_parse(&config, text, start_info.mod_len) != 0) {
        printk("toolstack: configuration module: %s; no device configured from it\n",
               config.error);
        config.nr = 0;
        return;
    }
    printk("toolstack: configuration module: %u domain%s\n", config.nr,
           config.nr == 1 ? "" : "s");
}

void toolstack_init(void)
{
    put_dom(0, "", NULL, 0, 0);
    put_dom(0, "name", "Domain-0", 0, 0);
    put_dom(0, "domid", "0", 0, 0);
    put_dom(0, "backend", NULL, 0, 0);
    read_config();
    shutdown_requests_init();
}
