/*
 * Grant tables, the pure model (gnttab.c): a domain's table of shared
 * entries and the hypervisor's private record of each entry in use, the
 * v1 status protocol on the shared flags, and a mapper's maptrack. No
 * frame references, no guest memory, no other domain: the caller
 * (grant_table_op.c) supplies those, so the unit tests run this on fake
 * frames.
 *
 * Invariants:
 *  1. An entry is in use (pinned) only while its shared flags say so: the
 *     hypervisor sets GTF_reading (and GTF_writing for a writable use) by
 *     compare-and-swap against the value it checked (type permit_access,
 *     the user's domid, not GTF_readonly for writing), and clears them
 *     only when the last use of that kind ends. So a granter can never
 *     revoke an entry in use, and a value the granter rewrites between our
 *     read and our swap is never acted on (the swap fails; we re-read, a
 *     few times, then give up).
 *  2. The frame and user of an entry in use are read once, at its first
 *     pin, into the private record; later uses must be by the same domain
 *     and get that frame, whatever the granter writes meanwhile.
 *  3. Pin counts never wrap (refused at their maximum).
 *  4. A maptrack handle names a live mapping of its owner's; a freed or
 *     out-of-range handle names nothing.
 */
#ifndef GNTTAB_H
#define GNTTAB_H

#include "lib.h"
#include <public/grant_table.h>
#include <public/xen.h>

#define GNTTAB_PER_FRAME       (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_DEFAULT_FRAMES  64u      /* Xen's default gnttab_max_frames */
#define GNTTAB_FRAMES_LIMIT    1024u    /* the most the option may ask */
#define GNTTAB_PIN_MAX         0xffffu

struct grant_table;

/* What the model needs from its surroundings. */
struct gnttab_env {
    /* Contents of a (shared) frame. */
    void *(*frame)(void *ctx, uint64_t mfn);
    /* A fresh zeroed frame shared with the table's owner (rule 8 of
     * page_types.c): 0 and its mfn, or -ENOMEM. */
    int (*new_frame)(void *ctx, domid_t owner, uint64_t *mfn);
    /* Zeroed hypervisor memory, or NULL; and giving it back. */
    void *(*zalloc)(void *ctx, size_t bytes);
    void (*free)(void *ctx, void *p);
    void *ctx;
};

/* The hypervisor's record of an entry in use. */
struct active_entry {
    uint16_t pin_ro, pin_rw;     /* uses in progress, read-only and writable */
    domid_t domid;               /* the user, fixed while pinned */
    uint64_t frame;              /* the frame, read once at the first pin */
};

struct grant_table {
    domid_t owner;
    unsigned int nr_frames;      /* shared frames in use */
    unsigned int max_frames;
    uint64_t *frames;            /* [max_frames]: their mfns; then, in the same
                                    allocation, gnttab_contents */
    struct active_entry **active;  /* [max_frames]: GNTTAB_PER_FRAME each */
};

/* A table for owner that may grow to max_frames: 0 or -ENOMEM. */
int gnttab_init(struct grant_table *gt, const struct gnttab_env *e, domid_t owner,
                unsigned int max_frames);
/* Give back the private records (the shared frames are the owner's and
 * go with its other frames). */
void gnttab_destroy(struct grant_table *gt, const struct gnttab_env *e);
/* Grow to at least nr frames: GNTST_okay, or GNTST_general_error (over the
 * maximum) / GNTST_no_space (no memory), having grown as far as it could. */
int16_t gnttab_grow(struct grant_table *gt, const struct gnttab_env *e, unsigned int nr);
/* Entries the table holds now. */
uint32_t gnttab_nr_entries(const struct grant_table *gt);
/* [max_frames]: each shared frame's contents, as env's frame gave them
 * when it was added (asked once per frame, not per use). They follow the
 * mfns so that struct domain, whose offsets assembly uses, keeps its
 * layout. */
static inline struct grant_entry_v1 **gnttab_contents(const struct grant_table *gt)
{
    return (struct grant_entry_v1 **)(void *)(gt->frames + gt->max_frames);
}

