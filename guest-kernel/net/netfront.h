/*
 * Tern guest kernel: netfront, the frontend half of Xen's network
 * protocol (public/io/netif.h) for the domain's first vif
 * (device/vif/0), as Linux's xen-netfront and Mini-OS's netfront do it:
 * the xenbus handshake (xen/xenbus_state.c decides each step), a tx and
 * an rx ring in pages granted to the backend, NF_RX receive buffers
 * posted (granted writable) and re-posted as soon as a frame is taken out,
 * NF_TX transmit buffers (granted read-only), request-rx-copy=1 (the
 * backend copies into our buffers; Tern's netback offers only that).
 * Frames of at most one page: no feature-sg, no GSO.
 */
#ifndef GUEST_NET_NETFRONT_H
#define GUEST_NET_NETFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/netif.h>

#define NF_TX 8
#define NF_RX 16
#define NF_PATH_LEN 80

struct netfront {
    char fe[NF_PATH_LEN], be[NF_PATH_LEN];
    domid_t be_dom;
    uint8_t mac[6];
    uint32_t ip;                    /* the backend directory's ip=, or 0 */
    volatile struct netif_tx_sring *tx;
    volatile struct netif_rx_sring *rx;
    int tx_ring_ref, rx_ring_ref;
    uint32_t port;
    RING_IDX tx_prod, tx_cons, rx_prod, rx_cons;
    uint8_t *txbuf[NF_TX], *rxbuf[NF_RX];
    int txref[NF_TX], rxref[NF_RX];
    bool tx_busy[NF_TX];
    long pfns[2 + NF_TX + NF_RX];   /* every page we allocated */
    unsigned int nr_pfns;
    volatile uint32_t events;       /* events from the backend since cleared */
    uint32_t rx_bad;                /* responses refused (bad id, bad size) */
    bool connected;
};

/* Finds device/vif/0, runs the handshake until Connected: 0, or a
 * negative Xen errno (-XEN_ENODEV: no vif; -XEN_ETIMEDOUT: the backend
 * never moved). On failure everything is given back. */
int netfront_up(struct netfront *nf);
/* Queues one frame (14..4096 bytes): 0, -XEN_EAGAIN (every tx buffer in
 * flight), -XEN_EINVAL. */
int netfront_send(struct netfront *nf, const void *frame, size_t len);
/* Has the backend answered every frame sent (no tx buffer in flight)? */
bool netfront_tx_idle(struct netfront *nf);
/* The next received frame copied into buf (at most cap bytes, longer ones
 * dropped): its length, or 0 when none is there. */
size_t netfront_recv(struct netfront *nf, void *buf, size_t cap);
/* Closes the device (Closing, then Closed once the backend let go) and
 * ends every grant and frees every page, once the backend no longer
 * uses them; a grant it still uses is said and its page kept. */
void netfront_down(struct netfront *nf);

#endif /* GUEST_NET_NETFRONT_H */
