/*
 * Tern guest kernel, xenstore: the requests that manage rather than read or
 * write nodes, as xenstored answers them: transactions, the domain
 * messages domain 0's toolstack sends, RESET_WATCHES and CONTROL.
 *
 *   1. TRANSACTION_START inside a transaction is EBUSY (no nesting); its
 *      payload is not looked at, as xenstored; the reply is the new id in
 *      decimal with its NUL.
 *   2. TRANSACTION_END takes exactly "T" (commit) or "F" (abort), else
 *      EINVAL; outside a transaction it is ENOENT.
 *   3. INTRODUCE is at least three strings (domid, gfn, port; more are
 *      ignored, as xenstored); SET_TARGET at least two (domid, target);
 *      RELEASE, RESUME and IS_DOMAIN_INTRODUCED exactly one domid.
 *   4. CONTROL is a command and its arguments, each a string: "print
 *      <text>" (to srv->log), "help" and "quota"; any other command, or a
 *      wrong count of arguments, is EINVAL.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_msg_int.h"

int xs_do_transaction_start(const struct xs_req *r, struct xs_reply *rep)
{
    uint32_t id;
    int rc;

    if (r->view != XS_VIEW_MAIN)
        return -XEN_EBUSY;
    rc = xs_tx_start(&r->srv->txs, r->caller, &id);
    return rc ? rc : (int)xs_u32_to_str(id, rep->body) + 1;
}

int xs_do_transaction_end(const struct xs_req *r, struct xs_reply *rep)
{
    struct xs_fire f = { .fire = xs_msg_fire, .ctx = r->srv };
    int rc = xs_msg_one_string(r->arg, r->len);

    if (rc != 0 || (strcmp(r->arg, "T") != 0 && strcmp(r->arg, "F") != 0))
        return -XEN_EINVAL;
    if (r->view == XS_VIEW_MAIN)
        return -XEN_ENOENT;
    rc = xs_tx_end(&r->srv->txs, &r->srv->store, r->view, r->arg[0] == 'T', &f);
    return rc ? rc : xs_msg_ok(rep);
}

/* Rule 3: exactly one string, a domid. */
static int one_domid(const struct xs_req *r, uint16_t *dom)
{
    int rc = xs_msg_one_string(r->arg, r->len);

    return rc ? rc : xs_msg_domid(r->arg, dom);
}

int xs_do_introduce(const struct xs_req *r, struct xs_reply *rep)
{
    const char *vec[3];
    uint16_t dom;
    uint64_t gfn;
    uint32_t port;

    if (xs_msg_strings(r->arg, r->len, vec, 3) < 3 || xs_msg_domid(vec[0], &dom) != 0 ||
        xs_str_to_u64(vec[1], UINT64_MAX, &gfn) != 0 ||
        xs_str_to_u32(vec[2], UINT32_MAX, &port) != 0)
        return -XEN_EINVAL;
    int rc = xs_domain_introduce(r->srv, dom, gfn, port);
    return rc ? rc : xs_msg_ok(rep);
}

int xs_do_release(const struct xs_req *r, struct xs_reply *rep)
{
    uint16_t dom;
    int rc = one_domid(r, &dom);

    if (rc == 0)
        rc = xs_domain_release(r->srv, dom);
    return rc ? rc : xs_msg_ok(rep);
}

int xs_do_resume(const struct xs_req *r, struct xs_reply *rep)
{
    uint16_t dom;
    int rc = one_domid(r, &dom);

    if (rc == 0)
        rc = xs_domain_resume(r->srv, dom);
    return rc ? rc : xs_msg_ok(rep);
}

int xs_do_is_domain_introduced(const struct xs_req *r, struct xs_reply *rep)
{
    uint16_t dom;
    int rc = one_domid(r, &dom);

    if (rc != 0)
        return rc;
    rep->body[0] = xs_domain_is_introduced(r->srv, dom) ? 'T' : 'F';
    rep->body[1] = '\0';
    return 2;
}

int xs_do_set_target(const struct xs_req *r, struct xs_reply *rep)
{
    const char *vec[2];
    uint16_t dom, target;
    int rc = -XEN_EINVAL;

    if (xs_msg_strings(r->arg, r->len, vec, 2) >= 2 && xs_msg_domid(vec[0], &dom) == 0 &&
        xs_msg_domid(vec[1], &target) == 0)
        rc = xs_domain_set_target(r->srv, dom, target);
    return rc ? rc : xs_msg_ok(rep);
}

int xs_do_reset_watches(const struct xs_req *r, struct xs_reply *rep)
{
    xs_domain_reset(r->srv, r->caller);
    return xs_msg_ok(rep);
}

/* Appends text (with its NUL, replacing the previous NUL) to the body. */
static int append(struct xs_reply *rep, int used, const char *text)
{
    size_t n = strlen(text) + 1;
    size_t at = used > 0 ? (size_t)used - 1 : 0;

    if (at + n > sizeof(rep->body))
        return -XEN_E2BIG;
    memcpy(rep->body + at, text, n);
    return (int)(at + n);
}

static int control_print(const struct xs_req *r, const char **args, unsigned int n,
                         struct xs_reply *rep)
{
    if (n != 1)
        return -XEN_EINVAL;
    if (r->srv->log.print != NULL)
        r->srv->log.print(r->srv->log.ctx, args[0]);
    return xs_msg_ok(rep);
}

static int control_help(const struct xs_req *r, const char **args, unsigned int n,
                        struct xs_reply *rep)
{
    (void)r;
    (void)args;
    if (n != 0)
        return -XEN_EINVAL;
    return append(rep, 0, "help\nprint <string>\nquota\n");
}

/* "quota": the quotas unprivileged domains have, one per line. */
static int control_quota(const struct xs_req *r, const char **args, unsigned int n,
                         struct xs_reply *rep)
{
    static const char *const names[] = { "nodes ", "watches ", "transactions ",
                                         "transaction-nodes ", "node-permissions ",
                                         "node-size " };
    const uint32_t vals[] = { r->srv->store.quota_nodes, r->srv->watches.quota, XS_QUOTA_TX,
                              XS_QUOTA_TX_NODES, XS_PERMS_QUOTA, r->srv->store.quota_entry };
    char num[12];
    int used = 0;

    (void)args;
    if (n != 0)
        return -XEN_EINVAL;
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        xs_u32_to_str(vals[i], num);
        used = append(rep, used, names[i]);
        if (used > 0)
            used = append(rep, used, num);
        if (used > 0)
            used = append(rep, used, "\n");
        if (used < 0)
            return used;
    }
    return used;
}

typedef int (*xs_control_fn)(const struct xs_req *r, const char **args, unsigned int n,
                             struct xs_reply *rep);

static const struct {
    const char *name;
    xs_control_fn fn;
} commands[] = {
    { "help", control_help },
    { "print", control_print },
    { "quota", control_quota },
};

int xs_do_control(const struct xs_req *r, struct xs_reply *rep)
{
    const char *vec[3];
    unsigned int n = xs_msg_strings(r->arg, r->len, vec, 3);

    if (n == 0 || n > 3)
        return -XEN_EINVAL;   /* no command, or more arguments than any takes */
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(vec[0], commands[i].name) == 0)
            return commands[i].fn(r, vec + 1, n - 1, rep);
    }
    return -XEN_EINVAL;
}
