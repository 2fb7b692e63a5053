/*
 * Tern guest kernel, xenstore: the message layer, as Xen's xenstored parses
 * and answers requests.
 *
 * Rules for a request (all untrusted), checked in this order:
 *   1. len > XENSTORE_PAYLOAD_MAX breaks the protocol: E2BIG, payload unread.
 *   2. A type xenstored does not serve (unknown, 20, XS_ERROR,
 *      XS_WATCH_EVENT) is ENOSYS.
 *   3. CONTROL, INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME and
 *      SET_TARGET are domain 0's alone: EACCES for others.
 *   4. tx_id != 0 names one of the caller's open transactions (ENOENT
 *      otherwise) and the request works on its view of the store; WATCH and
 *      UNWATCH ignore tx_id, as xenstored.
 *   5. One-argument requests (READ, DIRECTORY, GET_PERMS, MKDIR, RM,
 *      GET_DOMAIN_PATH, TRANSACTION_END, RELEASE, RESUME,
 *      IS_DOMAIN_INTRODUCED) are exactly one string: a NUL as the last byte
 *      and no other; else EINVAL.
 *   6. WRITE is a path up to the first NUL, then the value (any bytes, maybe
 *      none); no NUL is EINVAL. SET_PERMS is a path, then one or more
 *      permission strings, the last NUL-ended; else EINVAL.
 *   7. Paths follow xs_path.c (EINVAL), relative to the caller's home;
 *      GET_PERMS and SET_PERMS also take the special names
 *      "@introduceDomain" and "@releaseDomain" (xs_domain.c).
 *   8. WATCH, UNWATCH and DIRECTORY_PART are exactly two strings; else
 *      EINVAL. Numbers are plain decimal (EINVAL otherwise).
 * Outside a transaction, a successful WRITE, MKDIR (of a new node),
 * SET_PERMS or RM (of a node that was there) fires the watches of the node
 * (xs_watch.c) before its reply is made, as xenstored queues those events
 * ahead of the "OK"; inside one they fire at its commit (xs_commit.c). A
 * new watch's own first event comes after its reply (xs_msg_finish).
 * A reply keeps the request's type, req_id and tx_id; on failure its type is
 * XS_ERROR and its body the errno's name, NUL-ended. Requests that only
 * change the store answer "OK" with its NUL, as xenstored does.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_msg_int.h"

void xs_server_init(struct xs_server *srv, const struct xs_events *ev)
{
    xs_store_init(&srv->store);
    xs_watch_init(&srv->watches);
    memset(&srv->txs, 0, sizeof(srv->txs));
    xs_domains_init(&srv->domains);
    srv->events = *ev;
    srv->log.print = NULL;
    srv->log.ctx = NULL;
}

const char *xs_error_name(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    }
    return xsd_errors[0].errstring;
}

int xs_msg_ok(struct xs_reply *rep)
{
    memcpy(rep->body, "OK", 3);
    return 3;
}

int xs_msg_one_string(const char *arg, uint32_t len)
{
    if (len == 0 || arg[len - 1] != '\0' || strnlen(arg, len) != len - 1)
        return -XEN_EINVAL;
    return 0;
}

unsigned int xs_msg_strings(const char *arg, uint32_t len, const char **vec,
                            unsigned int max)
{
    unsigned int n = 0;

    for (uint32_t off = 0; off < len; n++) {
        size_t s = strnlen(arg + off, len - off);
        if (s == len - off)
            break;    /* no NUL: not a string */
        if (n < max)
            vec[n] = arg + off;
        off += (uint32_t)s + 1;
    }
    return n;
}

int xs_msg_domid(const char *s, uint16_t *dom)
{
    uint32_t v;
    int rc = xs_str_to_u32(s, 0xffff, &v);

    if (rc == 0)
        *dom = (uint16_t)v;
    return rc;
}

void xs_msg_fire(void *ctx, const char *path, const struct xs_perms *perms, int subtree)
{
    struct xs_server *srv = ctx;

    xs_watch_fire(&srv->watches, path, perms, subtree, &srv->events);
}

/* Rule 5; canonicalises the one path into rep->scratch. */
static int one_path(const struct xs_req *r, struct xs_reply *rep)
{
    int rc = xs_msg_one_string(r->arg, r->len);

    return rc ? rc : xs_path_canon(r->caller, r->arg, rep->scratch);
}

/* Rule 6: the length of the first string (the path), or -XEN_EINVAL. */
static int first_string(const char *arg, uint32_t len)
{
    size_t n = strnlen(arg, len);

    return n == len ? -XEN_EINVAL : (int)n;
}

/* Rule 8: exactly two strings; the length of the first, or -XEN_EINVAL. */
static int two_strings(const char *arg, uint32_t len)
{
    const char *vec[2];
    int n = first_string(arg, len);

    if (n < 0 || xs_msg_strings(arg, len, vec, 2) != 2 ||
        vec[1] + strlen(vec[1]) + 1 != arg + len)
        return -XEN_EINVAL;
    return n;
}

/* After a change of the node in rep->scratch (rc 0): outside a transaction
 * its watches fire now; the reply is "OK". */
