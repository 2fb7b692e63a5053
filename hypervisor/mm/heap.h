/*
 * The hypervisor heap (heap.c, pure): small objects for hypervisor data
 * structures, from pages the caller provides (the frame allocator through
 * the direct map, in the image; aligned_alloc in the unit tests).
 *
 * Objects up to HEAP_MAX_SMALL bytes come from per-size-class pages; larger
 * ones get whole contiguous pages. Every allocation is 16-byte aligned.
 * heap_free refuses (returns -EINVAL, changes nothing) a pointer the heap did
 * not hand out or one already freed.
 */
#ifndef HEAP_H
#define HEAP_H

#include "lib.h"

#define HEAP_MAX_SMALL 2048

struct heap_pages {
    /* n contiguous, page-aligned, writable pages, or NULL. */
    void *(*alloc)(void *ctx, size_t n);
    void *ctx;
    /* Take back n pages from alloc (optional: without it, freed large
     * allocations are kept for reuse). */
    void (*free)(void *ctx, void *pages, size_t n);
};

void heap_init(const struct heap_pages *pages);
void *heap_alloc(size_t size);            /* NULL if out of memory or size 0 */
void *heap_zalloc(size_t size);
int heap_free(void *p);

struct heap_stats {
    uint64_t pages;                       /* pages taken from the provider */
    uint64_t objects;                     /* live allocations */
};
void heap_get_stats(struct heap_stats *st);

#endif /* HEAP_H */
