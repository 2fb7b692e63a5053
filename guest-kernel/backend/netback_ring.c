/*
 * Tern guest kernel, domain 0's backends: netback's data path, for one
 * connected vif (see netback_vif.h).
 *
 * tx (frontend -> bridge): req_prod is read once and checked (ring.h rule
 * 3: a lie disconnects this vif alone); the slots of one packet are
 * copied out of the shared page into our own array once, and only that
 * copy is looked at (netbk_tx_check decides); the packet's bytes come in
 * by grant copy with the frontend's grant references and its domain id,
 * so the hypervisor checks every one against its grant table: a bad
 * grant fails that copy and the packet is answered NETIF_RSP_ERROR, and
 * no reference can reach another domain's page. A frame whose source
 * MAC is not the vif's own is answered NETIF_RSP_ERROR and dropped (no
 * domain may pose as another and draw its traffic). A packet marked
 * NETTXF_csum_blank (Linux's netfront marks every TCP segment and UDP
 * datagram so) gets its TCP/UDP checksum filled (net/csum_fill.c) before
 * it reaches the bridge; one that cannot be filled (not IPv4 TCP/UDP, a
 * fragment, inconsistent lengths) is answered OKAY and dropped, as Xen's
 * netback does when its checksum_setup fails. At most TX_BUDGET
 * packets a pass: a flooding frontend waits for the next pass (asked
 * for at once), the others are served in between.
 *
 * rx (bridge -> frontend): one posted request per frame (no feature-sg:
 * every frame fits one page), copied out once, checked
 * (netbk_rx_check), and the frame goes in by grant copy into that
 * request's grant: again checked by the hypervisor against the
 * frontend's own table. No posted buffer: the frame is dropped.
 */
#include <public/errno.h>
#include "backend/netback_vif.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "net/csum_fill.h"
#include "xen/hypercall.h"

#define TX_BUDGET 32

static uint8_t tx_pkt[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile struct netif_tx_sring *tx_ring(const struct vif *v)
{
    return v->txm.window;
}

static volatile struct netif_rx_sring *rx_ring(const struct vif *v)
{
    return v->rxm.window;
}

/* A grant copy between the frontend's grant and our own page. */
static int16_t copy(const struct vif *v, grant_ref_t gref, uint16_t goff, const void *ours,
                    uint16_t len, bool to_frontend)
{
    struct gnttab_copy c = { .len = len };
    struct gnttab_copy_ptr fe = { .u.ref = gref, .domid = v->dom, .offset = goff };
    struct gnttab_copy_ptr me = { .u.gmfn = virt_to_mfn(ours), .domid = DOMID_SELF,
                                  .offset = (uint16_t)((uintptr_t)ours & (PAGE_SIZE - 1)) };

    c.source = to_frontend ? me : fe;
    c.dest = to_frontend ? fe : me;
    c.flags = to_frontend ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    if (HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1))
        return GNTST_general_error;
    return c.status;
}

static void notify(const struct vif *v)
{
    gk_evtchn_send(v->port);
}

/* ---- tx ---- */

/* The packet's data slots copied into tx_pkt; false if a copy failed. */
static bool tx_copy_in(const struct vif *v, const struct netbk_tx_plan *p)
{
    uint32_t at = 0;

    for (uint32_t i = 0; i < p->nr_segs; i++) {
        const struct netbk_tx_seg *s = &p->segs[i];

        if (copy(v, s->gref, s->offset, tx_pkt + at, s->len, false) != GNTST_okay)
            return false;
        at += s->len;
    }
    return true;
}

static void tx_respond(struct vif *v, const struct netbk_tx_plan *p, bool failed)
{
    volatile struct netif_tx_sring *s = tx_ring(v);
    RING_IDX old = v->tx_rsp_prvt;

    for (uint32_t i = 0; i < p->nr_rsp; i++) {
        volatile struct netif_tx_response *r =
            &s->ring[xen_ring_slot(v->tx_rsp_prvt++, NET_TX_RING_SIZE)].rsp;
        int16_t st = p->rsp[i].status;

        r->id = p->rsp[i].id;
        r->status = failed && st == NETIF_RSP_OKAY ? NETIF_RSP_ERROR : st;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);        /* responses before rsp_prod */
    s->hdr.rsp_prod = v->tx_rsp_prvt;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (xen_ring_need_notify(v->tx_rsp_prvt, old, s->hdr.rsp_event))
        notify(v);
}

/* The slots from req_cons on, at most a packet's worth, copied out of the
 * shared page once: how many. */
