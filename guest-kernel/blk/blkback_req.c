/*
 * Tern guest kernel: blkback's request checker (see blkback_req.h).
 *
 * Invariants it enforces, each a refusal with the status Linux's blkback
 * answers:
 *  - an operation the backend did not offer (barrier, flush, discard,
 *    indirect) or does not know: BLKIF_RSP_EOPNOTSUPP;
 *  - READ and WRITE carry 1..11 segments, a flush 0..11, an INDIRECT
 *    READ/WRITE 1..max_indirect_segs (its indirect_op READ or WRITE):
 *    else BLKIF_RSP_ERROR;
 *  - every segment lies in its page (first_sect <= last_sect <= 7) and,
 *    on a 4096-byte-sector disk, covers whole device sectors: else ERROR;
 *  - the whole range lies inside the virtual disk, with no sum that can
 *    wrap (a range is checked as start < size and count <= size - start):
 *    else ERROR, so no device sector outside the window is ever planned;
 *    a flush without segments moves no sector, so its sector_number is
 *    not looked at (Linux's blkfront sends (sector_t)-1 there, and Xen's
 *    blkback checks the range only when there are sectors: refusing it
 *    makes Linux turn its flushes off);
 *  - a write of any kind to a read-only disk: ERROR.
 * The request is the caller's private copy; each field is read once.
 */
#include "blk/blkback_req.h"
#include "kernel/lib.h"

#define UNIT BLKIF_SECTOR_SIZE

/* 512-byte units per device sector. */
static uint32_t units_per_sector(const struct blk_vdisk *vd)
{
    return vd->sector_size / UNIT;
}

/* The virtual disk's size in 512-byte units (blk_vdisk_valid: no wrap). */
static uint64_t vdisk_units(const struct blk_vdisk *vd)
{
    return vd->sectors * units_per_sector(vd);
}

bool blk_vdisk_valid(const struct blk_vdisk *vd, uint64_t dev_sectors)
{
    if (vd->sector_size != 512 && vd->sector_size != 4096)
        return false;
    if (vd->sectors == 0 || vd->offset > dev_sectors ||
        vd->sectors > dev_sectors - vd->offset)
        return false;
    return vd->sectors <= UINT64_MAX / units_per_sector(vd) &&
           vd->max_indirect_segs <= BLK_MAX_INDIRECT_SEGS;
}

/* Is [start, start + count) inside [0, size)? Never wraps. */
static bool range_inside(uint64_t start, uint64_t count, uint64_t size)
{
    return start <= size && count <= size - start;
}

static int decode_rw(const struct blkif_request *req, const struct blk_vdisk *vd,
                     enum blk_kind kind, struct blk_req *out)
{
    uint8_t nr = req->nr_segments;

    if (nr == 0 || nr > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        return BLKIF_RSP_ERROR;
    if (kind == BLK_WRITE && vd->read_only)
        return BLKIF_RSP_ERROR;
    out->kind = kind;
    out->sector = req->sector_number;
    out->nr_segs = nr;
    return BLKIF_RSP_OKAY;
}

/* FLUSH_DISKCACHE and WRITE_BARRIER: a flush, and a write if segments. */
static int decode_flush(const struct blkif_request *req, const struct blk_vdisk *vd,
                        bool offered, struct blk_req *out)
{
    uint8_t nr = req->nr_segments;

    if (!offered)
        return BLKIF_RSP_EOPNOTSUPP;
    if (nr > BLKIF_MAX_SEGMENTS_PER_REQUEST || (nr && vd->read_only))
        return BLKIF_RSP_ERROR;
    out->kind = BLK_FLUSH;
    out->sector = req->sector_number;
    out->nr_segs = nr;
    return BLKIF_RSP_OKAY;
}

static int decode_discard(const struct blkif_request *req, const struct blk_vdisk *vd,
                          struct blk_req *out)
{
    struct blkif_request_discard d;

    if (!vd->discard)
        return BLKIF_RSP_EOPNOTSUPP;
    if (vd->read_only)
        return BLKIF_RSP_ERROR;
    memcpy(&d, req, sizeof(d));
    out->kind = BLK_DISCARD;
    out->sector = d.sector_number;
    out->nr_sectors = d.nr_sectors;
    return BLKIF_RSP_OKAY;
}

/* Indirect pages holding nr segment descriptors. */
static uint32_t indirect_pages(uint32_t nr)
{
    return (nr + (uint32_t)BLKIF_SEGS_PER_INDIRECT_FRAME - 1) /
           (uint32_t)BLKIF_SEGS_PER_INDIRECT_FRAME;
}

static int decode_indirect(const struct blkif_request *req, const struct blk_vdisk *vd,
                           struct blk_req *out)
{
    struct blkif_request_indirect ind;
    uint32_t nr;

