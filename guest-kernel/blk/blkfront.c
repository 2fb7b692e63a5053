/*
 * Tern guest kernel: blkfront's request queue (see blkfront.h). A request
 * is identified by its shadow slot (id 0..31), which holds the grants of
 * its pages until the response comes. Invariants: at most
 * BLKIF_RING_SIZE requests in flight; requests of more than 11 pages
 * only when the backend offered indirect ones (their descriptors in the
 * slot's own page, granted read-only); a page is granted (read-only for a
 * write: the backend only reads it) only while its request is in flight
 * and the grant is ended when the response comes; a response naming no
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

/* Grants each page of bytes at buf into s->gref and segs; false when no
 * grant is left (none is then held). */
static bool grant_pages(struct blkfront_shadow *s, struct blkif_request_segment *segs,
                        bool write, uint8_t *buf, size_t bytes)
{
    s->nr = 0;
    for (size_t off = 0; off < bytes; off += SEG_BYTES) {
        size_t n = bytes - off < SEG_BYTES ? bytes - off : SEG_BYTES;
        int ref = gnttab_grant(blkfront.backend_id, virt_to_mfn(buf + off), write);

        if (ref < 0)
            return end_grants(s, s->nr), false;
        s->gref[s->nr] = (grant_ref_t)ref;
        segs[s->nr++] = (struct blkif_request_segment){
            .gref = (grant_ref_t)ref, .first_sect = 0, .last_sect = (uint8_t)(n / SECTOR - 1) };
    }
    return true;
}

/* More pages than a direct request holds: the descriptors go into the
 * slot's indirect page, granted read-only for as long as the request. */
static bool put_indirect(struct blkfront_shadow *s, struct blkif_request *req)
{
    struct blkif_request_indirect ind = {
        .operation = BLKIF_OP_INDIRECT, .indirect_op = req->operation, .nr_segments = s->nr,
        .id = req->id, .sector_number = req->sector_number, .handle = req->handle };
    int ref = gnttab_grant(blkfront.backend_id, virt_to_mfn(s->indirect), true);

    if (ref < 0)
        return end_grants(s, s->nr), false;
    s->gref[s->nr++] = (grant_ref_t)ref;
    ind.indirect_grefs[0] = (grant_ref_t)ref;
    memset(req, 0, sizeof(*req));
    memcpy(req, &ind, sizeof(ind));
    return true;
}

/* A request for bytes at sector from buf (at most max_segs() pages);
 * false when no grant is left. */
static bool put_rw(bool write, uint64_t sector, uint8_t *buf, size_t bytes)
{
    struct blkif_request req = { .operation = write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
                                 .handle = (blkif_vdev_t)blkfront.info.devid,
                                 .sector_number = sector };
    struct blkfront_shadow *s = free_shadow(&req.id);
    bool indirect = bytes > MAX_SEGS * SEG_BYTES;

    if (!s || !grant_pages(s, indirect ? s->indirect : req.seg, write, buf, bytes))
        return false;
    req.nr_segments = indirect ? 0 : s->nr;
    if (indirect && !put_indirect(s, &req))
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

int blkfront_rw(bool write, uint64_t sector, void *buf, size_t bytes)
{
    uint8_t *p = buf;
    int first_error = BLKIF_RSP_OKAY, rc = 0;

    if (!usable() || bytes % SECTOR || ((uintptr_t)buf & (PAGE_SIZE - 1)))
        return -XEN_EINVAL;
    while (!rc && (bytes || blkfront.in_flight)) {
        while (bytes && blkfront_ring_free(&blkfront.ring)) {
            size_t n = bytes < max_bytes() ? bytes : max_bytes();

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
