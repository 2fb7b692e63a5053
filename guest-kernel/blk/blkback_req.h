/*
 * Tern guest kernel: blkback's request checker, pure (no hypercall, no
 * port I/O, no shared memory). It decides, for one request copied out of
 * a frontend's ring, whether it may run against that frontend's virtual
 * disk, and if so what it does on the real device; or else which status
 * to answer.
 *
 * A request is checked in two steps, because an INDIRECT request's
 * segments sit in pages the glue must first map or copy:
 *   1. blk_req_decode(): the operation (offered or not), the segment
 *      count, the indirect pages to fetch. Gives a struct blk_req.
 *   2. blk_req_plan(): the segments (from the request, or copied out of
 *      the indirect pages) against the disk: each within its page, the
 *      whole range inside the virtual disk, writes only on a writable
 *      disk. Gives one struct blk_io per segment, in device sectors.
 * Either step answers a BLKIF_RSP_* status; only OKAY lets the glue act.
 * The glue then grant-maps or grant-copies each segment's page and does
 * the I/O; a failed grant operation or device error is BLKIF_RSP_ERROR.
 *
 * A virtual disk is a window of the real device: `sectors` sectors of
 * sector_size bytes (512 or 4096), starting at device sector `offset`.
 * The protocol counts 512-byte units; with 4096-byte sectors a request
 * must cover whole device sectors (its start and every segment aligned).
 */
#ifndef GUEST_BLKBACK_REQ_H
#define GUEST_BLKBACK_REQ_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/blkif.h>

/* The most segments an indirect request may have here (8 full pages). */
#define BLK_MAX_INDIRECT_SEGS \
    (BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKIF_SEGS_PER_INDIRECT_FRAME)

/* A frontend's virtual disk and what its backend offered it. Written by
 * domain 0's configuration; checked once by blk_vdisk_valid. */
struct blk_vdisk {
    uint64_t sectors;            /* size, in sector_size units */
    uint32_t sector_size;        /* 512 or 4096 */
    uint64_t offset;             /* first device sector */
    bool read_only;
    bool barrier;                /* feature-barrier offered */
    bool flush;                  /* feature-flush-cache offered */
    bool discard;                /* feature-discard offered */
    uint32_t max_indirect_segs;  /* feature-max-indirect-segments; 0: none */
};

/* What a request asks, after step 1. */
enum blk_kind {
    BLK_READ,
    BLK_WRITE,
    BLK_FLUSH,      /* FLUSH_DISKCACHE or WRITE_BARRIER: flush, then write
                       the segments (if any), then flush */
    BLK_DISCARD,
};

struct blk_req {
    uint64_t id;                 /* echo in the response */
    uint8_t rsp_op;              /* the operation to echo */
    enum blk_kind kind;
    uint64_t sector;             /* first 512-byte unit */
    uint64_t nr_sectors;         /* DISCARD only, 512-byte units */
    uint32_t nr_segs;            /* segments (0 for a bare flush) */
    uint32_t nr_indirect;        /* indirect pages to fetch (0: direct) */
    grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

/* One segment's I/O on the real device. */
struct blk_io {
    uint64_t dev_sector;         /* device sector (sector_size units) */
    uint32_t count;              /* device sectors, 1..8 */
    grant_ref_t gref;            /* the frontend's page */
    uint32_t page_offset;        /* bytes into that page */
};

/* A DISCARD's range on the real device (count may be 0: nothing to do). */
struct blk_range {
    uint64_t dev_sector, count;
};

/* Is vd a usable window of a device of dev_sectors sectors? */
bool blk_vdisk_valid(const struct blk_vdisk *vd, uint64_t dev_sectors);

/* Step 1 on the request as copied out of the ring (all three layouts fit
 * in one struct blkif_request's bytes). Fills *out (id and rsp_op even on
 * refusal, for the response) and returns a BLKIF_RSP_* status. Writes
 * (WRITE, an indirect WRITE, a flush with segments, DISCARD) to a
 * read-only disk are refused here, before any page is fetched. */
int blk_req_decode(const struct blkif_request *req, const struct blk_vdisk *vd,
                   struct blk_req *out);

/* Step 2 for READ, WRITE and FLUSH: r->nr_segs segments, segs (the
 * request's own seg[], or the indirect pages' descriptors, copied out)
 * into io[r->nr_segs]. Returns a BLKIF_RSP_* status. */
int blk_req_plan(const struct blk_req *r, const struct blkif_request_segment *segs,
                 const struct blk_vdisk *vd, struct blk_io *io);

/* Step 2 for DISCARD: the range into *out. Returns a BLKIF_RSP_* status. */
int blk_req_discard_range(const struct blk_req *r, const struct blk_vdisk *vd,
                          struct blk_range *out);

#endif /* GUEST_BLKBACK_REQ_H */
