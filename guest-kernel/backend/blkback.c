/*
 * Tern guest kernel, domain 0's backends: blkback's xenbus side (see
 * blkback.h; the ring is blkback_io.c's). For each vbd the toolstack
 * wrote, as Linux's xen-blkback does:
 *   1. its target (`params`, blk/blk_target.h) and `mode` (r or w) become
 *      a virtual disk on a backing store (blk_store.c), a partition's
 *      sectors taken from the store's MBR as it is then (blk/mbr.h: a
 *      malformed table serves no partition); the backend
 *      writes sectors, sector-size, info, feature-flush-cache,
 *      feature-barrier (0), feature-discard (0),
 *      feature-max-indirect-segments (32), feature-persistent (1) and
 *      goes InitWait; a
 *      target it cannot serve is said once and left in Initialising;
 *   2. once the frontend is Initialised it reads ring-ref, event-channel,
 *      protocol (only x86_64-abi) and feature-persistent (whether its
 *      pages stay mapped between requests), maps the ring page through
 *      its grant, binds the port and goes Connected;
 *   3. when the frontend closes, or lies about its ring, or publishes
 *      nonsense, the ring is unmapped and the port closed, and the
 *      backend goes Closing, then Closed once the frontend is.
 * Handshake decisions are xen/xenbus_state.c's. Watch events only mark
 * the devices for a look at the next pass (they arrive inside xenstored
 * calls). Invariants: a frontend's nodes are untrusted (parsed strictly,
 * a bad one closes that device only); every page of a frontend we map
 * (its ring, the pages kept by persistent grants) is unmapped when it
 * disconnects or its domain ends.
 */
#include <public/errno.h>
#include "backend/blkback.h"
#include "backend/blkback_vbd.h"
#include "backend/xenstored.h"
#include "blk/mbr.h"
#include "blk/blk_node.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "xen/xenbus_state.h"

#define VBD_MAX   8
#define VALUE_LEN 64
#define BE_ROOT   "/local/domain/0/backend/vbd/"
#define TOKEN_BE  "blkback"
#define TOKEN_FE  "blkback-frontend"
#define PROTOCOL  "x86_64-abi"

