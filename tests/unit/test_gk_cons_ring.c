/*
 * Unit tests for guest-kernel/xen/cons_ring.c, the PV console ring's two
 * ends and the line splitter. Rules: the reader takes exactly prod - cons
 * bytes (at most max), across the wrap, and advances out_cons by what it
 * took; an empty ring gives nothing; a full ring (2048 in flight) is
 * honest, 2049 is a lie and nothing is taken nor out_cons moved, also when
 * the indices wrap around 2^32; the writer fills only the free space and
 * refuses a ring whose indices are nonsense; lines end at '\n', '\r' is
 * dropped, a long line comes out in full pieces with nothing lost.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "xen/cons_ring.h"

static struct xencons_interface ring;

static int setup(void **state)
{
    (void)state;
    memset(&ring, 0, sizeof(ring));
    return 0;
}

static void test_empty(void **state)
{
    char buf[16];
    struct ring_io r;

    (void)state;
    ring.out_cons = ring.out_prod = 77;
    r = cons_ring_read(&ring, buf, sizeof(buf));
    assert_false(r.lying);
    assert_int_equal(r.moved, 0);
    assert_int_equal(ring.out_cons, 77);
}

static void test_write_then_read_wraps(void **state)
{
    char buf[64];
    struct ring_io r;

    (void)state;
    ring.out_cons = ring.out_prod = CONS_OUT_SIZE - 3;  /* 3 bytes before the end */
    assert_int_equal(cons_ring_write(&ring, "hello\n", 6), 6);
    assert_int_equal(ring.out_prod, CONS_OUT_SIZE + 3);
    assert_memory_equal(&ring.out[CONS_OUT_SIZE - 3], "hel", 3);
    assert_memory_equal(&ring.out[0], "lo\n", 3);
    r = cons_ring_read(&ring, buf, sizeof(buf));
    assert_false(r.lying);
    assert_int_equal(r.moved, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(ring.out_cons, CONS_OUT_SIZE + 3);
}

static void test_read_at_most_max(void **state)
{
    char buf[4];
    struct ring_io r;

    (void)state;
    cons_ring_write(&ring, "abcdefgh", 8);
    r = cons_ring_read(&ring, buf, 4);
    assert_int_equal(r.moved, 4);
    assert_memory_equal(buf, "abcd", 4);
    assert_int_equal(ring.out_cons, 4);
    r = cons_ring_read(&ring, buf, 4);
    assert_memory_equal(buf, "efgh", 4);
    assert_int_equal(ring.out_cons, 8);
}

/* Indices wrap around 2^32: still 5 bytes in flight, honest. */
static void test_index_wrap_2_32(void **state)
{
    char buf[8];
    struct ring_io r;

    (void)state;
    ring.out_cons = ring.out_prod = 0xfffffffeU;
    assert_int_equal(cons_ring_write(&ring, "12345", 5), 5);
    assert_int_equal(ring.out_prod, 3);
    r = cons_ring_read(&ring, buf, sizeof(buf));
    assert_false(r.lying);
    assert_int_equal(r.moved, 5);
    assert_memory_equal(buf, "12345", 5);
    assert_int_equal(ring.out_cons, 3);
}

static void test_full_ring(void **state)
{
    static char src[CONS_OUT_SIZE + 10], dst[CONS_OUT_SIZE + 10];
    struct ring_io r;

    (void)state;
    for (uint32_t i = 0; i < sizeof(src); i++)
        src[i] = (char)('a' + i % 26);
    ring.out_cons = ring.out_prod = 1000;
    assert_int_equal(cons_ring_write(&ring, src, sizeof(src)), CONS_OUT_SIZE);
    assert_int_equal(cons_ring_write(&ring, src, 1), 0);       /* full: nothing */
    r = cons_ring_read(&ring, dst, sizeof(dst));
    assert_false(r.lying);
    assert_int_equal(r.moved, CONS_OUT_SIZE);
    assert_memory_equal(dst, src, CONS_OUT_SIZE);
}

static void test_lying_indices(void **state)
{
    char buf[16];
    struct ring_io r;

    (void)state;
    ring.out_cons = 10;
    ring.out_prod = 10 + CONS_OUT_SIZE + 1;
    r = cons_ring_read(&ring, buf, sizeof(buf));
    assert_true(r.lying);
    assert_int_equal(r.moved, 0);
    assert_int_equal(ring.out_cons, 10);
    ring.out_prod = 9;                                  /* behind out_cons */
    assert_true(cons_ring_read(&ring, buf, sizeof(buf)).lying);
    assert_int_equal(ring.out_cons, 10);
}

