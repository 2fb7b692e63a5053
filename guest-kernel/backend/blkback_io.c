/*
 * Tern guest kernel, domain 0's backends: blkback serving one frontend's
 * ring (see blkback_vbd.h). Each request is copied out of the ring once
 * (blkback_ring.c), checked against the virtual disk (blkback_req.c) and
 * only then done. On a disk with a bus-master engine the data moves
 * without a copy: every segment's page is grant-mapped for the device
 * (GNTMAP_device_map, one hypercall for the request), the DMA goes
 * straight between the disk and those frames, and the mappings are
 * ended (one hypercall) before the answer. A frontend that offered
 * feature-persistent reuses its grants: its pages' mappings are kept
 * (blk/blk_pgnt.h, up to BLK_PGNT_MAX) until it disconnects, so a page
 * seen before costs neither hypercall, and its indirect pages stay mapped
 * too (blkback_indirect.c). Elsewhere (a RAM disk, PIO,
 * or a grant that cannot be mapped or a frame the engine cannot reach)
 * the pages are grant-copied to or from a bounce buffer of ours; a bad
 * grant fails the copy too, and the request gets BLKIF_RSP_ERROR.
 * Invariants: a frontend's frame is given to the device only while our
 * mapping holds a reference on it (and its writable type when the
 * device writes it), and the engine has stopped before that mapping
 * ends; nothing of a frontend's stays mapped after its answer but the
 * pages it reuses (persistent grants), all ended at its disconnect; the disk
 * is reached only at the device sectors the checker planned; every
 * request taken gets exactly one response (a refused, failed or
 * unsupported one included); at most PER_PASS requests of one frontend
 * per pass, so a flood delays the others by no more than that; a lying
 * ring is reported to the caller, which disconnects that frontend alone.
 */
#include "backend/blkback_vbd.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "xen/hypercall.h"

#define PER_PASS   16
#define SECTOR     BLKIF_SECTOR_SIZE
#define MAX_SEGS   BLKBACK_INDIRECT_SEGS  /* an indirect request's, the most */
#define MAX_COPIES (2 * MAX_SEGS)        /* a segment may cross a bounce page */
#define NOT_DIRECT 1                     /* zero copy could not be done: copy */

_Static_assert(BLKBACK_INDIRECT_SEGS >= BLKIF_MAX_SEGMENTS_PER_REQUEST &&
               BLKBACK_INDIRECT_SEGS <= BLKIF_SEGS_PER_INDIRECT_FRAME,
               "one indirect page, at least a direct request's segments");

