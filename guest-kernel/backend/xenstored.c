/*
 * Tern guest kernel, domain 0's backends: xenstored's ring side (see
 * xenstored.h). Everything in a served page is untrusted:
 *   - ring indices go through byte_ring.c (read once; a lie disconnects
 *     that domain, with error = XENSTORE_ERROR_RINGIDX written);
 *   - a request is taken from the ring only as far as its own length
 *     (xs_frame_need), so no byte of the next one is lost; a header longer
 *     than XENSTORE_PAYLOAD_MAX is a protocol error (error =
 *     XENSTORE_ERROR_PROTO) and disconnects;
 *   - a request is handled only while the domain's output queue has room
 *     for the longest reply, so a reply is never dropped; a domain that
 *     does not read its replies stops being served until it does;
 *   - at most REQUESTS_PER_PASS requests of one domain per pass, so a
 *     flood delays nobody else by more than that;
 *   - a watch event for a domain whose queue is full is dropped and
 *     counted (as Xen 4.17's xenstored drops events over its quota), and
 *     said once.
 */
#include <public/errno.h>
#include <public/io/xs_wire.h>
#include "backend/ring_map.h"
#include "backend/xenstored.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "xen/byte_ring.h"
#include "xenstore/xs_frame.h"
#include "xenstore/xs_msg.h"

#define REQUESTS_PER_PASS 8
#define CHUNK             256

struct xs_client {
    bool connected;
    evtchn_port_t port;                /* ours, bound to its store port */
    struct ring_map map;
    struct xs_frame in;
    struct xs_outq out;
    uint32_t dropped;                  /* watch events dropped */
};

static struct xs_server srv;
static struct xs_client clients[XENSTORED_MAX];
static struct xs_reply reply;
static void (*event_cb)(void);
static void (*watch_cb)(const char *path, const char *token);

static volatile struct xenstore_domain_interface *page(const struct xs_client *c)
{
    return c->map.window;
}

static struct xs_client *client_of(domid_t dom)
{
    for (unsigned int i = 0; i < XENSTORED_MAX; i++)
        if (clients[i].connected && clients[i].map.dom == dom)
            return &clients[i];
    return NULL;
}

static struct xs_client *free_client(void)
{
    for (unsigned int i = 0; i < XENSTORED_MAX; i++)
        if (!clients[i].connected)
            return &clients[i];
    return NULL;
}

bool xenstored_serving(domid_t dom)
{
    return client_of(dom) != NULL;
}

/* The store's watch events: queued for the domain, or domain 0's own. */
static void emit(void *ctx, uint16_t dom, const char *path, const char *token)
{
    static char body[XENSTORE_PAYLOAD_MAX];
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    struct xsd_sockmsg h = { .type = XS_WATCH_EVENT, .len = (uint32_t)(plen + tlen) };
    struct xs_client *c = client_of(dom);

    (void)ctx;
    if (dom == 0) {
        watch_cb(path, token);
        return;
    }
    if (!c || plen + tlen > sizeof(body))
        return;
    memcpy(body, path, plen);
    memcpy(body + plen, token, tlen);
    if (!xs_outq_put(&c->out, &h, body) && c->dropped++ == 0)
        printk("xenstored: domain %u reads no replies; dropping its watch events\n", dom);
}

/* CONTROL "print" from a privileged client: into our console. */
static void log_print(void *ctx, const char *text)
{
    (void)ctx;
    printk("xenstored: %s\n", text);
}

void xenstored_init(void (*on_event)(void),
                    void (*on_watch)(const char *path, const char *token))
{
    const struct xs_events ev = { .emit = emit, .ctx = NULL };

    xs_server_init(&srv, &ev);
    srv.log = (struct xs_log){ .print = log_print, .ctx = NULL };
    event_cb = on_event;
    watch_cb = on_watch;
}

static void on_port(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    event_cb();
}

