/*
 * Unit tests for guest-kernel/xenstore/xs_watch.c: adding and removing
 * watches (special names, duplicates, quota, limits) and which watches a
 * change fires, with what path: the node and its ancestors, descendants only
 * for a removal, no event without read access, relative names for relative
 * watches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include <public/errno.h>
#include "xenstore/xs_watch.h"

static struct xs_watches ws;
static char events[2048];
static size_t nevents;

static void record(void *ctx, uint16_t dom, const char *path, const char *token)
{
    size_t used = strlen(events);

    (void)ctx;
    snprintf(events + used, sizeof(events) - used, "%u %s %s;", dom, path, token);
    nevents++;
}

static const struct xs_events ev = { .emit = record };
static const struct xs_perms all_read = { .n = 1, .p = { { 0, XS_PERM_READ } } };

static int setup(void **state)
{
    (void)state;
    xs_watch_init(&ws);
    events[0] = '\0';
    nevents = 0;
    return 0;
}

static void fire(const char *path, int subtree)
{
    events[0] = '\0';
    nevents = 0;
    xs_watch_fire(&ws, path, &all_read, subtree, &ev);
}

static void test_add_remove(void **state)
{
    (void)state;
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "t"), 0);
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "t"), -XEN_EEXIST);
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "u"), 0);   /* another token */
    assert_int_equal(xs_watch_add(&ws, 2, "/a", "t"), 0);   /* another domain */
    assert_int_equal(xs_watch_remove(&ws, 1, "/a", "t"), 0);
    assert_int_equal(xs_watch_remove(&ws, 1, "/a", "t"), -XEN_ENOENT);
    assert_int_equal(xs_watch_remove(&ws, 3, "/a", "u"), -XEN_ENOENT);
    assert_int_equal(xs_watch_remove(&ws, 1, "/a b", "u"), -XEN_EINVAL);
    fire("/a", 0);
    assert_string_equal(events, "1 /a u;2 /a t;");
    assert_int_equal(nevents, 2);                /* adding fired nothing itself */
}

static void test_paths(void **state)
{
    (void)state;
    assert_int_equal(xs_watch_add(&ws, 0, "@introduceDomain", "i"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "@releaseDomain", "r"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "@other", "o"), -XEN_EINVAL);
    assert_int_equal(xs_watch_add(&ws, 0, "/a/", "o"), -XEN_EINVAL);
    assert_int_equal(xs_watch_add(&ws, 3, "", "o"), -XEN_EINVAL);
    /* A relative watch is the same watch as its absolute form. */
    assert_int_equal(xs_watch_add(&ws, 3, "dev", "t"), 0);
    assert_int_equal(xs_watch_add(&ws, 3, "/local/domain/3/dev", "t"), -XEN_EEXIST);
    assert_int_equal(xs_watch_remove(&ws, 3, "/local/domain/3/dev", "t"), 0);
    fire("@introduceDomain", 0);
    assert_string_equal(events, "0 @introduceDomain i;");
}

static void test_limits(void **state)
{
    char token[XS_WATCH_TOKEN_MAX + 1], path[XS_NODE_PATH_MAX + 1];

    (void)state;
    memset(token, 'k', sizeof(token));
    token[XS_WATCH_TOKEN_MAX - 1] = '\0';
    assert_int_equal(xs_watch_add(&ws, 1, "/a", token), 0);
    token[XS_WATCH_TOKEN_MAX - 1] = 'k';
    token[XS_WATCH_TOKEN_MAX] = '\0';
    assert_int_equal(xs_watch_add(&ws, 1, "/b", token), -XEN_ENOSPC);
    memset(path, 'p', sizeof(path));
    path[0] = '/';
    path[XS_NODE_PATH_MAX - 1] = '\0';
    assert_int_equal(xs_watch_add(&ws, 1, path, "t"), 0);
    path[XS_NODE_PATH_MAX - 1] = 'p';
    path[XS_NODE_PATH_MAX] = '\0';
    assert_int_equal(xs_watch_add(&ws, 1, path, "t"), -XEN_ENOSPC);
}

