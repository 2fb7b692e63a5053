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

_Static_assert(BLK_PGNT_SLOTS == 1u << 11, "home() gives 11 bits");
_Static_assert(BLK_PGNT_MAX <= BLK_PGNT_SLOTS / 2 + 32, "probes stay short");

/* Where gref's probe starts: the references a frontend uses are often
 * consecutive; the multiply spreads them. */
static uint32_t home(grant_ref_t gref)
{
    return (uint32_t)(gref * 2654435761u) >> 21;      /* the top 11 bits */
}

void blk_pgnt_init(struct blk_pgnt *t)
{
    t->count = 0;
    for (uint32_t i = 0; i < BLK_PGNT_SLOTS; i++)
        t->slot[i].used = false;
}

/* gref's slot, or the free slot that ends its probe. */
static uint32_t probe(const struct blk_pgnt *t, grant_ref_t gref)
{
    uint32_t i = home(gref);

    while (t->slot[i].used && t->slot[i].gref != gref)
        i = (i + 1) & (BLK_PGNT_SLOTS - 1);
    return i;
}

const struct blk_pgnt_entry *blk_pgnt_find(const struct blk_pgnt *t, grant_ref_t gref)
{
    const struct blk_pgnt_entry *e = &t->slot[probe(t, gref)];

    return e->used ? e : NULL;
}

bool blk_pgnt_add(struct blk_pgnt *t, grant_ref_t gref, grant_handle_t handle, uint64_t bus)
{
    struct blk_pgnt_entry *e;

    if (t->count >= BLK_PGNT_MAX)
        return false;
    e = &t->slot[probe(t, gref)];
    if (e->used)
        return false;
    *e = (struct blk_pgnt_entry){ .bus = bus, .gref = gref, .handle = handle, .used = true };
    t->count++;
    return true;
}

uint32_t blk_pgnt_drain(struct blk_pgnt *t, struct blk_pgnt_entry *out, uint32_t room)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < BLK_PGNT_SLOTS && n < room && t->count; i++)
        if (t->slot[i].used) {
            out[n++] = t->slot[i];
            t->slot[i].used = false;
            t->count--;
        }
    return n;
}