long xenstored_connect(domid_t dom, uint64_t gfn, evtchn_port_t remote_port, void *window)
{
    struct xs_client *c = client_of(dom) ? NULL : free_client();
    long rc;

    if (!c)
        return -XEN_EBUSY;
    if (ring_map(&c->map, dom, GNTTAB_RESERVED_XENSTORE, window) != GNTST_okay)
        return -XEN_EINVAL;
    rc = gk_evtchn_bind_interdomain(dom, remote_port, &c->port);
    if (rc) {
        ring_unmap(&c->map);
        return rc;
    }
    rc = xs_domain_introduce(&srv, dom, gfn, remote_port);      /* @introduceDomain */
    if (rc) {
        gk_evtchn_detach(c->port);
        ring_unmap(&c->map);
        return rc;
    }
    xs_frame_reset(&c->in);
    c->out.head = c->out.len = 0;
    c->dropped = 0;
    page(c)->server_features = XENSTORE_SERVER_FEATURE_ERROR;
    c->connected = true;
    gk_evtchn_attach(c->port, on_port, NULL);
    return 0;
}

/* Its watches, transactions and nodes go, and @releaseDomain fires. */
static void drop_client(struct xs_client *c, const char *why)
{
    xs_domain_release(&srv, c->map.dom);
    gk_evtchn_detach(c->port);
    ring_unmap(&c->map);
    c->connected = false;
    printk("xenstored: domain %u %s; disconnected\n", c->map.dom, why);
}

void xenstored_disconnect(domid_t dom, const char *why)
{
    struct xs_client *c = client_of(dom);

    if (c)
        drop_client(c, why);
}

/* The domain broke the protocol: say so in its page, then drop it. */
static void broke(struct xs_client *c, uint32_t error, const char *why)
{
    page(c)->error = error;
    gk_evtchn_send(c->port);          /* a client blocked on its port sees the error */
    drop_client(c, why);
}

/* Replies and events into its rsp ring; false if it was dropped. */
static bool flush(struct xs_client *c)
{
    struct byte_ring r = { .buf = page(c)->rsp, .size = XENSTORE_RING_SIZE,
                           .cons = &page(c)->rsp_cons, .prod = &page(c)->rsp_prod };
    struct ring_io io = { .moved = 1 };
    bool sent = false;

    while (c->out.len && io.moved) {
        uint32_t n;
        const char *p = xs_outq_peek(&c->out, &n);

        io = byte_ring_write(&r, p, n);
        if (io.lying) {
            broke(c, XENSTORE_ERROR_RINGIDX, "lied about its rsp ring indices");
            return false;
        }
        xs_outq_drop(&c->out, io.moved);
        sent |= io.moved != 0;
    }
    if (sent)
        gk_evtchn_send(c->port);
    return true;
}

/* Takes what the current request still needs; 1 when it is whole, 0 when
 * more must come, -1 when c was dropped. */
static int gather(struct xs_client *c)
{
    struct byte_ring r = { .buf = page(c)->req, .size = XENSTORE_RING_SIZE,
                           .cons = &page(c)->req_cons, .prod = &page(c)->req_prod };
    char buf[CHUNK];
    uint32_t need, used;
    struct ring_io io;

    while ((need = xs_frame_need(&c->in)) != 0) {
        io = byte_ring_read(&r, buf, need < CHUNK ? need : CHUNK);
        if (io.lying) {
            broke(c, XENSTORE_ERROR_RINGIDX, "lied about its req ring indices");
            return -1;
        }
        if (io.moved == 0)
            return 0;
        if (ring_was_full(&r, io))
            gk_evtchn_send(c->port);             /* it waits for room in req */
        xs_frame_feed(&c->in, buf, io.moved, &used);
    }
    if (xs_frame_too_long(&c->in)) {
        broke(c, XENSTORE_ERROR_PROTO, "sent a message longer than XENSTORE_PAYLOAD_MAX");
        return -1;
    }
    return 1;
}

static void queue_reply(struct xs_client *c)
{
    xs_outq_put(&c->out, &reply.hdr, reply.body);   /* room checked before */
}