static uint8_t bounce[MAX_SEGS * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct gnttab_copy copies[MAX_COPIES];
static struct blk_io io[MAX_SEGS];
static struct gnttab_map_grant_ref maps[MAX_SEGS];
static struct gnttab_unmap_grant_ref unmaps[MAX_SEGS];
static bool keep[MAX_SEGS];                 /* maps[k] is kept (persistent) */
static uint32_t nr_maps;                     /* maps[] made for this request */
static uint64_t seg_bus[MAX_SEGS];           /* each segment's frame, for the engine */
static struct ata_region regions[MAX_SEGS];
/* An indirect request's descriptors, copied out of its page. */
static struct blkif_request_segment isegs[BLKIF_SEGS_PER_INDIRECT_FRAME]
    __attribute__((aligned(PAGE_SIZE)));

/* The copy ops for segment s, whose bytes sit at bounce + off: one per
 * bounce page it touches. Returns how many were added at op. */
static unsigned int add_copies(struct gnttab_copy *op, const struct vbd *v,
                               const struct blk_io *s, size_t off, bool to_frontend)
{
    uint32_t left = s->count * SECTOR, done = 0;
    unsigned int n = 0;

    while (left) {
        uint32_t in_page = (uint32_t)(off & (PAGE_SIZE - 1));
        uint32_t room = (uint32_t)PAGE_SIZE - in_page;
        uint32_t piece = left < room ? left : room;
        struct gnttab_copy_ptr ours = { .u.gmfn = virt_to_mfn(bounce + off),
                                        .domid = DOMID_SELF, .offset = (uint16_t)in_page };
        struct gnttab_copy_ptr theirs = { .u.ref = s->gref, .domid = v->dom,
                                          .offset = (uint16_t)(s->page_offset + done) };

        op[n++] = to_frontend
            ? (struct gnttab_copy){ .source = ours, .dest = theirs, .len = (uint16_t)piece,
                                    .flags = GNTCOPY_dest_gref }
            : (struct gnttab_copy){ .source = theirs, .dest = ours, .len = (uint16_t)piece,
                                    .flags = GNTCOPY_source_gref };
        off += piece;
        done += piece;
        left -= piece;
    }
    return n;
}

/* Every segment copied between the frontend's pages and the bounce
 * buffer (packed one after the other); a bad grant fails the request. */
static int copy_segments(const struct vbd *v, uint32_t nr, bool to_frontend)
{
    unsigned int n = 0;
    size_t off = 0;

    for (uint32_t i = 0; i < nr; i++) {
        n += add_copies(copies + n, v, &io[i], off, to_frontend);
        off += (size_t)io[i].count * SECTOR;
    }
    if (HYPERVISOR_grant_table_op(GNTTABOP_copy, copies, n))
        return BLKIF_RSP_ERROR;
    for (unsigned int i = 0; i < n; i++)
        if (copies[i].status != GNTST_okay)
            return BLKIF_RSP_ERROR;
    return BLKIF_RSP_OKAY;
}

/* The disk side: runs of consecutive device sectors, one command each. */
static int disk_io(struct vbd *v, uint32_t nr, bool write)
{
    size_t off = 0;

    for (uint32_t i = 0, j; i < nr; i = j) {
        uint32_t count = 0;
        int rc;

        for (j = i; j < nr && io[j].dev_sector == io[i].dev_sector + count; j++)
            count += io[j].count;
        rc = write ? blk_store_write(v->store, io[i].dev_sector, count, bounce + off)
                   : blk_store_read(v->store, io[i].dev_sector, count, bounce + off);
        if (rc)
            return BLKIF_RSP_ERROR;
        off += (size_t)count * SECTOR;
    }
    return BLKIF_RSP_OKAY;
}

/* Segment i's page as kept mapped by an earlier request (persistent
 * grants): its bus address into seg_bus[i]. */
static bool kept(const struct vbd *v, uint32_t i)
{
    return v->persistent && blk_pgnt_find(&v->pgnt, io[i].gref, &seg_bus[i]);
}

/* After the map hypercall: each mapping made gives its segment's bus
 * address, and is kept for later requests when the frontend reuses its
 * grants and the table has room (else it ends with this request). */
static bool note_maps(struct vbd *v, const uint32_t *seg_of)
{
    bool all = true;

    for (uint32_t k = 0; k < nr_maps; k++) {
        keep[k] = false;
        if (maps[k].status != GNTST_okay) {
            all = false;
            continue;
        }
        seg_bus[seg_of[k]] = maps[k].dev_bus_addr;
        keep[k] = v->persistent &&
                  blk_pgnt_add(&v->pgnt, maps[k].ref, maps[k].handle, maps[k].dev_bus_addr);
    }
    return all;
}

/* Device mappings of every segment's page not kept mapped already, in
 * one hypercall (read-only when the device only reads them, unless the
 * frontend reuses its grants: it then grants them writable, blkif.h note
 * 8, and one mapping serves reads and writes); true when every segment
 * has one. Each made is left in maps[] with GNTST_okay either way. */
static bool map_segments(struct vbd *v, uint32_t nr, bool device_writes)
{
    uint16_t flags = GNTMAP_device_map | (v->persistent || device_writes ? 0 : GNTMAP_readonly);
    uint32_t seg_of[MAX_SEGS];
    bool made;

    nr_maps = 0;
    for (uint32_t i = 0; i < nr; i++)
        if (!kept(v, i)) {
            seg_of[nr_maps] = i;
            maps[nr_maps++] = (struct gnttab_map_grant_ref){
                .flags = flags, .ref = io[i].gref, .dom = v->dom, .status = GNTST_general_error };
        }
    if (!nr_maps)
        return true;
    made = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, maps, nr_maps) == 0;
    return note_maps(v, seg_of) && made;
}

