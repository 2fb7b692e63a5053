/*
 * Tern guest kernel, domain 0's backends: blkback, the block backend of
 * Xen's PV block protocol (public/io/blkif.h), for every vbd backend
 * directory the toolstack writes (/local/domain/0/backend/vbd/<dom>/<id>).
 * It runs inside the driver-domain loop (driver_domain.c).
 */
#ifndef BACKEND_BLKBACK_H
#define BACKEND_BLKBACK_H

#include <stdbool.h>
#include <public/xen.h>

/* Watches the backend directory; on_event is called (events masked) on
 * each event from a frontend and whenever blkback wants another pass. */
void blkback_init(void (*on_event)(void));

/* Domain 0's watch events: true when the event was blkback's. */
bool blkback_on_watch(const char *path, const char *token);

/* One pass: handshakes moved on, then each connected ring served. */
void blkback_serve(void);

/* dom ended: its devices disconnected (ring unmapped, port closed) and
 * forgotten. */
void blkback_release(domid_t dom);

#endif /* BACKEND_BLKBACK_H */
