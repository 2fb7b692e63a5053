/*
 * Tern guest kernel, domain 0's backends: netback's per-vif state, shared
 * by the handshake (netback.c), the data path (netback_ring.c) and the
 * bridge (netbridge.c). A vif's index in vifs[] is its bridge port.
 */
#ifndef BACKEND_NETBACK_VIF_H
#define BACKEND_NETBACK_VIF_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/netif.h>
#include <public/io/xenbus.h>
#include "backend/ring_map.h"
#include "net/netback_req.h"

#define NETBK_VIFS      8
#define NETBK_NIC_PORT  NETBK_VIFS        /* the e1000's bridge port */
#define NETBK_PATH_LEN  80

struct vif {
    bool used;                  /* a backend directory was found */
    bool connected;             /* rings mapped, port bound */
    domid_t dom;
    uint32_t n;
    uint8_t mac[6];             /* the toolstack's: every frame's source */
    char be[NETBK_PATH_LEN], fe[NETBK_PATH_LEN];
    enum xenbus_state state;    /* what we last wrote to be/state */
    struct ring_map txm, rxm;
    evtchn_port_t port;
    struct netbk_config cfg;
    RING_IDX tx_req_cons, tx_rsp_prvt;   /* tx: requests read, responses made */
    RING_IDX rx_req_cons, rx_rsp_prvt;   /* rx: buffers taken, responses made */
    uint32_t tx_packets, tx_dropped, rx_packets, rx_dropped;
};

extern struct vif vifs[NETBK_VIFS];

/* netback.c: stop serving v (said with why); its state goes Closing. */
void netback_disconnect(struct vif *v, const char *why);
/* netback.c: work is left over; the loop makes another pass at once. */
void netback_more(void);

/* netback_ring.c: the vif's tx requests (a bounded number), each packet
 * handed to the bridge. */
void netvif_tx_pass(struct vif *v);
/* One frame (at the start of a page-aligned buffer of ours, len <= 4096)
 * into the frontend's next posted rx buffer; dropped when none is posted. */
void netvif_deliver(struct vif *v, const uint8_t *frame, uint32_t len);

/* netbridge.c: a frame that came in by port (at the start of a
 * page-aligned buffer of ours) goes where the bridge says. */
void netbridge_input(int port, const uint8_t *frame, uint32_t len);
void netbridge_port_gone(int port);
/* A vif joins: its MAC pinned to its port (false: refused). */
bool netbridge_port_join(int port, const uint8_t *mac);
/* The e1000: started if found (false: none), its interrupt a pirq whose
 * handler calls wake (else it is polled each pass); served; stopped. */
bool netbridge_nic_start(void (*wake)(void));
void netbridge_nic_poll(void);
void netbridge_nic_stop(void);

#endif /* BACKEND_NETBACK_VIF_H */
