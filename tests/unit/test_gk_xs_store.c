/*
 * Unit tests for guest-kernel/xenstore/xs_store.c: the store's operations
 * with Xen's xenstored semantics: parents made by a write and inheriting
 * permissions, owners, access for domain 0 and for others (EACCES, and
 * ENOENT only where the nearest ancestor grants the access), recursive rm,
 * set_perms rules, the node and entry quotas of unprivileged domains, and the
 * store's own limits. A refused operation must leave the store unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include <public/errno.h>
#include "xenstore/xs_store.h"
#include "xenstore/xs_tree.h"

static struct xs_store st;
static uint8_t buf[8192];

static int setup(void **state)
{
    (void)state;
    xs_store_init(&st);
    return 0;
}

static int wr(uint16_t dom, const char *path, const char *val)
{
    return xs_store_write(&st, XS_VIEW_MAIN, dom, path, (const uint8_t *)val, strlen(val));
}

static int rd(uint16_t dom, const char *path)
{
    memset(buf, 0, sizeof(buf));
    return xs_store_read(&st, XS_VIEW_MAIN, dom, path, buf, sizeof(buf));
}

static int setp(uint16_t dom, const char *path, const char *text, size_t len)
{
    struct xs_perms p;
    int rc = xs_perms_parse(text, len, &p);

    return rc ? rc : xs_store_set_perms(&st, XS_VIEW_MAIN, dom, path, &p);
}

/* Domain 0 gives a domain its home, as a toolstack does. */
static void give_home(const char *home, const char *perms, size_t len)
{
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, home), 0);
    assert_int_equal(setp(0, home, perms, len), 0);
}

static void test_init_root_only(void **state)
{
    (void)state;
    assert_int_equal(xs_store_used(&st), 1);
    assert_int_equal(rd(0, "/"), 0);
    assert_int_equal(xs_store_directory(&st, XS_VIEW_MAIN, 0, "/", (char *)buf, sizeof(buf)), 0);
    assert_int_equal(xs_store_get_perms(&st, XS_VIEW_MAIN, 0, "/", (char *)buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "n0", 3);
}

static void test_write_read_and_parents(void **state)
{
    (void)state;
    assert_int_equal(wr(0, "/a/b/c", "hello"), 0);
    assert_int_equal(rd(0, "/a/b/c"), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(rd(0, "/a/b"), 0);             /* made, empty */
    assert_int_equal(xs_store_used(&st), 4);
    assert_int_equal(wr(0, "/a/b/c", "x"), 0);      /* overwrite */
    assert_int_equal(rd(0, "/a/b/c"), 1);
    assert_int_equal(rd(0, "/a/x"), -XEN_ENOENT);
}

static void test_value_any_bytes(void **state)
{
    static const uint8_t v[4] = { 'a', 0, 0xff, 'b' };

    (void)state;
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 0, "/v", v, sizeof(v)), 0);
    assert_int_equal(rd(0, "/v"), 4);
    assert_memory_equal(buf, v, 4);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 0, "/v", v, 0), 0);
    assert_int_equal(rd(0, "/v"), 0);
}

static void test_read_room(void **state)
{
    (void)state;
    assert_int_equal(wr(0, "/v", "12345"), 0);
    assert_int_equal(xs_store_read(&st, XS_VIEW_MAIN, 0, "/v", buf, 5), 5);
    assert_int_equal(xs_store_read(&st, XS_VIEW_MAIN, 0, "/v", buf, 4), -XEN_E2BIG);
}

static void test_directory(void **state)
{
    (void)state;
    assert_int_equal(wr(0, "/d/one", ""), 0);
    assert_int_equal(wr(0, "/d/two/deep", ""), 0);
    assert_int_equal(wr(0, "/dx", ""), 0);           /* a sibling, not a child */
    assert_int_equal(xs_store_directory(&st, XS_VIEW_MAIN, 0, "/d", (char *)buf, sizeof(buf)), 8);
    assert_memory_equal(buf, "one\0two\0", 8);
    assert_int_equal(xs_store_directory(&st, XS_VIEW_MAIN, 0, "/", (char *)buf, sizeof(buf)), 5);
    assert_memory_equal(buf, "d\0dx\0", 5);
    assert_int_equal(xs_store_directory(&st, XS_VIEW_MAIN, 0, "/d", (char *)buf, 7), -XEN_E2BIG);
    assert_int_equal(xs_store_directory(&st, XS_VIEW_MAIN, 0, "/nope", (char *)buf, 8), -XEN_ENOENT);
}

static void test_mkdir(void **state)
{
    (void)state;
    assert_int_equal(wr(0, "/m", "keep"), 0);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/m"), 0);      /* existing: fine */
    assert_int_equal(rd(0, "/m"), 4);                        /* value kept */
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/m/n/o"), 0);
    assert_int_equal(rd(0, "/m/n/o"), 0);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 1, "/q"), -XEN_EACCES);
}

