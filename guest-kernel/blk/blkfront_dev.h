/*
 * Tern guest kernel: blkfront's device state, shared by its xenbus side
 * (blkfront_bus.c) and its request queue (blkfront.c).
 */
#ifndef GUEST_BLKFRONT_DEV_H
#define GUEST_BLKFRONT_DEV_H

#include <public/event_channel.h>
#include <public/io/xenbus.h>
#include "blk/blkfront.h"
#include "blk/blkfront_ring.h"
#include "kernel/traps.h"

#define BLKFRONT_PATH 96
/* The most segments we put in one indirect request (one indirect page). */
#define BLKFRONT_INDIRECT_MAX 32u
/* Pages granted once when the backend keeps its mappings (persistent
 * grants, blkfront_pool.c): 16 requests of 64 KiB in flight and a
 * 128 KiB bounce for other buffers. */
#define BLKFRONT_POOL_PAGES 288u

/* A request in flight: its pages' grants (and its indirect page's),
 * ended when it is answered. */
struct blkfront_shadow {
    bool busy;
    uint8_t nr;
    int16_t status;
    grant_ref_t gref[BLKFRONT_INDIRECT_MAX + 1];
    struct blkif_request_segment *indirect;   /* its own page, if offered */
    grant_ref_t indirect_gref;                /* its grant, when persistent */
};

struct blkfront_dev {
    bool connected;
    bool broken;                 /* the backend lied or stopped answering */
    domid_t backend_id;
    char fe[BLKFRONT_PATH], be[BLKFRONT_PATH];
    enum xenbus_state state;     /* ours */
    struct blkfront_info info;
    struct blkfront_ring ring;
    int ring_ref;
    evtchn_port_t port;
    struct blkfront_shadow shadow[BLKIF_RING_SIZE];
    uint32_t in_flight;
    bool persistent;             /* both offered feature-persistent, pool granted */
};

extern struct blkfront_dev blkfront;

/* blkfront_pool.c: the pool and the indirect pages granted once (false:
 * not enough grants, none held); ended once the backend let go (said
 * when it still maps some); a pool page's grant reference. */
bool blkfront_pool_grant(void);
void blkfront_pool_end(void);
grant_ref_t blkfront_pool_ref(uint32_t i);

/* blkfront.c: called on our port's events. */
void blkfront_on_event(evtchn_port_t port, struct regs *r, void *data);

#endif /* GUEST_BLKFRONT_DEV_H */
