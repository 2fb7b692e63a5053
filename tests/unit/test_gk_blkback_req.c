/*
 * Unit tests for guest-kernel/blk/blkback_req.c, blkback's request
 * checker. Rules, each accepted and refused: a virtual disk is a window of
 * the device with a 512- or 4096-byte sector; an operation not offered or
 * unknown is EOPNOTSUPP; READ/WRITE have 1..11 segments, a flush 0..11,
 * an indirect READ/WRITE 1..max_indirect_segs in ceil(n/512) pages; a
 * segment lies in its page; the range lies inside the disk, with no wrap
 * at 2^64 (a flush without segments has no range: its sector is ignored); writes of any kind to a read-only disk are ERROR; the id and
 * operation to echo are kept even on refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "blk/blkback_req.h"

#define DISK_SECTORS 1000u
#define DISK_OFFSET  5000u

static struct blk_vdisk vd;
static struct blkif_request req;
static struct blk_req r;
static struct blk_io io[BLK_MAX_INDIRECT_SEGS];

static int setup(void **state)
{
    (void)state;
    memset(&req, 0, sizeof(req));
    memset(&r, 0, sizeof(r));
    vd = (struct blk_vdisk){ .sectors = DISK_SECTORS, .sector_size = 512,
                             .offset = DISK_OFFSET, .flush = true,
                             .max_indirect_segs = 1024 };
    return 0;
}

static struct blkif_request_segment seg(grant_ref_t g, uint8_t first, uint8_t last)
{
    return (struct blkif_request_segment){ .gref = g, .first_sect = first, .last_sect = last };
}

/* A READ or WRITE of n whole pages from sector. */
static void rw(uint8_t op, uint8_t n, uint64_t sector)
{
    req.operation = op;
    req.nr_segments = n;
    req.id = 0x1234567890abcdefULL;
    req.sector_number = sector;
    for (unsigned int i = 0; i < n && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
        req.seg[i] = seg(100 + i, 0, 7);
}

static int decode_and_plan(void)
{
    int st = blk_req_decode(&req, &vd, &r);

    return st != BLKIF_RSP_OKAY ? st : blk_req_plan(&r, req.seg, &vd, io);
}

static void test_vdisk_valid(void **state)
{
    (void)state;
    assert_true(blk_vdisk_valid(&vd, DISK_OFFSET + DISK_SECTORS));
    assert_false(blk_vdisk_valid(&vd, DISK_OFFSET + DISK_SECTORS - 1));
    vd.offset = UINT64_MAX - 10;            /* offset + sectors wraps */
    assert_false(blk_vdisk_valid(&vd, UINT64_MAX));
    setup(NULL);
    vd.sector_size = 1024;
    assert_false(blk_vdisk_valid(&vd, 1u << 20));
    vd.sector_size = 4096;
    assert_true(blk_vdisk_valid(&vd, 1u << 20));
    vd.sectors = 0;
    assert_false(blk_vdisk_valid(&vd, 1u << 20));
    setup(NULL);
    vd.max_indirect_segs = BLK_MAX_INDIRECT_SEGS;
    assert_true(blk_vdisk_valid(&vd, 1u << 20));
    vd.max_indirect_segs = BLK_MAX_INDIRECT_SEGS + 1;
    assert_false(blk_vdisk_valid(&vd, 1u << 20));
    vd.max_indirect_segs = 0;
    vd.sector_size = 4096;
    vd.offset = 0;
    vd.sectors = UINT64_MAX / 8 + 1;        /* size in 512-byte units wraps */
    assert_false(blk_vdisk_valid(&vd, UINT64_MAX));
}

static void test_read_plan(void **state)
{
    (void)state;
    rw(BLKIF_OP_READ, 2, 16);
    req.seg[1] = seg(77, 2, 5);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_READ);
    assert_int_equal(r.nr_segs, 2);
    assert_int_equal(r.id, 0x1234567890abcdefULL);
    assert_int_equal(r.rsp_op, BLKIF_OP_READ);
    assert_int_equal(io[0].dev_sector, DISK_OFFSET + 16);
    assert_int_equal(io[0].count, 8);
    assert_int_equal(io[0].gref, 100);
    assert_int_equal(io[0].page_offset, 0);
    assert_int_equal(io[1].dev_sector, DISK_OFFSET + 24);   /* right after */
    assert_int_equal(io[1].count, 4);
    assert_int_equal(io[1].gref, 77);
    assert_int_equal(io[1].page_offset, 2 * 512);
}

