/*
 * Tern guest kernel, xenstore: the value pool.
 *
 * Invariants:
 *   1. Every chunk is on exactly one chain: the free list or one value's.
 *   2. free_count is the length of the free list.
 *   3. A value of len bytes holds ceil(len / XS_CHUNK) chunks; the empty
 *      value holds none.
 * Fixed chunks instead of a byte heap: no fragmentation, so a store that
 * is not full can always take a value that fits in the free chunks.
 */
#include <public/errno.h>
#include "kernel/lib.h"
#include "xenstore/xs_pool.h"

_Static_assert(XS_CHUNKS < XS_CHUNK_NONE, "chunk indices fit in 16 bits");

void xs_pool_init(struct xs_pool *p)
{
    for (uint16_t i = 0; i < XS_CHUNKS; i++)
        p->next[i] = (uint16_t)(i + 1u < XS_CHUNKS ? i + 1u : XS_CHUNK_NONE);
    p->free_head = 0;
    p->free_count = XS_CHUNKS;
}

static size_t chunks_for(size_t len)
{
    return (len + XS_CHUNK - 1) / XS_CHUNK;
}

/* Takes n chunks off the free list (n <= free_count) as one chain. */
static uint16_t take(struct xs_pool *p, size_t n)
{
    uint16_t head = p->free_head, last = head;

    for (size_t i = 1; i < n; i++)
        last = p->next[last];
    p->free_head = p->next[last];
    p->next[last] = XS_CHUNK_NONE;
    p->free_count = (uint16_t)(p->free_count - n);
    return head;
}

int xs_pool_store(struct xs_pool *p, const uint8_t *v, size_t len, uint16_t *head)
{
    size_t n = chunks_for(len);

    if (n > p->free_count)
        return -XEN_ENOSPC;
    *head = n == 0 ? XS_CHUNK_NONE : take(p, n);
    for (uint16_t c = *head; len > 0; c = p->next[c]) {
        size_t part = len < XS_CHUNK ? len : XS_CHUNK;
        memcpy(p->data[c], v, part);
        v += part;
        len -= part;
    }
    return 0;
}

void xs_pool_load(const struct xs_pool *p, uint16_t head, uint8_t *out, size_t len)
{
    for (uint16_t c = head; len > 0 && c != XS_CHUNK_NONE; c = p->next[c]) {
        size_t part = len < XS_CHUNK ? len : XS_CHUNK;
        memcpy(out, p->data[c], part);
        out += part;
        len -= part;
    }
}

int xs_pool_dup(struct xs_pool *p, uint16_t head, size_t len, uint16_t *copy)
{
    size_t n = chunks_for(len);
    uint16_t from = head;

    if (n > p->free_count)
        return -XEN_ENOSPC;
    *copy = n == 0 ? XS_CHUNK_NONE : take(p, n);
    for (uint16_t c = *copy; c != XS_CHUNK_NONE; c = p->next[c]) {
        memcpy(p->data[c], p->data[from], XS_CHUNK);
        from = p->next[from];
    }
    return 0;
}

void xs_pool_free(struct xs_pool *p, uint16_t head)
{
    uint16_t c = head;

    if (head == XS_CHUNK_NONE)
        return;
    p->free_count++;
    while (p->next[c] != XS_CHUNK_NONE) {
        c = p->next[c];
        p->free_count++;
    }
    p->next[c] = p->free_head;
    p->free_head = head;
}
