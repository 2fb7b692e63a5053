/*
 * Tern guest kernel: the PV console ring, both ends, and the line splitter
 * (see cons_ring.h). The ring rules are byte_ring.c's; the line splitter
 * never drops a byte and never holds more than CONS_LINE_MAX.
 */
#include "xen/cons_ring.h"

static struct byte_ring out_ring(volatile struct xencons_interface *r)
{
    return (struct byte_ring){ .buf = r->out, .size = sizeof(r->out),
                               .cons = &r->out_cons, .prod = &r->out_prod };
}

struct ring_io cons_ring_read(volatile struct xencons_interface *r, char *dst,
                              uint32_t max)
{
    struct byte_ring b = out_ring(r);

    return byte_ring_read(&b, dst, max);
}

uint32_t cons_ring_write(volatile struct xencons_interface *r, const char *src,
                         uint32_t len)
{
    struct byte_ring b = out_ring(r);

    return byte_ring_write(&b, src, len).moved;
}

static struct byte_ring in_ring(volatile struct xencons_interface *r)
{
    return (struct byte_ring){ .buf = r->in, .size = sizeof(r->in),
                               .cons = &r->in_cons, .prod = &r->in_prod };
}

struct ring_io cons_ring_input(volatile struct xencons_interface *r, const char *src,
                               uint32_t len)
{
    struct byte_ring b = in_ring(r);

    return byte_ring_write(&b, src, len);
}

struct ring_io cons_ring_take_input(volatile struct xencons_interface *r, char *dst,
                                    uint32_t max)
{
    struct byte_ring b = in_ring(r);

    return byte_ring_read(&b, dst, max);
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
