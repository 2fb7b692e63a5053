/*
 * Tern guest kernel: the xenstore values of the block protocol, pure:
 * what blkback and blkfront read from nodes the other end (or the
 * toolstack) wrote, parsed strictly.
 */
#ifndef GUEST_BLK_NODE_H
#define GUEST_BLK_NODE_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal number filling all of s (no sign, no space), at most limit:
 * true with *out set, else false. */
bool blk_node_number(const char *s, uint64_t limit, uint64_t *out);

/* path is /local/domain/0/backend/vbd/<dom>/<devid>, or a node below it:
 * true with the domain (below DOMID_FIRST_RESERVED) and devid. */
bool blk_node_backend_path(const char *path, uint16_t *dom, uint32_t *devid);

#endif /* GUEST_BLK_NODE_H */
