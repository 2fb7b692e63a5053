/*
 * Tern guest kernel, domain 0's backends: one virtual block device as
 * blkback keeps it (blkback.c: the xenbus side; blkback_io.c: its ring).
 */
#ifndef BACKEND_BLKBACK_VBD_H
#define BACKEND_BLKBACK_VBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/event_channel.h>
#include <public/io/xenbus.h>
#include "backend/blk_store.h"
#include "backend/ring_map.h"
#include "blk/blk_pgnt.h"
#include "blk/blkback_req.h"
#include "blk/blkback_ring.h"

#define VBD_PATH 96
/* feature-max-indirect-segments offered: 32 pages, 128 KiB a request. */
#define BLKBACK_INDIRECT_SEGS 32u

/* An indirect page kept mapped (blkback_indirect.c). */
struct vbd_indirect {
    grant_ref_t gref;
    grant_handle_t handle;
    uint64_t pfn;                /* our page it is mapped over */
};

struct vbd {
    bool used;
    bool set_up;                 /* its nodes written, InitWait (or failed) */
    bool failed;                 /* its target could not be served (said) */
    bool watching;               /* the frontend's state node */
    bool connected;              /* ring mapped, port bound */
    bool persistent;             /* the frontend reuses its grants: keep them */
    domid_t dom;
    uint32_t devid;
    enum xenbus_state state;     /* ours, as written in be/state */
    char be[VBD_PATH], fe[VBD_PATH];
    struct blk_vdisk vd;
    struct blk_store *store;
    struct ring_map map;
    evtchn_port_t port;
    struct blkback_ring ring;
    uint64_t requests, refused;
    uint64_t zero_copy;          /* reads and writes done without a copy */
    struct blk_pgnt pgnt;        /* its pages kept mapped while connected */
    uint64_t pgnt_pfn[BLK_PGNT_PAGES];   /* the table's own pages */
    struct vbd_indirect indirect[BLKIF_RING_SIZE];
    uint32_t nr_indirect;
};

enum vbd_pass {
    VBD_IDLE,                    /* no request left; an event will come */
    VBD_MORE,                    /* its share of this pass is used up */
    VBD_LIED,                    /* its ring indices lie: disconnect it */
};

/* blkback_io.c: a bounded number of v's requests, each answered. */
enum vbd_pass vbd_serve(struct vbd *v);

/* blkback_io.c: persistent grants for v (the table's pages taken; false,
 * said by the caller, when there are none left), and at disconnect
 * (no request of v's being done) every page of v's kept mapped
 * unmapped and the table's pages given back: how many were kept. */
bool vbd_keep_grants(struct vbd *v);
uint32_t vbd_forget_grants(struct vbd *v);

/* blkback_indirect.c (persistent frontends only): bytes of the indirect
 * page gref copied into out through a kept read-only mapping; false when
 * it cannot be kept (the caller grant-copies). All of them unmapped. */
bool vbd_indirect_read(struct vbd *v, grant_ref_t gref, void *out, size_t bytes);
void vbd_indirect_forget(struct vbd *v);

#endif /* BACKEND_BLKBACK_VBD_H */
