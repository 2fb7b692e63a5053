/*
 * Tern guest kernel: net-hostile=<how> (an unprivileged domain), a
 * netfront that breaks the protocol, for netback's tests. It brings its
 * vif up the ordinary way (net/netfront.c), then writes into its own tx
 * ring what no honest frontend would:
 *
 *   lie    1. a request naming a grant entry never granted: answered
 *             NETIF_RSP_ERROR (the grant copy fails; nothing read);
 *          2. a request of 8 bytes (shorter than an Ethernet header):
 *             answered NETIF_RSP_ERROR;
 *          2b. a frame from another domain's MAC (00:16:3e:00:02:00):
 *             answered NETIF_RSP_ERROR, nothing learnt or forwarded;
 *          2c. its posted rx buffers rewritten to name an entry never
 *             granted, then an ARP request to 10.0.0.2: the reply is
 *             answered NETIF_RSP_ERROR in the rx ring (nothing written);
 *          3. a flood: 2048 frames addressed to itself (the bridge drops
 *             them), 200 at a time, every one answered, while the other
 *             domains keep talking;
 *          4. req_prod moved 1000 past what it produced: netback must
 *             disconnect it (backend state Closing) and serve the others;
 *   crash  crashes (SHUTDOWN_crash) with both rings mapped by netback and
 *          requests in flight: domain 0 must unmap them all.
 *
 * Prints "net-hostile: <step>: ok" per step, "net-hostile: FAIL: ..."
 * otherwise.
 */
#include <public/errno.h>
#include "demo/roles.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "kernel/mm.h"
#include "net/arp.h"
#include "net/eth.h"
#include "net/netfront.h"
#include "xen/hypercall.h"
#include "kernel/events.h"
#include "xen/xenbus.h"
#include "xen/xenbus_state.h"

#define WAIT_NS      (2 * NS_PER_S)
#define STATE_POLL_NS (5 * NS_PER_MS)
#define FLOOD        2048
#define FLOOD_BATCH  200
#define NEVER_GRANTED 500                /* below 512, never handed out */

static struct netfront nf;

static void push(RING_IDX prod)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    nf.tx->hdr.req_prod = prod;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gk_evtchn_send(nf.port);
}

static void put(uint16_t id, grant_ref_t gref, uint16_t size)
{
    volatile struct netif_tx_request *r =
        &nf.tx->ring[xen_ring_slot(nf.tx_prod++, NET_TX_RING_SIZE)].req;

    *r = (struct netif_tx_request){ .gref = gref, .offset = 0, .flags = 0, .id = id,
                                    .size = size };
}

static bool answered(void *arg)
{
    return nf.tx->hdr.rsp_prod == *(RING_IDX *)arg;
}

/* Waits until every request so far is answered; the last one's status. */
static int last_status(void)
{
    RING_IDX want = nf.tx_prod;

    nf.tx->hdr.rsp_event = want;
    if (!time_wait_until(answered, &want, time_now_ns() + WAIT_NS))
        return 1000;                                /* no answer at all */
    nf.tx_cons = want;
    return nf.tx->ring[xen_ring_slot(want - 1, NET_TX_RING_SIZE)].rsp.status;
}

static bool expect_error(const char *step, grant_ref_t gref, uint16_t size)
{
    int st;

    put(0, gref, size);
    push(nf.tx_prod);
    st = last_status();
    if (st != NETIF_RSP_ERROR) {
        printk("net-hostile: FAIL: %s: status %d, expected %d\n", step, st, NETIF_RSP_ERROR);
        return false;
    }
    printk("net-hostile: %s: ok (NETIF_RSP_ERROR)\n", step);
    return true;
}

static bool spoof(void)
{
    static const uint8_t other[6] = { 0x00, 0x16, 0x3e, 0x00, 0x02, 0x00 };
    uint8_t *f = nf.txbuf[1];

    memset(f, 0xff, 6);
    memcpy(f + 6, other, 6);
    f[12] = 0x88;
    f[13] = 0xb5;
    return expect_error("spoofed source MAC", (grant_ref_t)nf.txref[1], 60);
}

/* The rx responses since we last looked: true when one is an error. */
static bool rx_error_seen(void *arg)
{
    RING_IDX prod = nf.rx->hdr.rsp_prod;

    (void)arg;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    while (nf.rx_cons != prod)
        if (nf.rx->ring[xen_ring_slot(nf.rx_cons++, NET_RX_RING_SIZE)].rsp.status ==
            NETIF_RSP_ERROR)
            return true;
    nf.rx->hdr.rsp_event = nf.rx_cons + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);        /* final check: rsp_event, then rsp_prod */
    return nf.rx->hdr.rsp_prod != prod && rx_error_seen(arg);
}