/* Up to REQUESTS_PER_PASS whole requests, each while a reply fits. */
static void serve_client(struct xs_client *c)
{
    const struct xsd_sockmsg *req = &c->in.m.hdr;
    const uint8_t *payload = c->in.m.bytes + sizeof(*req);

    for (unsigned int n = 0; n < REQUESTS_PER_PASS; n++) {
        if (xs_outq_room(&c->out) < XS_MSG_MAX || gather(c) != 1)
            return;
        xs_msg_handle(&srv, c->map.dom, req, payload, &reply);
        queue_reply(c);
        xs_msg_finish(&srv, c->map.dom, req, payload, &reply);
        xs_frame_reset(&c->in);
        if (!flush(c))
            return;
    }
}

void xenstored_serve(void)
{
    for (unsigned int i = 0; i < XENSTORED_MAX; i++)
        if (clients[i].connected && flush(&clients[i]))
            serve_client(&clients[i]);
    for (unsigned int i = 0; i < XENSTORED_MAX; i++)
        if (clients[i].connected)
            flush(&clients[i]);                  /* events the others caused */
}

/* ---- domain 0's own requests ---------------------------------------------- */

static struct xs_frame local;

/* Two NUL-ended arguments (b may be NULL) in one request from domain 0. */
static int local_request(uint32_t type, const char *a, const void *b, size_t blen)
{
    size_t alen = strlen(a) + 1;
    uint8_t *payload = local.m.bytes + sizeof(struct xsd_sockmsg);

    if (alen + blen > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    memcpy(payload, a, alen);
    if (blen)
        memcpy(payload + alen, b, blen);
    local.m.hdr = (struct xsd_sockmsg){ .type = type, .len = (uint32_t)(alen + blen) };
    xs_msg_handle(&srv, 0, &local.m.hdr, payload, &reply);
    xs_msg_finish(&srv, 0, &local.m.hdr, payload, &reply);
    if (reply.hdr.type != XS_ERROR)
        return 0;
    memcpy(local.m.bytes, &reply.hdr, sizeof(reply.hdr) + reply.hdr.len);
    return xs_frame_error(&local);
}

int xsd_read(const char *path, char *out, size_t room)
{
    int rc = local_request(XS_READ, path, NULL, 0);

    if (rc)
        return rc;
    if (reply.hdr.len >= room)
        return -XEN_E2BIG;
    memcpy(out, reply.body, reply.hdr.len);
    out[reply.hdr.len] = 0;
    return (int)reply.hdr.len;
}

int xsd_write(const char *path, const char *value)
{
    return local_request(XS_WRITE, path, value, strlen(value));
}

int xsd_mkdir(const char *path)
{
    return local_request(XS_MKDIR, path, NULL, 0);
}

int xsd_rm(const char *path)
{
    return local_request(XS_RM, path, NULL, 0);
}

int xsd_set_perms(const char *path, const char *perms, size_t len)
{
    return local_request(XS_SET_PERMS, path, perms, len);
}

int xsd_watch(const char *path, const char *token)
{
    return local_request(XS_WATCH, path, token, strlen(token) + 1);
}

int xsd_unwatch(const char *path, const char *token)
{
    return local_request(XS_UNWATCH, path, token, strlen(token) + 1);
}

/* "n<owner>\0" then, if reader is not the owner, "r<reader>\0". */
static size_t perms(char *out, size_t room, domid_t owner, domid_t reader)
{
    size_t n = (size_t)snprintf(out, room, "n%u", owner) + 1;

    if (reader != owner)
        n += (size_t)snprintf(out + n, room - n, "r%u", reader) + 1;
    return n;
}

int xsd_put(const char *path, const char *value, domid_t owner, domid_t reader)
{
    char p[16];
    int rc = value ? xsd_write(path, value) : xsd_mkdir(path);

    return rc ? rc : xsd_set_perms(path, p, perms(p, sizeof(p), owner, reader));
}
