/*
 * Tern guest kernel: netfront (see netfront.h).
 * Invariants: a request is written before req_prod moves past it and a
 * response is read only below the rsp_prod read before it (barriers
 * between); an id the backend answers is checked against what we posted
 * before it names a buffer; a response's offset and size must lie in the
 * page; a page is freed only after its grant ended (the backend no
 * longer maps or copies it).
 */
#include <public/errno.h>
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "net/net_text.h"
#include "net/netfront.h"
#include "xen/gnttab.h"
#include "xen/xenbus.h"
#include "xen/xenbus_state.h"

#define STEP_NS     (10 * NS_PER_S)
#define VALUE_LEN   48

static void *new_page(struct netfront *nf)
{
    long pfn = page_alloc();

    if (pfn < 0)
        return NULL;
    nf->pfns[nf->nr_pfns++] = pfn;
    return pfn_to_virt((uint64_t)pfn);
}

static int read_node(const char *dir, const char *key, char *out, size_t room)
{
    char path[NF_PATH_LEN + 32];
    int n;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    n = xenbus_read(0, path, out, room - 1);
    if (n >= 0)
        out[n] = '\0';
    return n;
}

static int write_node(const char *dir, const char *key, const char *fmt, uint32_t v)
{
    char path[NF_PATH_LEN + 32], value[16];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    snprintf(value, sizeof(value), fmt, v);
    return xenbus_write(0, path, value);
}

/* ---- discovery ---- */

static int discover(struct netfront *nf)
{
    char v[VALUE_LEN];

    snprintf(nf->fe, sizeof(nf->fe), "device/vif/0");
    if (read_node(nf->fe, "backend", nf->be, sizeof(nf->be)) <= 0)
        return -XEN_ENODEV;
    if (read_node(nf->fe, "backend-id", v, sizeof(v)) <= 0 || v[0] < '0' || v[0] > '9')
        return -XEN_ENODEV;
    nf->be_dom = 0;
    for (const char *p = v; *p >= '0' && *p <= '9'; p++)
        nf->be_dom = (domid_t)(nf->be_dom * 10 + (*p - '0'));
    if (read_node(nf->fe, "mac", v, sizeof(v)) <= 0 || !net_parse_mac(v, nf->mac))
        return -XEN_EINVAL;
    if (read_node(nf->be, "ip", v, sizeof(v)) <= 0 || !net_parse_ipv4(v, &nf->ip))
        nf->ip = 0;
    return 0;
}

/* ---- rings and buffers ---- */

static void on_port(evtchn_port_t port, struct regs *r, void *data)
{
    struct netfront *nf = data;

    (void)port;
    (void)r;
    nf->events++;
}

static void post_rx(struct netfront *nf, uint16_t id)
{
    volatile struct netif_rx_request *req =
        &nf->rx->ring[xen_ring_slot(nf->rx_prod++, NET_RX_RING_SIZE)].req;

    req->id = id;
    req->gref = (grant_ref_t)nf->rxref[id];
}

static void push_rx(struct netfront *nf)
{
    RING_IDX old = nf->rx->hdr.req_prod;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);        /* requests before req_prod */
    nf->rx->hdr.req_prod = nf->rx_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (xen_ring_need_notify(nf->rx_prod, old, nf->rx->hdr.req_event))
        gk_evtchn_send(nf->port);
}

static int grant(struct netfront *nf, void *page, bool ro)
{
    return gnttab_grant(nf->be_dom, virt_to_mfn(page), ro);
}

static int set_up_buffers(struct netfront *nf)
{
    for (unsigned int i = 0; i < NF_TX; i++) {
        nf->txbuf[i] = new_page(nf);
        if (!nf->txbuf[i] || (nf->txref[i] = grant(nf, nf->txbuf[i], true)) < 0)
            return -XEN_ENOMEM;
    }
    for (unsigned int i = 0; i < NF_RX; i++) {
        nf->rxbuf[i] = new_page(nf);
        if (!nf->rxbuf[i] || (nf->rxref[i] = grant(nf, nf->rxbuf[i], false)) < 0)
            return -XEN_ENOMEM;
        post_rx(nf, (uint16_t)i);
    }
    return 0;
}

