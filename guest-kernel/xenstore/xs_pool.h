/*
 * Tern guest kernel, xenstore: the byte pool that holds every node's value,
 * in fixed chunks chained by index. Pure.
 */
#ifndef XS_POOL_H
#define XS_POOL_H

#include <stddef.h>
#include <stdint.h>

#define XS_CHUNK      32        /* bytes of one chunk */
#define XS_CHUNKS     32768     /* chunks in the pool: 1 MiB of values, 96 KiB for
                                   each of 8 domains and domain 0's reserve */
#define XS_CHUNK_NONE 0xffffu   /* the end of a chain; an empty value */

struct xs_pool {
    uint8_t data[XS_CHUNKS][XS_CHUNK];
    uint16_t next[XS_CHUNKS];   /* the chain; free chunks chain the free list */
    uint16_t free_head;
    uint16_t free_count;
};

/* Every chunk free. */
void xs_pool_init(struct xs_pool *p);

/* Copies len bytes of v into a new chain and sets *head (XS_CHUNK_NONE for
 * len 0). Returns 0, or -XEN_ENOSPC with nothing taken. */
int xs_pool_store(struct xs_pool *p, const uint8_t *v, size_t len, uint16_t *head);

/* Copies the first len bytes of the chain at head to out. */
void xs_pool_load(const struct xs_pool *p, uint16_t head, uint8_t *out, size_t len);

/* A copy of the len bytes of the chain at head, as xs_pool_store. */
int xs_pool_dup(struct xs_pool *p, uint16_t head, size_t len, uint16_t *copy);

/* Gives the chain at head back (XS_CHUNK_NONE: nothing). */
void xs_pool_free(struct xs_pool *p, uint16_t head);

#endif /* XS_POOL_H */
