/*
 * Xen's network protocol: what a netfront and its netback put into their
 * two shared rings. Layouts, flags and sizes are Xen's 64-bit ABI
 * (xen/include/public/io/netif.h), written as plain structures. Permission
 * is granted, free of charge, to use, copy, modify and distribute this
 * header for any purpose (MIT licence).
 *
 * Two one-page rings, each granted by the frontend to the backend and
 * laid out as every split-driver ring (public/io/ring.h: a 64-byte header
 * of four free-running indices, then the entries, with its rules):
 *
 *   tx ring   frontend -> backend packets. Entries are 12 bytes (the
 *             request; a response is 4 bytes in the same slot): 256 slots.
 *   rx ring   backend -> frontend packets. The frontend posts empty pages
 *             (8-byte requests); the backend copies a packet into one and
 *             answers in the request's own slot (8 bytes): 256 slots.
 *
 * A transmitted packet is a chain of tx slots:
 *   slot 1          netif_tx_request, flags NETTXF_*, size = the WHOLE
 *                   packet's length (not this slot's)
 *   [extra 1..n]    netif_extra_info, only if slot 1 has NETTXF_extra_info
 *                   (and each further one if the previous one has
 *                   XEN_NETIF_EXTRA_FLAG_MORE); each takes one whole slot
 *   slot 2..m       netif_tx_request, only while the previous data slot
 *                   has NETTXF_more_data; size = this slot's bytes
 * Slot 1 carries the bytes not in slots 2..m: its own length is its size
 * minus the others' sizes. Every data slot's bytes lie in one page
 * (offset + length <= 4096). A backend must accept chains of up to
 * XEN_NETIF_NR_SLOTS_MIN data slots. Each data slot gets one tx response
 * with its id; an extra-info slot gets NETIF_RSP_NULL.
 *
 * A received packet is written by the backend into rx slots: the first
 * response's status is its length (or a negative NETIF_RSP_*), its flags
 * NETRXF_*; an extra-info response may follow (NETRXF_extra_info); further
 * fragments while NETRXF_more_data. Responses must sit in the slots of the
 * requests they consume: Linux's netfront ignores the id.
 *
 * Neither side may trust anything the other put in a ring: copy a slot
 * out once, then check the copy (guest-kernel/net/netback_req.c does).
 */
#ifndef PUBLIC_IO_NETIF_H
#define PUBLIC_IO_NETIF_H

#include <stddef.h>
#include <stdint.h>
#include <public/grant_table.h>
#include <public/io/ring.h>