static int changed(const struct xs_req *r, int rc, struct xs_reply *rep)
{
    struct xs_perms perms;

    if (rc != 0)
        return rc;
    if (r->view == XS_VIEW_MAIN &&
        xs_store_perms_of(&r->srv->store, XS_VIEW_MAIN, rep->scratch, &perms) == 0)
        xs_msg_fire(r->srv, rep->scratch, &perms, 0);
    return xs_msg_ok(rep);
}

static int do_watch(const struct xs_req *r, struct xs_reply *rep)
{
    int n = two_strings(r->arg, r->len);

    if (n < 0)
        return n;
    n = xs_watch_add(&r->srv->watches, r->caller, r->arg, r->arg + n + 1);
    return n ? n : xs_msg_ok(rep);
}

static int do_unwatch(const struct xs_req *r, struct xs_reply *rep)
{
    int n = two_strings(r->arg, r->len);

    if (n < 0)
        return n;
    n = xs_watch_remove(&r->srv->watches, r->caller, r->arg, r->arg + n + 1);
    return n ? n : xs_msg_ok(rep);
}

static int do_read(const struct xs_req *r, struct xs_reply *rep)
{
    int rc = one_path(r, rep);

    return rc ? rc : xs_store_read(&r->srv->store, r->view, r->caller, rep->scratch,
                                   (uint8_t *)rep->body, sizeof(rep->body));
}

static int do_directory(const struct xs_req *r, struct xs_reply *rep)
{
    int rc = one_path(r, rep);

    return rc ? rc : xs_store_directory(&r->srv->store, r->view, r->caller, rep->scratch,
                                        rep->body, sizeof(rep->body));
}

static int do_directory_part(const struct xs_req *r, struct xs_reply *rep)
{
    int n = two_strings(r->arg, r->len);
    uint32_t off = 0;

    if (n >= 0)
        n = xs_str_to_u32(r->arg + n + 1, UINT32_MAX, &off);
    if (n >= 0)
        n = xs_path_canon(r->caller, r->arg, rep->scratch);
    return n ? n : xs_store_directory_part(&r->srv->store, r->view, r->caller,
                                           rep->scratch, off, rep->body, sizeof(rep->body));
}

/* GET_PERMS of a special node: who may read it. */
static int special_get(const struct xs_req *r, struct xs_perms *sp, struct xs_reply *rep)
{
    if (!(xs_perms_for(sp, r->caller) & XS_PERM_READ))
        return -XEN_EACCES;
    return xs_perms_format(sp, rep->body, sizeof(rep->body));
}

static int do_get_perms(const struct xs_req *r, struct xs_reply *rep)
{
    int rc = xs_msg_one_string(r->arg, r->len);
    struct xs_perms *sp;

    if (rc != 0)
        return rc;
    sp = xs_domain_special(r->srv, r->arg);
    if (sp != NULL)
        return special_get(r, sp, rep);
    rc = xs_path_canon(r->caller, r->arg, rep->scratch);
    return rc ? rc : xs_store_get_perms(&r->srv->store, r->view, r->caller, rep->scratch,
                                        rep->body, sizeof(rep->body));
}

static int do_mkdir(const struct xs_req *r, struct xs_reply *rep)
{
    struct xs_perms perms;
    int rc = one_path(r, rep);
    int existed = rc == 0 &&
                  xs_store_perms_of(&r->srv->store, r->view, rep->scratch, &perms) == 0;

    if (rc == 0)
        rc = xs_store_mkdir(&r->srv->store, r->view, r->caller, rep->scratch);
    if (rc == 0 && existed)
        return xs_msg_ok(rep);    /* nothing changed: no event, as xenstored */
    return changed(r, rc, rep);
}

static int do_rm(const struct xs_req *r, struct xs_reply *rep)
{
    struct xs_perms before;
    int rc = one_path(r, rep);
    int existed = rc == 0 &&
                  xs_store_perms_of(&r->srv->store, r->view, rep->scratch, &before) == 0;

    if (rc == 0)
        rc = xs_store_rm(&r->srv->store, r->view, r->caller, rep->scratch);
    if (rc == 0 && existed && r->view == XS_VIEW_MAIN)
        xs_msg_fire(r->srv, rep->scratch, &before, 1);
    return rc ? rc : xs_msg_ok(rep);
}

static int do_write(const struct xs_req *r, struct xs_reply *rep)
{
    int n = first_string(r->arg, r->len), rc;

    if (n < 0)
        return n;
    rc = xs_path_canon(r->caller, r->arg, rep->scratch);
    if (rc == 0)
        rc = xs_store_write(&r->srv->store, r->view, r->caller, rep->scratch,
                            (const uint8_t *)r->arg + n + 1, r->len - (uint32_t)n - 1);
    return changed(r, rc, rep);
}