/* A backend that wrote a bad out_cons: the writer puts nothing in. */
static void test_writer_refuses_nonsense(void **state)
{
    (void)state;
    ring.out_prod = 100;
    ring.out_cons = 101;
    assert_int_equal(cons_ring_write(&ring, "x", 1), 0);
    assert_int_equal(ring.out_prod, 100);
    ring.out_cons = 100 - CONS_OUT_SIZE;                /* exactly full: honest */
    assert_int_equal(cons_ring_write(&ring, "x", 1), 0);
    ring.out_cons = 100 - CONS_OUT_SIZE + 1;
    assert_int_equal(cons_ring_write(&ring, "xy", 2), 1);
}

/* ---- the line splitter ---- */

static char lines[8][CONS_LINE_MAX + 1];
static unsigned int nr_lines;

static void collect(const char *line, uint32_t len, void *data)
{
    (void)data;
    assert_true(nr_lines < 8);
    assert_true(len <= CONS_LINE_MAX);
    memcpy(lines[nr_lines], line, len);
    lines[nr_lines++][len] = 0;
}

static int setup_lines(void **state)
{
    (void)state;
    memset(lines, 0, sizeof(lines));
    nr_lines = 0;
    return 0;
}

static void test_lines_partial_kept(void **state)
{
    struct cons_lines l = { .len = 0 };

    (void)state;
    cons_lines_feed(&l, "one\r\ntw", 7, collect, NULL);
    assert_int_equal(nr_lines, 1);
    assert_string_equal(lines[0], "one");
    cons_lines_feed(&l, "o\n\n", 3, collect, NULL);
    assert_int_equal(nr_lines, 3);
    assert_string_equal(lines[1], "two");
    assert_string_equal(lines[2], "");
    cons_lines_feed(&l, "end", 3, collect, NULL);
    cons_lines_flush(&l, collect, NULL);
    assert_int_equal(nr_lines, 4);
    assert_string_equal(lines[3], "end");
    cons_lines_flush(&l, collect, NULL);                /* nothing left */
    assert_int_equal(nr_lines, 4);
}

/* 2 * CONS_LINE_MAX + 5 characters, then a newline: three pieces, every
 * character present, no empty line after the pieces. Exactly
 * CONS_LINE_MAX characters and a newline: one piece. */
static void test_long_line_split(void **state)
{
    static char s[2 * CONS_LINE_MAX + 6];
    struct cons_lines l = { .len = 0 };

    (void)state;
    for (uint32_t i = 0; i < sizeof(s) - 1; i++)
        s[i] = (char)('A' + i % 26);
    s[sizeof(s) - 1] = '\n';
    cons_lines_feed(&l, s, sizeof(s), collect, NULL);
    assert_int_equal(nr_lines, 3);
    assert_memory_equal(lines[0], s, CONS_LINE_MAX);
    assert_memory_equal(lines[1], s + CONS_LINE_MAX, CONS_LINE_MAX);
    assert_int_equal(strlen(lines[2]), 5);
    assert_memory_equal(lines[2], s + 2 * CONS_LINE_MAX, 5);
    cons_lines_feed(&l, s, CONS_LINE_MAX, collect, NULL);
    cons_lines_feed(&l, "\n", 1, collect, NULL);
    assert_int_equal(nr_lines, 4);
    cons_lines_feed(&l, "\n", 1, collect, NULL);       /* a real empty line */
    assert_int_equal(nr_lines, 5);
    assert_string_equal(lines[4], "");
}

/* Console input: the backend writes in[], the frontend takes it, across
 * the wrap; a bad in_cons (frontend) or in_prod (backend) moves nothing. */
static void test_input_both_ends(void **state)
{
    char buf[8];
    struct ring_io r;

    (void)state;
    ring.in_cons = ring.in_prod = 1020;
    r = cons_ring_input(&ring, "hello\n", 6);
    assert_false(r.lying);
    assert_int_equal(r.moved, 6);
    r = cons_ring_take_input(&ring, buf, sizeof(buf));
    assert_int_equal(r.moved, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(ring.in_cons, 1026);
    ring.in_prod = ring.in_cons + 1025;               /* a lie: 1025 in a 1024 ring */
    r = cons_ring_take_input(&ring, buf, sizeof(buf));
    assert_true(r.lying);
    assert_int_equal(r.moved, 0);
    assert_int_equal(ring.in_cons, 1026);
    r = cons_ring_input(&ring, "x", 1);
    assert_true(r.lying);
    assert_int_equal(ring.in_prod, 1026 + 1025);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_input_both_ends, setup),
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_write_then_read_wraps, setup),
        cmocka_unit_test_setup(test_read_at_most_max, setup),
        cmocka_unit_test_setup(test_index_wrap_2_32, setup),
        cmocka_unit_test_setup(test_full_ring, setup),
        cmocka_unit_test_setup(test_lying_indices, setup),
        cmocka_unit_test_setup(test_writer_refuses_nonsense, setup),
        cmocka_unit_test_setup(test_lines_partial_kept, setup_lines),
        cmocka_unit_test_setup(test_long_line_split, setup_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
