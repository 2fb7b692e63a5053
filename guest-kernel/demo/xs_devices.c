/*
 * Tern guest kernel: xs-devices (an unprivileged domain): lists the
 * virtual devices the toolstack gave it in xenstore (device/vbd/<id> and
 * device/vif/<n>) and checks each as a frontend driver would rely on it:
 * its backend path and backend-id, the backend's frontend pointing back
 * to it, state 1 (Initialising) on its side and 1 or 2 on the backend's
 * (a backend driver that serves the device, netback, has already gone to
 * InitWait, as Xen's does), its own state writable,
 * the backend's refused (EACCES). Prints one line per device with what
 * the backend directory says (vbd: params and mode; vif: mac and bridge),
 * "xs-devices: FAIL: ..." for anything wrong, and
 * "xs-devices: <n> devices checked" at the end.
 */
#include <public/errno.h>
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "xen/xenbus.h"

#define PATH_LEN   128
#define LIST_LEN   512
#define OPTION_LEN 8

static unsigned int failures;

static void fail(const char *what, const char *path, int rc)
{
    printk("xs-devices: FAIL: %s %s (%d)\n", what, path, rc);
    failures++;
}

/* dir/key into out; "" when it cannot be read (said). */
static void read_key(const char *dir, const char *key, char *out, size_t room)
{
    char path[PATH_LEN];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    rc = xenbus_read(0, path, out, room);
    if (rc < 0) {
        fail("cannot read", path, rc);
        out[0] = 0;
    }
}

static void expect_key(const char *dir, const char *key, const char *want)
{
    char v[PATH_LEN];

    read_key(dir, key, v, sizeof(v));
    if (strcmp(v, want)) {
        printk("xs-devices: FAIL: %s/%s is \"%s\", expected \"%s\"\n", dir, key, v, want);
        failures++;
    }
}

static void write_rights(const char *fe, const char *be)
{
    char path[PATH_LEN];
    int rc;

    snprintf(path, sizeof(path), "%s/state", fe);
    if ((rc = xenbus_write(0, path, "1")) != 0)
        fail("cannot write our own", path, rc);
    snprintf(path, sizeof(path), "%s/state", be);
    if ((rc = xenbus_write(0, path, "4")) != -XEN_EACCES)
        fail("could write (or not with EACCES) the backend's", path, rc);
}

/* One device: "vbd" or "vif" and its id (a child of device/<type>). */
static void one_device(const char *type, const char *id, const char *self)
{
    char fe[PATH_LEN], be[PATH_LEN], a[PATH_LEN], b[PATH_LEN];
    bool vbd = strcmp(type, "vbd") == 0;

    snprintf(fe, sizeof(fe), "%s/device/%s/%s", self, type, id);
    read_key(fe, "backend", be, sizeof(be));
    expect_key(fe, "backend-id", "0");
    expect_key(fe, "state", "1");
    if (!be[0])
        return;
    expect_key(be, "frontend", fe);
    read_key(be, "state", a, sizeof(a));
    if (strcmp(a, "1") && strcmp(a, "2")) {
        printk("xs-devices: FAIL: %s/state is \"%s\", expected \"1\" or \"2\"\n", be, a);
        failures++;
    }
    read_key(be, vbd ? "params" : "mac", a, sizeof(a));
    read_key(be, vbd ? "mode" : "bridge", b, sizeof(b));
    printk("xs-devices: %s %s: backend %s, %s %s, %s %s\n", type, id, be,
           vbd ? "params" : "mac", a, vbd ? "mode" : "bridge", b);
    write_rights(fe, be);
}

/* Every device of that type; how many. */
static unsigned int devices_of(const char *type, const char *self)
{
    char list[LIST_LEN], path[PATH_LEN];
    unsigned int n = 0;
    int len;

    snprintf(path, sizeof(path), "%s/device/%s", self, type);
    len = xenbus_directory(0, path, list, sizeof(list));
    for (int i = 0; len > 0 && i < len; i += (int)strnlen(list + i, (size_t)(len - i)) + 1) {
        if (strnlen(list + i, (size_t)(len - i)) == (size_t)(len - i))
            break;                               /* an unterminated last name */
        one_device(type, list + i, self);
        n++;
    }
    return n;
}

bool xs_devices_run(void)
{
    char buf[OPTION_LEN], self[PATH_LEN], domid[16];
    unsigned int n;

    if (!cmdline_option("xs-devices", buf, sizeof(buf)))
        return false;
    if (xenbus_init() != 0 || xenbus_read(0, "domid", domid, sizeof(domid)) < 0) {
        printk("xs-devices: FAIL: no xenstore\n");
        return true;
    }
    snprintf(self, sizeof(self), "/local/domain/%s", domid);
    n = devices_of("vbd", self) + devices_of("vif", self);
    printk("xs-devices: %u devices checked%s\n", n, failures ? ", with failures" : "");
    return true;
}