/* SET_PERMS of a special node: its owner (domain 0) may let others hear. */
static int special_set(const struct xs_req *r, struct xs_perms *sp,
                       const struct xs_perms *perms, struct xs_reply *rep)
{
    unsigned int need = XS_PERM_WRITE | XS_PERM_OWNER;
    int rc = (xs_perms_for(sp, r->caller) & need) == need ? 0 : -XEN_EACCES;

    if (rc == 0)
        rc = xs_perms_may_set(sp, r->caller, perms);
    if (rc != 0)
        return rc;
    *sp = *perms;
    xs_msg_fire(r->srv, r->arg, sp, 0);
    return xs_msg_ok(rep);
}

static int do_set_perms(const struct xs_req *r, struct xs_reply *rep)
{
    struct xs_perms perms, *sp;
    int n = first_string(r->arg, r->len), rc;

    if (n < 0)
        return n;
    rc = xs_perms_parse(r->arg + n + 1, r->len - (uint32_t)n - 1, &perms);
    sp = xs_domain_special(r->srv, r->arg);
    if (rc == 0 && sp != NULL)
        return special_set(r, sp, &perms, rep);
    if (rc == 0)
        rc = xs_path_canon(r->caller, r->arg, rep->scratch);
    if (rc == 0)
        rc = xs_store_set_perms(&r->srv->store, r->view, r->caller, rep->scratch, &perms);
    return changed(r, rc, rep);
}

static int do_get_domain_path(const struct xs_req *r, struct xs_reply *rep)
{
    static const char home[] = "/local/domain/";
    uint16_t dom;

    if (xs_msg_one_string(r->arg, r->len) != 0 || xs_msg_domid(r->arg, &dom) != 0)
        return -XEN_EINVAL;
    memcpy(rep->body, home, sizeof(home) - 1);
    return (int)(sizeof(home) - 1 + xs_u32_to_str(dom, rep->body + sizeof(home) - 1) + 1);
}

static const xs_handler handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = xs_do_control,
    [XS_DIRECTORY] = do_directory,
    [XS_READ] = do_read,
    [XS_GET_PERMS] = do_get_perms,
    [XS_WATCH] = do_watch,
    [XS_UNWATCH] = do_unwatch,
    [XS_TRANSACTION_START] = xs_do_transaction_start,
    [XS_TRANSACTION_END] = xs_do_transaction_end,
    [XS_INTRODUCE] = xs_do_introduce,
    [XS_RELEASE] = xs_do_release,
    [XS_GET_DOMAIN_PATH] = do_get_domain_path,
    [XS_WRITE] = do_write,
    [XS_MKDIR] = do_mkdir,
    [XS_RM] = do_rm,
    [XS_SET_PERMS] = do_set_perms,
    [XS_IS_DOMAIN_INTRODUCED] = xs_do_is_domain_introduced,
    [XS_RESUME] = xs_do_resume,
    [XS_SET_TARGET] = xs_do_set_target,
    [XS_RESET_WATCHES] = xs_do_reset_watches,
    [XS_DIRECTORY_PART] = do_directory_part,
};

/* Rule 3. */
static int privileged_only(uint32_t type)
{
    return type == XS_CONTROL || type == XS_INTRODUCE || type == XS_RELEASE ||
           type == XS_IS_DOMAIN_INTRODUCED || type == XS_RESUME || type == XS_SET_TARGET;
}

/* Rules 1 to 4, then the handler: the body length or -XEN_Exxx. */
static int serve(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                 const uint8_t *payload, struct xs_reply *rep)
{
    struct xs_req r = { .srv = srv, .caller = caller, .view = XS_VIEW_MAIN,
                        .tx_id = req->tx_id, .arg = (const char *)payload, .len = req->len };

    if (req->len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    if (req->type >= XS_TYPE_COUNT || handlers[req->type] == NULL)
        return -XEN_ENOSYS;
    if (privileged_only(req->type) && caller != 0)
        return -XEN_EACCES;
    if (req->type != XS_WATCH && req->type != XS_UNWATCH && req->tx_id != 0) {
        r.view = xs_tx_view(&srv->txs, caller, req->tx_id);
        if (r.view == XS_VIEW_MAIN)
            return -XEN_ENOENT;
    }
    return handlers[req->type](&r, rep);
}

int xs_msg_handle(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                  const uint8_t *payload, struct xs_reply *rep)
{
    int n = serve(srv, caller, req, payload, rep);

    rep->hdr.type = req->type;
    rep->hdr.req_id = req->req_id;
    rep->hdr.tx_id = req->tx_id;
    if (n >= 0) {
        rep->hdr.len = (uint32_t)n;
        return 0;
    }
    const char *name = xs_error_name(-n);
    rep->hdr.type = XS_ERROR;
    rep->hdr.len = (uint32_t)strlen(name) + 1;
    memcpy(rep->body, name, rep->hdr.len);
    return req->len > XENSTORE_PAYLOAD_MAX ? -XEN_E2BIG : 0;
}

void xs_msg_finish(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                   const uint8_t *payload, const struct xs_reply *rep)
{
    const char *path = (const char *)payload;

    if (req->type != XS_WATCH || rep->hdr.type != XS_WATCH)
        return;    /* only a WATCH that succeeded (so its payload is sound) */
    srv->events.emit(srv->events.ctx, caller, path, path + strlen(path) + 1);
}
