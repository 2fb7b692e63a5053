/*
 * Tern guest kernel, domain 0's backends: netback's vifs and their
 * xenbus handshake (see netback.h), as Linux's xen-netback does it:
 *
 *   backend directory found -> feature-rx-copy=1 (required: received
 *   frames are grant-copied into the frontend's buffers), feature-sg=0,
 *   feature-rx-flip=0, feature-gso-tcpv4=0 written; state InitWait;
 *   frontend Initialised or Connected -> tx-ring-ref, rx-ring-ref,
 *   event-channel read (request-rx-copy must be 1), both rings mapped,
 *   the port bound; state Connected;
 *   frontend Closing/Closed, or nonsense -> everything unmapped and
 *   unbound, state Closing, then Closed.
 *
 * Which step comes next is xenbus_backend_next()'s decision
 * (xen/xenbus_state.c), the same rules blkback follows. The watch
 * callback only takes note (it runs inside xenstored); the work is done
 * in netback_serve(). Every value read from the frontend's directory is
 * parsed strictly; a frontend that writes nonsense is refused alone.
 * A vif's rings are unmapped before its state says Closing, and always
 * before its domain's frames go back (netback_release), so no mapping
 * of ours outlives the frontend.
 */
#include <public/errno.h>
#include "backend/netback.h"
#include "backend/netback_vif.h"
#include "backend/xenstored.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "net/net_text.h"
#include "xen/xenbus_state.h"

#define TOKEN       "netback"
#define VIF_DIR     "/local/domain/0/backend/vif"
#define PENDING_MAX 16
#define VALUE_LEN   32

struct vif vifs[NETBK_VIFS];

