/*
 * gnttab.c: grant tables, the pure model. The invariants are stated in
 * gnttab.h.
 */
#include "gnttab.h"
#include "err.h"

#define STATUS_TRIES 4           /* a granter racing us this often is hostile */

int gnttab_init(struct grant_table *gt, const struct gnttab_env *e, domid_t owner,
                unsigned int max_frames)
{
    *gt = (struct grant_table){ .owner = owner, .max_frames = max_frames };
    _Static_assert(sizeof(*gt->frames) == sizeof(struct grant_entry_v1 *), "contents");
    gt->frames = e->zalloc(e->ctx, 2 * max_frames * sizeof(*gt->frames));   /* and contents */
    gt->active = e->zalloc(e->ctx, max_frames * sizeof(*gt->active));
    if (!gt->frames || !gt->active) {
        gnttab_destroy(gt, e);
        return -ENOMEM;
    }
    return 0;
}

void gnttab_destroy(struct grant_table *gt, const struct gnttab_env *e)
{
    for (unsigned int i = 0; gt->active && i < gt->nr_frames; i++)
        e->free(e->ctx, gt->active[i]);
    e->free(e->ctx, gt->active);
    e->free(e->ctx, gt->frames);
    gt->active = NULL;
    gt->frames = NULL;
    gt->nr_frames = 0;
}

/* One more frame: its shared page and its private records. */
static int16_t add_frame(struct grant_table *gt, const struct gnttab_env *e)
{
    struct active_entry *a = e->zalloc(e->ctx, GNTTAB_PER_FRAME * sizeof(*a));
    uint64_t mfn;

    if (!a)
        return GNTST_no_space;
    if (e->new_frame(e->ctx, gt->owner, &mfn)) {
        e->free(e->ctx, a);
        return GNTST_no_space;
    }
    gt->frames[gt->nr_frames] = mfn;
    gnttab_contents(gt)[gt->nr_frames] = e->frame(e->ctx, mfn);
    gt->active[gt->nr_frames++] = a;
    return GNTST_okay;
}

int16_t gnttab_grow(struct grant_table *gt, const struct gnttab_env *e, unsigned int nr)
{
    if (nr > gt->max_frames)
        return GNTST_general_error;
    while (gt->nr_frames < nr) {
        int16_t st = add_frame(gt, e);
        if (st != GNTST_okay)
            return st;
    }
    return GNTST_okay;
}

uint32_t gnttab_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * (uint32_t)GNTTAB_PER_FRAME;
}

static struct active_entry *active_of(const struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_PER_FRAME][ref % GNTTAB_PER_FRAME];
}

/* The flags and domid of an entry, as one 32-bit word (little-endian:
 * flags low), so that one compare-and-swap checks both. */
static uint32_t *status_word(struct grant_entry_v1 *s)
{
    return (uint32_t *)(void *)s;
}

/* Would this value let `by` use the entry (readonly or not)? */
static bool grants(uint32_t word, domid_t by, bool readonly)
{
    uint16_t flags = (uint16_t)word, dom = (uint16_t)(word >> 16);

    return (flags & GTF_type_mask) == GTF_permit_access && dom == by &&
           (readonly || !(flags & GTF_readonly));
}

/* Set the in-use bits against the value checked (invariant 1). Inline:
 * every first use of an entry (each grant copy) comes here. */
