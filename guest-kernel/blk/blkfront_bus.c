/*
 * Tern guest kernel: blkfront's xenbus side (see blkfront.h): finds the
 * first device/vbd/<id>, shares a ring page and an event channel with its
 * backend and follows the handshake (xen/xenbus_state.c) to Connected;
 * closes it again. Invariants: the backend's nodes are untrusted (numbers
 * parsed strictly, a sector size other than 512 or 4096 refused); the
 * ring page's grant (and the persistent pool's, blkfront_pool.c) is
 * ended only once the backend has let go of it (it
 * is Closing or Closed), and a grant that cannot be ended is reported,
 * never reused; every wait for the backend has a deadline.
 */
#include <public/errno.h>
#include "blk/blk_node.h"
#include "blk/blkfront_dev.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/gnttab.h"
#include "xen/xenbus.h"
#include "xen/xenbus_state.h"

#define VALUE_LEN  96
#define LIST_LEN   256
#define WAIT_NS    (10 * NS_PER_S)
#define TOKEN      "blkfront"
#define PROTOCOL   "x86_64-abi"

struct blkfront_dev blkfront;
static bool no_persistent;

void blkfront_want_persistent(bool on)
{
    no_persistent = !on;
}

static int read_key(const char *dir, const char *key, char *out)
{
    char path[BLKFRONT_PATH + 32];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xenbus_read(0, path, out, VALUE_LEN);
}

static bool read_num(const char *dir, const char *key, uint64_t *out)
{
    char v[VALUE_LEN];

    return read_key(dir, key, v) >= 0 && blk_node_number(v, UINT64_MAX, out);
}

static int fail(const char *what, int rc)
{
    printk("blkfront: %s (%d)\n", what, rc);
    return rc;
}

/* The first device/vbd/<id>: its paths and backend domain. */
static int find_device(void)
{
    char list[LIST_LEN], domid[16];
    uint64_t id, be_id;
    int len = xenbus_directory(0, "device/vbd", list, sizeof(list));

    if (len <= 0 || strnlen(list, (size_t)len) == (size_t)len ||
        !blk_node_number(list, UINT32_MAX, &id))
        return fail("no virtual block device (device/vbd)", len < 0 ? len : -XEN_ENODEV);
    if (xenbus_read(0, "domid", domid, sizeof(domid)) < 0)
        return fail("cannot read our domid", -XEN_EIO);
    snprintf(blkfront.fe, BLKFRONT_PATH, "/local/domain/%s/device/vbd/%lu", domid, id);
    blkfront.info.devid = (uint32_t)id;
    if (read_key(blkfront.fe, "backend", blkfront.be) < 0 ||
        !read_num(blkfront.fe, "backend-id", &be_id) || be_id >= DOMID_FIRST_RESERVED)
        return fail("the device names no backend", -XEN_EINVAL);
    blkfront.backend_id = (domid_t)be_id;
    return 0;
}

static int switch_state(enum xenbus_state st)
{
    blkfront.state = st;
    return xenbus_switch_state(blkfront.fe, st);
}

static int write_key(const char *key, const char *fmt, uint64_t n)
{
    char path[BLKFRONT_PATH + 32], v[24];

    snprintf(path, sizeof(path), "%s/%s", blkfront.fe, key);
    snprintf(v, sizeof(v), fmt, n);
    return xenbus_write(0, path, v);
}

/* A page of indirect descriptors for each shadow slot (allocated once;
 * kept for the domain's life): before the pool is granted, which grants
 * them too. */
static void indirect_pages(void)
{
    static struct blkif_request_segment *pages[BLKIF_RING_SIZE];

    for (unsigned int i = 0; i < BLKIF_RING_SIZE; i++) {
        long pfn = pages[i] ? 0 : page_alloc();

        if (pfn < 0)
            return;
        if (!pages[i])
            pages[i] = pfn_to_virt((uint64_t)pfn);
        blkfront.shadow[i].indirect = pages[i];
    }
}

/* Persistent grants when the backend offers them (its nodes are written
 * before InitWait) and our pool can be granted: we say so. */
static int offer_persistent(void)
{
    uint64_t offered = 0;

    if (no_persistent || !read_num(blkfront.be, "feature-persistent", &offered) ||
        offered != 1 || !blkfront_pool_grant())
        return 0;
    blkfront.persistent = true;
    return write_key("feature-persistent", "%lu", 1);
}

/* The ring page granted, the port allocated, both published with the
 * protocol (and feature-persistent); then Initialised. */
static int publish(void)
{
    long pfn = page_alloc();
    int rc;

    if (pfn < 0 || gnttab_init())
        return fail("no page or no grant table for the ring", -XEN_ENOMEM);
    indirect_pages();
    memset(pfn_to_virt((uint64_t)pfn), 0, PAGE_SIZE);
    blkfront_ring_init(&blkfront.ring, pfn_to_virt((uint64_t)pfn));
    blkfront.ring_ref = gnttab_grant(blkfront.backend_id, pfn_to_mfn((uint64_t)pfn), false);
    if (blkfront.ring_ref < 0 || gk_evtchn_alloc_unbound(blkfront.backend_id, &blkfront.port))
        return fail("cannot grant the ring or allocate a port", -XEN_ENOSPC);
    gk_evtchn_attach(blkfront.port, blkfront_on_event, NULL);
    rc = write_key("ring-ref", "%lu", (uint64_t)blkfront.ring_ref) ?:
         write_key("event-channel", "%lu", blkfront.port) ?: offer_persistent();
    if (!rc) {
        char path[BLKFRONT_PATH + 32];

        snprintf(path, sizeof(path), "%s/protocol", blkfront.fe);
        rc = xenbus_write(0, path, PROTOCOL);
    }
    return rc ? fail("cannot publish the ring", rc) : switch_state(XenbusStateInitialised);
}