/* Every request not answered yet now names an entry never granted (the
 * answered ones are responses now: left alone). */
static void spoil_rx_buffers(void)
{
    RING_IDX from = nf.rx->hdr.rsp_prod;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (RING_IDX i = from; i != nf.rx_prod; i++)
        nf.rx->ring[xen_ring_slot(i, NET_RX_RING_SIZE)].req.gref = NEVER_GRANTED;
}

static bool bad_rx_buffers(void)
{
    static const uint8_t zero[6];
    struct arp_packet p = { .op = ARP_OP_REQUEST, .spa = nf.ip, .tpa = 0x0a000002 };
    bool seen = false;
    size_t n;

    spoil_rx_buffers();
    memcpy(p.sha, nf.mac, 6);
    memcpy(p.tha, zero, 6);
    n = eth_build(nf.txbuf[2], PAGE_SIZE, eth_broadcast, nf.mac, ETH_TYPE_ARP);
    n += arp_build(nf.txbuf[2] + n, PAGE_SIZE - n, &p);
    n = eth_pad(nf.txbuf[2], n, PAGE_SIZE);
    for (unsigned int tries = 0; tries < 5 && !seen; tries++) {
        put(2, (grant_ref_t)nf.txref[2], (uint16_t)n);  /* until 10.0.0.2 is up */
        push(nf.tx_prod);
        last_status();
        seen = time_wait_until(rx_error_seen, NULL, time_now_ns() + NS_PER_S);
    }
    if (!seen) {
        printk("net-hostile: FAIL: bad rx buffers: no NETIF_RSP_ERROR in the rx ring\n");
        return false;
    }
    printk("net-hostile: bad rx buffers: ok (NETIF_RSP_ERROR)\n");
    return true;
}

static bool flood(void)
{
    uint8_t *f = nf.txbuf[0];

    memcpy(f, nf.mac, 6);                           /* to itself: the bridge drops it */
    memcpy(f + 6, nf.mac, 6);
    f[12] = 0x88;
    f[13] = 0xb5;                                   /* local experimental EtherType */
    for (unsigned int sent = 0; sent < FLOOD; sent += FLOOD_BATCH) {
        for (unsigned int i = 0; i < FLOOD_BATCH; i++)
            put(0, (grant_ref_t)nf.txref[0], 60);
        push(nf.tx_prod);
        if (last_status() != NETIF_RSP_OKAY) {
            printk("net-hostile: FAIL: flood: a frame was not answered OKAY\n");
            return false;
        }
    }
    printk("net-hostile: flood: ok (%u frames, every one answered)\n", FLOOD);
    return true;
}

static bool closed_by_backend(void *arg)
{
    enum xenbus_state st = XenbusStateUnknown;

    (void)arg;
    return xenbus_read_state(nf.be, &st) == 0 && st >= XenbusStateClosing;
}

/* The backend's state is polled: its change comes with no event (as on
 * Xen, where netback closes its end of the channel without a word). */
static bool wait_closed(uint64_t deadline)
{
    while (!closed_by_backend(NULL)) {
        if (time_now_ns() >= deadline)
            return false;
        time_sleep_ns(STATE_POLL_NS);
    }
    return true;
}

static bool lie(void)
{
    push(nf.tx_prod + 1000);
    if (!wait_closed(time_now_ns() + WAIT_NS)) {
        printk("net-hostile: FAIL: lying req_prod: the backend still serves us\n");
        return false;
    }
    printk("net-hostile: lying req_prod: ok (the backend closed)\n");
    return true;
}

bool net_hostile_run(void)
{
    char how[8];
    int rc;

    if (!cmdline_option("net-hostile", how, sizeof(how)))
        return false;
    rc = (int)timer_start();
    rc = rc ?: xenbus_init() ?: netfront_up(&nf);
    if (rc) {
        printk("net-hostile: FAIL: no network: %d\n", rc);
        return true;
    }
    if (!strcmp(how, "crash")) {
        put(0, (grant_ref_t)nf.txref[0], 60);
        nf.tx->hdr.req_prod = nf.tx_prod;            /* in flight, not signalled */
        printk("net-hostile: crashing with both rings mapped\n");
        guest_shutdown(SHUTDOWN_crash);
    }
    if (expect_error("ungranted entry", NEVER_GRANTED, 60) &&
        expect_error("8-byte packet", (grant_ref_t)nf.txref[0], 8) && spoof() &&
        bad_rx_buffers() && flood() && lie())
        printk("net-hostile: all steps held\n");
    netfront_down(&nf);
    printk("net-hostile: closed\n");
    return true;
}
