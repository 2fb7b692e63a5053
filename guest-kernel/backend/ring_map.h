/*
 * Tern guest kernel, domain 0's backends: a frontend's ring page mapped
 * through one of its grant entries over a window page of ours, and the
 * window given back afterwards.
 */
#ifndef BACKEND_RING_MAP_H
#define BACKEND_RING_MAP_H

#include <stdint.h>
#include <public/xen.h>
#include <public/grant_table.h>

struct ring_map {
    domid_t dom;
    grant_handle_t handle;
    void *window;                      /* page-aligned, ours */
};

/* Maps dom's grant ref over window: 0 or a GNTST_* status. */
int16_t ring_map(struct ring_map *m, domid_t dom, grant_ref_t ref, void *window);
/* Unmaps it and puts our own frame back under the window. */
void ring_unmap(struct ring_map *m);

#endif /* BACKEND_RING_MAP_H */
