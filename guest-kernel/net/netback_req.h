/*
 * Tern guest kernel: netback's request checker, pure (no hypercall, no
 * shared memory). It decides, for the slots a frontend put in its tx
 * ring (copied out once by the glue), what the backend does with the
 * packet they describe: send it, answer it with an error, or disconnect
 * the frontend that lied; and, for the rx ring, which posted buffers a
 * received packet goes into.
 *
 * The glue's part, per tx packet:
 *   1. read req_prod once; xen_ring_req_prod_lies() (public/io/ring.h,
 *      rule 3) -> disconnect;
 *   2. copy min(req_prod - req_cons, NETBK_TX_WINDOW) slots out of the
 *      ring, from req_cons, into a local array (never read them again);
 *   3. netbk_tx_check() on that copy gives a struct netbk_tx_plan;
 *   4. NETBK_TX_SEND: grant-copy each data slot (gref, offset, len) out
 *      of the frontend's pages, in order, into one packet of plan.total
 *      bytes (a failed copy makes every response NETIF_RSP_ERROR);
 *      NETBK_TX_DROP: copy nothing;
 *      both: write plan.nr_rsp responses (plan.rsp[], in ring order) and
 *      advance req_cons by plan.consumed;
 *      NETBK_TX_DISCONNECT: consume and answer nothing, stop serving this
 *      frontend (as Linux's xenvif_fatal_tx_err), print plan.reason.
 * Per rx packet: netbk_rx_slots() says how many posted requests it needs;
 * for each request copied out, netbk_rx_check() says whether its buffer
 * may be written; netbk_rx_fragment() gives each response.
 */
#ifndef GUEST_NETBACK_REQ_H
#define GUEST_NETBACK_REQ_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/netif.h>

/* Data slots one packet may use (Xen's minimum a backend must accept;
 * Linux's XEN_NETBK_LEGACY_SLOTS_MAX). More, up to NETBK_FATAL_SLOTS, is
 * dropped with an error; beyond that the frontend is disconnected. */
#define NETBK_MAX_SLOTS    XEN_NETIF_NR_SLOTS_MIN
#define NETBK_FATAL_SLOTS  20
/* Extra-info slots one packet may carry: one of each valid type. */
#define NETBK_MAX_EXTRAS   (XEN_NETIF_EXTRA_TYPE_MAX - 1)
/* The most ring slots one packet may take; the glue copies this many
 * (or fewer, when fewer are produced) for netbk_tx_check. */
#define NETBK_TX_WINDOW    (NETBK_FATAL_SLOTS + NETBK_MAX_EXTRAS)

#define NETBK_PAGE_SIZE    4096u
#define NETBK_MIN_PACKET   14u            /* an Ethernet header */

/* What the backend offered this frontend (written once at connection). */
struct netbk_config {
    uint32_t max_packet;        /* 1514 (the MTU) without GSO, at most 65535 */
    bool gso_tcpv4;             /* feature-gso-tcpv4 offered */
    bool multicast_control;     /* the frontend set request-multicast-control */
};

enum netbk_tx_verdict {
    NETBK_TX_SEND,              /* a packet: copy it out, answer OKAY */
    NETBK_TX_CONTROL,           /* only a multicast filter change: answer OKAY */
    NETBK_TX_DROP,              /* answer every slot, status in rsp[] */
    NETBK_TX_DISCONNECT,        /* the frontend lied: answer nothing */
};

/* One data slot's bytes in the frontend's pages. */
struct netbk_tx_seg {
    grant_ref_t gref;
    uint16_t offset, len;
};

/* One response to write, in ring order. */
struct netbk_tx_rsp {
    uint16_t id;
    int16_t status;             /* NETIF_RSP_*; NULL for an extra-info slot */
};

struct netbk_tx_plan {
    enum netbk_tx_verdict verdict;
    const char *reason;         /* why, unless SEND / CONTROL */
    uint32_t consumed;          /* ring slots (data and extras) */
    uint32_t total;             /* the packet's bytes (SEND) */
    uint32_t nr_segs;
    struct netbk_tx_seg segs[NETBK_MAX_SLOTS];
    uint32_t nr_rsp;            /* == consumed, except on DISCONNECT (0) */
    struct netbk_tx_rsp rsp[NETBK_TX_WINDOW];
    bool has_gso;               /* a GSO extra came: */
    uint16_t gso_size;          /*   its segment size (the MSS) */
    uint8_t gso_type;           /*   XEN_NETIF_GSO_TYPE_* */
    uint8_t mcast_type;         /* XEN_NETIF_EXTRA_TYPE_MCAST_ADD/DEL, 0: none */
    uint8_t mcast_addr[6];
    bool csum_blank;            /* SEND: NETTXF_csum_blank, the backend fills it */
};

/* Is cfg something the backend may offer? */
bool netbk_config_valid(const struct netbk_config *cfg);

/* Checks the packet starting at slots[0]; `avail` slots were produced and
 * copied (at most NETBK_TX_WINDOW are looked at; avail >= 1). */
void netbk_tx_check(const union netif_tx_sring_entry *slots, uint32_t avail,
                    const struct netbk_config *cfg, struct netbk_tx_plan *plan);

/* ---- receive ---- */

/* Posted rx requests a packet of len bytes needs: 1 per page with
 * feature-sg, else 1 if it fits a page; 0: it cannot be delivered
 * (0 bytes, or too big for this frontend) and is dropped. */
uint32_t netbk_rx_slots(uint32_t len, bool sg);

/* May the buffer of this rx request (copied out of the ring) be written?
 * A reserved grant entry (the console and xenstore pages, the toolstack's)
 * is refused: that request is answered NETIF_RSP_ERROR. */
bool netbk_rx_check(const struct netif_rx_request *req);

/* The response for fragment `index` (0-based, below netbk_rx_slots) of a
 * len-byte packet written into the buffer of req: offset 0, this
 * fragment's length as status, NETRXF_more_data on all but the last. */
void netbk_rx_fragment(const struct netif_rx_request *req, uint32_t len, uint32_t index,
                       struct netif_rx_response *rsp);

#endif /* GUEST_NETBACK_REQ_H */
