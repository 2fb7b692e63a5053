/*
 * The run queue (runq.c, pure): the vCPUs waiting for the CPU, in the order
 * they became ready, as an intrusive doubly-linked list.
 *
 * Every operation is O(1) whatever the number of domains: pushing, taking
 * the first, and removing one from anywhere (a domain being torn down).
 * A link is on at most one queue, at most once: pushing a queued link and
 * removing an unqueued one do nothing.
 */
#ifndef RUNQ_H
#define RUNQ_H

#include "lib.h"

struct runq_link {
    struct runq_link *next, *prev;   /* NULL while not queued */
};

struct runq {
    struct runq_link head;           /* sentinel: head.next is the first */
    unsigned int nr;
};

void runq_init(struct runq *q);
bool runq_queued(const struct runq_link *l);
/* Append l at the tail unless it is queued already. */
void runq_push(struct runq *q, struct runq_link *l);
/* Take the first link off the queue; NULL when empty. */
struct runq_link *runq_pop(struct runq *q);
/* Take l off the queue if it is on it. */
void runq_remove(struct runq *q, struct runq_link *l);

#endif /* RUNQ_H */