static uint8_t windows[NETBK_VIFS][2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static void (*event_cb)(void);
static volatile bool dirty;
static struct { uint16_t dom; uint32_t n; } pending[PENDING_MAX];
static unsigned int nr_pending;

static const struct netbk_config offered = { .max_packet = 1514 };

static int node(const struct vif *v, bool frontend, const char *key, char *out, size_t room)
{
    char path[NETBK_PATH_LEN + 32];
    int n;

    snprintf(path, sizeof(path), "%s/%s", frontend ? v->fe : v->be, key);
    n = xsd_read(path, out, room - 1);
    if (n < 0)
        return n;
    out[n] = '\0';
    return n;
}

/* A frontend's number: decimal, below max; false otherwise. */
static bool read_number(const struct vif *v, const char *key, uint32_t max, uint32_t *out)
{
    char buf[VALUE_LEN];
    uint64_t x = 0;
    int n = node(v, true, key, buf, sizeof(buf));

    if (n <= 0 || n > 10)
        return false;
    for (int i = 0; i < n; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(buf[i] - '0');
    }
    if (x > max)
        return false;
    *out = (uint32_t)x;
    return true;
}

static void put_be(const struct vif *v, const char *key, const char *value)
{
    char path[NETBK_PATH_LEN + 32];

    snprintf(path, sizeof(path), "%s/%s", v->be, key);
    xsd_put(path, value, 0, v->dom);
}

static void switch_state(struct vif *v, enum xenbus_state st)
{
    char s[4] = { (char)('0' + st), 0 };

    v->state = st;
    put_be(v, "state", s);
}

/* ---- found, connected, disconnected ---- */

static struct vif *vif_of(domid_t dom, uint32_t n)
{
    for (unsigned int i = 0; i < NETBK_VIFS; i++)
        if (vifs[i].used && vifs[i].dom == dom && vifs[i].n == n)
            return &vifs[i];
    return NULL;
}

static struct vif *free_vif(void)
{
    for (unsigned int i = 0; i < NETBK_VIFS; i++)
        if (!vifs[i].used)
            return &vifs[i];
    return NULL;
}

/* A backend directory the toolstack wrote: offer our features, InitWait. */
static void adopt(uint16_t dom, uint32_t n)
{
    struct vif *v;
    char path[NETBK_PATH_LEN + 16];

    if (vif_of(dom, n) || !(v = free_vif()))
        return;
    *v = (struct vif){ .dom = dom, .n = n, .cfg = offered };
    snprintf(v->be, sizeof(v->be), VIF_DIR "/%u/%u", dom, n);
    if (node(v, false, "frontend", v->fe, sizeof(v->fe)) <= 0 ||
        node(v, false, "mac", path, sizeof(path)) <= 0)
        return;                                 /* not written yet: a later event */
    if (!net_parse_mac(path, v->mac)) {
        printk("netback: vif%u.%u: mac \"%s\" is malformed; not served\n", dom, n, path);
        return;
    }
    v->used = true;
    put_be(v, "feature-rx-copy", "1");
    put_be(v, "feature-rx-flip", "0");
    put_be(v, "feature-sg", "0");
    put_be(v, "feature-gso-tcpv4", "0");
    snprintf(path, sizeof(path), "%s/state", v->fe);
    xsd_watch(path, TOKEN);
    switch_state(v, XenbusStateInitWait);
    printk("netback: vif%u.%u: waiting for its frontend\n", dom, n);
}

static void on_port(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    event_cb();
}

/* The frontend's rings and port: 0, or why not. */
static const char *map_rings(struct vif *v)
{
    uint32_t tx, rx, port, copy;
    long rc;

    if (!read_number(v, "tx-ring-ref", 0xffffffffu, &tx) ||
        !read_number(v, "rx-ring-ref", 0xffffffffu, &rx) ||
        !read_number(v, "event-channel", 0xffffffffu, &port))
        return "ring references or event channel missing or malformed";
    if (!read_number(v, "request-rx-copy", 1, &copy) || copy != 1)
        return "request-rx-copy is not 1 (rx-copy is required)";
    if (ring_map(&v->txm, v->dom, tx, windows[v - vifs][0]) != GNTST_okay)
        return "tx ring grant cannot be mapped";
    if (ring_map(&v->rxm, v->dom, rx, windows[v - vifs][1]) != GNTST_okay) {
        ring_unmap(&v->txm);
        return "rx ring grant cannot be mapped";
    }
    rc = gk_evtchn_bind_interdomain(v->dom, port, &v->port);
    if (rc) {
        ring_unmap(&v->rxm);
        ring_unmap(&v->txm);
        return "event channel cannot be bound";
    }
    return NULL;
}

static void connect(struct vif *v)
{
    const char *why = map_rings(v);

    if (why) {
        printk("netback: vif%u.%u: %s; refused\n", v->dom, v->n, why);
        switch_state(v, XenbusStateClosing);
        return;
    }
    v->tx_req_cons = v->tx_rsp_prvt = 0;
    v->rx_req_cons = v->rx_rsp_prvt = 0;
    if (!netbridge_port_join((int)(v - vifs), v->mac))
        printk("netback: vif%u.%u: its mac is another vif's; it will not be reached\n",
               v->dom, v->n);
    v->connected = true;
    gk_evtchn_attach(v->port, on_port, NULL);
    switch_state(v, XenbusStateConnected);
    printk("netback: vif%u.%u: connected\n", v->dom, v->n);
    event_cb();                                 /* requests may already wait */
}

void netback_disconnect(struct vif *v, const char *why)
{
    if (v->connected) {
        gk_evtchn_detach(v->port);
        ring_unmap(&v->rxm);
        ring_unmap(&v->txm);
        v->connected = false;
        netbridge_port_gone((int)(v - vifs));
        printk("netback: vif%u.%u: %s; disconnected (tx %u packets, %u dropped; rx %u, "
               "%u dropped)\n", v->dom, v->n, why, v->tx_packets, v->tx_dropped,
               v->rx_packets, v->rx_dropped);
    }
    if (v->state != XenbusStateClosed && v->state != XenbusStateClosing)
        switch_state(v, XenbusStateClosing);
}

void netback_more(void)
{
    event_cb();
}

/* The frontend's state moved (or may have): the handshake's next step. */
static void step(struct vif *v)
{
    char buf[VALUE_LEN];
    enum xenbus_state fe;
    int n = node(v, true, "state", buf, sizeof(buf));

    if (n <= 0 || !xenbus_state_parse(buf, (size_t)n, &fe))
        return;
    switch (xenbus_backend_next(v->state, fe)) {
    case XB_CONNECT:
        connect(v);
        break;
    case XB_CLOSE:
        netback_disconnect(v, "its frontend closed");
        break;
    case XB_BROKEN:
        netback_disconnect(v, "its frontend's state is broken");
        break;
    case XB_CLOSED:
        if (v->state != XenbusStateClosed)
            switch_state(v, XenbusStateClosed);
        break;
    default:
        break;
    }
}

/* ---- the loop's calls ---- */

void netback_init(void (*on_event)(void))
{
    event_cb = on_event;
    xsd_watch(VIF_DIR, TOKEN);
    if (netbridge_nic_start(on_event))
        printk("netback: the e1000 joins the bridge\n");
}

bool netback_on_watch(const char *path, const char *token)
{
    uint16_t dom;
    uint32_t n;

    if (strcmp(token, TOKEN))
        return false;
    dirty = true;
    if (net_parse_vif_backend(path, &dom, &n) && nr_pending < PENDING_MAX) {
        for (unsigned int i = 0; i < nr_pending; i++)
            if (pending[i].dom == dom && pending[i].n == n)
                return true;
        pending[nr_pending].dom = dom;
        pending[nr_pending++].n = n;
    }
    return true;
}

static void handshakes(void)
{
    dirty = false;
    for (unsigned int i = 0; i < nr_pending; i++)
        adopt(pending[i].dom, pending[i].n);
    nr_pending = 0;
    for (unsigned int i = 0; i < NETBK_VIFS; i++)
        if (vifs[i].used)
            step(&vifs[i]);
}

void netback_serve(void)
{
    if (dirty)
        handshakes();
    for (unsigned int i = 0; i < NETBK_VIFS; i++)
        if (vifs[i].connected)
            netvif_tx_pass(&vifs[i]);
    netbridge_nic_poll();
}

void netback_release(domid_t dom)
{
    char path[NETBK_PATH_LEN + 16];

    for (unsigned int i = 0; i < NETBK_VIFS; i++) {
        struct vif *v = &vifs[i];

        if (!v->used || v->dom != dom)
            continue;
        if (v->connected)
            netback_disconnect(v, "its domain ended");
        snprintf(path, sizeof(path), "%s/state", v->fe);
        xsd_unwatch(path, TOKEN);
        v->used = false;
    }
}

void netback_fini(void)
{
    for (unsigned int i = 0; i < NETBK_VIFS; i++)
        if (vifs[i].used)
            netback_release(vifs[i].dom);
    netbridge_nic_stop();
}