/* Indirect requests when offered and every slot has its page. */
static void use_indirect(uint64_t offered)
{
    if (!blkfront.shadow[BLKIF_RING_SIZE - 1].indirect)
        return;
    if (offered > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        blkfront.info.max_indirect = offered < BLKFRONT_INDIRECT_MAX ? (uint32_t)offered
                                                                     : BLKFRONT_INDIRECT_MAX;
}

/* The backend is Connected: what it offers. */
static int connected(void)
{
    struct blkfront_info *in = &blkfront.info;
    uint64_t sectors, size, info = 0, flush = 0, indirect = 0;

    if (!read_num(blkfront.be, "sectors", &sectors) ||
        !read_num(blkfront.be, "sector-size", &size) || (size != 512 && size != 4096))
        return fail("the backend gives no usable sectors or sector-size", -XEN_EINVAL);
    read_num(blkfront.be, "info", &info);
    read_num(blkfront.be, "feature-flush-cache", &flush);
    if (read_num(blkfront.be, "feature-max-indirect-segments", &indirect))
        use_indirect(indirect);
    in->sectors = sectors;
    in->sector_size = (uint32_t)size;
    in->read_only = info & VDISK_READONLY;
    in->flush = flush == 1;
    blkfront.connected = true;
    return switch_state(XenbusStateConnected);
}

/* The backend's state, waiting up to the deadline for a change first
 * when wait is set. */
static int backend_state(bool wait, uint64_t deadline, enum xenbus_state *st)
{
    char path[BLKFRONT_PATH], token[16];

    if (wait && !xenbus_next_event(path, sizeof(path), token, sizeof(token), deadline))
        return -XEN_ETIMEDOUT;
    return xenbus_read_state(blkfront.be, st);
}

/* One handshake decision; 1 when connected, 0 to go on, else an error. */
static int act(enum xenbus_state be)
{
    switch (xenbus_frontend_next(blkfront.state, be)) {
    case XB_PUBLISH:
        return publish();
    case XB_CONNECT:
        return connected() ?: 1;
    case XB_WAIT:
        return 0;
    default:
        printk("blkfront: the backend is in state %u while we are in %u\n", be,
               blkfront.state);
        return -XEN_EIO;
    }
}

/* Our watch of the backend's state goes, and its queued events with it,
 * so that whoever uses xenbus next sees none of ours. */
static void unwatch(void)
{
    char path[BLKFRONT_PATH + 16];

    snprintf(path, sizeof(path), "%s/state", blkfront.be);
    xenbus_unwatch(path, TOKEN);
    xenbus_forget_events(TOKEN);
}

static int handshake(void)
{
    char path[BLKFRONT_PATH + 16];
    uint64_t deadline = time_now_ns() + WAIT_NS;
    enum xenbus_state be;
    int rc;

    snprintf(path, sizeof(path), "%s/state", blkfront.be);
    rc = xenbus_read_state(blkfront.fe, &blkfront.state) ?: xenbus_watch(path, TOKEN);
    for (bool wait = false; !rc; wait = true) {
        rc = backend_state(wait, deadline, &be);
        rc = rc ?: act(be);
    }
    return rc == 1 ? 0 : fail("no connection with the backend", rc);
}

int blkfront_open(struct blkfront_info *info)
{
    int rc = xenbus_init();

    if (rc)
        return fail("no xenstore", rc);
    memset(&blkfront, 0, sizeof(blkfront));
    blkfront.ring_ref = -1;
    rc = find_device();
    if (!rc && (rc = handshake()) != 0)
        unwatch();
    if (rc)
        return rc;
    *info = blkfront.info;
    printk("blkfront: vbd %u: %lu sectors of %u bytes%s%s, %u segments a request, backend "
           "domain %u%s\n", info->devid, info->sectors, info->sector_size,
           info->read_only ? ", read-only" : "", info->flush ? ", flush" : "",
           info->max_indirect ?: BLKIF_MAX_SEGMENTS_PER_REQUEST, blkfront.backend_id,
           blkfront.persistent ? ", persistent grants" : "");
    return 0;
}

/* Until the backend is Closing or Closed (it has let go of the ring). */
static bool wait_backend_closed(void)
{
    uint64_t deadline = time_now_ns() + WAIT_NS;
    enum xenbus_state be;

    for (bool wait = false; backend_state(wait, deadline, &be) == 0; wait = true)
        if (be == XenbusStateClosing || be == XenbusStateClosed)
            return true;
    return false;
}

void blkfront_close(void)
{
    if (blkfront.state == XenbusStateUnknown)
        return;
    switch_state(XenbusStateClosing);
    if (!wait_backend_closed())
        printk("blkfront: the backend never closed\n");
    if (blkfront.ring_ref >= 0 && !gnttab_end((grant_ref_t)blkfront.ring_ref))
        printk("blkfront: the backend still maps the ring page\n");
    if (blkfront.persistent)
        blkfront_pool_end();
    if (blkfront.port)
        gk_evtchn_detach(blkfront.port);
    blkfront.connected = false;
    switch_state(XenbusStateClosed);
    unwatch();
    printk("blkfront: vbd %u closed; %u grants still in use\n", blkfront.info.devid,
           gnttab_in_use());
}

volatile struct blkif_sring *blkfront_sring(void)
{
    return blkfront.ring.sring;
}

domid_t blkfront_backend(void)
{
    return blkfront.backend_id;
}
