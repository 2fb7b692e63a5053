/*
 * Tern guest kernel, xenstore: the message layer, as Xen's xenstored parses
 * and answers requests.
 *
 * Rules for a request (all untrusted):
 *   1. len > XENSTORE_PAYLOAD_MAX breaks the protocol: E2BIG, payload unread.
 *   2. A type this store does not serve (unknown, XS_ERROR, XS_WATCH_EVENT,
 *      and those not done yet: CONTROL, TRANSACTION_*,
 *      INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET,
 *      RESET_WATCHES, DIRECTORY_PART) is ENOSYS.
 *   3. tx_id != 0 is ENOENT: no transaction is ever open.
 *   4. One-argument requests (READ, DIRECTORY, GET_PERMS, MKDIR, RM,
 *      GET_DOMAIN_PATH) are exactly one string: a NUL as the last byte and
 *      no other; else EINVAL.
 *   5. WRITE is a path up to the first NUL, then the value (any bytes, maybe
 *      none); no NUL is EINVAL. SET_PERMS is a path, then one or more
 *      permission strings, the last NUL-ended; else EINVAL.
 *   6. Paths follow xs_path.c (EINVAL), relative to the caller's home.
 *   7. WATCH and UNWATCH are exactly two strings, path and token; else EINVAL.
 * A successful WRITE, MKDIR (of a new node), SET_PERMS or RM (of a node
 * that was there) fires the watches of the node
 * (xs_watch.c) before its reply is made, as xenstored queues those events
 * ahead of the "OK"; a new watch's own first event comes after its reply
 * (xs_msg_finish).
 * A reply keeps the request's type, req_id and tx_id; on failure its type is
 * XS_ERROR and its body the errno's name, NUL-ended. Requests that only
 * change the store answer "OK" with its NUL, as xenstored does.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_msg.h"

typedef int (*xs_handler)(struct xs_server *srv, uint16_t caller, const char *arg,
                          uint32_t len, struct xs_reply *rep);

const char *xs_error_name(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    }
    return xsd_errors[0].errstring;
}

/* Rule 4; canonicalises the one path into rep->scratch. */
static int one_path(uint16_t caller, const char *arg, uint32_t len, struct xs_reply *rep)
{
    if (len == 0 || arg[len - 1] != '\0' || strnlen(arg, len) != len - 1)
        return -XEN_EINVAL;
    return xs_path_canon(caller, arg, rep->scratch);
}

/* Rule 5: the length of the first string (the path), or -XEN_EINVAL. */
static int first_string(const char *arg, uint32_t len)
{
    size_t n = strnlen(arg, len);

    return n == len ? -XEN_EINVAL : (int)n;
}

static int reply_ok(struct xs_reply *rep)
{
    memcpy(rep->body, "OK", 3);
    return 3;
}

/* After a change of the node in rep->scratch (rc 0): its watches fire, and
 * the reply is "OK". */
static int changed(struct xs_server *srv, int rc, struct xs_reply *rep, int subtree)
{
    struct xs_perms perms;

    if (rc != 0)
        return rc;
    if (xs_store_perms_of(&srv->store, rep->scratch, &perms) == 0)
        xs_watch_fire(&srv->watches, rep->scratch, &perms, subtree, &srv->events);
    return reply_ok(rep);
}

/* WATCH and UNWATCH: exactly two strings, path and token (rule 7). */
static int two_strings(const char *arg, uint32_t len)
{
    int n = first_string(arg, len);
    uint32_t rest = n < 0 ? 0 : len - (uint32_t)n - 1;   /* the token's bytes */

    if (rest == 0 || strnlen(arg + n + 1, rest) != rest - 1)
        return -XEN_EINVAL;
    return n;
}

static int do_watch(struct xs_server *srv, uint16_t caller, const char *arg,
                    uint32_t len, struct xs_reply *rep)
{
    int n = two_strings(arg, len);

    if (n < 0)
        return n;
    n = xs_watch_add(&srv->watches, caller, arg, arg + n + 1);
    return n ? n : reply_ok(rep);
}

static int do_unwatch(struct xs_server *srv, uint16_t caller, const char *arg,
                      uint32_t len, struct xs_reply *rep)
{
    int n = two_strings(arg, len);

    if (n < 0)
        return n;
    n = xs_watch_remove(&srv->watches, caller, arg, arg + n + 1);
    return n ? n : reply_ok(rep);
}

static int do_read(struct xs_server *srv, uint16_t caller, const char *arg, uint32_t len,
                   struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_read(&srv->store, caller, rep->scratch, (uint8_t *)rep->body,
                                   sizeof(rep->body));
}