static void test_segment_count(void **state)
{
    (void)state;
    rw(BLKIF_OP_READ, 11, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    rw(BLKIF_OP_READ, 12, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_WRITE, 0, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 255, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
}

static void test_segment_in_page(void **state)
{
    (void)state;
    rw(BLKIF_OP_READ, 1, 0);
    req.seg[0] = seg(1, 7, 7);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(io[0].page_offset, 7 * 512);
    req.seg[0] = seg(1, 3, 2);              /* first after last */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    req.seg[0] = seg(1, 0, 8);              /* past the page */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    req.seg[0] = seg(1, 8, 8);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    req.seg[0] = seg(1, 255, 255);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 3, 0);                /* a bad segment after good ones */
    req.seg[2] = seg(1, 4, 1);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
}

static void test_range_edges(void **state)
{
    (void)state;
    rw(BLKIF_OP_READ, 1, DISK_SECTORS - 8);     /* ends at the last sector */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(io[0].dev_sector, DISK_OFFSET + DISK_SECTORS - 8);
    rw(BLKIF_OP_READ, 1, DISK_SECTORS - 7);     /* one sector past */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 2, DISK_SECTORS - 8);     /* the second segment past */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 1, DISK_SECTORS);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 1, UINT64_MAX - 3);       /* start + count wraps */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 1, UINT64_MAX);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
}

static void test_read_only(void **state)
{
    (void)state;
    vd.read_only = true;
    rw(BLKIF_OP_READ, 1, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    rw(BLKIF_OP_WRITE, 1, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);         /* a flush with data writes */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);         /* a bare flush does not */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    vd.read_only = false;
    rw(BLKIF_OP_WRITE, 1, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_WRITE);
}

static void test_flush_and_barrier(void **state)
{
    (void)state;
    rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_FLUSH);
    assert_int_equal(r.nr_segs, 0);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 11, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 12, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_WRITE_BARRIER, 1, 0);           /* not offered */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_EOPNOTSUPP);
    assert_int_equal(r.rsp_op, BLKIF_OP_WRITE_BARRIER);
    vd.barrier = true;
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    vd.flush = false;
    rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_EOPNOTSUPP);
}

/* Linux's blkfront sends its empty flush with sector (sector_t)-1: no
 * sector moves, so none is checked; with data, the range is. */
static void test_bare_flush_sector(void **state)
{
    (void)state;
    rw(BLKIF_OP_FLUSH_DISKCACHE, 0, UINT64_MAX);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 3);         /* not sector-aligned either */
    vd.sector_size = 4096;
    vd.sectors = DISK_SECTORS / 8;
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    vd.sector_size = 512;
    vd.sectors = DISK_SECTORS;
    rw(BLKIF_OP_FLUSH_DISKCACHE, 1, UINT64_MAX);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 1, DISK_SECTORS);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_FLUSH_DISKCACHE, 1, DISK_SECTORS - 8);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
}

static void test_unknown_ops(void **state)
{
    static const uint8_t ops[] = { BLKIF_OP_RESERVED_1, 7, 8, 0x80, 255 };

    (void)state;
    for (size_t i = 0; i < sizeof(ops); i++) {
        rw(ops[i], 1, 0);
        assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_EOPNOTSUPP);
        assert_int_equal(r.rsp_op, ops[i]);
        assert_int_equal(r.id, req.id);
    }
}

