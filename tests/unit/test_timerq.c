/*
 * Unit tests for hypervisor/common/timerq.c: the first entry is always the
 * smallest key (checked against a scan after each of thousands of random
 * inserts, re-keys up and down, and removals); key 0 takes an entry out
 * and removing an absent one does nothing; a full heap refuses a new
 * entry with -ENOSPC but still re-keys a queued one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "timerq.h"
#include "err.h"

#define N 64

static struct timerq q;
static struct timerq_entry *slots[N];
static struct timerq_entry e[N];

static int setup(void **state)
{
    (void)state;
    timerq_init(&q, slots, N);
    for (unsigned int i = 0; i < N; i++)
        e[i] = (struct timerq_entry){ 0 };
    return 0;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The smallest key among queued entries, by a scan; 0 if none. */
static uint64_t scan_min(void)
{
    uint64_t m = 0;

    for (unsigned int i = 0; i < N; i++)
        if (e[i].pos && (!m || e[i].key < m))
            m = e[i].key;
    return m;
}

static void check_first(void)
{
    const struct timerq_entry *f = timerq_first(&q);
    unsigned int queued = 0;

    for (unsigned int i = 0; i < N; i++)
        queued += e[i].pos != 0;
    assert_int_equal(queued, q.nr);
    if (!q.nr) {
        assert_null(f);
        return;
    }
    assert_non_null(f);
    assert_int_equal(f->key, scan_min());
}

static void test_empty(void **state)
{
    (void)state;
    assert_null(timerq_first(&q));
    assert_int_equal(timerq_set(&q, &e[0], 0), 0);    /* absent: nothing */
    assert_null(timerq_first(&q));
}

static void test_order_and_removal(void **state)
{
    (void)state;
    assert_int_equal(timerq_set(&q, &e[0], 30), 0);
    assert_int_equal(timerq_set(&q, &e[1], 10), 0);
    assert_int_equal(timerq_set(&q, &e[2], 20), 0);
    assert_ptr_equal(timerq_first(&q), &e[1]);
    timerq_set(&q, &e[1], 0);
    assert_int_equal(e[1].pos, 0);
    assert_ptr_equal(timerq_first(&q), &e[2]);
    timerq_set(&q, &e[0], 5);                          /* re-keyed earlier */
    assert_ptr_equal(timerq_first(&q), &e[0]);
    timerq_set(&q, &e[0], 50);                         /* and later */
    assert_ptr_equal(timerq_first(&q), &e[2]);
    assert_int_equal(q.nr, 2);
}

static void test_random_against_scan(void **state)
{
    (void)state;
    for (unsigned int step = 0; step < 20000; step++) {
        struct timerq_entry *x = &e[next_random() % N];
        uint64_t key = next_random() % 4 == 0 ? 0 : 1 + next_random() % 1000;
        assert_int_equal(timerq_set(&q, x, key), 0);
        check_first();
    }
}

static void test_full_refuses_new_only(void **state)
{
    struct timerq small;
    struct timerq_entry *two[2];

    (void)state;
    timerq_init(&small, two, 2);
    assert_int_equal(timerq_set(&small, &e[0], 7), 0);
    assert_int_equal(timerq_set(&small, &e[1], 9), 0);
    assert_int_equal(timerq_set(&small, &e[2], 1), -ENOSPC);
    assert_int_equal(e[2].pos, 0);
    assert_int_equal(timerq_set(&small, &e[1], 3), 0);  /* queued: re-keyed */
    assert_ptr_equal(timerq_first(&small), &e[1]);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty), T(test_order_and_removal), T(test_random_against_scan),
        T(test_full_refuses_new_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
