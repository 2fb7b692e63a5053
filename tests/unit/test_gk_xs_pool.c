/*
 * Unit tests for guest-kernel/xenstore/xs_pool.c: values kept in chained
 * chunks. A value round-trips whatever its length (empty, one chunk, a
 * chunk boundary, many chunks); a full pool refuses with ENOSPC and takes
 * nothing; freed chunks come back; a copy is independent of its original.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <public/errno.h>
#include "xenstore/xs_pool.h"

static struct xs_pool pool;
static uint8_t in[4 * XS_CHUNK + 7], out[sizeof(in)];

static int setup(void **state)
{
    (void)state;
    xs_pool_init(&pool);
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 7 + 3);
    memset(out, 0, sizeof(out));
    return 0;
}

static void test_round_trip(void **state)
{
    static const size_t lens[] = { 1, XS_CHUNK - 1, XS_CHUNK, XS_CHUNK + 1, sizeof(in) };
    uint16_t head;

    (void)state;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        assert_int_equal(xs_pool_store(&pool, in, lens[i], &head), 0);
        memset(out, 0, sizeof(out));
        xs_pool_load(&pool, head, out, lens[i]);
        assert_memory_equal(out, in, lens[i]);
        assert_int_equal(pool.free_count, XS_CHUNKS - (lens[i] + XS_CHUNK - 1) / XS_CHUNK);
        xs_pool_free(&pool, head);
        assert_int_equal(pool.free_count, XS_CHUNKS);
    }
}

static void test_empty_value_takes_nothing(void **state)
{
    uint16_t head = 0;

    (void)state;
    assert_int_equal(xs_pool_store(&pool, in, 0, &head), 0);
    assert_int_equal(head, XS_CHUNK_NONE);
    assert_int_equal(pool.free_count, XS_CHUNKS);
    xs_pool_free(&pool, head);                  /* nothing to give back */
    assert_int_equal(pool.free_count, XS_CHUNKS);
}

static void test_full_pool_refuses(void **state)
{
    uint16_t head, big;

    (void)state;
    /* Take all but three chunks, one at a time. */
    for (unsigned int i = 0; i < XS_CHUNKS - 3; i++)
        assert_int_equal(xs_pool_store(&pool, in, 1, &head), 0);
    assert_int_equal(xs_pool_store(&pool, in, 4 * XS_CHUNK, &big), -XEN_ENOSPC);
    assert_int_equal(pool.free_count, 3);       /* nothing taken */
    assert_int_equal(xs_pool_store(&pool, in, 3 * XS_CHUNK, &big), 0);
    assert_int_equal(pool.free_count, 0);
    assert_int_equal(xs_pool_store(&pool, in, 1, &head), -XEN_ENOSPC);
    xs_pool_free(&pool, big);
    assert_int_equal(pool.free_count, 3);
    assert_int_equal(xs_pool_store(&pool, in, 3 * XS_CHUNK, &big), 0);
    xs_pool_load(&pool, big, out, 3 * XS_CHUNK);
    assert_memory_equal(out, in, 3 * XS_CHUNK);
}

static void test_dup_is_a_copy(void **state)
{
    uint16_t a, b;

    (void)state;
    assert_int_equal(xs_pool_store(&pool, in, sizeof(in), &a), 0);
    assert_int_equal(xs_pool_dup(&pool, a, sizeof(in), &b), 0);
    assert_int_not_equal(a, b);
    xs_pool_free(&pool, a);
    assert_int_equal(xs_pool_store(&pool, out, sizeof(out), &a), 0);  /* reuses a's chunks */
    xs_pool_load(&pool, b, out, sizeof(in));
    assert_memory_equal(out, in, sizeof(in));
    assert_int_equal(xs_pool_dup(&pool, XS_CHUNK_NONE, 0, &b), 0);
    assert_int_equal(b, XS_CHUNK_NONE);
}

static void test_dup_refused_when_full(void **state)
{
    uint16_t a, b;

    (void)state;
    assert_int_equal(xs_pool_store(&pool, in, XS_CHUNK * 2, &a), 0);
    while (pool.free_count > 1)
        assert_int_equal(xs_pool_store(&pool, in, 1, &b), 0);
    assert_int_equal(xs_pool_dup(&pool, a, XS_CHUNK * 2, &b), -XEN_ENOSPC);
    assert_int_equal(pool.free_count, 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_round_trip),
        T(test_empty_value_takes_nothing),
        T(test_full_pool_refuses),
        T(test_dup_is_a_copy),
        T(test_dup_refused_when_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