static struct vbd vbds[VBD_MAX];
static uint8_t windows[VBD_MAX][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static bool dirty;
static void (*event_cb)(void);

static int read_node(const char *dir, const char *key, char *out)
{
    char path[VBD_PATH + 32];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xsd_read(path, out, VALUE_LEN);
}

static int write_be(const struct vbd *v, const char *key, const char *value)
{
    char path[VBD_PATH + 32];

    snprintf(path, sizeof(path), "%s/%s", v->be, key);
    return xsd_put(path, value, 0, v->dom);
}

static int write_be_num(const struct vbd *v, const char *key, uint64_t n)
{
    char value[24];

    snprintf(value, sizeof(value), "%lu", n);
    return write_be(v, key, value);
}

/* Writes be/state only when it changes: each write fires the
 * frontend's watch, and a rewrite would fire ours again, for ever. */
static void switch_state(struct vbd *v, enum xenbus_state st)
{
    if (v->state == st)
        return;
    v->state = st;
    write_be_num(v, "state", st);
}

/* ---- devices found through the watch ----------------------------------- */

static struct vbd *vbd_of(domid_t dom, uint32_t devid)
{
    for (unsigned int i = 0; i < VBD_MAX; i++)
        if (vbds[i].used && vbds[i].dom == dom && vbds[i].devid == devid)
            return &vbds[i];
    return NULL;
}

static void add_vbd(domid_t dom, uint32_t devid)
{
    for (unsigned int i = 0; i < VBD_MAX; i++)
        if (!vbds[i].used) {
            vbds[i] = (struct vbd){ .used = true, .dom = dom, .devid = devid };
            snprintf(vbds[i].be, VBD_PATH, BE_ROOT "%u/%u", dom, devid);
            return;
        }
    printk("blkback: vbd %u/%u: already serving %u devices; ignored\n", dom, devid, VBD_MAX);
}

/* BE_ROOT<dom>/<devid>[/...]: a device to look at. */
static void note_device(const char *path)
{
    domid_t dom;
    uint32_t devid;

    if (blk_node_backend_path(path, &dom, &devid) && !vbd_of(dom, devid))
        add_vbd(dom, devid);
}

bool blkback_on_watch(const char *path, const char *token)
{
    if (strcmp(token, TOKEN_BE) && strcmp(token, TOKEN_FE))
        return false;
    if (!strcmp(token, TOKEN_BE))
        note_device(path);
    dirty = true;
    event_cb();
    return true;
}

void blkback_init(void (*on_event)(void))
{
    event_cb = on_event;
    xsd_watch("/local/domain/0/backend/vbd", TOKEN_BE);
}

/* ---- step 1: the virtual disk ------------------------------------------- */

static bool give_up(struct vbd *v, const char *what, const char *why)
{
    printk("blkback: vbd %u/%u: %s: %s; left unconnected\n", v->dom, v->devid, what, why);
    v->failed = true;
    return false;
}

/* A partition target: its sectors, from the store's MBR read now (the
 * whole table checked, blk/mbr.h), into t's range. */
static bool find_partition(struct vbd *v, const char *params, struct blk_target *t)
{
    static uint8_t mbr[MBR_SECTOR] __attribute__((aligned(MBR_SECTOR)));
    struct mbr_part p;
    int rc;

    if (blk_store_read(v->store, 0, 1, mbr))
        return give_up(v, params, "its MBR cannot be read");
    rc = mbr_partition(mbr, blk_store_sectors(v->store), t->partition, &p);
    if (rc)
        return give_up(v, params, mbr_strerror(rc));
    t->first = p.first;
    t->count = p.count;
    return true;
}

/* params and mode into v->vd on its store. */
static bool open_vdisk(struct vbd *v)
{
    char params[VALUE_LEN], mode[VALUE_LEN];
    struct blk_target t;
    const char *why = "unreadable";

    if (read_node(v->be, "params", params) < 0 || read_node(v->be, "mode", mode) < 0 ||
        !blk_target_parse(params, &t, &why))
        return give_up(v, "params", why);
    v->store = blk_store_open(t.pos, &why);
    if (!v->store)
        return give_up(v, params, why);
    if (t.partition && !find_partition(v, params, &t))
        return false;
    v->vd = (struct blk_vdisk){
        .sectors = t.whole ? blk_store_sectors(v->store) : t.count, .sector_size = 512,
        .offset = t.whole ? 0 : t.first, .read_only = mode[0] != 'w',
        .flush = blk_store_can_flush(v->store), .max_indirect_segs = BLKBACK_INDIRECT_SEGS };
    if (!blk_vdisk_valid(&v->vd, blk_store_sectors(v->store)))
        return give_up(v, params, "the range does not fit the disk");
    return true;
}

/* The frontend path the toolstack wrote must be the domain's own. */
static bool read_frontend(struct vbd *v)
{
    char want[VBD_PATH], fe[VALUE_LEN + 32];

    snprintf(want, sizeof(want), "/local/domain/%u/device/vbd/%u", v->dom, v->devid);
    if (read_node(v->be, "frontend", fe) < 0 || strcmp(fe, want))
        return give_up(v, "frontend", "not the domain's own device/vbd directory");
    memcpy(v->fe, want, sizeof(want));
    return true;
}

static void set_up(struct vbd *v)
{
    char path[VBD_PATH + 16];
    int rc;

    v->set_up = true;
    if (!read_frontend(v) || !open_vdisk(v))
        return;
    rc = write_be_num(v, "sectors", v->vd.sectors) ?: write_be(v, "sector-size", "512") ?:
         write_be_num(v, "info", v->vd.read_only ? VDISK_READONLY : 0) ?:
         write_be(v, "feature-flush-cache", v->vd.flush ? "1" : "0") ?:
         write_be(v, "feature-barrier", "0") ?: write_be(v, "feature-discard", "0") ?:
         write_be_num(v, "feature-max-indirect-segments", BLKBACK_INDIRECT_SEGS) ?:
         write_be(v, "feature-persistent", "1");
    if (rc) {
        give_up(v, "its backend nodes", "cannot be written");
        return;
    }
    snprintf(path, sizeof(path), "%s/state", v->fe);
    v->watching = xsd_watch(path, TOKEN_FE) == 0;
    switch_state(v, XenbusStateInitWait);
    printk("blkback: vbd %u/%u: %s, %lu sectors from %lu, %s, InitWait\n", v->dom, v->devid,
           blk_store_name(v->store), v->vd.sectors, v->vd.offset,
           v->vd.read_only ? "read-only" : "read-write");
}

/* ---- steps 2 and 3: connect and disconnect -------------------------------- */

static void on_port(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    event_cb();
}

static void disconnect(struct vbd *v, const char *why)
{
    uint32_t kept;

    if (!v->connected)
        return;
    gk_evtchn_detach(v->port);
    kept = vbd_forget_grants(v);
    ring_unmap(&v->map);
    v->connected = false;
    printk("blkback: vbd %u/%u: %s; disconnected after %lu requests (%lu refused, "
           "%lu by DMA straight into its pages), %u pages it reused unmapped\n", v->dom,
           v->devid, why, v->requests, v->refused, v->zero_copy, kept);
}

static void broken(struct vbd *v, const char *why)
{
    if (v->connected)
        disconnect(v, why);
    else
        printk("blkback: vbd %u/%u: %s\n", v->dom, v->devid, why);
    switch_state(v, XenbusStateClosing);
}

/* feature-persistent: "1" or absent (0); anything else is nonsense
 * (false, for the caller to say). The last step of connecting: nothing
 * after it fails, so the table it may take is given back at disconnect. */
static bool read_persistent(struct vbd *v)
{
    char value[VALUE_LEN];
    uint64_t on = 0;

    v->persistent = false;
    if (read_node(v->fe, "feature-persistent", value) >= 0 && !blk_node_number(value, 1, &on))
        return false;
    if (on && !vbd_keep_grants(v))
        printk("blkback: vbd %u/%u: no memory to keep its pages mapped; each request maps "
               "them\n", v->dom, v->devid);
    return true;
}

/* ring-ref, event-channel, protocol: false (said) if any is bad. */
static bool read_details(struct vbd *v, uint64_t *ref, uint64_t *port)
{
    char value[VALUE_LEN];
    int rc = read_node(v->fe, "protocol", value);

    if (rc >= 0 && strcmp(value, PROTOCOL))
        return broken(v, "the frontend's protocol is not " PROTOCOL), false;
    if (read_node(v->fe, "ring-ref", value) < 0 ||
        !blk_node_number(value, UINT32_MAX, ref))
        return broken(v, "the frontend's ring-ref is missing or not a number"), false;
    if (read_node(v->fe, "event-channel", value) < 0 ||
        !blk_node_number(value, UINT32_MAX, port))
        return broken(v, "the frontend's event-channel is missing or not a number"), false;
    return true;
}

static void connect(struct vbd *v)
{
    uint64_t ref, port;
    int16_t st;
    long rc;

    if (!read_details(v, &ref, &port))
        return;
    st = ring_map(&v->map, v->dom, (grant_ref_t)ref, windows[v - vbds]);
    if (st != GNTST_okay) {
        printk("blkback: vbd %u/%u: ring-ref %lu: map_grant_ref %d\n", v->dom, v->devid, ref, st);
        return broken(v, "cannot map the frontend's ring");
    }
    rc = gk_evtchn_bind_interdomain(v->dom, (evtchn_port_t)port, &v->port);
    if (rc || !read_persistent(v)) {
        if (!rc)
            gk_evtchn_close(v->port);
        ring_unmap(&v->map);
        return broken(v, rc ? "cannot bind the frontend's event channel"
                            : "the frontend's feature-persistent is not 0 or 1");
    }
    blkback_ring_init(&v->ring, v->map.window);
    gk_evtchn_attach(v->port, on_port, NULL);
    v->connected = true;
    switch_state(v, XenbusStateConnected);
    printk("blkback: vbd %u/%u: connected (ring-ref %lu, port %lu%s)\n", v->dom, v->devid, ref,
           port, v->persistent ? ", persistent grants" : "");
}

/* One handshake decision; true if our state changed (look again). */
static bool step(struct vbd *v)
{
    char value[VALUE_LEN];
    enum xenbus_state fe, was = v->state;
    int n = read_node(v->fe, "state", value);

    if (n < 0 || !xenbus_state_parse(value, (size_t)n, &fe))
        fe = XenbusStateClosed;                 /* gone or nonsense */
    switch (xenbus_backend_next(v->state, fe)) {
    case XB_CONNECT:
        connect(v);
        break;
    case XB_CLOSE:
        disconnect(v, "the frontend closes");
        switch_state(v, XenbusStateClosing);
        break;
    case XB_CLOSED:
        disconnect(v, "the frontend closed");
        switch_state(v, XenbusStateClosed);
        break;
    case XB_BROKEN:
        broken(v, "the frontend's state makes no sense");
        break;
    default:
        break;
    }
    return v->state != was;
}

static void look_at(struct vbd *v)
{
    if (!v->set_up)
        set_up(v);
    if (v->failed || !v->set_up || v->state == XenbusStateInitialising)
        return;
    for (unsigned int i = 0; i < 4 && step(v); i++)
        ;
}

void blkback_serve(void)
{
    if (dirty) {
        dirty = false;
        for (unsigned int i = 0; i < VBD_MAX; i++)
            if (vbds[i].used)
                look_at(&vbds[i]);
    }
    for (unsigned int i = 0; i < VBD_MAX; i++) {
        struct vbd *v = &vbds[i];
        enum vbd_pass p = v->used && v->connected ? vbd_serve(v) : VBD_IDLE;

        if (p == VBD_LIED)
            broken(v, "the frontend lied about its ring indices");
        else if (p == VBD_MORE)
            event_cb();                         /* come back at once */
    }
}

void blkback_release(domid_t dom)
{
    char path[VBD_PATH + 16];

    for (unsigned int i = 0; i < VBD_MAX; i++) {
        struct vbd *v = &vbds[i];

        if (!v->used || v->dom != dom)
            continue;
        disconnect(v, "its domain ended");
        if (v->watching) {
            snprintf(path, sizeof(path), "%s/state", v->fe);
            xsd_unwatch(path, TOKEN_FE);
        }
        v->used = false;
    }
}
