/*
 * Tern guest kernel: xenbus, xenstore's client side (see xenbus.h).
 * Invariants: a request goes into the req ring only where there is room
 * (byte_ring.c), whole before we wait for its reply; a message is taken
 * from the rsp ring only as far as its own length (xs_frame_need), so the
 * next one is never cut; a reply is matched by req_id and anything else
 * that is not a watch event is ignored; watch events are queued, the
 * oldest dropped (and counted) when the queue is full; upcalls stay
 * enabled while we wait, the event handler only counts.
 */
#include <public/errno.h>
#include <public/io/xs_wire.h>
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/byte_ring.h"
#include "xen/xenbus.h"
#include "xen/xenbus_state.h"
#include "xenstore/xs_frame.h"

#define REPLY_WAIT_NS  (10 * NS_PER_S)
#define EVENTS_MAX     8
#define EVENT_LEN      256
#define CHUNK          256
#define XENBUS_STATE_PATH 160

struct watch_event {
    char path[EVENT_LEN], token[EVENT_LEN];
};

static volatile struct xenstore_domain_interface *page;
static evtchn_port_t port;
static volatile uint32_t kicks;
static bool broken;
static uint32_t next_req_id = 1;
static struct xs_frame in;
static struct watch_event queue[EVENTS_MAX];
static unsigned int q_head, q_len, q_dropped;

static void on_event(evtchn_port_t p, struct regs *r, void *data)
{
    (void)p;
    (void)r;
    (void)data;
    kicks++;
}

int xenbus_init(void)
{
    uint64_t mfn = start_info.store_mfn;

    if (page)
        return 0;
    if ((start_info.flags & SIF_INITDOMAIN) || !mfn || !mfn_is_ours(mfn))
        return -XEN_ENODEV;
    page = pfn_to_virt(mfn_to_pfn(mfn));
    port = start_info.store_evtchn;
    gk_evtchn_attach(port, on_event, NULL);
    return 0;
}

volatile void *xenbus_page(void)
{
    return page;
}

static struct byte_ring req_ring(void)
{
    return (struct byte_ring){ .buf = page->req, .size = XENSTORE_RING_SIZE,
                               .cons = &page->req_cons, .prod = &page->req_prod };
}

static struct byte_ring rsp_ring(void)
{
    return (struct byte_ring){ .buf = page->rsp, .size = XENSTORE_RING_SIZE,
                               .cons = &page->rsp_cons, .prod = &page->rsp_prod };
}

static bool kicked(void *seen)
{
    return kicks != *(uint32_t *)seen;
}

/* Waits for the daemon's next event or the deadline; false at the deadline. */
static bool wait_kick(uint32_t seen, uint64_t deadline)
{
    return time_wait_until(kicked, &seen, deadline) || time_now_ns() < deadline;
}

static int fail(const char *why)
{
    if (!broken)
        printk("xenbus: %s; xenbus is down\n", why);
    broken = true;
    return -XEN_EIO;
}

/* Puts all n bytes into req, waiting for room. */
static int put_all(const void *src, uint32_t n, uint64_t deadline)
{
    struct byte_ring r = req_ring();
    const char *s = src;

    while (n) {
        uint32_t seen = kicks;
        struct ring_io io = byte_ring_write(&r, s, n);

        if (io.lying)
            return fail("the daemon wrote a bad req_cons");
        s += io.moved;
        n -= io.moved;
        gk_evtchn_send(port);
        if (n && !wait_kick(seen, deadline))
            return -XEN_ETIMEDOUT;
    }
    return 0;
}

static void queue_event(void)
{
    const char *p = (const char *)in.m.bytes + sizeof(struct xsd_sockmsg);
    uint32_t len = in.m.hdr.len, plen = (uint32_t)strnlen(p, len);
    struct watch_event *e;

    if (plen + 1 >= len || plen >= EVENT_LEN || len - plen - 1 > EVENT_LEN)
        return;                                  /* malformed: not an event */
    if (q_len == EVENTS_MAX) {
        q_head = (q_head + 1) % EVENTS_MAX;
        q_len--;
        q_dropped++;
    }
    e = &queue[(q_head + q_len++) % EVENTS_MAX];
    memcpy(e->path, p, plen + 1);
    memcpy(e->token, p + plen + 1, len - plen - 1);
    e->token[len - plen - 2] = 0;
}

