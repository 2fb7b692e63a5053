/*
 * Tern guest kernel: an unprivileged domain checks the xenstore domain 0
 * serves it (command line, roles.c):
 *
 *   xs-check=<other>  through xenbus: its domain path (GET_DOMAIN_PATH
 *       and the domid node agree with the domid the toolstack wrote), its
 *       name; a node written under data/ reads back; nodes of domain
 *       <other> can be neither read nor written (EACCES), nor can our own
 *       name (the toolstack's); a watch fires once when set and once per
 *       write, with its token; a transaction that read a node someone
 *       changed since ends with EAGAIN and changes nothing, the retry
 *       commits. Each failure prints "xs-check: FAIL: ..."; the end
 *       "xs-check: <n> checks passed" or "xs-check: <k> of <n> failed".
 *   xs-shutdown       after every other role, say we listen (control/feature-poweroff and
 *       feature-reboot = 1) and wait for control/shutdown, as Linux's
 *       xen/manage.c does; "poweroff" powers the domain off, "reboot" ends
 *       it with SHUTDOWN_reboot.
 *
 * Each step's outcome is fixed whatever the interleaving with other
 * domains: no other domain may touch our nodes, and the transaction's
 * conflicting write is our own.
 */
#include <public/errno.h>
#include <public/sched.h>
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "xen/xenbus.h"

#define OPTION_LEN   32
#define VALUE_LEN    128
#define WATCH_WAIT   (10 * NS_PER_S)
#define SHUTDOWN_WAIT (60 * NS_PER_S)

static unsigned int checks, failures;

static void check(bool ok, const char *what, long got)
{
    checks++;
    if (!ok) {
        failures++;
        printk("xs-check: FAIL: %s (got %ld)\n", what, got);
    }
}

static void check_value(const char *path, const char *want)
{
    char v[VALUE_LEN];
    int rc = xenbus_read(0, path, v, sizeof(v));

    check(rc >= 0 && strcmp(v, want) == 0, path, rc);
    if (rc >= 0 && strcmp(v, want))
        printk("xs-check: %s is \"%s\", expected \"%s\"\n", path, v, want);
}

static unsigned int own_domid(void)
{
    char v[VALUE_LEN], want[VALUE_LEN];
    unsigned int id = 0;
    int rc = xenbus_read(0, "domid", v, sizeof(v));

    check(rc > 0, "read domid", rc);
    for (const char *p = v; rc > 0 && *p >= '0' && *p <= '9'; p++)
        id = id * 10 + (unsigned int)(*p - '0');
    rc = xenbus_get_domain_path(id, v, sizeof(v));
    snprintf(want, sizeof(want), "/local/domain/%u", id);
    check(rc > 0 && strcmp(v, want) == 0, "GET_DOMAIN_PATH of our domid", rc);
    rc = xenbus_read(0, "name", v, sizeof(v));
    check(rc > 0, "read name", rc);
    printk("xs-check: domain %u, name \"%s\", path %s\n", id, rc > 0 ? v : "?", want);
    return id;
}

static void own_nodes(void)
{
    int rc = xenbus_write(0, "data/greeting", "hello");

    check(rc == 0, "write data/greeting", rc);
    check_value("data/greeting", "hello");
    rc = xenbus_write(0, "name", "impostor");
    check(rc == -XEN_EACCES, "write our name (the toolstack's) is refused", rc);
}

static void other_nodes(unsigned int other)
{
    char path[VALUE_LEN], v[VALUE_LEN];
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/domid", other);
    rc = xenbus_read(0, path, v, sizeof(v));
    check(rc == -XEN_EACCES, "read another domain's domid is refused", rc);
    snprintf(path, sizeof(path), "/local/domain/%u/data/intruder", other);
    rc = xenbus_write(0, path, "x");
    check(rc == -XEN_EACCES, "write under another domain's data is refused", rc);
}