static inline __attribute__((always_inline)) int16_t set_status(struct grant_entry_v1 *s, domid_t by, bool readonly)
{
    uint32_t busy = GTF_reading | (readonly ? 0 : GTF_writing);

    for (unsigned int i = 0; i < STATUS_TRIES; i++) {
        uint32_t old = __atomic_load_n(status_word(s), __ATOMIC_SEQ_CST);
        if (!grants(old, by, readonly))
            return GNTST_general_error;
        if (__atomic_compare_exchange_n(status_word(s), &old, old | busy, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return GNTST_okay;
    }
    return GNTST_general_error;              /* the granter keeps changing it */
}

static bool pins_full(const struct active_entry *a, bool readonly)
{
    return (readonly ? a->pin_ro : a->pin_rw) == GNTTAB_PIN_MAX;
}

/* An entry already in use: the same user, and the status bit a new kind
 * of use needs (the record's frame stays, invariant 2). */
static int16_t pin_again(struct grant_entry_v1 *s, struct active_entry *a, domid_t by,
                         bool readonly)
{
    if (a->domid != by || pins_full(a, readonly))
        return GNTST_general_error;
    if (!readonly && !a->pin_rw)
        return set_status(s, by, false);
    return GNTST_okay;
}

int16_t gnttab_pin(struct grant_table *gt, const struct gnttab_env *e, grant_ref_t ref,
                   domid_t by, bool readonly, uint64_t *frame)
{
    struct grant_entry_v1 *s = gnttab_shared(gt, e, ref);
    struct active_entry *a;
    int16_t st;

    if (!s)
        return GNTST_bad_gntref;
    a = active_of(gt, ref);
    if (a->pin_ro || a->pin_rw) {
        st = pin_again(s, a, by, readonly);
    } else {
        st = set_status(s, by, readonly);
        if (st == GNTST_okay) {
            a->domid = by;
            a->frame = __atomic_load_n(&s->frame, __ATOMIC_SEQ_CST);   /* read once */
        }
    }
    if (st != GNTST_okay)
        return st;
    if (readonly)
        a->pin_ro++;
    else
        a->pin_rw++;
    *frame = a->frame;
    return GNTST_okay;
}

void gnttab_unpin(struct grant_table *gt, const struct gnttab_env *e, grant_ref_t ref,
                  bool readonly)
{
    struct grant_entry_v1 *s = gnttab_shared(gt, e, ref);
    struct active_entry *a;

    if (!s)
        return;
    a = active_of(gt, ref);
    ASSERT(readonly ? a->pin_ro : a->pin_rw);
    if (readonly)
        a->pin_ro--;
    else
        a->pin_rw--;
    /* One atomic, only when a kind of use ends (invariant 1); GTF_writing
     * went with the last writable use. */
    if (!a->pin_rw && (!readonly || !a->pin_ro))
        __atomic_fetch_and(&s->flags, (uint16_t)~(GTF_writing | (a->pin_ro ? 0 : GTF_reading)),
                           __ATOMIC_SEQ_CST);
}

bool gnttab_in_use(const struct grant_table *gt, grant_ref_t ref)
{
    const struct active_entry *a;

    if (ref >= gnttab_nr_entries(gt))
        return false;
    a = active_of(gt, ref);
    return a->pin_ro || a->pin_rw;
}

/* ---- transfer -------------------------------------------------------------- */

int16_t gnttab_accept_transfer(struct grant_table *gt, const struct gnttab_env *e,
                               grant_ref_t ref, domid_t from)
{
    struct grant_entry_v1 *s = gnttab_shared(gt, e, ref);

    if (!s)
        return GNTST_bad_gntref;
    for (unsigned int i = 0; i < STATUS_TRIES; i++) {
        uint32_t old = __atomic_load_n(status_word(s), __ATOMIC_SEQ_CST);
        if ((old & GTF_type_mask) != GTF_accept_transfer || (old >> 16) != from ||
            (old & GTF_transfer_committed))
            return GNTST_general_error;
        if (__atomic_compare_exchange_n(status_word(s), &old, old | GTF_transfer_committed,
                                        false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return GNTST_okay;
    }
    return GNTST_general_error;              /* the receiver keeps changing it */
}

void gnttab_complete_transfer(struct grant_table *gt, const struct gnttab_env *e,
                              grant_ref_t ref, uint64_t mfn)
{
    struct grant_entry_v1 *s = gnttab_shared(gt, e, ref);

    if (!s)
        return;
    __atomic_store_n(&s->frame, (uint32_t)mfn, __ATOMIC_SEQ_CST);
    __atomic_fetch_or(&s->flags, (uint16_t)GTF_transfer_completed, __ATOMIC_SEQ_CST);
}

/* ---- maptrack -------------------------------------------------------------- */

void maptrack_init(struct maptrack *mt)
{
    *mt = (struct maptrack){ NULL, 0, 0, 0 };
}

/* Double the handles (from 64), the new ones free. */
static int maptrack_grow(struct maptrack *mt, const struct gnttab_env *e)
{
    uint32_t cap = mt->cap ? mt->cap * 2 : 64;
    struct maptrack_entry *n;

    if (mt->cap >= MAPTRACK_MAX)
        return -ENOMEM;
    n = e->zalloc(e->ctx, cap * sizeof(*n));
    if (!n)
        return -ENOMEM;
    if (mt->cap)
        memcpy(n, mt->e, mt->cap * sizeof(*n));
    for (uint32_t i = mt->cap; i < cap; i++)
        n[i].next_free = i + 1;
    e->free(e->ctx, mt->e);
    mt->free_head = mt->cap;
    mt->e = n;
    mt->cap = cap;
    return 0;
}

int maptrack_get(struct maptrack *mt, const struct gnttab_env *e,
                 const struct maptrack_entry *entry, grant_handle_t *h)
{
    uint32_t i;

    if (mt->free_head >= mt->cap && maptrack_grow(mt, e))
        return -ENOMEM;
    i = mt->free_head;
    mt->free_head = mt->e[i].next_free;
    mt->e[i] = *entry;
    mt->e[i].next_free = 0;
    mt->used++;
    *h = i;
    return 0;
}

struct maptrack_entry *maptrack_lookup(struct maptrack *mt, grant_handle_t h)
{
    return h < mt->cap && mt->e[h].flags ? &mt->e[h] : NULL;
}

void maptrack_put(struct maptrack *mt, grant_handle_t h)
{
    ASSERT(maptrack_lookup(mt, h) != NULL);
    mt->e[h] = (struct maptrack_entry){ .next_free = mt->free_head };
    mt->free_head = h;
    mt->used--;
}

void maptrack_destroy(struct maptrack *mt, const struct gnttab_env *e)
{
    e->free(e->ctx, mt->e);
    maptrack_init(mt);
}
