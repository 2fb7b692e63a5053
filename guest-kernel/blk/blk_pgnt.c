/*
 * Tern guest kernel: blkback's persistent grants of one frontend (see
 * blk_pgnt.h). Invariants: count is the number of used slots and never
 * exceeds BLK_PGNT_MAX, so at least half the slots stay free and every
 * probe ends at a free slot; a reference is kept at most once; entries
 * are only added until the table is drained (no deletion in between, so
 * no probe chain is ever broken).
 */
#include <stddef.h>
#include "blk/blk_pgnt.h"
#include "kernel/lib.h"

#define USED 1u

_Static_assert(BLK_PGNT_SLOTS == 1u << 10, "home() gives 10 bits");
_Static_assert(sizeof(struct blk_pgnt_entry) * BLK_PGNT_PER_PAGE == 4096, "a page of slots");
_Static_assert(BLK_PGNT_MAX <= BLK_PGNT_SLOTS / 2 + 32, "probes stay short");

/* Where gref's probe starts: the references a frontend uses are often
 * consecutive; the multiply spreads them. */
static uint32_t home(grant_ref_t gref)
{
    return (uint32_t)(gref * 2654435761u) >> 22;      /* the top 10 bits */
}

static struct blk_pgnt_entry *slot(const struct blk_pgnt *t, uint32_t i)
{
    return &t->page[i / BLK_PGNT_PER_PAGE][i % BLK_PGNT_PER_PAGE];
}

void blk_pgnt_init(struct blk_pgnt *t, void *const pages[BLK_PGNT_PAGES])
{
    t->count = 0;
    for (uint32_t i = 0; i < BLK_PGNT_PAGES; i++) {
        t->page[i] = pages[i];
        memset(pages[i], 0, BLK_PGNT_PER_PAGE * sizeof(struct blk_pgnt_entry));
    }
}

/* gref's slot, or the free slot that ends its probe. */
static struct blk_pgnt_entry *probe(const struct blk_pgnt *t, grant_ref_t gref)
{
    uint32_t i = home(gref);

    while ((slot(t, i)->bus & USED) && slot(t, i)->gref != gref)
        i = (i + 1) & (BLK_PGNT_SLOTS - 1);
    return slot(t, i);
}

bool blk_pgnt_find(const struct blk_pgnt *t, grant_ref_t gref, uint64_t *bus)
{
    const struct blk_pgnt_entry *e = probe(t, gref);

    if (!(e->bus & USED))
        return false;
    *bus = e->bus & ~(uint64_t)USED;
    return true;
}

bool blk_pgnt_add(struct blk_pgnt *t, grant_ref_t gref, grant_handle_t handle, uint64_t bus)
{
    struct blk_pgnt_entry *e;

    if (t->count >= BLK_PGNT_MAX || (bus & USED))
        return false;
    e = probe(t, gref);
    if (e->bus & USED)
        return false;
    *e = (struct blk_pgnt_entry){ .bus = bus | USED, .gref = gref, .handle = handle };
    t->count++;
    return true;
}

uint32_t blk_pgnt_drain(struct blk_pgnt *t, struct blk_pgnt_entry *out, uint32_t room)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < BLK_PGNT_SLOTS && n < room && t->count; i++) {
        struct blk_pgnt_entry *e = slot(t, i);

        if (e->bus & USED) {
            out[n] = *e;
            out[n++].bus &= ~(uint64_t)USED;
            e->bus = 0;
            t->count--;
        }
    }
    return n;
}
