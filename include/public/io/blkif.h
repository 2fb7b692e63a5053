/*
 * The PV block protocol (blkif): how a frontend (a guest's virtual disk
 * driver) asks a backend (blkback, in domain 0) to read and write its
 * virtual disk. Layout, numbers and rules are Xen's 64-bit ABI
 * (xen/include/public/io/blkif.h), written here from those facts.
 * Permission is granted, free of charge, to use, copy, modify and
 * distribute this header for any purpose (MIT licence).
 *
 * Transport: one shared ring page (public/io/ring.h) granted by the
 * frontend, of 32 entries of 112 bytes (a request, or in the same slot its
 * response), plus an event channel. The xenstore handshake (ring-ref,
 * event-channel, sectors, sector-size, info, feature-*) is described where
 * it is implemented.
 *
 * Units. sector_number, first_sect, last_sect and nr_sectors count
 * 512-byte sectors, whatever the disk's sector-size (Xen's rule for
 * frontends without feature-large-sector-size). A segment is one granted
 * 4 KiB page and the sectors first_sect..last_sect (inclusive, 0..7) of
 * it; the segments of one request are consecutive on the disk, starting
 * at sector_number.
 *
 * Requests:
 *   READ, WRITE       1..11 segments in the request itself.
 *   WRITE_BARRIER     a write ordered after every earlier write and before
 *                     every later one; only if the backend offered
 *                     feature-barrier.
 *   FLUSH_DISKCACHE   make every completed write stable (0 segments), or
 *                     that and a write of its segments; only if the
 *                     backend offered feature-flush-cache.
 *   DISCARD           (struct blkif_request_discard) nr_sectors from
 *                     sector_number may be forgotten; only if offered
 *                     (feature-discard).
 *   INDIRECT          (struct blkif_request_indirect) a READ or WRITE of
 *                     up to the backend's feature-max-indirect-segments
 *                     segments, listed in up to 8 granted pages of 512
 *                     segment descriptors each; only if offered.
 * Every request gets exactly one response, with the request's id, its
 * operation (for INDIRECT, the indirect_op) and a status: OKAY, ERROR
 * (bad request or I/O error), EOPNOTSUPP (an operation not offered).
 */
#ifndef PUBLIC_IO_BLKIF_H
#define PUBLIC_IO_BLKIF_H

#include <stddef.h>
#include <stdint.h>
#include "../grant_table.h"
#include "ring.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

/* Operations (blkif_request.operation). */
#define BLKIF_OP_READ            0
#define BLKIF_OP_WRITE           1
#define BLKIF_OP_WRITE_BARRIER   2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_OP_RESERVED_1      4  /* reserved by SUSE; never offered */
#define BLKIF_OP_DISCARD         5
#define BLKIF_OP_INDIRECT        6

/* Response status (blkif_response.status). */
#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR      (-1)
#define BLKIF_RSP_OKAY       0

#define BLKIF_MAX_SEGMENTS_PER_REQUEST       11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8
#define BLKIF_SECTOR_SIZE                    512u   /* the protocol's unit */
#define BLKIF_SECTORS_PER_PAGE               8u     /* first/last_sect 0..7 */

/* blkif_request_discard.flag */
#define BLKIF_DISCARD_SECURE 1

/* The "info" xenstore node's bits. */
#define VDISK_CDROM     0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY  0x4

/* One segment: a granted page and the sectors of it to transfer. */
struct blkif_request_segment {
    grant_ref_t gref;           /* the frontend's grant of the page */
    uint8_t first_sect;         /* first 512-byte sector in the page, 0..7 */
    uint8_t last_sect;          /* last one (inclusive), first..7 */
    uint8_t pad[2];
};

/* Segment descriptors in one indirect page. */
#define BLKIF_SEGS_PER_INDIRECT_FRAME \
    (XEN_RING_PAGE_SIZE / sizeof(struct blkif_request_segment))