    if (vd->max_indirect_segs == 0)
        return BLKIF_RSP_EOPNOTSUPP;
    memcpy(&ind, req, sizeof(ind));
    nr = ind.nr_segments;
    out->rsp_op = ind.indirect_op;
    if (ind.indirect_op != BLKIF_OP_READ && ind.indirect_op != BLKIF_OP_WRITE)
        return BLKIF_RSP_ERROR;
    if (nr == 0 || nr > vd->max_indirect_segs || nr > BLK_MAX_INDIRECT_SEGS)
        return BLKIF_RSP_ERROR;     /* the second bound holds even for an unchecked vd */
    if (ind.indirect_op == BLKIF_OP_WRITE && vd->read_only)
        return BLKIF_RSP_ERROR;
    out->kind = ind.indirect_op == BLKIF_OP_WRITE ? BLK_WRITE : BLK_READ;
    out->sector = ind.sector_number;
    out->nr_segs = nr;
    out->nr_indirect = indirect_pages(nr);
    memcpy(out->indirect_grefs, ind.indirect_grefs,
           out->nr_indirect * sizeof(ind.indirect_grefs[0]));
    return BLKIF_RSP_OKAY;
}

int blk_req_decode(const struct blkif_request *req, const struct blk_vdisk *vd,
                   struct blk_req *out)
{
    memset(out, 0, sizeof(*out));
    out->id = req->id;
    out->rsp_op = req->operation;
    switch (req->operation) {
    case BLKIF_OP_READ:            return decode_rw(req, vd, BLK_READ, out);
    case BLKIF_OP_WRITE:           return decode_rw(req, vd, BLK_WRITE, out);
    case BLKIF_OP_WRITE_BARRIER:   return decode_flush(req, vd, vd->barrier, out);
    case BLKIF_OP_FLUSH_DISKCACHE: return decode_flush(req, vd, vd->flush, out);
    case BLKIF_OP_DISCARD:         return decode_discard(req, vd, out);
    case BLKIF_OP_INDIRECT:        return decode_indirect(req, vd, out);
    default:                       return BLKIF_RSP_EOPNOTSUPP;
    }
}

/* One segment at 512-byte unit `unit` of the disk into *io; its length in
 * units into *units. */
static int plan_segment(struct blkif_request_segment s, uint64_t unit,
                        const struct blk_vdisk *vd, struct blk_io *io, uint32_t *units)
{
    uint32_t per = units_per_sector(vd), n;

    if (s.first_sect > s.last_sect || s.last_sect >= BLKIF_SECTORS_PER_PAGE)
        return BLKIF_RSP_ERROR;
    n = (uint32_t)s.last_sect - s.first_sect + 1;
    if (s.first_sect % per || n % per)
        return BLKIF_RSP_ERROR;
    if (!range_inside(unit, n, vdisk_units(vd)))
        return BLKIF_RSP_ERROR;
    io->dev_sector = vd->offset + unit / per;
    io->count = n / per;
    io->gref = s.gref;
    io->page_offset = s.first_sect * UNIT;
    *units = n;
    return BLKIF_RSP_OKAY;
}

int blk_req_plan(const struct blk_req *r, const struct blkif_request_segment *segs,
                 const struct blk_vdisk *vd, struct blk_io *io)
{
    uint64_t unit = r->sector;
    uint32_t n = 0;

    if (r->nr_segs == 0)
        return BLKIF_RSP_OKAY;  /* a bare flush: its sector means nothing */
    if (unit % units_per_sector(vd) || unit > vdisk_units(vd))
        return BLKIF_RSP_ERROR;
    for (uint32_t i = 0; i < r->nr_segs; i++) {
        int st = plan_segment(segs[i], unit, vd, &io[i], &n);

        if (st != BLKIF_RSP_OKAY)
            return st;
        unit += n;          /* <= vdisk_units: range_inside held */
    }
    return BLKIF_RSP_OKAY;
}

int blk_req_discard_range(const struct blk_req *r, const struct blk_vdisk *vd,
                          struct blk_range *out)
{
    uint32_t per = units_per_sector(vd);

    if (r->sector % per || r->nr_sectors % per)
        return BLKIF_RSP_ERROR;
    if (!range_inside(r->sector, r->nr_sectors, vdisk_units(vd)))
        return BLKIF_RSP_ERROR;
    out->dev_sector = vd->offset + r->sector / per;
    out->count = r->nr_sectors / per;
    return BLKIF_RSP_OKAY;
}
