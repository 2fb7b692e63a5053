/*
 * Tern guest kernel: the PV console ring, both ends, and the line splitter
 * (see cons_ring.h). Invariants: every index in shared memory is read
 * exactly once per call (the other side may change it at any time, so a
 * second read could disagree with the check); bytes are copied before the
 * index that releases them is written (a full barrier between); a reader
 * never takes more than prod - cons, which it has checked against the
 * ring's size, and a writer never fills more than the free space.
 */
#include "xen/cons_ring.h"

static XENCONS_RING_IDX read_once(const volatile XENCONS_RING_IDX *p)
{
    return *p;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

struct cons_read cons_ring_read(volatile struct xencons_interface *r, char *dst,
                                uint32_t max)
{
    struct cons_read res = { .cons = read_once(&r->out_cons),
                             .prod = read_once(&r->out_prod) };
    uint32_t avail = res.prod - res.cons;

    if (avail > CONS_OUT_SIZE) {
        res.lying = true;
        return res;
    }
    res.taken = min_u32(avail, max);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the bytes after out_prod */
    for (uint32_t i = 0; i < res.taken; i++)
        dst[i] = r->out[MASK_XENCONS_IDX(res.cons + i, r->out)];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* copied before released */
    r->out_cons = res.cons + res.taken;
    return res;
}

uint32_t cons_ring_write(volatile struct xencons_interface *r, const char *src,
                         uint32_t len)
{
    XENCONS_RING_IDX cons = read_once(&r->out_cons), prod = read_once(&r->out_prod);
    uint32_t used = prod - cons, n;

    if (used > CONS_OUT_SIZE)
        return 0;
    n = min_u32(CONS_OUT_SIZE - used, len);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the backend is done with them */
    for (uint32_t i = 0; i < n; i++)
        r->out[MASK_XENCONS_IDX(prod + i, r->out)] = src[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* bytes before out_prod */
    r->out_prod = prod + n;
    return n;
}

static void emit_line(struct cons_lines *l, cons_line_fn emit, void *data, bool split)
{
    emit(l->buf, l->len, data);
    l->len = 0;
    l->split = split;
}

/* A newline ends the line, unless it only ends a line already printed in
 * full pieces (then printing it would add an empty line). */
static void end_line(struct cons_lines *l, cons_line_fn emit, void *data)
{
    if (l->len || !l->split)
        emit_line(l, emit, data, false);
    l->split = false;
}

void cons_lines_feed(struct cons_lines *l, const char *s, uint32_t n, cons_line_fn emit,
                     void *data)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '\r')
            continue;
        if (s[i] == '\n') {
            end_line(l, emit, data);
            continue;
        }
        l->buf[l->len++] = s[i];
        l->split = false;
        if (l->len == CONS_LINE_MAX)
            emit_line(l, emit, data, true);
    }
}

void cons_lines_flush(struct cons_lines *l, cons_line_fn emit, void *data)
{
    if (l->len)
        emit_line(l, emit, data, false);
}