/* Takes one whole message from rsp: 1, or 0 if none by the deadline, or
 * a negative error. */
static int take_message(uint64_t deadline)
{
    struct byte_ring r = rsp_ring();
    char buf[CHUNK];
    uint32_t need, used;

    xs_frame_reset(&in);
    while ((need = xs_frame_need(&in)) != 0) {
        uint32_t seen = kicks;
        struct ring_io io = byte_ring_read(&r, buf, need < CHUNK ? need : CHUNK);

        if (io.lying)
            return fail("the daemon wrote a bad rsp_prod");
        if (io.moved) {
            if (ring_was_full(&r, io))
                gk_evtchn_send(port);                /* the daemon waits for room */
            xs_frame_feed(&in, buf, io.moved, &used);
        } else if (!wait_kick(seen, deadline)) {
            return 0;
        }
    }
    return xs_frame_too_long(&in) ? fail("the daemon sent an over-long message") : 1;
}

/* Messages until the reply to req_id. */
static int await_reply(uint32_t req_id, uint64_t deadline)
{
    for (;;) {
        int rc = take_message(deadline);

        if (rc <= 0)
            return rc ? rc : -XEN_ETIMEDOUT;
        if (in.m.hdr.type == XS_WATCH_EVENT)
            queue_event();
        else if (in.m.hdr.req_id == req_id)
            return 0;
    }
}

