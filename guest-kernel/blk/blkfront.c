/*
 * Tern guest kernel: blkfront's request queue (see blkfront.h). A request
 * is identified by its shadow slot (id 0..31), which holds the grants of
 * its pages until the response comes. Invariants: at most
 * BLKIF_RING_SIZE requests in flight; requests of more than 11 pages
 * only when the backend offered indirect ones (their descriptors in the
 * slot's own page, granted read-only); a page is granted (read-only for a
 * write: the backend only reads it) only while its request is in flight
 * and the grant is ended when the response comes, except with persistent
 * grants (blkfront_pool.c): then every page named is a pool page granted
 * once, any other buffer being copied through the pool; a response naming no
 * request in flight, or a lying rsp_prod, breaks the device (no further
 * request), as does a backend that answers nothing within WAIT_NS.
 */
#include <public/errno.h>
#include "blk/blkfront_dev.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/gnttab.h"

#define WAIT_NS    (10 * NS_PER_S)
#define SECTOR     BLKIF_SECTOR_SIZE
#define SEG_BYTES  PAGE_SIZE
#define MAX_SEGS   BLKIF_MAX_SEGMENTS_PER_REQUEST

static volatile uint32_t events;

void blkfront_on_event(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    events++;
}

static int broke(const char *why, int rc)
{
    if (!blkfront.broken)
        printk("blkfront: vbd %u: %s; the device is unusable\n", blkfront.info.devid, why);
    blkfront.broken = true;
    return rc;
}

static struct blkfront_shadow *free_shadow(uint64_t *id)
{
    for (unsigned int i = 0; i < BLKIF_RING_SIZE; i++)
        if (!blkfront.shadow[i].busy) {
            *id = i;
            return &blkfront.shadow[i];
        }
    return NULL;
}

/* One response: its request's grants ended, its status kept. */
static int complete(const struct blkif_response *rsp, int *first_error)
{
    struct blkfront_shadow *s = rsp->id < BLKIF_RING_SIZE ? &blkfront.shadow[rsp->id] : NULL;

    if (!s || !s->busy)
        return broke("a response for no request in flight", -XEN_EIO);
    for (unsigned int i = 0; i < s->nr; i++)
        if (!gnttab_end(s->gref[i]))
            printk("blkfront: grant %u still in use after its response\n", s->gref[i]);
    s->busy = false;
    blkfront.in_flight--;
    if (rsp->status != BLKIF_RSP_OKAY && *first_error == BLKIF_RSP_OKAY)
        *first_error = rsp->status;
    return 0;
}

/* Every response there now. */
static int reap(int *first_error)
{
    struct blkif_response rsp;
    enum blkfront_take t;
    int rc = 0;

    while (!rc && (t = blkfront_ring_take(&blkfront.ring, &rsp)) != BLKFRONT_NONE)
        rc = t == BLKFRONT_LIED ? broke("the backend lied about rsp_prod", -XEN_EIO)
                                : complete(&rsp, first_error);
    return rc;
}

static bool response_ready(void *arg)
{
    (void)arg;
    return blkfront_ring_final_check(&blkfront.ring);
}

/* Publishes what was put, then waits until a response is there. */
static int push_and_wait(void)
{
    if (blkfront_ring_push(&blkfront.ring))
        gk_evtchn_send(blkfront.port);
    if (!time_wait_until(response_ready, NULL, time_now_ns() + WAIT_NS))
        return broke("no response within 10 s", -XEN_ETIMEDOUT);
    return 0;
}

/* Ends the first n grants of s (a request that could not be put). */
static void end_grants(const struct blkfront_shadow *s, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        gnttab_end(s->gref[i]);
}

/* Segment n of a request: the page at p, bytes long. */
static struct blkif_request_segment segment(grant_ref_t ref, size_t bytes)
{
    return (struct blkif_request_segment){ .gref = ref, .first_sect = 0,
                                           .last_sect = (uint8_t)(bytes / SECTOR - 1) };
}

/* Each page of bytes at buf into segs, with its grant: the pool's own
 * when the grants are persistent (buf is then in the pool), else one
 * made now and noted in s->gref to be ended at the response. Returns
 * the segment count, 0 when no grant is left (none is then held). */
static uint8_t grant_pages(struct blkfront_shadow *s, struct blkif_request_segment *segs,
                           bool write, uint8_t *buf, size_t bytes)
{
    uint8_t nr = 0;

    s->nr = 0;
    for (size_t off = 0; off < bytes; off += SEG_BYTES, nr++) {
        size_t n = bytes - off < SEG_BYTES ? bytes - off : SEG_BYTES;
        grant_ref_t ref;
        int made;

        if (blkfront.persistent && blkfront_pool_gref(buf + off, &ref)) {
            segs[nr] = segment(ref, n);
            continue;
        }
        made = gnttab_grant(blkfront.backend_id, virt_to_mfn(buf + off), write);
        if (made < 0)
            return end_grants(s, s->nr), 0;
        s->gref[s->nr++] = (grant_ref_t)made;
        segs[nr] = segment((grant_ref_t)made, n);
    }
    return nr;
}

/* More pages than a direct request holds: the descriptors go into the
 * slot's indirect page, granted read-only for as long as the request
 * (for good, with persistent grants). */
