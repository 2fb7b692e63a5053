/*
 * Tern guest kernel: blkback's persistent grants of one frontend
 * (feature-persistent, public/io/blkif.h), pure: a table from the
 * frontend's grant reference to the device mapping blkback made of it
 * and keeps until the frontend disconnects, so a reused page costs no
 * map and no unmap hypercall. The glue makes and ends the mappings.
 *
 * At most BLK_PGNT_MAX references are kept: a full ring of direct
 * requests (32 x 11 pages, the figure blkif.h suggests; Linux's blkback
 * keeps up to 1056); past that, a segment is mapped for its request
 * only, as without the feature. Whatever page the frontend
 * later names with a kept reference, the mapping still holds the frame
 * it was made of (the hypervisor pins it for us), so a frontend that
 * regrants a reference only redirects its own I/O.
 */
#ifndef GUEST_BLK_PGNT_H
#define GUEST_BLK_PGNT_H

#include <stdbool.h>
#include <stdint.h>
#include <public/grant_table.h>

#define BLK_PGNT_MAX   352u
#define BLK_PGNT_SLOTS 1024u     /* open addressing: at most about a third full */
#define BLK_PGNT_PER_PAGE 256u   /* slots of 16 bytes in a 4 KiB page */
#define BLK_PGNT_PAGES (BLK_PGNT_SLOTS / BLK_PGNT_PER_PAGE)

/* One kept mapping. In the table, bus has bit 0 set when the slot is
 * used (a frame's address has its low 12 bits clear). */
struct blk_pgnt_entry {
    uint64_t bus;                /* the frame's machine address (device map) */
    grant_ref_t gref;
    grant_handle_t handle;       /* for the unmap */
};

/* The slots live in BLK_PGNT_PAGES pages the glue takes when the
 * frontend connects (a domain with no disk pays nothing). */
struct blk_pgnt {
    uint32_t count;
    struct blk_pgnt_entry *page[BLK_PGNT_PAGES];
};

/* An empty table in the given pages (each 4 KiB, cleared here). */
void blk_pgnt_init(struct blk_pgnt *t, void *const pages[BLK_PGNT_PAGES]);

/* Is gref's mapping kept? Its bus address into *bus if so. */
bool blk_pgnt_find(const struct blk_pgnt *t, grant_ref_t gref, uint64_t *bus);

/* Keeps gref's mapping (bus page-aligned): false (nothing kept) when
 * BLK_PGNT_MAX are kept already or gref is kept already. */
bool blk_pgnt_add(struct blk_pgnt *t, grant_ref_t gref, grant_handle_t handle, uint64_t bus);

/* Teardown: moves up to room kept mappings into out (for the unmap) and
 * forgets them; how many. Only find and add on an emptied table again. */
uint32_t blk_pgnt_drain(struct blk_pgnt *t, struct blk_pgnt_entry *out, uint32_t room);

#endif /* GUEST_BLK_PGNT_H */