static int do_directory(struct xs_server *srv, uint16_t caller, const char *arg,
                        uint32_t len, struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_directory(&srv->store, caller, rep->scratch, rep->body,
                                        sizeof(rep->body));
}

static int do_get_perms(struct xs_server *srv, uint16_t caller, const char *arg,
                        uint32_t len, struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_get_perms(&srv->store, caller, rep->scratch, rep->body,
                                        sizeof(rep->body));
}

static int do_mkdir(struct xs_server *srv, uint16_t caller, const char *arg, uint32_t len,
                    struct xs_reply *rep)
{
    struct xs_perms perms;
    int rc = one_path(caller, arg, len, rep);
    int existed = rc == 0 && xs_store_perms_of(&srv->store, rep->scratch, &perms) == 0;

    if (rc == 0)
        rc = xs_store_mkdir(&srv->store, caller, rep->scratch);
    if (rc == 0 && existed)
        return reply_ok(rep);    /* nothing changed: no event, as xenstored */
    return changed(srv, rc, rep, 0);
}

static int do_rm(struct xs_server *srv, uint16_t caller, const char *arg, uint32_t len,
                 struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    struct xs_perms before;
    if (rc == 0 && xs_store_perms_of(&srv->store, rep->scratch, &before) == 0) {
        rc = xs_store_rm(&srv->store, caller, rep->scratch);
        if (rc == 0)
            xs_watch_fire(&srv->watches, rep->scratch, &before, 1, &srv->events);
    } else if (rc == 0) {
        rc = xs_store_rm(&srv->store, caller, rep->scratch);   /* absent: no event */
    }
    return rc ? rc : reply_ok(rep);
}

static int do_write(struct xs_server *srv, uint16_t caller, const char *arg, uint32_t len,
                    struct xs_reply *rep)
{
    int n = first_string(arg, len), rc;

    if (n < 0)
        return n;
    rc = xs_path_canon(caller, arg, rep->scratch);
    if (rc == 0)
        rc = xs_store_write(&srv->store, caller, rep->scratch,
                            (const uint8_t *)arg + n + 1, len - (uint32_t)n - 1);
    return changed(srv, rc, rep, 0);
}

static int do_set_perms(struct xs_server *srv, uint16_t caller, const char *arg,
                        uint32_t len, struct xs_reply *rep)
{
    struct xs_perms perms;
    int n = first_string(arg, len), rc;

    if (n < 0)
        return n;
    rc = xs_path_canon(caller, arg, rep->scratch);
    if (rc == 0)
        rc = xs_perms_parse(arg + n + 1, len - (uint32_t)n - 1, &perms);
    if (rc == 0)
        rc = xs_store_set_perms(&srv->store, caller, rep->scratch, &perms);
    return changed(srv, rc, rep, 0);
}

static int do_get_domain_path(struct xs_server *srv, uint16_t caller, const char *arg,
                              uint32_t len, struct xs_reply *rep)
{
    static const char home[] = "/local/domain/";
    uint32_t dom;

    (void)srv;
    (void)caller;
    if (len == 0 || arg[len - 1] != '\0' || strnlen(arg, len) != len - 1 ||
        xs_str_to_u32(arg, 0xffff, &dom) != 0)
        return -XEN_EINVAL;
    memcpy(rep->body, home, sizeof(home) - 1);
    return (int)(sizeof(home) - 1 + xs_u32_to_str(dom, rep->body + sizeof(home) - 1) + 1);
}

static const xs_handler handlers[XS_TYPE_COUNT] = {
    [XS_DIRECTORY] = do_directory,
    [XS_READ] = do_read,
    [XS_GET_PERMS] = do_get_perms,
    [XS_GET_DOMAIN_PATH] = do_get_domain_path,
    [XS_WRITE] = do_write,
    [XS_MKDIR] = do_mkdir,
    [XS_RM] = do_rm,
    [XS_SET_PERMS] = do_set_perms,
    [XS_WATCH] = do_watch,
    [XS_UNWATCH] = do_unwatch,
};

/* Rules 1 to 3, then the handler: the body length or -XEN_Exxx. */
static int serve(struct xs_server *srv, uint16_t caller, const struct xsd_sockmsg *req,
                 const uint8_t *payload, struct xs_reply *rep)
{
    if (req->len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    if (req->type >= XS_TYPE_COUNT || handlers[req->type] == NULL)
        return -XEN_ENOSYS;
    if (req->tx_id != 0)
        return -XEN_ENOENT;
    return handlers[req->type](srv, caller, (const char *)payload, req->len, rep);
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
