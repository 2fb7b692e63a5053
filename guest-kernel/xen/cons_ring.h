/*
 * Tern guest kernel: the PV console ring (public/io/console.h), both ends,
 * pure: no hypercall, no notification. The caller maps the page and sends
 * the events.
 *
 * Both directions are byte rings (byte_ring.h: indices read once, lies
 * refused, bytes copied before the index that releases them). The line splitter turns the byte stream into lines
 * for printing: a partial line waits for its newline, a line longer than
 * CONS_LINE_MAX is printed in CONS_LINE_MAX pieces, never cut short.
 */
#ifndef GUEST_CONS_RING_H
#define GUEST_CONS_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/console.h>
#include "xen/byte_ring.h"

#define CONS_OUT_SIZE  ((uint32_t)sizeof(((struct xencons_interface *)0)->out))
#define CONS_LINE_MAX  128U

/* Backend: copies up to max bytes of out[] into dst and advances out_cons
 * by them (ring_io.moved; lying: more in flight than out[] holds, nothing
 * taken). */
struct ring_io cons_ring_read(volatile struct xencons_interface *r, char *dst,
                              uint32_t max);

/* Frontend: puts up to len bytes of src into out[] where there is room
 * and advances out_prod. Returns how many went in (0 when full, or when
 * the indices make no sense: the backend wrote a bad out_cons). */
uint32_t cons_ring_write(volatile struct xencons_interface *r, const char *src,
                         uint32_t len);

/* Backend: console input, up to len bytes into in[] (lying: the frontend
 * wrote a bad in_cons). */
struct ring_io cons_ring_input(volatile struct xencons_interface *r, const char *src,
                               uint32_t len);

/* Frontend: console input, up to max bytes of in[] into dst (lying: the
 * backend wrote a bad in_prod; nothing taken). */
struct ring_io cons_ring_take_input(volatile struct xencons_interface *r, char *dst,
                                    uint32_t max);

/* A line being assembled from ring bytes. */
struct cons_lines {
    char buf[CONS_LINE_MAX];
    uint32_t len;
    bool split;     /* the last piece out was a full buffer, no newline yet */
};

/* Called with each finished line, without its newline (len may be 0). */
typedef void (*cons_line_fn)(const char *line, uint32_t len, void *data);

/* Feeds n bytes; emits each line ended by '\n' and each full buffer of a
 * longer one. '\r' is dropped (a tty's "\r\n" is one line end). */
void cons_lines_feed(struct cons_lines *l, const char *s, uint32_t n, cons_line_fn emit,
                     void *data);

/* Emits what is left of an unfinished line (when the frontend goes away). */
void cons_lines_flush(struct cons_lines *l, cons_line_fn emit, void *data);

#endif /* GUEST_CONS_RING_H */