static int set_up_rings(struct netfront *nf)
{
    long rc;

    nf->tx = new_page(nf);
    nf->rx = new_page(nf);
    if (!nf->tx || !nf->rx)
        return -XEN_ENOMEM;
    nf->tx->hdr.rsp_event = nf->rx->hdr.rsp_event = 1;
    nf->tx_ring_ref = grant(nf, (void *)nf->tx, false);
    nf->rx_ring_ref = grant(nf, (void *)nf->rx, false);
    if (nf->tx_ring_ref < 0 || nf->rx_ring_ref < 0)
        return -XEN_ENOMEM;
    rc = gk_evtchn_alloc_unbound(nf->be_dom, &nf->port);
    if (rc)
        return (int)rc;
    gk_evtchn_attach(nf->port, on_port, nf);
    rc = set_up_buffers(nf);
    if (rc)
        return (int)rc;
    nf->rx->hdr.req_prod = nf->rx_prod;
    return 0;
}

static int publish(struct netfront *nf)
{
    int rc = set_up_rings(nf);

    rc = rc ?: write_node(nf->fe, "tx-ring-ref", "%u", (uint32_t)nf->tx_ring_ref);
    rc = rc ?: write_node(nf->fe, "rx-ring-ref", "%u", (uint32_t)nf->rx_ring_ref);
    rc = rc ?: write_node(nf->fe, "event-channel", "%u", nf->port);
    rc = rc ?: write_node(nf->fe, "request-rx-copy", "%u", 1);
    rc = rc ?: write_node(nf->fe, "feature-rx-notify", "%u", 1);
    return rc ?: xenbus_switch_state(nf->fe, XenbusStateInitialised);
}

/* ---- the handshake ---- */

static enum xenbus_state own_state(const struct netfront *nf)
{
    enum xenbus_state st = XenbusStateUnknown;

    xenbus_read_state(nf->fe, &st);
    return st;
}

/* Waits until the handshake is done (Connected) or fails. */
static int handshake(struct netfront *nf)
{
    uint64_t deadline = time_now_ns() + STEP_NS;
    enum xenbus_state be;
    int rc;

    while (time_now_ns() < deadline) {
        if (xenbus_read_state(nf->be, &be) != 0)
            be = XenbusStateUnknown;
        switch (xenbus_frontend_next(own_state(nf), be)) {
        case XB_PUBLISH:
            rc = publish(nf);
            if (rc)
                return rc;
            break;
        case XB_CONNECT:
            return xenbus_switch_state(nf->fe, XenbusStateConnected);
        case XB_WAIT:
            time_sleep_ns(2 * NS_PER_MS);
            break;
        default:
            return -XEN_EIO;
        }
    }
    return -XEN_ETIMEDOUT;
}

int netfront_up(struct netfront *nf)
{
    int rc;

    memset(nf, 0, sizeof(*nf));
    nf->tx_ring_ref = nf->rx_ring_ref = -1;           /* no grant yet */
    for (unsigned int i = 0; i < NF_TX; i++)
        nf->txref[i] = -1;
    for (unsigned int i = 0; i < NF_RX; i++)
        nf->rxref[i] = -1;
    rc = gnttab_init() ?: discover(nf);
    if (rc)
        return rc;
    rc = handshake(nf);
    if (rc) {
        netfront_down(nf);
        return rc;
    }
    nf->connected = true;
    return 0;
}

/* ---- data ---- */

/* Every tx response there, then the final check: rsp_event asks for an
 * event at the next one, and rsp_prod is read again after it, so a
 * response the backend published before seeing rsp_event is reaped here
 * instead of being waited for without an event. */
static void tx_reap(struct netfront *nf)
{
    RING_IDX prod;

    do {
        prod = nf->tx->hdr.rsp_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the index before the slots */
        while (nf->tx_cons != prod) {
            uint16_t id = nf->tx->ring[xen_ring_slot(nf->tx_cons++, NET_TX_RING_SIZE)].rsp.id;

            if (id < NF_TX)
                nf->tx_busy[id] = false;
        }
        nf->tx->hdr.rsp_event = nf->tx_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* rsp_event before rsp_prod */
    } while (nf->tx->hdr.rsp_prod != prod);
}

