/*
 * Unit tests for hypervisor/mm/frame_list.c: a domain's frame list with O(1)
 * removal (issue 10, hole 7). After every operation the list must hold
 * exactly the frames added and not removed, each once, and every frame's
 * page_info.slot must point at its own entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "frame_list.h"
#include "err.h"

#define NR 64u

static struct page_info pages[NR];
static uint64_t storage[NR];
static struct frame_list list;
static bool member[NR];

static int setup(void **state)
{
    (void)state;
    memset(pages, 0, sizeof(pages));
    memset(member, 0, sizeof(member));
    list = (struct frame_list){ storage, 0, NR };
    return 0;
}

/* Every member once, at the slot it records; nothing else. */
static void check_list(void)
{
    unsigned int count = 0;

    for (uint64_t i = 0; i < list.nr; i++) {
        uint64_t mfn = list.mfns[i];
        assert_true(mfn < NR && member[mfn]);
        assert_int_equal(pages[mfn].slot, i);
    }
    for (unsigned int m = 0; m < NR; m++)
        count += member[m];
    assert_int_equal(count, list.nr);
}

static void add(uint64_t mfn)
{
    assert_int_equal(frame_list_add(&list, pages, mfn), 0);
    member[mfn] = true;
    check_list();
}

static void removed(uint64_t mfn)
{
    assert_int_equal(frame_list_remove(&list, pages, mfn), 0);
    member[mfn] = false;
    check_list();
}

static void test_add_and_remove_any_order(void **state)
{
    (void)state;
    for (uint64_t m = 10; m < 20; m++)
        add(m);
    removed(10);                              /* the first: the last moves in */
    removed(19);                              /* the last (moved): nothing else moves */
    removed(14);
    for (uint64_t m = 11; m < 19; m++)
        if (m != 14)
            removed(m);
    assert_int_equal(list.nr, 0);
}

static void test_remove_only_member(void **state)
{
    (void)state;
    add(5);
    removed(5);
    add(5);                                   /* again after removal */
}

/* A frame not on the list, or whose slot names another frame, is refused
 * and changes nothing. */
static void test_remove_not_member_refused(void **state)
{
    (void)state;
    add(1);
    add(2);
    assert_int_equal(frame_list_remove(&list, pages, 3), -EINVAL);   /* slot 0 holds 1 */
    pages[4].slot = 7;
    assert_int_equal(frame_list_remove(&list, pages, 4), -EINVAL);   /* slot past nr */
    removed(2);
    assert_int_equal(frame_list_remove(&list, pages, 2), -EINVAL);   /* twice */
    check_list();
}

static void test_add_when_full_refused(void **state)
{
    (void)state;
    list.cap = 2;
    add(1);
    add(2);
    assert_int_equal(frame_list_add(&list, pages, 3), -ENOMEM);
    check_list();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_add_and_remove_any_order),
        T(test_remove_only_member),
        T(test_remove_not_member_refused),
        T(test_add_when_full_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