int xenbus_request(uint32_t type, xenbus_tx_t tx, const void *payload, uint32_t len,
                   char *out, size_t room)
{
    static struct xs_frame msg;                /* header and payload, one write */
    uint64_t deadline = time_now_ns() + REPLY_WAIT_NS;
    uint32_t req_id = next_req_id++;
    int rc;

    if (!page)
        return -XEN_ENODEV;
    if (broken)
        return -XEN_EIO;
    if (len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    msg.m.hdr = (struct xsd_sockmsg){ .type = type, .req_id = req_id, .tx_id = tx,
                                      .len = len };
    memcpy(msg.m.bytes + sizeof(msg.m.hdr), payload, len);
    rc = put_all(msg.m.bytes, (uint32_t)sizeof(msg.m.hdr) + len, deadline) ?:
         await_reply(req_id, deadline) ?: xs_frame_error(&in);
    if (rc)
        return rc;
    if (in.m.hdr.len > room)
        return -XEN_E2BIG;
    memcpy(out, in.m.bytes + sizeof(in.m.hdr), in.m.hdr.len);
    return (int)in.m.hdr.len;
}

static char payload[XENSTORE_PAYLOAD_MAX];
static char scratch[XENSTORE_PAYLOAD_MAX];

/* a (NUL-ended) then b (blen bytes, as they are) in one request. */
static int request2(uint32_t type, xenbus_tx_t tx, const char *a, const void *b,
                    size_t blen, char *out, size_t room)
{
    size_t alen = strlen(a) + 1;

    if (alen + blen > sizeof(payload))
        return -XEN_E2BIG;
    memcpy(payload, a, alen);
    memcpy(payload + alen, b, blen);
    return xenbus_request(type, tx, payload, (uint32_t)(alen + blen), out, room);
}

/* A request whose reply is only "OK". */
static int simple(uint32_t type, xenbus_tx_t tx, const char *a, const void *b, size_t blen)
{
    int rc = request2(type, tx, a, b, blen, scratch, sizeof(scratch));

    return rc < 0 ? rc : 0;
}

/* One argument; the reply NUL-ended into out. */
static int xenbus_read_like(uint32_t type, xenbus_tx_t tx, const char *arg, char *out,
                            size_t room)
{
    int rc = room ? request2(type, tx, arg, "", 0, out, room - 1) : -XEN_E2BIG;

    if (rc >= 0)
        out[rc] = 0;
    return rc;
}

int xenbus_read(xenbus_tx_t tx, const char *path, char *out, size_t room)
{
    return xenbus_read_like(XS_READ, tx, path, out, room);
}

int xenbus_write(xenbus_tx_t tx, const char *path, const char *value)
{
    return simple(XS_WRITE, tx, path, value, strlen(value));
}

int xenbus_mkdir(xenbus_tx_t tx, const char *path)
{
    return simple(XS_MKDIR, tx, path, "", 0);
}

int xenbus_rm(xenbus_tx_t tx, const char *path)
{
    return simple(XS_RM, tx, path, "", 0);
}

int xenbus_directory(xenbus_tx_t tx, const char *path, char *out, size_t room)
{
    return request2(XS_DIRECTORY, tx, path, "", 0, out, room);
}

int xenbus_get_domain_path(unsigned int dom, char *out, size_t room)
{
    char id[12];

    snprintf(id, sizeof(id), "%u", dom);
    return xenbus_read_like(XS_GET_DOMAIN_PATH, 0, id, out, room);
}

int xenbus_watch(const char *path, const char *token)
{
    return simple(XS_WATCH, 0, path, token, strlen(token) + 1);
}

int xenbus_unwatch(const char *path, const char *token)
{
    return simple(XS_UNWATCH, 0, path, token, strlen(token) + 1);
}

int xenbus_transaction_start(xenbus_tx_t *tx)
{
    char id[16];
    int rc = xenbus_read_like(XS_TRANSACTION_START, 0, "", id, sizeof(id));
    uint64_t v = 0;

    if (rc < 0)
        return rc;
    for (const char *p = id; *p; p++) {
        if (*p < '0' || *p > '9' || v > 0xffffffffu / 10)
            return -XEN_EIO;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *tx = (xenbus_tx_t)v;
    return v ? 0 : -XEN_EIO;
}

int xenbus_transaction_end(xenbus_tx_t tx, bool abort)
{
    return simple(XS_TRANSACTION_END, tx, abort ? "F" : "T", "", 0);
}

bool xenbus_next_event(char *path, size_t path_room, char *token, size_t token_room,
                       uint64_t deadline_ns)
{
    while (q_len == 0 && page && !broken) {
        int rc = take_message(deadline_ns);

        if (rc <= 0)
            return false;
        if (in.m.hdr.type == XS_WATCH_EVENT)
            queue_event();
    }
    if (q_len == 0)
        return false;
    snprintf(path, path_room, "%s", queue[q_head].path);
    snprintf(token, token_room, "%s", queue[q_head].token);
    q_head = (q_head + 1) % EVENTS_MAX;
    q_len--;
    return true;
}

int xenbus_read_state(const char *dir, enum xenbus_state *st)
{
    char path[XENBUS_STATE_PATH], v[4];
    int rc;

    snprintf(path, sizeof(path), "%s/state", dir);
    rc = xenbus_read(0, path, v, sizeof(v));
    if (rc < 0)
        return rc;
    return xenbus_state_parse(v, (size_t)rc, st) ? 0 : -XEN_EINVAL;
}

int xenbus_switch_state(const char *dir, enum xenbus_state st)
{
    char path[XENBUS_STATE_PATH], v[4];

    snprintf(path, sizeof(path), "%s/state", dir);
    snprintf(v, sizeof(v), "%u", (unsigned int)st);
    return xenbus_write(0, path, v);
}

void xenbus_forget_events(const char *token)
{
    uint32_t kept = 0;

    for (uint32_t i = 0; i < q_len; i++) {
        const struct watch_event *e = &queue[(q_head + i) % EVENTS_MAX];

        if (strcmp(e->token, token) && kept++ != i)
            queue[(q_head + kept - 1) % EVENTS_MAX] = *e;
    }
    q_len = kept;
}
