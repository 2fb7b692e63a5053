/*
 * Tern guest kernel, domain 0's toolstack: shutdown=<dom>[:<dom>...] and
 * reboot=<dom>[:<dom>...] on our command line ask those domains to power
 * off or reboot as `xl shutdown` / `xl reboot` do: by writing "poweroff" or
 * "reboot" into the domain's control/shutdown, which the guest watches
 * (Linux's drivers/xen/manage.c). A request is written only once the
 * domain has said it listens (written "1" into control/feature-poweroff or
 * control/feature-reboot): before that, nobody would read it.
 */
#include <public/xen.h>
#include "backend/shutdown_req.h"
#include "backend/xenstored.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"

#define REQUESTS_MAX 8
#define PATH_LEN     96
#define OPTION_LEN   64
#define TOKEN        "tern-shutdown-request"

struct request {
    domid_t dom;
    const char *action;                 /* "poweroff" or "reboot" */
};

static struct request requests[REQUESTS_MAX];
static unsigned int nr_requests;

static void feature_path(char *out, const struct request *r)
{
    snprintf(out, PATH_LEN, "/local/domain/%u/control/feature-%s", r->dom, r->action);
}

/* <dom>[:<dom>...] of option key, each with action. */
static void parse(const char *key, const char *action)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option(key, buf, sizeof(buf));

    while (v && nr_requests < REQUESTS_MAX && *v >= '1' && *v <= '9') {
        uint64_t d = 0;

        while (*v >= '0' && *v <= '9' && d < DOMID_FIRST_RESERVED)
            d = d * 10 + (uint64_t)(*v++ - '0');
        if (d >= DOMID_FIRST_RESERVED || (*v && *v != ':'))
            break;
        requests[nr_requests++] = (struct request){ .dom = (domid_t)d, .action = action };
        v += *v == ':';
    }
    if (v && *v)
        printk("toolstack: %s=%s: want <dom>[:<dom>...], at most %u requests\n", key, buf,
               REQUESTS_MAX);
}

void shutdown_requests_init(void)
{
    char path[PATH_LEN];

    parse("shutdown", "poweroff");
    parse("reboot", "reboot");
    for (unsigned int i = 0; i < nr_requests; i++) {
        feature_path(path, &requests[i]);
        xsd_watch(path, TOKEN);
    }
}

static void ask(const struct request *r)
{
    char path[PATH_LEN];

    printk("toolstack: domain %u listens for control/shutdown; asking it to %s\n", r->dom,
           strcmp(r->action, "reboot") ? "power off" : "reboot");
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", r->dom);
    xsd_put(path, r->action, r->dom, r->dom);
}

void shutdown_requests_on_watch(const char *path, const char *token)
{
    char want[PATH_LEN], value[8];

    if (strcmp(token, TOKEN))
        return;
    for (unsigned int i = 0; i < nr_requests; i++) {
        feature_path(want, &requests[i]);
        if (strcmp(path, want) == 0 && xsd_read(path, value, sizeof(value)) > 0 &&
            strcmp(value, "1") == 0)
            ask(&requests[i]);
    }
}