static void discard(uint64_t sector, uint64_t n)
{
    struct blkif_request_discard d = { .operation = BLKIF_OP_DISCARD, .id = 9,
                                       .sector_number = sector, .nr_sectors = n };

    memcpy(&req, &d, sizeof(d));
}

static int decode_discard(struct blk_range *out)
{
    int st = blk_req_decode(&req, &vd, &r);

    return st != BLKIF_RSP_OKAY ? st : blk_req_discard_range(&r, &vd, out);
}

static void test_discard(void **state)
{
    struct blk_range out;

    (void)state;
    discard(10, 20);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_EOPNOTSUPP);
    vd.discard = true;
    assert_int_equal(decode_discard(&out), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_DISCARD);
    assert_int_equal(out.dev_sector, DISK_OFFSET + 10);
    assert_int_equal(out.count, 20);
    discard(0, DISK_SECTORS);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_OKAY);
    discard(1, DISK_SECTORS);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_ERROR);
    discard(2, UINT64_MAX);                 /* wraps */
    assert_int_equal(decode_discard(&out), BLKIF_RSP_ERROR);
    discard(UINT64_MAX, 2);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_ERROR);
    vd.read_only = true;
    discard(10, 20);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_ERROR);
}

static void indirect(uint8_t op, uint16_t n, uint64_t sector)
{
    struct blkif_request_indirect ind = { .operation = BLKIF_OP_INDIRECT, .indirect_op = op,
                                          .nr_segments = n, .id = 42,
                                          .sector_number = sector };

    for (unsigned int i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
        ind.indirect_grefs[i] = 500 + i;
    memcpy(&req, &ind, sizeof(ind));
}

static void test_indirect_decode(void **state)
{
    (void)state;
    indirect(BLKIF_OP_READ, 513, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_READ);
    assert_int_equal(r.rsp_op, BLKIF_OP_READ);      /* the indirect_op is echoed */
    assert_int_equal(r.nr_segs, 513);
    assert_int_equal(r.nr_indirect, 2);
    assert_int_equal(r.indirect_grefs[0], 500);
    assert_int_equal(r.indirect_grefs[1], 501);
    assert_int_equal(r.indirect_grefs[2], 0);       /* pages not used: not copied */
    indirect(BLKIF_OP_WRITE, 512, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(r.kind, BLK_WRITE);
    assert_int_equal(r.nr_indirect, 1);
    indirect(BLKIF_OP_READ, 1024, 0);               /* exactly the maximum */
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    indirect(BLKIF_OP_READ, 1025, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    indirect(BLKIF_OP_READ, 0, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    indirect(BLKIF_OP_READ, 0xffff, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
}

static void test_indirect_refusals(void **state)
{
    (void)state;
    indirect(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    assert_int_equal(r.rsp_op, BLKIF_OP_FLUSH_DISKCACHE);
    indirect(BLKIF_OP_INDIRECT, 1, 0);              /* nested */
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    vd.read_only = true;
    indirect(BLKIF_OP_WRITE, 1, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    indirect(BLKIF_OP_READ, 1, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    vd.max_indirect_segs = 0xffff;                  /* a disk blk_vdisk_valid refuses */
    indirect(BLKIF_OP_READ, BLK_MAX_INDIRECT_SEGS + 1, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_ERROR);
    indirect(BLKIF_OP_READ, BLK_MAX_INDIRECT_SEGS, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(r.nr_indirect, BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
    vd.max_indirect_segs = 0;                       /* not offered */
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_EOPNOTSUPP);
    assert_int_equal(r.rsp_op, BLKIF_OP_INDIRECT);
}

/* The segments of a big indirect request, copied out of its pages. */
static void test_indirect_plan(void **state)
{
    static struct blkif_request_segment segs[1024];

    (void)state;
    for (unsigned int i = 0; i < 1024; i++)
        segs[i] = seg(i, 0, 7);
    vd.sectors = 1024 * 8;
    indirect(BLKIF_OP_WRITE, 1000, 8 * 24);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(blk_req_plan(&r, segs, &vd, io), BLKIF_RSP_OKAY);
    assert_int_equal(io[999].dev_sector, DISK_OFFSET + 8 * 24 + 999 * 8);
    assert_int_equal(io[999].gref, 999);
    indirect(BLKIF_OP_WRITE, 1000, 8 * 25);         /* the last page one past */
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(blk_req_plan(&r, segs, &vd, io), BLKIF_RSP_ERROR);
    segs[700] = seg(700, 6, 5);
    indirect(BLKIF_OP_READ, 1000, 0);
    assert_int_equal(blk_req_decode(&req, &vd, &r), BLKIF_RSP_OKAY);
    assert_int_equal(blk_req_plan(&r, segs, &vd, io), BLKIF_RSP_ERROR);
}

/* 4096-byte device sectors: requests must cover whole ones. */
static void test_large_sectors(void **state)
{
    struct blk_range out;

    (void)state;
    vd.sector_size = 4096;
    vd.sectors = 100;                   /* 800 protocol units */
    rw(BLKIF_OP_READ, 2, 16);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    assert_int_equal(io[0].dev_sector, DISK_OFFSET + 2);
    assert_int_equal(io[0].count, 1);
    assert_int_equal(io[1].dev_sector, DISK_OFFSET + 3);
    rw(BLKIF_OP_READ, 1, 12);           /* start not on a device sector */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 1, 16);
    req.seg[0] = seg(1, 0, 3);          /* half a device sector */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    rw(BLKIF_OP_READ, 1, 800 - 8);      /* the last device sector */
    assert_int_equal(decode_and_plan(), BLKIF_RSP_OKAY);
    rw(BLKIF_OP_READ, 1, 800);
    assert_int_equal(decode_and_plan(), BLKIF_RSP_ERROR);
    vd.discard = true;
    discard(8, 12);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_ERROR);
    discard(8, 16);
    assert_int_equal(decode_discard(&out), BLKIF_RSP_OKAY);
    assert_int_equal(out.dev_sector, DISK_OFFSET + 1);
    assert_int_equal(out.count, 2);
}

/* The protocol's layout: one-page ring of 32 entries (ring.h's rule). */
static void test_ring_geometry(void **state)
{
    (void)state;
    assert_int_equal(xen_ring_entries(sizeof(union blkif_sring_entry)), BLKIF_RING_SIZE);
    assert_int_equal(xen_ring_round_down_pow2(36), 32);
    assert_int_equal(xen_ring_round_down_pow2(32), 32);
    assert_int_equal(xen_ring_round_down_pow2(1), 1);
    assert_int_equal(xen_ring_round_down_pow2(0), 0);
    assert_int_equal(xen_ring_round_down_pow2(UINT32_MAX), 0x80000000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_vdisk_valid, setup),
        cmocka_unit_test_setup(test_read_plan, setup),
        cmocka_unit_test_setup(test_segment_count, setup),
        cmocka_unit_test_setup(test_segment_in_page, setup),
        cmocka_unit_test_setup(test_range_edges, setup),
        cmocka_unit_test_setup(test_read_only, setup),
        cmocka_unit_test_setup(test_flush_and_barrier, setup),
        cmocka_unit_test_setup(test_bare_flush_sector, setup),
        cmocka_unit_test_setup(test_unknown_ops, setup),
        cmocka_unit_test_setup(test_discard, setup),
        cmocka_unit_test_setup(test_indirect_decode, setup),
        cmocka_unit_test_setup(test_indirect_refusals, setup),
        cmocka_unit_test_setup(test_indirect_plan, setup),
        cmocka_unit_test_setup(test_large_sectors, setup),
        cmocka_unit_test_setup(test_ring_geometry, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