/* The next event must be (path, token). */
static void expect_event(const char *path, const char *token)
{
    char p[VALUE_LEN], t[VALUE_LEN];
    bool got = xenbus_next_event(p, sizeof(p), t, sizeof(t), time_now_ns() + WATCH_WAIT);

    check(got && strcmp(p, path) == 0 && strcmp(t, token) == 0, "watch event", got);
    if (got && (strcmp(p, path) || strcmp(t, token)))
        printk("xs-check: event (%s, %s), expected (%s, %s)\n", p, t, path, token);
}

static void watches(void)
{
    int rc = xenbus_watch("data/watched", "tok-1");

    check(rc == 0, "watch data/watched", rc);
    expect_event("data/watched", "tok-1");          /* fired once when set */
    rc = xenbus_write(0, "data/watched", "1");
    check(rc == 0, "write data/watched", rc);
    expect_event("data/watched", "tok-1");
    rc = xenbus_unwatch("data/watched", "tok-1");
    check(rc == 0, "unwatch data/watched", rc);
}

/* Reads data/tx in a transaction, which writes it too; between the two,
 * our own plain write changes it: commit must fail with EAGAIN. */
static int one_transaction(bool conflict, const char *value)
{
    char v[VALUE_LEN];
    xenbus_tx_t tx;
    int rc = xenbus_transaction_start(&tx);

    if (rc)
        return rc;
    xenbus_read(tx, "data/tx", v, sizeof(v));
    if (conflict)
        xenbus_write(0, "data/tx", "outside");
    rc = xenbus_write(tx, "data/tx", value);
    return rc ? rc : xenbus_transaction_end(tx, false);
}

static void transactions(void)
{
    int rc = xenbus_write(0, "data/tx", "before");

    check(rc == 0, "write data/tx", rc);
    rc = one_transaction(true, "lost");
    check(rc == -XEN_EAGAIN, "conflicting transaction ends with EAGAIN", rc);
    check_value("data/tx", "outside");
    rc = one_transaction(false, "committed");
    check(rc == 0, "the retried transaction commits", rc);
    check_value("data/tx", "committed");
}

_Noreturn static void await_shutdown(void)
{
    char p[VALUE_LEN], t[VALUE_LEN], v[VALUE_LEN];
    uint64_t deadline = time_now_ns() + SHUTDOWN_WAIT;

    xenbus_write(0, "control/feature-poweroff", "1");
    xenbus_write(0, "control/feature-reboot", "1");
    xenbus_watch("control/shutdown", "shutdown");
    while (xenbus_next_event(p, sizeof(p), t, sizeof(t), deadline)) {
        if (strcmp(t, "shutdown") || xenbus_read(0, "control/shutdown", v, sizeof(v)) <= 0)
            continue;
        printk("xs-check: control/shutdown says \"%s\"\n", v);
        if (strcmp(v, "poweroff") == 0)
            guest_shutdown(SHUTDOWN_poweroff);
        if (strcmp(v, "reboot") == 0)
            guest_shutdown(SHUTDOWN_reboot);
    }
    printk("xs-check: FAIL: no control/shutdown within %lu s\n", SHUTDOWN_WAIT / NS_PER_S);
    guest_shutdown(SHUTDOWN_poweroff);
}

static unsigned int decimal(const char *v)
{
    unsigned int n = 0;

    while (*v >= '0' && *v <= '9' && n < 0x10000)
        n = n * 10 + (unsigned int)(*v++ - '0');
    return n;
}

bool xs_check_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("xs-check", buf, sizeof(buf));
    int rc;

    if (!v)
        return false;
    rc = xenbus_init();
    if (rc) {
        printk("xs-check: FAIL: no xenstore ring: %d\n", rc);
        return true;
    }
    own_domid();
    own_nodes();
    other_nodes(decimal(v));
    watches();
    transactions();
    if (failures)
        printk("xs-check: %u of %u failed\n", failures, checks);
    else
        printk("xs-check: %u checks passed\n", checks);
    return true;
}

bool xs_shutdown_run(void)
{
    char buf[OPTION_LEN];

    if (!cmdline_option("xs-shutdown", buf, sizeof(buf)))
        return false;
    if (xenbus_init() != 0) {
        printk("xs-check: FAIL: xs-shutdown without a xenstore ring\n");
        return true;
    }
    await_shutdown();
}