/* n mappings in unmaps[] ended in one hypercall; false if any failed. */
static bool unmap_batch(unsigned int n)
{
    bool ok;

    if (!n)
        return true;
    ok = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, unmaps, n) == 0;
    for (unsigned int i = 0; i < n; i++)
        ok = ok && unmaps[i].status == GNTST_okay;
    return ok;
}

/* Every mapping map_segments made for this request alone, ended. */
static void unmap_segments(const struct vbd *v)
{
    unsigned int n = 0;

    for (uint32_t k = 0; k < nr_maps; k++)
        if (maps[k].status == GNTST_okay && !keep[k])
            unmaps[n++] = (struct gnttab_unmap_grant_ref){
                .dev_bus_addr = maps[k].dev_bus_addr, .handle = maps[k].handle };
    if (!unmap_batch(n))
        printk("blkback: vbd %u/%u: unmapping a request's pages failed\n", v->dom, v->devid);
}

/* The table's pages given back (those taken, when taking failed). */
static void free_table(struct vbd *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        page_free(v->pgnt_pfn[i]);
    v->persistent = false;
}

bool vbd_keep_grants(struct vbd *v)
{
    void *pages[BLK_PGNT_PAGES];

    for (uint32_t i = 0; i < BLK_PGNT_PAGES; i++) {
        long pfn = page_alloc();

        if (pfn < 0)
            return free_table(v, i), false;
        v->pgnt_pfn[i] = (uint64_t)pfn;
        pages[i] = pfn_to_virt((uint64_t)pfn);
    }
    blk_pgnt_init(&v->pgnt, pages);
    v->nr_indirect = 0;
    v->persistent = true;
    return true;
}

uint32_t vbd_forget_grants(struct vbd *v)
{
    static struct blk_pgnt_entry out[MAX_SEGS];
    uint32_t n, total = 0;
    bool ok = true;

    if (!v->persistent)
        return 0;
    vbd_indirect_forget(v);
    while ((n = blk_pgnt_drain(&v->pgnt, out, MAX_SEGS)) != 0) {
        for (uint32_t i = 0; i < n; i++)
            unmaps[i] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = out[i].bus,
                                                         .handle = out[i].handle };
        ok = unmap_batch(n) && ok;
        total += n;
    }
    if (!ok)
        printk("blkback: vbd %u/%u: unmapping its kept pages failed\n", v->dom, v->devid);
    free_table(v, BLK_PGNT_PAGES);
    return total;
}

/* The disk side by DMA into or out of the mapped frames: runs of
 * consecutive device sectors, one command each. NOT_DIRECT when the
 * engine cannot take them (nothing was done to the disk by that run). */
static int dma_segments(struct vbd *v, uint32_t nr, bool write)
{
    for (uint32_t i = 0, j; i < nr; i = j) {
        uint32_t count = 0;
        unsigned int n = 0;
        int rc;

        for (j = i; j < nr && io[j].dev_sector == io[i].dev_sector + count; j++) {
            regions[n++] = (struct ata_region){ .maddr = seg_bus[j] + io[j].page_offset,
                                                .len = io[j].count * SECTOR };
            count += io[j].count;
        }
        rc = blk_store_dma(v->store, write, io[i].dev_sector, regions, n);
        if (rc)
            return rc == BLK_STORE_NO_DMA ? NOT_DIRECT : BLKIF_RSP_ERROR;
    }
    return BLKIF_RSP_OKAY;
}

/* Zero copy: the request's pages mapped for the device, the DMA, the
 * mappings ended (the engine has stopped by then). NOT_DIRECT when it
 * could not be done; the copy path then does the whole request again. */
static int zero_copy(struct vbd *v, uint32_t nr, bool write)
{
    int st = NOT_DIRECT;

    if (!blk_store_can_dma(v->store))
        return NOT_DIRECT;
    if (map_segments(v, nr, !write))
        st = dma_segments(v, nr, write);
    unmap_segments(v);
    if (st != NOT_DIRECT)
        v->zero_copy++;
    return st;
}