static void test_rm(void **state)
{
    (void)state;
    assert_int_equal(wr(0, "/r/a/b", "1"), 0);
    assert_int_equal(wr(0, "/rx", "2"), 0);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/r"), 0);          /* recursive */
    assert_int_equal(rd(0, "/r/a/b"), -XEN_ENOENT);
    assert_int_equal(rd(0, "/r"), -XEN_ENOENT);
    assert_int_equal(rd(0, "/rx"), 1);                       /* the sibling stays */
    assert_int_equal(xs_store_used(&st), 2);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/r"), 0);          /* gone, parent there */
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/r/a"), -XEN_ENOENT);  /* parent missing */
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/"), -XEN_EINVAL);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 1, "/"), -XEN_EACCES);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 1, "/rx"), -XEN_EACCES);
    assert_int_equal(rd(0, "/rx"), 1);
}

/* Scans stop at the highest slot in use (xs_tree.c rule 4): removing the
 * top nodes lowers it, removing lower ones leaves holes that are taken
 * first, and nothing below the top is ever lost to a scan. */
static void test_top_follows_use(void **state)
{
    char path[16];
    unsigned int used;

    (void)state;
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        assert_int_equal(wr(0, path, "x"), 0);
    }
    used = xs_store_used(&st);
    assert_int_equal(xs_tree_top(&st), (int)used);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/n9"), 0);
    assert_int_equal(xs_tree_top(&st), (int)used - 1);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/n2"), 0);
    assert_int_equal(xs_tree_top(&st), (int)used - 1);       /* a hole below */
    assert_int_equal(xs_store_used(&st), used - 2);
    assert_int_equal(wr(0, "/again", "y"), 0);              /* takes the hole */
    assert_int_equal(xs_tree_top(&st), (int)used - 1);
    assert_int_equal(rd(0, "/n8"), 1);                      /* found below the top */
    assert_int_equal(rd(0, "/again"), 1);
    assert_int_equal(xs_store_used(&st), XS_NODES_MAX - xs_tree_free_slots(&st));
}

static void test_domu_home(void **state)
{
    static const char mine[] = "n1";

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    assert_int_equal(wr(1, "/local/domain/1/x/y", "v"), 0);
    assert_int_equal(rd(1, "/local/domain/1/x/y"), 1);
    /* Made by domain 1: its own, with the parent's permissions. */
    assert_int_equal(xs_store_get_perms(&st, XS_VIEW_MAIN, 1, "/local/domain/1/x", (char *)buf, 64), 3);
    assert_memory_equal(buf, "n1", 3);
    assert_int_equal(xs_store_owned(&st, 1), 3);
    /* Outside its home, under nodes it cannot write. */
    assert_int_equal(wr(1, "/local/domain/2", "v"), -XEN_EACCES);
    assert_int_equal(wr(1, "/elsewhere", "v"), -XEN_EACCES);
    assert_int_equal(rd(1, "/local"), -XEN_EACCES);
}

static void test_other_domain_refused_then_allowed(void **state)
{
    static const char mine[] = "n1", share_r[] = "n1\0r2", share_b[] = "n1\0b2";

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    assert_int_equal(wr(1, "/local/domain/1/s", "v"), 0);
    assert_int_equal(rd(2, "/local/domain/1/s"), -XEN_EACCES);
    assert_int_equal(setp(2, "/local/domain/1/s", share_r, sizeof(share_r)), -XEN_EACCES);
    assert_int_equal(setp(1, "/local/domain/1/s", share_r, sizeof(share_r)), 0);
    assert_int_equal(rd(2, "/local/domain/1/s"), 1);
    assert_int_equal(wr(2, "/local/domain/1/s", "w"), -XEN_EACCES);
    assert_int_equal(rd(3, "/local/domain/1/s"), -XEN_EACCES);
    assert_int_equal(setp(1, "/local/domain/1/s", share_b, sizeof(share_b)), 0);
    assert_int_equal(wr(2, "/local/domain/1/s", "w"), 0);
    /* Writing does not make domain 2 the owner: it may not set perms. */
    assert_int_equal(setp(2, "/local/domain/1/s", share_b, sizeof(share_b)), -XEN_EACCES);
}

static void test_missing_node_hides_behind_parent(void **state)
{
    static const char mine[] = "n1", readable[] = "n1\0r2";

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    assert_int_equal(rd(2, "/local/domain/1/none"), -XEN_EACCES);
    assert_int_equal(setp(1, "/local/domain/1", readable, sizeof(readable)), 0);
    assert_int_equal(rd(2, "/local/domain/1/none"), -XEN_ENOENT);
    assert_int_equal(wr(2, "/local/domain/1/none", "v"), -XEN_EACCES);  /* no write */
}

static void test_set_perms_rules(void **state)
{
    static const char mine[] = "n1", give[] = "n2";
    static const char six[] = "n1\0r2\0r3\0r4\0r5\0r6", five[] = "n1\0r2\0r3\0r4\0r5";

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    assert_int_equal(setp(1, "/local/domain/1", give, sizeof(give)), -XEN_EPERM);
    assert_int_equal(setp(1, "/local/domain/1", five, sizeof(five)), 0);
    assert_int_equal(setp(1, "/local/domain/1", six, sizeof(six)), -XEN_ENOSPC);
    assert_int_equal(xs_store_get_perms(&st, XS_VIEW_MAIN, 0, "/local/domain/1", (char *)buf, 64), 15);
    assert_int_equal(setp(0, "/local/domain/1", six, sizeof(six)), 0);
    assert_int_equal(setp(0, "/local/domain/1", give, sizeof(give)), 0);
    assert_int_equal(rd(1, "/local/domain/1"), -XEN_EACCES);             /* given away */
    assert_int_equal(setp(1, "/nope/x", mine, sizeof(mine)), -XEN_EACCES);
    assert_int_equal(setp(0, "/nope/x", mine, sizeof(mine)), -XEN_ENOENT);
}

