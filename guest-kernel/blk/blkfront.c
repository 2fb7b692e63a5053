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

/* Where a transfer's bytes are: our own buffer (each page granted per
 * request) or a run of pool pages (granted for good). */
struct io_src {
    uint8_t *base;
    const struct blkfront_buf *pool;
};

/* A segment of bytes (whole sectors from the page's start). */
static struct blkif_request_segment segment(grant_ref_t ref, size_t bytes)
{
    return (struct blkif_request_segment){ .gref = ref, .first_sect = 0,
                                           .last_sect = (uint8_t)(bytes / SECTOR - 1) };
}

/* The grant of the page at byte off of src: the pool's own, else one
 * made now and noted in s->gref to be ended at the response (-1: none
 * left). */
static int page_grant(struct blkfront_shadow *s, const struct io_src *src, size_t off,
                      bool write)
{
    int made;

    if (src->pool)
        return (int)blkfront_pool_ref(src->pool->first + (uint32_t)(off / PAGE_SIZE));
    made = gnttab_grant(blkfront.backend_id, virt_to_mfn(src->base + off), write);
    if (made >= 0)
        s->gref[s->nr++] = (grant_ref_t)made;
    return made;
}

/* Each page of bytes at off of src into segs, with its grant. Returns
 * the segment count, 0 when no grant is left (none is then held). */
static uint8_t grant_pages(struct blkfront_shadow *s, struct blkif_request_segment *segs,
                           bool write, const struct io_src *src, size_t off, size_t bytes)
{
    uint8_t nr = 0;

    s->nr = 0;
    for (size_t done = 0; done < bytes; done += SEG_BYTES, nr++) {
        size_t n = bytes - done < SEG_BYTES ? bytes - done : SEG_BYTES;
        int ref = page_grant(s, src, off + done, write);

        if (ref < 0)
            return end_grants(s, s->nr), 0;
        segs[nr] = segment((grant_ref_t)ref, n);
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

/* A request for bytes at off of src to or from sector (at most
 * max_bytes()); false when no grant is left. */
static bool put_rw(bool write, uint64_t sector, const struct io_src *src, size_t off,
                   size_t bytes)
{
    struct blkif_request req = { .operation = write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
                                 .handle = (blkif_vdev_t)blkfront.info.devid,
                                 .sector_number = sector };
    struct blkfront_shadow *s = free_shadow(&req.id);
    bool indirect = bytes > MAX_SEGS * SEG_BYTES;
    uint8_t nr = s ? grant_pages(s, indirect ? s->indirect : req.seg, write, src, off, bytes)
                   : 0;

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

/* bytes of src in requests of at most per bytes, as many in flight as
 * the ring holds; published together, answered together. */
static int rw_requests(bool write, uint64_t sector, const struct io_src *src, size_t bytes,
                       size_t per)
{
    int first_error = BLKIF_RSP_OKAY, rc = 0;
    size_t off = 0;

    per = per < max_bytes() ? per : max_bytes();
    while (!rc && (off < bytes || blkfront.in_flight)) {
        while (off < bytes && blkfront_ring_free(&blkfront.ring)) {
            size_t n = bytes - off < per ? bytes - off : per;

            if (!put_rw(write, sector, src, off, n))
                break;
            sector += n / SECTOR;
            off += n;
        }
        rc = push_and_wait() ?: reap(&first_error);
    }
    return rc ?: first_error;
}

/* n bytes between our buffer p and the pool run b, page by page. */
static void copy_pool(const struct blkfront_buf *b, uint8_t *p, size_t n, bool to_pool)
{
    for (uint32_t i = 0; (size_t)i * PAGE_SIZE < n; i++) {
        size_t k = n - (size_t)i * PAGE_SIZE < PAGE_SIZE ? n - (size_t)i * PAGE_SIZE : PAGE_SIZE;
        uint8_t *page = blkfront_buf_page(b, i);

        if (to_pool)
            memcpy(page, p + (size_t)i * PAGE_SIZE, k);
        else
            memcpy(p + (size_t)i * PAGE_SIZE, page, k);
    }
}

/* Our own buffer while the grants are persistent (the backend would keep
 * any page we name mapped): copied through pool pages, a request's worth
 * at a time. */
static int rw_bounced(bool write, uint64_t sector, uint8_t *p, size_t bytes)
{
    size_t per = max_bytes();
    struct blkfront_buf b;
    struct io_src src = { .pool = &b };
    int rc = 0;

    if (!blkfront_buf_get(&b, (uint32_t)(per / PAGE_SIZE)))
        return -XEN_ENOMEM;
    for (size_t n; !rc && bytes; sector += n / SECTOR, p += n, bytes -= n) {
        n = bytes < per ? bytes : per;
        if (write)
            copy_pool(&b, p, n, true);
        rc = rw_requests(write, sector, &src, n, per);
        if (!rc && !write)
            copy_pool(&b, p, n, false);
    }
    blkfront_buf_put(&b);
    return rc;
}

int blkfront_rw(bool write, uint64_t sector, void *buf, size_t bytes)
{
    struct io_src src = { .base = buf };

    if (!usable() || bytes % SECTOR || ((uintptr_t)buf & (PAGE_SIZE - 1)))
        return -XEN_EINVAL;
    if (blkfront.persistent)
        return rw_bounced(write, sector, buf, bytes);
    return rw_requests(write, sector, &src, bytes, max_bytes());
}

int blkfront_rw_buf(bool write, uint64_t sector, const struct blkfront_buf *b, size_t per)
{
    struct io_src src = { .pool = b };

    if (!usable() || !blkfront.persistent || per % PAGE_SIZE || !per)
        return -XEN_EINVAL;
    return rw_requests(write, sector, &src, (size_t)b->pages * PAGE_SIZE, per);
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