/* The shared entry ref, or NULL beyond the table (inline: every use of a
 * grant looks its entry up). */
static inline struct grant_entry_v1 *gnttab_shared(const struct grant_table *gt,
                                                   const struct gnttab_env *e, grant_ref_t ref)
{
    (void)e;                     /* the frames' contents were asked at their adding */
    if (ref >= gt->nr_frames * (uint32_t)GNTTAB_PER_FRAME)
        return NULL;
    return &gnttab_contents(gt)[ref / GNTTAB_PER_FRAME][ref % GNTTAB_PER_FRAME];
}

/* Start a use of entry ref by domain `by`: GNTST_okay and the frame, or
 * GNTST_bad_gntref (no such entry), GNTST_general_error (not granted to
 * `by`, read-only for a writable use, unstable, pins at their maximum). */
int16_t gnttab_pin(struct grant_table *gt, const struct gnttab_env *e, grant_ref_t ref,
                   domid_t by, bool readonly, uint64_t *frame);
/* End one use (of the kind pinned). */
void gnttab_unpin(struct grant_table *gt, const struct gnttab_env *e, grant_ref_t ref,
                  bool readonly);
/* Is entry ref in use at all? */
bool gnttab_in_use(const struct grant_table *gt, grant_ref_t ref);

/* Transfer, receiver's side: entry ref must accept a page from `from`
 * (GTF_accept_transfer, its domid, not committed yet); mark it committed
 * by compare-and-swap: GNTST_okay, GNTST_bad_gntref (no such entry) or
 * GNTST_general_error. Then complete it: frame, and only after it the
 * completed bit. */
int16_t gnttab_accept_transfer(struct grant_table *gt, const struct gnttab_env *e,
                               grant_ref_t ref, domid_t from);
void gnttab_complete_transfer(struct grant_table *gt, const struct gnttab_env *e,
                              grant_ref_t ref, uint64_t mfn);

/* ---- maptrack: the mappings a domain holds of others' grants ---------- */

#define MAPTRACK_HOST    0x01    /* mapped at host_addr */
#define MAPTRACK_DEVICE  0x02    /* device mapping (dev_bus_addr given) */
#define MAPTRACK_RO      0x04
#define MAPTRACK_PTE     0x08    /* host_addr is a PTE's machine address */

struct maptrack_entry {
    uint8_t flags;               /* MAPTRACK_*; 0: free */
    domid_t granter;
    grant_ref_t ref;
    uint64_t host_addr;          /* as the mapper gave it */
    uint64_t pte_maddr;          /* the grant PTE's machine address (HOST) */
    uint64_t frame;
    uint32_t next_free;
};

struct maptrack {
    struct maptrack_entry *e;
    uint32_t cap, used, free_head;   /* free_head == cap: none free */
};

#define MAPTRACK_MAX 65536u      /* handles per domain */

/* Empty; entries come on demand. */
void maptrack_init(struct maptrack *mt);
/* A handle for a copy of *entry: 0, or -ENOMEM (none left). */
int maptrack_get(struct maptrack *mt, const struct gnttab_env *e,
                 const struct maptrack_entry *entry, grant_handle_t *h);
/* The live mapping h names, or NULL. */
struct maptrack_entry *maptrack_lookup(struct maptrack *mt, grant_handle_t h);
/* Free h (a live handle). */
void maptrack_put(struct maptrack *mt, grant_handle_t h);
/* Give back the entries (every mapping already released). */
void maptrack_destroy(struct maptrack *mt, const struct gnttab_env *e);

/* ---- copy -------------------------------------------------------------- */

/* A copy's offsets and length: GNTST_okay, or GNTST_bad_copy_arg when a
 * side would leave its page (inline: on every copy's path). */
static inline int16_t gnttab_copy_check(const struct gnttab_copy *op)
{
    if ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
        (uint32_t)op->dest.offset + op->len > PAGE_SIZE)
        return GNTST_bad_copy_arg;
    return GNTST_okay;
}

#endif /* GNTTAB_H */