static void test_node_quota(void **state)
{
    static const char mine[] = "n1";

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));     /* owns 1 */
    st.quota_nodes = 3;
    assert_int_equal(wr(1, "/local/domain/1/a", ""), 0);     /* owns 2 */
    assert_int_equal(wr(1, "/local/domain/1/b/c", ""), -XEN_ENOSPC);  /* needs 2 */
    assert_int_equal(rd(1, "/local/domain/1/b"), -XEN_ENOENT);        /* nothing made */
    assert_int_equal(wr(1, "/local/domain/1/b", ""), 0);     /* owns 3 */
    assert_int_equal(wr(1, "/local/domain/1/c", ""), -XEN_ENOSPC);
    assert_int_equal(wr(1, "/local/domain/1/a", "rewrite"), 0);  /* no new node */
    assert_int_equal(wr(0, "/local/domain/1/d", ""), 0);     /* domain 0: no quota */
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 1, "/local/domain/1/a"), 0);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 1, "/local/domain/1/d"), 0);
    assert_int_equal(wr(1, "/local/domain/1/c", ""), 0);     /* room again */
}

static void test_entry_quota(void **state)
{
    static const char mine[] = "n1";
    static uint8_t v[XS_VALUE_MAX + 1];

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/e", v, XS_QUOTA_ENTRY), 0);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/e", v, XS_QUOTA_ENTRY + 1),
                     -XEN_ENOSPC);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/f", v, XS_QUOTA_ENTRY + 1),
                     -XEN_ENOSPC);
    assert_int_equal(rd(1, "/local/domain/1/f"), -XEN_ENOENT);
    assert_int_equal(rd(1, "/local/domain/1/e"), XS_QUOTA_ENTRY);
    st.quota_entry = 10;
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/e", v, 11), -XEN_ENOSPC);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 0, "/local/domain/1/e", v, 11), 0);
    /* The store's own limit binds domain 0 too. */
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 0, "/big", v, XS_VALUE_MAX + 1), -XEN_ENOSPC);
}

static void test_value_chunk_quota(void **state)
{
    static const char mine[] = "n1";
    static uint8_t v[XS_VALUE_MAX];
    char path[64];
    int i;

    (void)state;
    give_home("/local/domain/1", mine, sizeof(mine));
    for (i = 0; i < XS_QUOTA_CHUNKS / (XS_VALUE_MAX / XS_CHUNK); i++) {
        snprintf(path, sizeof(path), "/local/domain/1/v%d", i);
        assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, path, v, sizeof(v)), 0);
    }
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/more", v, 1),
                     -XEN_ENOSPC);
    assert_int_equal(rd(1, "/local/domain/1/more"), -XEN_ENOENT);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 1, "/local/domain/1/empty"), 0);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 0, "/zero", v, sizeof(v)), 0);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/v0", v, 0), 0);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/more", v, 1), 0);
}

static void test_store_full(void **state)
{
    char path[16];

    (void)state;
    for (int i = 1; i < XS_NODES_MAX; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        assert_int_equal(wr(0, path, ""), 0);
    }
    assert_int_equal(wr(0, "/last", ""), -XEN_ENOSPC);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/last"), -XEN_ENOSPC);
    assert_int_equal(wr(0, "/n1", "still writable"), 0);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/n1"), 0);
    assert_int_equal(wr(0, "/last", ""), 0);
}

static void test_long_path(void **state)
{
    char path[XS_NODE_PATH_MAX + 1];

    (void)state;
    memset(path, 'p', sizeof(path));
    path[0] = '/';
    path[XS_NODE_PATH_MAX - 1] = '\0';                    /* 255 bytes: fits */
    assert_int_equal(wr(0, path, "v"), 0);
    path[XS_NODE_PATH_MAX - 1] = 'p';
    path[XS_NODE_PATH_MAX] = '\0';                        /* 256: does not */
    assert_int_equal(wr(0, path, "v"), -XEN_ENOSPC);
    assert_int_equal(xs_store_used(&st), 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_root_only),
        T(test_write_read_and_parents),
        T(test_value_any_bytes),
        T(test_read_room),
        T(test_directory),
        T(test_mkdir),
        T(test_rm),
        T(test_top_follows_use),
        T(test_domu_home),
        T(test_other_domain_refused_then_allowed),
        T(test_missing_node_hides_behind_parent),
        T(test_set_perms_rules),
        T(test_node_quota),
        T(test_entry_quota),
        T(test_value_chunk_quota),
        T(test_store_full),
        T(test_long_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
