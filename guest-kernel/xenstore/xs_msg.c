/*
 * Tern guest kernel, xenstore: the message layer, as Xen's xenstored parses
 * and answers requests.
 *
 * Rules for a request (all untrusted):
 *   1. len > XENSTORE_PAYLOAD_MAX breaks the protocol: E2BIG, payload unread.
 *   2. A type this store does not serve (unknown, XS_ERROR, XS_WATCH_EVENT,
 *      and those not done yet: CONTROL, WATCH, UNWATCH, TRANSACTION_*,
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
 * A reply keeps the request's type, req_id and tx_id; on failure its type is
 * XS_ERROR and its body the errno's name, NUL-ended. Requests that only
 * change the store answer "OK" with its NUL, as xenstored does.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_msg.h"

typedef int (*xs_handler)(struct xs_store *s, uint16_t caller, const char *arg,
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

static int do_read(struct xs_store *s, uint16_t caller, const char *arg, uint32_t len,
                   struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_read(s, caller, rep->scratch, (uint8_t *)rep->body,
                                   sizeof(rep->body));
}

static int do_directory(struct xs_store *s, uint16_t caller, const char *arg,
                        uint32_t len, struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_directory(s, caller, rep->scratch, rep->body,
                                        sizeof(rep->body));
}

static int do_get_perms(struct xs_store *s, uint16_t caller, const char *arg,
                        uint32_t len, struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    return rc ? rc : xs_store_get_perms(s, caller, rep->scratch, rep->body,
                                        sizeof(rep->body));
}

static int do_mkdir(struct xs_store *s, uint16_t caller, const char *arg, uint32_t len,
                    struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    if (rc == 0)
        rc = xs_store_mkdir(s, caller, rep->scratch);
    return rc ? rc : reply_ok(rep);
}

static int do_rm(struct xs_store *s, uint16_t caller, const char *arg, uint32_t len,
                 struct xs_reply *rep)
{
    int rc = one_path(caller, arg, len, rep);

    if (rc == 0)
        rc = xs_store_rm(s, caller, rep->scratch);
    return rc ? rc : reply_ok(rep);
}

static int do_write(struct xs_store *s, uint16_t caller, const char *arg, uint32_t len,
                    struct xs_reply *rep)
{
    int n = first_string(arg, len), rc;

    if (n < 0)
        return n;
    rc = xs_path_canon(caller, arg, rep->scratch);
    if (rc == 0)
        rc = xs_store_write(s, caller, rep->scratch, (const uint8_t *)arg + n + 1,
                            len - (uint32_t)n - 1);
    return rc ? rc : reply_ok(rep);
}

static int do_set_perms(struct xs_store *s, uint16_t caller, const char *arg,
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
        rc = xs_store_set_perms(s, caller, rep->scratch, &perms);
    return rc ? rc : reply_ok(rep);
}

static int do_get_domain_path(struct xs_store *s, uint16_t caller, const char *arg,
                              uint32_t len, struct xs_reply *rep)
{
    static const char home[] = "/local/domain/";
    uint32_t dom;

    (void)s;
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
};

/* Rules 1 to 3, then the handler: the body length or -XEN_Exxx. */
static int serve(struct xs_store *s, uint16_t caller, const struct xsd_sockmsg *req,
                 const uint8_t *payload, struct xs_reply *rep)
{
    if (req->len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    if (req->type >= XS_TYPE_COUNT || handlers[req->type] == NULL)
        return -XEN_ENOSYS;
    if (req->tx_id != 0)
        return -XEN_ENOENT;
    return handlers[req->type](s, caller, (const char *)payload, req->len, rep);
}

int xs_msg_handle(struct xs_store *s, uint16_t caller, const struct xsd_sockmsg *req,
                  const uint8_t *payload, struct xs_reply *rep)
{
    int n = serve(s, caller, req, payload, rep);

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