static void test_quota_and_table(void **state)
{
    char token[16];

    (void)state;
    ws.quota = 2;
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "1"), 0);
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "2"), 0);
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "3"), -XEN_E2BIG);
    assert_int_equal(xs_watch_add(&ws, 2, "/a", "3"), 0);      /* per domain */
    for (int i = 3; i < XS_WATCHES_MAX; i++) {                 /* domain 0: no quota */
        snprintf(token, sizeof(token), "%d", i);
        assert_int_equal(xs_watch_add(&ws, 0, "/a", token), 0);
    }
    assert_int_equal(xs_watch_add(&ws, 0, "/a", "full"), -XEN_ENOSPC);
    assert_int_equal(xs_watch_remove(&ws, 1, "/a", "1"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "/a", "full"), 0);
}

static void test_which_fire(void **state)
{
    (void)state;
    assert_int_equal(xs_watch_add(&ws, 0, "/", "root"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "/a", "a"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "/a/b", "ab"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "/ab", "ab2"), 0);
    fire("/a/b/c", 0);
    assert_string_equal(events, "0 /a/b/c root;0 /a/b/c a;0 /a/b/c ab;");
    fire("/a", 0);                            /* not the watch below it */
    assert_string_equal(events, "0 /a root;0 /a a;");
    fire("/a", 1);                            /* a removal: below it too */
    assert_string_equal(events, "0 /a root;0 /a a;0 /a ab;");
    fire("/abc", 0);                          /* "/ab" is not above "/abc"... */
    assert_string_equal(events, "0 /abc root;");
    fire("/ab/c", 0);                         /* ...but above "/ab/c" */
    assert_string_equal(events, "0 /ab/c root;0 /ab/c ab2;");
}

static void test_read_access(void **state)
{
    static const struct xs_perms hidden = { .n = 2, .p = { { 1, XS_PERM_NONE },
                                                           { 2, XS_PERM_READ } } };

    (void)state;
    assert_int_equal(xs_watch_add(&ws, 1, "/s", "owner"), 0);
    assert_int_equal(xs_watch_add(&ws, 2, "/s", "reader"), 0);
    assert_int_equal(xs_watch_add(&ws, 3, "/s", "other"), 0);
    assert_int_equal(xs_watch_add(&ws, 0, "/s", "dom0"), 0);
    xs_watch_fire(&ws, "/s/x", &hidden, 0, &ev);
    assert_string_equal(events, "1 /s/x owner;2 /s/x reader;0 /s/x dom0;");
}

static void test_relative_names(void **state)
{
    (void)state;
    assert_int_equal(xs_watch_add(&ws, 3, "dev", "rel"), 0);
    assert_int_equal(xs_watch_add(&ws, 3, "/local/domain/3/dev", "abs"), 0);
    fire("/local/domain/3/dev/vif", 0);
    assert_string_equal(events, "3 dev/vif rel;3 /local/domain/3/dev/vif abs;");
    fire("/local/domain/3", 1);               /* the home itself: outside it */
    assert_string_equal(events, "3 /local/domain/3 rel;3 /local/domain/3 abs;");
}

/* Rule 5: scans stop at the highest slot in use; removing the top watch
 * lowers it, a hole below is taken first, and no watch below the top is
 * ever missed. */
static void test_top_follows_use(void **state)
{
    (void)state;
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "1"), 0);
    assert_int_equal(xs_watch_add(&ws, 1, "/a", "2"), 0);
    assert_int_equal(xs_watch_add(&ws, 2, "/a", "3"), 0);
    assert_int_equal(ws.top, 3);
    assert_int_equal(xs_watch_remove(&ws, 2, "/a", "3"), 0);
    assert_int_equal(ws.top, 2);
    assert_int_equal(xs_watch_remove(&ws, 1, "/a", "1"), 0);
    assert_int_equal(ws.top, 2);                          /* a hole below */
    assert_int_equal(xs_watch_add(&ws, 3, "/a", "4"), 0);   /* takes the hole */
    assert_int_equal(ws.top, 2);
    fire("/a", 0);
    assert_string_equal(events, "3 /a 4;1 /a 2;");
    xs_watch_remove_all(&ws, 1);
    assert_int_equal(ws.top, 1);
    xs_watch_remove_all(&ws, 3);
    assert_int_equal(ws.top, 0);
    fire("/a", 0);
    assert_int_equal(nevents, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_add_remove),
        T(test_paths),
        T(test_limits),
        T(test_quota_and_table),
        T(test_which_fire),
        T(test_read_access),
        T(test_relative_names),
        T(test_top_follows_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
