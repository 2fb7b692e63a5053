/*
 * Tern guest kernel: blkfront, the frontend of Xen's PV block protocol
 * (public/io/blkif.h): the domain's first virtual block device
 * (device/vbd/<id> in xenstore), found and connected through xenbus, and
 * a small block API over it. Requests are whole 512-byte sectors; a
 * transfer is split into requests of up to 11 pages (32 in an indirect
 * request when the backend offers them), as many in flight
 * as the ring holds (32), each page granted to the backend only while
 * its request is in flight; or, when the backend offers persistent
 * grants, every page named is one of a pool granted once
 * (blkfront_pool.c), and the block API hands out buffers from that pool
 * so that I/O on them moves no byte in this domain (zero copy); other
 * buffers are then copied through the pool.
 */
#ifndef GUEST_BLKFRONT_H
#define GUEST_BLKFRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/io/blkif.h>

struct blkfront_info {
    uint32_t devid;              /* virtual-device number (xvda: 51712) */
    uint64_t sectors;            /* size, in sector_size units */
    uint32_t sector_size;
    bool read_only;              /* info has VDISK_READONLY */
    bool flush;                  /* feature-flush-cache */
    uint32_t max_indirect;       /* segments per indirect request we use
                                    (feature-max-indirect-segments, at
                                    most 32); 0: direct requests only */
};

/* Finds the first vbd, does the handshake (the backend must reach
 * Connected within the deadline): 0, or a negative Xen errno (said). */
int blkfront_open(struct blkfront_info *info);

/* bytes (a multiple of 512) at 512-byte sector, from or into buf (our own
 * memory; page-aligned). Waits for every request; the first status that
 * was not BLKIF_RSP_OKAY, or -XEN_ETIMEDOUT / -XEN_EIO when the backend
 * stopped answering or lied (the device is then unusable). */
int blkfront_rw(bool write, uint64_t sector, void *buf, size_t bytes);

/* A run of pages of the pool granted for good (persistent grants), by
 * index: I/O on them copies nothing. */
struct blkfront_buf {
    uint32_t first, pages;
};

/* pages pool pages into *b: false when the device runs without
 * persistent grants or no such run is free. */
bool blkfront_buf_get(struct blkfront_buf *b, uint32_t pages);
void blkfront_buf_put(const struct blkfront_buf *b);
/* Page i of b (its address in this domain). */
void *blkfront_buf_page(const struct blkfront_buf *b, uint32_t i);

/* Whole pages of b at 512-byte sector, in requests of at most per bytes
 * (a multiple of 4096; capped at what one request holds), all in flight
 * at once as far as the ring holds them: published with one
 * notification, answered with one. As blkfront_rw otherwise. */
int blkfront_rw_buf(bool write, uint64_t sector, const struct blkfront_buf *b, size_t per);

/* Before blkfront_open: whether to offer feature-persistent (default
 * yes; the hostile roles that hand out grants of their own say no). */
void blkfront_want_persistent(bool on);

/* FLUSH_DISKCACHE: every write acknowledged before it is stable. */
int blkfront_flush(void);

/* One request as given (hostile roles), its pages granted by the caller
 * as it likes: the response's status. */
int blkfront_raw(const struct blkif_request *req);

/* The shared ring page (hostile roles write lies into it). */
volatile struct blkif_sring *blkfront_sring(void);
/* The backend's domain, for grants of the caller's own. */
domid_t blkfront_backend(void);

/* Closing, then Closed once the backend has let go of the ring; the ring
 * grant is ended and the port closed. */
void blkfront_close(void);

#endif /* GUEST_BLKFRONT_H */