/* Data slots a backend must accept in one packet (old Linux MAX_SKB_FRAGS). */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* The largest packet a tx chain may describe (slot 1's size is 16 bits). */
#define XEN_NETIF_MAX_TX_SIZE 0xFFFF

/* ---- transmit (frontend -> backend) ---- */

/* tx request flags. */
#define _NETTXF_csum_blank     0
#define NETTXF_csum_blank      (1U << _NETTXF_csum_blank)     /* checksum left to fill */
#define _NETTXF_data_validated 1
#define NETTXF_data_validated  (1U << _NETTXF_data_validated) /* checksum already checked */
#define _NETTXF_more_data      2
#define NETTXF_more_data       (1U << _NETTXF_more_data)      /* another data slot follows */
#define _NETTXF_extra_info     3
#define NETTXF_extra_info      (1U << _NETTXF_extra_info)     /* extra-info slot(s) follow */

/* One tx data slot. Written by the frontend. */
struct netif_tx_request {
    grant_ref_t gref;   /* the page holding this slot's bytes */
    uint16_t offset;    /* where they start in that page */
    uint16_t flags;     /* NETTXF_* */
    uint16_t id;        /* echoed in the response */
    uint16_t size;      /* slot 1: the packet's length; others: this slot's */
};

/* One tx response. Written by the backend, in a consumed request's slot. */
struct netif_tx_response {
    uint16_t id;
    int16_t status;     /* NETIF_RSP_* */
};

/* ---- extra information (a tx slot or an rx response slot) ---- */

#define XEN_NETIF_EXTRA_TYPE_NONE      0   /* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO       1   /* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD 2   /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL 3   /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MAX       4

#define _XEN_NETIF_EXTRA_FLAG_MORE 0
#define XEN_NETIF_EXTRA_FLAG_MORE  (1U << _XEN_NETIF_EXTRA_FLAG_MORE) /* another follows */

#define XEN_NETIF_GSO_TYPE_NONE  0
#define XEN_NETIF_GSO_TYPE_TCPV4 1
#define XEN_NETIF_GSO_TYPE_TCPV6 2

/* 8 bytes, so that it fits an rx response slot as well as a tx slot. */
struct netif_extra_info {
    uint8_t type;       /* XEN_NETIF_EXTRA_TYPE_* */
    uint8_t flags;      /* XEN_NETIF_EXTRA_FLAG_* */
    union {
        struct {
            uint16_t size;      /* the largest segment's payload (the MSS) */
            uint8_t type;       /* XEN_NETIF_GSO_TYPE_* */
            uint8_t pad;
            uint16_t features;
        } gso;
        struct {
            uint8_t addr[6];    /* a multicast MAC address */
        } mcast;
        uint16_t pad[3];
    } u;
};

/* ---- receive (backend -> frontend) ---- */

/* One empty buffer posted by the frontend. */
struct netif_rx_request {
    uint16_t id;        /* echoed in the response */
    uint16_t pad;
    grant_ref_t gref;   /* a whole page the backend may write */
};

/* rx response flags. */
#define _NETRXF_data_validated 0
#define NETRXF_data_validated  (1U << _NETRXF_data_validated)
#define _NETRXF_csum_blank     1
#define NETRXF_csum_blank      (1U << _NETRXF_csum_blank)
#define _NETRXF_more_data      2
#define NETRXF_more_data       (1U << _NETRXF_more_data)
#define _NETRXF_extra_info     3
#define NETRXF_extra_info      (1U << _NETRXF_extra_info)
#define _NETRXF_gso_prefix     4
#define NETRXF_gso_prefix      (1U << _NETRXF_gso_prefix)     /* deprecated */

/* One received fragment. Written by the backend, in its request's slot. */
struct netif_rx_response {
    uint16_t id;        /* the request's id */
    uint16_t offset;    /* where the bytes start in the page */
    uint16_t flags;     /* NETRXF_* */
    int16_t status;     /* > 0: bytes received; else NETIF_RSP_* */
};

/* Response statuses. */
#define NETIF_RSP_DROPPED (-2)
#define NETIF_RSP_ERROR   (-1)
#define NETIF_RSP_OKAY    0
#define NETIF_RSP_NULL    1     /* the answer to an extra-info slot */

/* ---- the rings (ring.h's header, then the entries) ---- */

/* A slot holds a request, its response, or an extra-info record. */
union netif_tx_sring_entry {
    struct netif_tx_request req;
    struct netif_tx_response rsp;
    struct netif_extra_info extra;
};

union netif_rx_sring_entry {
    struct netif_rx_request req;
    struct netif_rx_response rsp;
    struct netif_extra_info extra;
};

/* xen_ring_entries(12) and xen_ring_entries(8), as constants. */
#define NET_TX_RING_SIZE 256u   /* largest power of 2 <= (4096 - 64) / 12 */
#define NET_RX_RING_SIZE 256u   /* largest power of 2 <= (4096 - 64) / 8 */

struct netif_tx_sring {
    struct xen_sring_header hdr;
    union netif_tx_sring_entry ring[NET_TX_RING_SIZE];
};

struct netif_rx_sring {
    struct xen_sring_header hdr;
    union netif_rx_sring_entry ring[NET_RX_RING_SIZE];
};

/* ---- the layouts, pinned to Xen's ---- */

_Static_assert(sizeof(struct netif_tx_request) == 12, "tx request is 12 bytes");
_Static_assert(offsetof(struct netif_tx_request, offset) == 4, "tx offset");
_Static_assert(offsetof(struct netif_tx_request, flags) == 6, "tx flags");
_Static_assert(offsetof(struct netif_tx_request, id) == 8, "tx id");
_Static_assert(offsetof(struct netif_tx_request, size) == 10, "tx size");
_Static_assert(sizeof(struct netif_tx_response) == 4, "tx response is 4 bytes");
_Static_assert(offsetof(struct netif_tx_response, status) == 2, "tx status");
_Static_assert(sizeof(struct netif_extra_info) == 8, "extra info is 8 bytes");
_Static_assert(offsetof(struct netif_extra_info, u.gso.type) == 4, "gso type");
_Static_assert(offsetof(struct netif_extra_info, u.gso.features) == 6, "gso features");
_Static_assert(sizeof(struct netif_rx_request) == 8, "rx request is 8 bytes");
_Static_assert(offsetof(struct netif_rx_request, gref) == 4, "rx gref");
_Static_assert(sizeof(struct netif_rx_response) == 8, "rx response is 8 bytes");
_Static_assert(offsetof(struct netif_rx_response, offset) == 2, "rx offset");
_Static_assert(offsetof(struct netif_rx_response, flags) == 4, "rx flags");
_Static_assert(offsetof(struct netif_rx_response, status) == 6, "rx status");
_Static_assert(sizeof(union netif_tx_sring_entry) == 12, "tx slot");
_Static_assert(sizeof(union netif_rx_sring_entry) == 8, "rx slot");
_Static_assert(offsetof(struct netif_tx_sring, ring) == 64, "tx ring entries at 64");
_Static_assert(offsetof(struct netif_rx_sring, ring) == 64, "rx ring entries at 64");
_Static_assert(NET_TX_RING_SIZE * 12 <= XEN_RING_PAGE_SIZE - XEN_RING_HEADER_SIZE &&
               NET_TX_RING_SIZE * 2 * 12 > XEN_RING_PAGE_SIZE - XEN_RING_HEADER_SIZE,
               "tx ring: the largest power of two that fits");
_Static_assert(NET_RX_RING_SIZE * 8 <= XEN_RING_PAGE_SIZE - XEN_RING_HEADER_SIZE &&
               NET_RX_RING_SIZE * 2 * 8 > XEN_RING_PAGE_SIZE - XEN_RING_HEADER_SIZE,
               "rx ring: the largest power of two that fits");
_Static_assert(sizeof(struct netif_tx_sring) <= XEN_RING_PAGE_SIZE, "tx ring fits a page");
_Static_assert(sizeof(struct netif_rx_sring) <= XEN_RING_PAGE_SIZE, "rx ring fits a page");

#endif /* PUBLIC_IO_NETIF_H */