static int do_read(struct vbd *v, uint32_t nr)
{
    int st = zero_copy(v, nr, false);

    if (st != NOT_DIRECT)
        return st;
    st = disk_io(v, nr, false);
    return st ?: copy_segments(v, nr, true);
}

static int do_write(struct vbd *v, uint32_t nr)
{
    int st = zero_copy(v, nr, true);

    if (st != NOT_DIRECT)
        return st;
    st = copy_segments(v, nr, false);
    return st ?: disk_io(v, nr, true);
}

static int do_flush(struct vbd *v)
{
    return blk_store_flush(v->store) ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
}

/* An indirect request's descriptors (one page: at most MAX_SEGS, as
 * offered and checked by the decoder) copied out of the frontend's page
 * once, so it cannot change them under the checker. */
static int fetch_indirect(struct vbd *v, const struct blk_req *r)
{
    struct gnttab_copy c = {
        .source = { .u.ref = r->indirect_grefs[0], .domid = v->dom },
        .dest = { .u.gmfn = virt_to_mfn(isegs), .domid = DOMID_SELF },
        .len = (uint16_t)(r->nr_segs * sizeof(isegs[0])), .flags = GNTCOPY_source_gref };

    if (r->nr_indirect != 1)
        return BLKIF_RSP_ERROR;
    if (v->persistent && vbd_indirect_read(v, c.source.u.ref, isegs, c.len))
        return BLKIF_RSP_OKAY;
    if (HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1) || c.status != GNTST_okay)
        return BLKIF_RSP_ERROR;
    return BLKIF_RSP_OKAY;
}

/* A decoded request (status OKAY so far) done. */
static int execute(struct vbd *v, const struct blk_req *r, const struct blkif_request *req)
{
    const struct blkif_request_segment *segs = req->seg;
    int st;

    if (r->kind == BLK_DISCARD || r->nr_segs > MAX_SEGS)
        return BLKIF_RSP_EOPNOTSUPP;            /* never offered */
    if (r->nr_indirect) {
        st = fetch_indirect(v, r);
        if (st)
            return st;
        segs = isegs;
    }
    st = blk_req_plan(r, segs, &v->vd, io);
    if (st)
        return st;
    if (r->kind == BLK_READ)
        return do_read(v, r->nr_segs);
    if (r->kind == BLK_WRITE)
        return do_write(v, r->nr_segs);
    st = do_flush(v);                           /* flush, write, flush */
    if (!st && r->nr_segs)
        st = do_write(v, r->nr_segs) ?: do_flush(v);
    return st;
}

static void one_request(struct vbd *v, const struct blkif_request *req)
{
    struct blk_req r;
    int st = blk_req_decode(req, &v->vd, &r);

    if (st == BLKIF_RSP_OKAY)
        st = execute(v, &r, req);
    v->requests++;
    if (st != BLKIF_RSP_OKAY)
        v->refused++;
    blkback_ring_respond(&v->ring, r.id, r.rsp_op, (int16_t)st);
}

/* Requests pending now, re-arming the event when there are none. */
static uint32_t pending(struct vbd *v)
{
    uint32_t n = blkback_ring_pending(&v->ring);

    return n ? n : blkback_ring_final_check(&v->ring);
}

enum vbd_pass vbd_serve(struct vbd *v)
{
    struct blkif_request req;
    unsigned int done = 0;
    enum vbd_pass out = VBD_IDLE;

    while (done < PER_PASS) {
        uint32_t n = pending(v), before = done;

        if (n == BLKBACK_RING_LIED) {
            out = VBD_LIED;
            break;
        }
        if (n == 0)
            break;
        for (; n && done < PER_PASS && blkback_ring_take(&v->ring, &req); n--, done++)
            one_request(v, &req);
        out = done == PER_PASS ? VBD_MORE : VBD_IDLE;
        if (done == before)
            break;                              /* nothing could be taken */
    }
    if (blkback_ring_push(&v->ring))
        gk_evtchn_send(v->port);
    return out;
}