/* READ, WRITE, WRITE_BARRIER, FLUSH_DISKCACHE. Written by the frontend. */
struct blkif_request {
    uint8_t operation;          /* BLKIF_OP_* */
    uint8_t nr_segments;        /* seg[] entries used */
    blkif_vdev_t handle;        /* the virtual device (unused by blkback) */
    uint32_t pad;
    uint64_t id;                /* the frontend's, echoed in the response */
    blkif_sector_t sector_number;  /* first 512-byte sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* The same slot when operation == BLKIF_OP_DISCARD. */
struct blkif_request_discard {
    uint8_t operation;          /* BLKIF_OP_DISCARD */
    uint8_t flag;               /* BLKIF_DISCARD_SECURE or 0 */
    blkif_vdev_t handle;
    uint32_t pad;
    uint64_t id;
    blkif_sector_t sector_number;
    uint64_t nr_sectors;        /* 512-byte sectors to discard */
};

/* The same slot when operation == BLKIF_OP_INDIRECT. */
struct blkif_request_indirect {
    uint8_t operation;          /* BLKIF_OP_INDIRECT */
    uint8_t indirect_op;        /* BLKIF_OP_READ or BLKIF_OP_WRITE */
    uint16_t nr_segments;       /* segments in the indirect pages */
    uint32_t pad0;
    uint64_t id;
    blkif_sector_t sector_number;
    blkif_vdev_t handle;
    uint16_t pad1;
    grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    uint32_t pad2;
};

/* Written by the backend into the slot of a consumed request. */
struct blkif_response {
    uint64_t id;                /* the request's id */
    uint8_t operation;          /* the request's operation */
    uint8_t pad;
    int16_t status;             /* BLKIF_RSP_* */
    uint32_t pad2;
};

union blkif_sring_entry {
    struct blkif_request req;
    struct blkif_response rsp;
};

#define BLKIF_RING_SIZE 32u

/* The shared ring page (public/io/ring.h for the header's rules). */
struct blkif_sring {
    RING_IDX req_prod, req_event;   /* written by: frontend, backend */
    RING_IDX rsp_prod, rsp_event;   /* written by: backend, frontend */
    uint8_t pad[48];
    union blkif_sring_entry ring[BLKIF_RING_SIZE];
};

_Static_assert(sizeof(struct blkif_request_segment) == 8, "segment is 8 bytes");
_Static_assert(offsetof(struct blkif_request_segment, first_sect) == 4, "first_sect at 4");
_Static_assert(offsetof(struct blkif_request_segment, last_sect) == 5, "last_sect at 5");
_Static_assert(BLKIF_SEGS_PER_INDIRECT_FRAME == 512, "512 segments per indirect page");

_Static_assert(offsetof(struct blkif_request, nr_segments) == 1, "nr_segments at 1");
_Static_assert(offsetof(struct blkif_request, handle) == 2, "handle at 2");
_Static_assert(offsetof(struct blkif_request, id) == 8, "id at 8");
_Static_assert(offsetof(struct blkif_request, sector_number) == 16, "sector at 16");
_Static_assert(offsetof(struct blkif_request, seg) == 24, "seg at 24");
_Static_assert(sizeof(struct blkif_request) == 112, "request is 112 bytes");

_Static_assert(offsetof(struct blkif_request_discard, flag) == 1, "flag at 1");
_Static_assert(offsetof(struct blkif_request_discard, id) == 8, "discard id at 8");
_Static_assert(offsetof(struct blkif_request_discard, nr_sectors) == 24, "nr_sectors at 24");
_Static_assert(sizeof(struct blkif_request_discard) == 32, "discard is 32 bytes");

_Static_assert(offsetof(struct blkif_request_indirect, indirect_op) == 1, "indirect_op at 1");
_Static_assert(offsetof(struct blkif_request_indirect, nr_segments) == 2, "nr_segments at 2");
_Static_assert(offsetof(struct blkif_request_indirect, id) == 8, "indirect id at 8");
_Static_assert(offsetof(struct blkif_request_indirect, sector_number) == 16, "sector at 16");
_Static_assert(offsetof(struct blkif_request_indirect, handle) == 24, "handle at 24");
_Static_assert(offsetof(struct blkif_request_indirect, indirect_grefs) == 28, "grefs at 28");
_Static_assert(sizeof(struct blkif_request_indirect) == 64, "indirect is 64 bytes");

_Static_assert(offsetof(struct blkif_response, operation) == 8, "operation at 8");
_Static_assert(offsetof(struct blkif_response, status) == 10, "status at 10");
_Static_assert(sizeof(struct blkif_response) == 16, "response is 16 bytes");

_Static_assert(sizeof(union blkif_sring_entry) == 112, "ring entry is 112 bytes");
_Static_assert(offsetof(struct blkif_sring, ring) == XEN_RING_HEADER_SIZE, "ring at 64");
_Static_assert(offsetof(struct blkif_sring, req_event) == 4, "req_event at 4");
_Static_assert(offsetof(struct blkif_sring, rsp_prod) == 8, "rsp_prod at 8");
_Static_assert(offsetof(struct blkif_sring, rsp_event) == 12, "rsp_event at 12");
_Static_assert(sizeof(struct blkif_sring) <= XEN_RING_PAGE_SIZE, "ring fits a page");

#endif /* PUBLIC_IO_BLKIF_H */