static uint32_t copy_slots(const struct vif *v, RING_IDX prod,
                           union netif_tx_sring_entry *slots)
{
    uint32_t avail = xen_ring_distance(prod, v->tx_req_cons);

    if (avail > NETBK_TX_WINDOW)
        avail = NETBK_TX_WINDOW;
    for (uint32_t i = 0; i < avail; i++)
        slots[i] = tx_ring(v)->ring[xen_ring_slot(v->tx_req_cons + i, NET_TX_RING_SIZE)];
    return avail;
}

/* One packet from the ring: false when there was none (or the vif went). */
static bool tx_one(struct vif *v, RING_IDX prod)
{
    union netif_tx_sring_entry slots[NETBK_TX_WINDOW];
    static struct netbk_tx_plan plan;
    bool failed = false;

    netbk_tx_check(slots, copy_slots(v, prod, slots), &v->cfg, &plan);
    if (plan.verdict == NETBK_TX_DISCONNECT) {
        netback_disconnect(v, plan.reason);
        return false;
    }
    if (plan.verdict == NETBK_TX_SEND)
        failed = !tx_copy_in(v, &plan) || memcmp(tx_pkt + 6, v->mac, 6) != 0;
    v->tx_req_cons += plan.consumed;
    tx_respond(v, &plan, failed);
    if (!failed && plan.verdict == NETBK_TX_SEND && plan.csum_blank &&
        net_csum_fill(tx_pkt, plan.total) != NET_OK)
        failed = true;          /* answered OKAY, dropped: as Xen's netback */
    if (plan.verdict != NETBK_TX_SEND || failed) {
        v->tx_dropped++;
        return true;
    }
    v->tx_packets++;
    netbridge_input((int)(v - vifs), tx_pkt, plan.total);
    return true;
}

void netvif_tx_pass(struct vif *v)
{
    unsigned int done;

    for (done = 0; v->connected && done < TX_BUDGET; done++) {
        volatile struct netif_tx_sring *s = tx_ring(v);
        RING_IDX prod = s->hdr.req_prod;

        __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the index before the slots */
        if (xen_ring_req_prod_lies(prod, v->tx_rsp_prvt, NET_TX_RING_SIZE)) {
            netback_disconnect(v, "tx req_prod beyond its ring");
            return;
        }
        if (prod == v->tx_req_cons) {
            s->hdr.req_event = v->tx_req_cons + 1;  /* wake us for the next one */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (s->hdr.req_prod == prod)
                return;
            continue;
        }
        if (!tx_one(v, prod))
            return;
    }
    if (done == TX_BUDGET)
        netback_more();                             /* the rest in the next pass */
}

/* ---- rx ---- */

static void rx_respond(struct vif *v, const struct netif_rx_response *rsp)
{
    volatile struct netif_rx_sring *s = rx_ring(v);
    volatile struct netif_rx_response *r =
        &s->ring[xen_ring_slot(v->rx_rsp_prvt, NET_RX_RING_SIZE)].rsp;
    RING_IDX old = v->rx_rsp_prvt++;

    r->id = rsp->id;
    r->offset = rsp->offset;
    r->flags = rsp->flags;
    r->status = rsp->status;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->hdr.rsp_prod = v->rx_rsp_prvt;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (xen_ring_need_notify(v->rx_rsp_prvt, old, s->hdr.rsp_event))
        notify(v);
}

void netvif_deliver(struct vif *v, const uint8_t *frame, uint32_t len)
{
    volatile struct netif_rx_sring *s = rx_ring(v);
    struct netif_rx_request req;
    struct netif_rx_response rsp;
    RING_IDX prod;

    if (!v->connected)
        return;
    prod = s->hdr.req_prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (xen_ring_req_prod_lies(prod, v->rx_rsp_prvt, NET_RX_RING_SIZE)) {
        netback_disconnect(v, "rx req_prod beyond its ring");
        return;
    }
    if (prod == v->rx_req_cons || netbk_rx_slots(len, false) != 1) {
        v->rx_dropped++;                            /* no buffer posted */
        return;
    }
    req = s->ring[xen_ring_slot(v->rx_req_cons++, NET_RX_RING_SIZE)].req;
    netbk_rx_fragment(&req, len, 0, &rsp);
    if (!netbk_rx_check(&req) || copy(v, req.gref, 0, frame, (uint16_t)len, true) != GNTST_okay)
        rsp.status = NETIF_RSP_ERROR;
    else
        v->rx_packets++;
    rx_respond(v, &rsp);
}