bool netfront_tx_idle(struct netfront *nf)
{
    tx_reap(nf);
    for (unsigned int id = 0; id < NF_TX; id++)
        if (nf->tx_busy[id])
            return false;
    return true;
}

int netfront_send(struct netfront *nf, const void *frame, size_t len)
{
    volatile struct netif_tx_request *req;
    RING_IDX old;
    unsigned int id = 0;

    if (!nf->connected || len < 14 || len > PAGE_SIZE)
        return -XEN_EINVAL;
    tx_reap(nf);
    while (id < NF_TX && nf->tx_busy[id])
        id++;
    if (id == NF_TX)
        return -XEN_EAGAIN;
    memcpy(nf->txbuf[id], frame, len);
    nf->tx_busy[id] = true;
    req = &nf->tx->ring[xen_ring_slot(nf->tx_prod++, NET_TX_RING_SIZE)].req;
    *req = (struct netif_tx_request){ .gref = (grant_ref_t)nf->txref[id], .offset = 0,
                                      .flags = 0, .id = (uint16_t)id, .size = (uint16_t)len };
    old = nf->tx->hdr.req_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    nf->tx->hdr.req_prod = nf->tx_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (xen_ring_need_notify(nf->tx_prod, old, nf->tx->hdr.req_event))
        gk_evtchn_send(nf->port);
    return 0;
}

/* The response's frame into buf, if it is one we can believe. */
static size_t take(struct netfront *nf, const struct netif_rx_response *r, void *buf,
                   size_t cap)
{
    size_t len = r->status > 0 ? (size_t)r->status : 0;

    if (len == 0 || (size_t)r->offset + len > PAGE_SIZE || len > cap ||
        (r->flags & (NETRXF_more_data | NETRXF_extra_info))) {
        nf->rx_bad++;
        return 0;
    }
    memcpy(buf, nf->rxbuf[r->id] + r->offset, len);
    return len;
}

size_t netfront_recv(struct netfront *nf, void *buf, size_t cap)
{
    struct netif_rx_response r;
    RING_IDX prod;
    size_t len = 0;

    while (nf->connected && len == 0) {
        prod = nf->rx->hdr.rsp_prod;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (prod == nf->rx_cons) {
            nf->rx->hdr.rsp_event = nf->rx_cons + 1;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (nf->rx->hdr.rsp_prod == prod)
                return 0;
            continue;
        }
        r = nf->rx->ring[xen_ring_slot(nf->rx_cons++, NET_RX_RING_SIZE)].rsp;
        if (r.id >= NF_RX) {
            nf->rx_bad++;
            continue;                               /* names no buffer of ours */
        }
        len = take(nf, &r, buf, cap);
        post_rx(nf, r.id);
        push_rx(nf);
    }
    return len;
}

/* ---- teardown ---- */

static void close_handshake(struct netfront *nf)
{
    uint64_t deadline = time_now_ns() + STEP_NS;
    enum xenbus_state be;

    xenbus_switch_state(nf->fe, XenbusStateClosing);
    while (time_now_ns() < deadline) {
        if (xenbus_read_state(nf->be, &be) != 0)
            return;
        if (xenbus_frontend_next(XenbusStateClosing, be) != XB_WAIT)
            break;
        time_sleep_ns(2 * NS_PER_MS);
    }
    xenbus_switch_state(nf->fe, XenbusStateClosed);
}

static bool end_grant(int *ref)
{
    if (*ref < 0 || gnttab_end((grant_ref_t)*ref)) {
        *ref = -1;
        return true;
    }
    return false;
}

void netfront_down(struct netfront *nf)
{
    bool all = true;

    if (nf->fe[0])
        close_handshake(nf);
    if (nf->port)
        gk_evtchn_detach(nf->port);
    all &= end_grant(&nf->tx_ring_ref) & end_grant(&nf->rx_ring_ref);
    for (unsigned int i = 0; i < NF_TX; i++)
        all &= end_grant(&nf->txref[i]);
    for (unsigned int i = 0; i < NF_RX; i++)
        all &= end_grant(&nf->rxref[i]);
    nf->connected = false;
    if (!all) {
        printk("netfront: the backend still uses a grant; its pages are kept\n");
        return;
    }
    while (nf->nr_pfns)
        page_free((uint64_t)nf->pfns[--nf->nr_pfns]);
}