static bool put_indirect(struct blkfront_shadow *s, struct blkif_request *req, uint8_t nr)
{
    struct blkif_request_indirect ind = {
        .operation = BLKIF_OP_INDIRECT, .indirect_op = req->operation, .nr_segments = nr,
        .id = req->id, .sector_number = req->sector_number, .handle = req->handle };
    int ref = blkfront.persistent ? (int)s->indirect_gref
                                  : gnttab_grant(blkfront.backend_id, virt_to_mfn(s->indirect), true);

    if (ref < 0)
        return end_grants(s, s->nr), false;
    if (!blkfront.persistent)
        s->gref[s->nr++] = (grant_ref_t)ref;
    ind.indirect_grefs[0] = (grant_ref_t)ref;
    memset(req, 0, sizeof(*req));
    memcpy(req, &ind, sizeof(ind));
    return true;
}

/* A request for bytes at sector from buf (at most max_bytes()); false
 * when no grant is left. */
static bool put_rw(bool write, uint64_t sector, uint8_t *buf, size_t bytes)
{
    struct blkif_request req = { .operation = write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
                                 .handle = (blkif_vdev_t)blkfront.info.devid,
                                 .sector_number = sector };
    struct blkfront_shadow *s = free_shadow(&req.id);
    bool indirect = bytes > MAX_SEGS * SEG_BYTES;
    uint8_t nr = s ? grant_pages(s, indirect ? s->indirect : req.seg, write, buf, bytes) : 0;

    if (!nr)
        return false;
    req.nr_segments = indirect ? 0 : nr;
    if (indirect && !put_indirect(s, &req, nr))
        return false;
    s->busy = true;
    blkfront.in_flight++;
    return blkfront_ring_put(&blkfront.ring, &req);
}

/* Pages in one request: an indirect one's when offered. */
static size_t max_bytes(void)
{
    return (size_t)(blkfront.info.max_indirect ?: MAX_SEGS) * SEG_BYTES;
}

static bool usable(void)
{
    return blkfront.connected && !blkfront.broken;
}

/* bytes at buf in requests of at most per bytes, as many in flight as
 * the ring holds; published together, answered together. */
static int rw_requests(bool write, uint64_t sector, uint8_t *p, size_t bytes, size_t per)
{
    int first_error = BLKIF_RSP_OKAY, rc = 0;

    while (!rc && (bytes || blkfront.in_flight)) {
        while (bytes && blkfront_ring_free(&blkfront.ring)) {
            size_t n = bytes < per ? bytes : per;

            if (!put_rw(write, sector, p, n))
                break;
            sector += n / SECTOR;
            p += n;
            bytes -= n;
        }
        rc = push_and_wait() ?: reap(&first_error);
    }
    return rc ?: first_error;
}

/* A buffer outside the pool while the grants are persistent (the
 * backend would keep any page we name mapped): copied through a pool
 * buffer, a request's worth at a time. */
static int rw_bounced(bool write, uint64_t sector, uint8_t *p, size_t bytes)
{
    size_t per = max_bytes();
    uint8_t *b = blkfront_buffer(per / PAGE_SIZE);
    int rc = 0;

    if (!b)
        return -XEN_ENOMEM;
    for (size_t n; !rc && bytes; sector += n / SECTOR, p += n, bytes -= n) {
        n = bytes < per ? bytes : per;
        if (write)
            memcpy(b, p, n);
        rc = rw_requests(write, sector, b, n, per);
        if (!rc && !write)
            memcpy(p, b, n);
    }
    blkfront_buffer_free(b, per / PAGE_SIZE);
    return rc;
}

/* Is [p, p + bytes) in the pool (checked page by page at its ends)? */
static bool in_pool(const uint8_t *p, size_t bytes)
{
    grant_ref_t ref;

    return blkfront_pool_gref(p, &ref) && blkfront_pool_gref(p + bytes - 1, &ref);
}

int blkfront_rw_requests(bool write, uint64_t sector, void *buf, size_t bytes, size_t per)
{
    if (!usable() || bytes % SECTOR || ((uintptr_t)buf & (PAGE_SIZE - 1)) || per % SECTOR ||
        !per)
        return -XEN_EINVAL;
    if (!bytes)
        return 0;
    if (blkfront.persistent && !in_pool(buf, bytes))
        return rw_bounced(write, sector, buf, bytes);
    return rw_requests(write, sector, buf, bytes, per < max_bytes() ? per : max_bytes());
}

int blkfront_rw(bool write, uint64_t sector, void *buf, size_t bytes)
{
    return blkfront_rw_requests(write, sector, buf, bytes, max_bytes());
}

/* One request already in its final form; waits for its answer. */
static int one_request(struct blkif_request *req)
{
    struct blkfront_shadow *s = free_shadow(&req->id);
    int first_error = BLKIF_RSP_OKAY, rc = 0;

    if (!usable() || !s)
        return -XEN_EINVAL;
    s->busy = true;
    s->nr = 0;                    /* the caller's grants stay the caller's */
    blkfront.in_flight++;
    blkfront_ring_put(&blkfront.ring, req);
    while (!rc && blkfront.in_flight)
        rc = push_and_wait() ?: reap(&first_error);
    return rc ?: first_error;
}

int blkfront_flush(void)
{
    struct blkif_request req = { .operation = BLKIF_OP_FLUSH_DISKCACHE,
                                 .handle = (blkif_vdev_t)blkfront.info.devid };

    return one_request(&req);
}

int blkfront_raw(const struct blkif_request *req)
{
    struct blkif_request copy = *req;

    return one_request(&copy);
}
