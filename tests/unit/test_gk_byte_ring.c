/*
 * Unit tests for guest-kernel/xen/byte_ring.c, one direction of a shared
 * byte ring. Rules: a read takes min(prod - cons, max) bytes across the
 * wrap and advances cons by them; a write fills only the free space and
 * advances prod; prod - cons == size is honest (full), size + 1 is a lie
 * and then nothing moves, for both calls, also when the indices wrap
 * around 2^32. A reader notifies (ring_was_full) when the producer filled
 * the ring as it was before the read, also when it filled it during the
 * read (prod read again afterwards), and not when it did not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "xen/byte_ring.h"

#define SIZE 16u

static char buf[SIZE];
static uint32_t cons, prod;
static const struct byte_ring ring = { .buf = buf, .size = SIZE, .cons = &cons, .prod = &prod };

static int setup(void **state)
{
    (void)state;
    memset(buf, 0, sizeof(buf));
    cons = prod = 0;
    return 0;
}

static void test_write_then_read_across_wrap(void **state)
{
    char out[SIZE];
    struct ring_io io;

    (void)state;
    cons = prod = 0xfffffffau;                  /* the indices wrap inside */
    io = byte_ring_write(&ring, "0123456789", 10);
    assert_false(io.lying);
    assert_int_equal(io.moved, 10);
    assert_int_equal(prod, 4u);
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_int_equal(io.moved, 10);
    assert_memory_equal(out, "0123456789", 10);
    assert_int_equal(cons, 4u);
}

static void test_read_bounded_by_max(void **state)
{
    char out[4];

    (void)state;
    byte_ring_write(&ring, "abcdef", 6);
    assert_int_equal(byte_ring_read(&ring, out, 4).moved, 4);
    assert_memory_equal(out, "abcd", 4);
    assert_int_equal(cons, 4u);
}

static void test_full_is_honest(void **state)
{
    char src[SIZE + 4], out[SIZE + 4];
    struct ring_io io;

    (void)state;
    memset(src, 'x', sizeof(src));
    assert_int_equal(byte_ring_write(&ring, src, sizeof(src)).moved, SIZE);
    io = byte_ring_write(&ring, src, 1);
    assert_false(io.lying);
    assert_int_equal(io.moved, 0);
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_false(io.lying);
    assert_int_equal(io.moved, SIZE);
}

static void test_lie_moves_nothing(void **state)
{
    char out[SIZE];
    struct ring_io io;

    (void)state;
    cons = 0xfffffff0u;
    prod = cons + SIZE + 1;                     /* wraps to 1 */
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_true(io.lying);
    assert_int_equal(io.moved, 0);
    assert_int_equal(cons, 0xfffffff0u);
    io = byte_ring_write(&ring, "a", 1);
    assert_true(io.lying);
    assert_int_equal(io.moved, 0);
    assert_int_equal(prod, 1u);
}

static void test_consumer_ahead_is_a_lie(void **state)
{
    char out[SIZE];

    (void)state;
    cons = 5;
    prod = 4;                                   /* prod - cons = 2^32 - 1 */
    assert_true(byte_ring_read(&ring, out, sizeof(out)).lying);
    assert_true(byte_ring_write(&ring, "a", 1).lying);
}

static void test_was_full_before_the_read(void **state)
{
    char src[SIZE], out[4];
    struct ring_io io;

    (void)state;
    memset(src, 'x', sizeof(src));
    byte_ring_write(&ring, src, SIZE);
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_true(ring_was_full(&ring, io));
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_false(ring_was_full(&ring, io));     /* 12 in flight when it started */
}

/* The producer filled the ring from the old cons after our read looked
 * at prod and before it looked again: it waits for room, we must notify. */
static void test_was_full_filled_during_the_read(void **state)
{
    char src[SIZE], out[SIZE];
    struct ring_io io;

    (void)state;
    memset(src, 'x', sizeof(src));
    byte_ring_write(&ring, src, 4);
    io = byte_ring_read(&ring, out, sizeof(out));
    assert_int_equal(io.moved, 4);
    assert_false(ring_was_full(&ring, io));     /* nobody waits */
    prod = io.cons + SIZE;                       /* filled as seen before our read */
    assert_true(ring_was_full(&ring, io));
}

static void test_was_full_nothing_moved(void **state)
{
    char src[SIZE], out[4];
    struct ring_io io;

    (void)state;
    memset(src, 'x', sizeof(src));
    byte_ring_write(&ring, src, SIZE);
    io = byte_ring_read(&ring, out, 0);
    assert_false(ring_was_full(&ring, io));     /* nothing released: no room made */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_write_then_read_across_wrap, setup),
        cmocka_unit_test_setup(test_read_bounded_by_max, setup),
        cmocka_unit_test_setup(test_full_is_honest, setup),
        cmocka_unit_test_setup(test_lie_moves_nothing, setup),
        cmocka_unit_test_setup(test_consumer_ahead_is_a_lie, setup),
        cmocka_unit_test_setup(test_was_full_before_the_read, setup),
        cmocka_unit_test_setup(test_was_full_filled_during_the_read, setup),
        cmocka_unit_test_setup(test_was_full_nothing_moved, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
