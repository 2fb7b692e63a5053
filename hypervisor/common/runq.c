/*
 * runq.c: the run queue (see runq.h). Pure.
 *
 * Invariants: the list through head is circular; a link is queued exactly
 * when its next pointer is not NULL; nr counts the queued links.
 */
#include "runq.h"

void runq_init(struct runq *q)
{
    q->head.next = q->head.prev = &q->head;
    q->nr = 0;
}

bool runq_queued(const struct runq_link *l)
{
    return l->next != NULL;
}

void runq_push(struct runq *q, struct runq_link *l)
{
    if (runq_queued(l))
        return;
    l->prev = q->head.prev;
    l->next = &q->head;
    q->head.prev->next = l;
    q->head.prev = l;
    q->nr++;
}

void runq_remove(struct runq *q, struct runq_link *l)
{
    if (!runq_queued(l))
        return;
    l->prev->next = l->next;
    l->next->prev = l->prev;
    l->next = l->prev = NULL;
    q->nr--;
}

struct runq_link *runq_pop(struct runq *q)
{
    struct runq_link *l = q->head.next;

    if (l == &q->head)
        return NULL;
    runq_remove(q, l);
    return l;
}
