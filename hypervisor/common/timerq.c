/*
 * timerq.c: the timer queue (see timerq.h). Pure.
 *
 * Invariants: slot[0..nr) hold the queued entries; each entry's key is not
 * more than its children's (slot[2i+1], slot[2i+2]); slot[e->pos - 1] == e
 * for every queued e, and e->pos == 0 for every other.
 */
#include "timerq.h"
#include "err.h"

void timerq_init(struct timerq *q, struct timerq_entry **slots, unsigned int cap)
{
    q->slot = slots;
    q->nr = 0;
    q->cap = cap;
}

static void place(struct timerq *q, unsigned int i, struct timerq_entry *e)
{
    q->slot[i] = e;
    e->pos = i + 1;
}

static void sift_up(struct timerq *q, unsigned int i)
{
    struct timerq_entry *e = q->slot[i];

    while (i > 0 && q->slot[(i - 1) / 2]->key > e->key) {
        place(q, i, q->slot[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    place(q, i, e);
}

/* The smaller child of i, or nr if it has none. */
static unsigned int smaller_child(const struct timerq *q, unsigned int i)
{
    unsigned int l = 2 * i + 1, r = l + 1;

    if (l >= q->nr)
        return q->nr;
    return r < q->nr && q->slot[r]->key < q->slot[l]->key ? r : l;
}

static void sift_down(struct timerq *q, unsigned int i)
{
    struct timerq_entry *e = q->slot[i];
    unsigned int c;

    while ((c = smaller_child(q, i)) < q->nr && q->slot[c]->key < e->key) {
        place(q, i, q->slot[c]);
        i = c;
    }
    place(q, i, e);
}

static void take_out(struct timerq *q, struct timerq_entry *e)
{
    unsigned int i = e->pos - 1;
    struct timerq_entry *last = q->slot[--q->nr];

    e->pos = 0;
    e->key = 0;
    if (last == e)
        return;
    place(q, i, last);
    sift_up(q, i);
    sift_down(q, last->pos - 1);
}

int timerq_set(struct timerq *q, struct timerq_entry *e, uint64_t key)
{
    if (!key) {
        if (e->pos)
            take_out(q, e);
        return 0;
    }
    if (!e->pos) {
        if (q->nr == q->cap)
            return -ENOSPC;
        place(q, q->nr++, e);
    }
    e->key = key;
    sift_up(q, e->pos - 1);
    sift_down(q, e->pos - 1);
    return 0;
}

struct timerq_entry *timerq_first(const struct timerq *q)
{
    return q->nr ? q->slot[0] : NULL;
}
