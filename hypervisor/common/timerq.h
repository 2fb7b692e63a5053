/*
 * The timer queue (timerq.c, pure): a binary min-heap of entries keyed by
 * their earliest deadline, so the hypervisor finds the next one due, and
 * re-keys one, in O(log n) whatever the number of vCPUs, instead of
 * scanning every domain on each tick and each timer a guest sets.
 *
 * An entry is in the queue exactly when its key is not 0 (0 means "no
 * deadline", as in a vCPU's timer fields); pos is its heap index plus one.
 * The caller gives the slot array, at least as long as the entries it can
 * hold.
 */
#ifndef TIMERQ_H
#define TIMERQ_H

#include "lib.h"

struct timerq_entry {
    uint64_t key;            /* the earliest deadline; 0: not queued */
    unsigned int pos;        /* heap index + 1; 0: not queued */
};

struct timerq {
    struct timerq_entry **slot;
    unsigned int nr, cap;
};

void timerq_init(struct timerq *q, struct timerq_entry **slots, unsigned int cap);
/* Give e the key (0: take it out); -ENOSPC if the heap is full. */
int timerq_set(struct timerq *q, struct timerq_entry *e, uint64_t key);
/* The entry with the smallest key, or NULL. */
struct timerq_entry *timerq_first(const struct timerq *q);

#endif /* TIMERQ_H */
