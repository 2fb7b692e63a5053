/*
 * Tern guest kernel: one direction of a shared byte ring (see byte_ring.h
 * for the invariants).
 */
#include "xen/byte_ring.h"

static uint32_t read_once(const volatile uint32_t *p)
{
    return *p;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static struct ring_io observe(const struct byte_ring *r)
{
    struct ring_io io = { .cons = read_once(r->cons), .prod = read_once(r->prod) };

    io.lying = io.prod - io.cons > r->size;
    return io;
}

struct ring_io byte_ring_read(const struct byte_ring *r, char *dst, uint32_t max)
{
    struct ring_io io = observe(r);

    if (io.lying)
        return io;
    io.moved = min_u32(io.prod - io.cons, max);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the bytes after prod */
    for (uint32_t i = 0; i < io.moved; i++)
        dst[i] = r->buf[(io.cons + i) & (r->size - 1)];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* copied before released */
    *r->cons = io.cons + io.moved;
    return io;
}

struct ring_io byte_ring_write(const struct byte_ring *r, const char *src, uint32_t len)
{
    struct ring_io io = observe(r);

    if (io.lying)
        return io;
    io.moved = min_u32(r->size - (io.prod - io.cons), len);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the consumer is done with them */
    for (uint32_t i = 0; i < io.moved; i++)
        r->buf[(io.prod + i) & (r->size - 1)] = src[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* bytes before prod */
    *r->prod = io.prod + io.moved;
    return io;
}

bool ring_was_full(const struct byte_ring *r, struct ring_io io)
{
    if (!io.moved)
        return false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* our new cons before prod is read */
    return read_once(r->prod) - io.cons >= r->size;
}
