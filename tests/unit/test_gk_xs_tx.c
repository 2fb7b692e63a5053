/*
 * Unit tests for transactions below the message layer: guest-kernel/
 * xenstore/xs_tx.c (the table: ids, quota), xs_commit.c (conflict check,
 * apply, drop) and the views of xs_store.c. A view sees its own changes and
 * the main tree does not until the commit; a commit is EAGAIN when a node
 * the view read, wrote, removed or listed (or found absent) changed since,
 * and applies nothing then; a non-conflicting commit applies everything;
 * an abort applies nothing; watch events come only from the commit; quotas
 * (open transactions, nodes a view may touch, nodes at commit) refuse with
 * ENOSPC; every end frees the view's slots.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include <public/errno.h>
#include "xenstore/xs_tx.h"

static struct xs_store st;
static struct xs_txs txs;
static char buf[8192];
static char fired[512];

static void record(void *ctx, const char *path, const struct xs_perms *perms, int subtree)
{
    size_t used = strlen(fired);

    (void)ctx;
    (void)perms;
    snprintf(fired + used, sizeof(fired) - used, "%s%s;", path, subtree ? "/*" : "");
}

static const struct xs_fire fire = { .fire = record, .ctx = NULL };

static int setup(void **state)
{
    (void)state;
    xs_store_init(&st);
    memset(&txs, 0, sizeof(txs));
    fired[0] = '\0';
    return 0;
}

/* Opens a transaction for dom; returns its view. */
static unsigned int start(uint16_t dom)
{
    uint32_t id;

    assert_int_equal(xs_tx_start(&txs, dom, &id), 0);
    assert_int_not_equal(id, 0);
    return xs_tx_view(&txs, dom, id);
}

static int wr(unsigned int v, uint16_t dom, const char *path, const char *val)
{
    return xs_store_write(&st, v, dom, path, (const uint8_t *)val, strlen(val));
}

/* Reads path in view v as domain 0; the value NUL-ended in buf. */
static int rd(unsigned int v, const char *path)
{
    memset(buf, 0, sizeof(buf));
    return xs_store_read(&st, v, 0, path, (uint8_t *)buf, sizeof(buf) - 1);
}

static int dir(unsigned int v, const char *path)
{
    memset(buf, 0, sizeof(buf));
    return xs_store_directory(&st, v, 0, path, buf, sizeof(buf));
}

/* The names of a directory reply of n bytes, sorted, comma-separated: the
 * store lists children in no set order. */
static const char *names(int n)
{
    static char out[256];
    const char *v[16];
    int count = 0;

    for (int off = 0; off < n && count < 16; off += (int)strlen(buf + off) + 1)
        v[count++] = buf + off;
    for (int i = 1; i < count; i++) {
        for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            const char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    out[0] = '\0';
    for (int i = 0; i < count; i++)
        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? "," : "", v[i]);
    return out;
}

static int end(unsigned int v, int commit)
{
    return xs_tx_end(&txs, &st, v, commit, &fire);
}

static void test_view_sees_own_writes(void **state)
{
    unsigned int v;

    (void)state;
    v = start(0);
    assert_int_equal(wr(v, 0, "/a/b", "in tx"), 0);
    assert_int_equal(rd(v, "/a/b"), 5);
    assert_string_equal(buf, "in tx");
    assert_int_equal(rd(XS_VIEW_MAIN, "/a/b"), -XEN_ENOENT);   /* not yet */
    assert_int_equal(rd(XS_VIEW_MAIN, "/a"), -XEN_ENOENT);
    assert_string_equal(fired, "");
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(rd(XS_VIEW_MAIN, "/a/b"), 5);
    assert_string_equal(buf, "in tx");
    assert_int_equal(rd(XS_VIEW_MAIN, "/a"), 0);               /* parent made too */
    assert_string_equal(fired, "/a/b;");                        /* the write alone fires */
    assert_int_equal(xs_store_used(&st), 3);                    /* no shadow left */
    assert_int_equal(xs_tx_view(&txs, 0, 1), XS_VIEW_MAIN);      /* closed */
}

static void test_abort_applies_nothing(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/k", "main"), 0);
    v = start(0);
    assert_int_equal(wr(v, 0, "/k", "tx"), 0);
    assert_int_equal(wr(v, 0, "/new", "x"), 0);
    assert_int_equal(xs_store_rm(&st, v, 0, "/k"), 0);
    assert_int_equal(end(v, 0), 0);
    assert_int_equal(rd(XS_VIEW_MAIN, "/k"), 4);
    assert_string_equal(buf, "main");
    assert_int_equal(rd(XS_VIEW_MAIN, "/new"), -XEN_ENOENT);
    assert_string_equal(fired, "");
    assert_int_equal(xs_store_used(&st), 2);
    assert_int_equal(st.pool.free_count, XS_CHUNKS - 1);        /* "main" alone */
}

static void test_conflict_on_read_node(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/a", "1"), 0);
    v = start(0);
    assert_int_equal(rd(v, "/a"), 1);
    assert_int_equal(wr(v, 0, "/b", "from tx"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/a", "2"), 0);       /* someone else */
    assert_int_equal(end(v, 1), -XEN_EAGAIN);
    assert_int_equal(rd(XS_VIEW_MAIN, "/b"), -XEN_ENOENT);     /* nothing applied */
    assert_string_equal(fired, "");
    assert_int_equal(xs_tx_view(&txs, 0, 1), XS_VIEW_MAIN);     /* closed anyway */
    assert_int_equal(xs_store_used(&st), 2);
}

static void test_no_conflict_commits(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/a", "1"), 0);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/t"), 0);
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/u"), 0);
    v = start(0);
    assert_int_equal(rd(v, "/a"), 1);
    assert_int_equal(wr(v, 0, "/t/b", "from tx"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/u/c", "other"), 0); /* another parent */
    assert_int_equal(rd(XS_VIEW_MAIN, "/a"), 1);               /* reading is no change */
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(rd(XS_VIEW_MAIN, "/t/b"), 7);
    /* As xenstored: a child made under a parent the view added to is a
     * change of that parent's children. */
    v = start(0);
    assert_int_equal(wr(v, 0, "/t/d", "from tx"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/t/e", "other"), 0);
    assert_int_equal(end(v, 1), -XEN_EAGAIN);
}

static void test_conflict_on_written_node(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/w", "1"), 0);
    v = start(0);
    assert_int_equal(wr(v, 0, "/w", "tx"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/w", "other"), 0);
    assert_int_equal(end(v, 1), -XEN_EAGAIN);
    assert_int_equal(rd(XS_VIEW_MAIN, "/w"), 5);
}

static void test_conflict_on_absent_node(void **state)
{
    unsigned int v;

    (void)state;
    v = start(0);
    assert_int_equal(rd(v, "/n"), -XEN_ENOENT);
    assert_int_equal(wr(v, 0, "/m", "x"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/n", "now"), 0);
    assert_int_equal(end(v, 1), -XEN_EAGAIN);
}

static void test_conflict_on_listed_children(void **state)
{
    unsigned int a, b;

    (void)state;
    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/d"), 0);
    a = start(0);
    assert_int_equal(dir(a, "/d"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/y", ""), 0);      /* a new child */
    assert_int_equal(end(a, 1), -XEN_EAGAIN);
    /* Two transactions adding children to one parent: the second conflicts. */
    a = start(0);
    b = start(0);
    assert_int_equal(wr(a, 0, "/d/p", "a"), 0);
    assert_int_equal(wr(b, 0, "/d/q", "b"), 0);
    assert_int_equal(end(a, 1), 0);
    assert_int_equal(end(b, 1), -XEN_EAGAIN);
    assert_string_equal(names(dir(XS_VIEW_MAIN, "/d")), "p,y");
    /* A value change of the parent is a change too; a child's is not. */
    a = start(0);
    assert_int_equal(dir(a, "/d"), 4);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/y", "v"), 0);
    assert_int_equal(end(a, 1), 0);
}

static void test_conflict_on_removed_node(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/r/a", "1"), 0);
    v = start(0);
    assert_int_equal(rd(v, "/r/a"), 1);
    assert_int_equal(xs_store_rm(&st, XS_VIEW_MAIN, 0, "/r"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/r/a", "1"), 0);    /* back, but newer */
    assert_int_equal(end(v, 1), -XEN_EAGAIN);
}

static void test_rm_in_view(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/r/a", "1"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/r/b/c", "2"), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/s", ""), 0);
    v = start(0);
    assert_int_equal(xs_store_rm(&st, v, 0, "/r"), 0);
    assert_int_equal(rd(v, "/r/a"), -XEN_ENOENT);
    assert_int_equal(rd(v, "/r/b/c"), -XEN_ENOENT);
    assert_int_equal(dir(v, "/"), 2);
    assert_memory_equal(buf, "s\0", 2);
    assert_int_equal(rd(XS_VIEW_MAIN, "/r/b/c"), 1);           /* main untouched */
    assert_int_equal(xs_store_rm(&st, v, 0, "/r"), 0);         /* gone, parent there */
    assert_int_equal(xs_store_rm(&st, v, 0, "/r/a"), -XEN_ENOENT);
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(rd(XS_VIEW_MAIN, "/r"), -XEN_ENOENT);
    assert_int_equal(rd(XS_VIEW_MAIN, "/r/b/c"), -XEN_ENOENT);
    assert_string_equal(fired, "/r/*;");                        /* one event, the subtree */
    assert_int_equal(xs_store_used(&st), 2);
}

static void test_rm_then_recreate_in_view(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/r/a", "1"), 0);
    v = start(0);
    assert_int_equal(xs_store_rm(&st, v, 0, "/r"), 0);
    assert_int_equal(wr(v, 0, "/r/c", "3"), 0);
    assert_int_equal(dir(v, "/r"), 2);
    assert_memory_equal(buf, "c\0", 2);                       /* a stays removed */
    assert_int_equal(dir(XS_VIEW_MAIN, "/r"), 2);
    assert_memory_equal(buf, "a\0", 2);
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(dir(XS_VIEW_MAIN, "/r"), 2);
    assert_memory_equal(buf, "c\0", 2);
    assert_int_equal(rd(XS_VIEW_MAIN, "/r/a"), -XEN_ENOENT);
}

static void test_directory_in_view(void **state)
{
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/x", ""), 0);
    v = start(0);
    assert_int_equal(wr(v, 0, "/d/y", ""), 0);
    assert_int_equal(wr(v, 0, "/d/x", "changed"), 0);          /* listed once */
    assert_string_equal(names(dir(v, "/d")), "x,y");
    assert_int_equal(dir(XS_VIEW_MAIN, "/d"), 2);
    assert_int_equal(end(v, 0), 0);
}

static void test_set_perms_in_view_keeps_value(void **state)
{
    struct xs_perms p = { .n = 2, .p = { { 0, XS_PERM_NONE }, { 3, XS_PERM_READ } } };
    unsigned int v;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/p", "value"), 0);
    v = start(0);
    assert_int_equal(xs_store_set_perms(&st, v, 0, "/p", &p), 0);
    assert_int_equal(rd(v, "/p"), 5);
    assert_string_equal(buf, "value");
    assert_int_equal(xs_store_get_perms(&st, v, 3, "/p", buf, sizeof(buf)), 6);
    assert_int_equal(xs_store_get_perms(&st, XS_VIEW_MAIN, 3, "/p", buf, sizeof(buf)),
                     -XEN_EACCES);
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(xs_store_get_perms(&st, XS_VIEW_MAIN, 3, "/p", buf, sizeof(buf)), 6);
    assert_memory_equal(buf, "n0\0r3\0", 6);
    assert_int_equal(rd(XS_VIEW_MAIN, "/p"), 5);
    assert_string_equal(fired, "/p;");
}

static void test_open_transaction_quota(void **state)
{
    uint32_t id, first = 0;

    (void)state;
    for (int i = 0; i < XS_QUOTA_TX; i++) {
        assert_int_equal(xs_tx_start(&txs, 1, &id), 0);
        first = first ? first : id;
    }
    assert_int_equal(xs_tx_start(&txs, 1, &id), -XEN_ENOSPC);
    assert_int_equal(xs_tx_count(&txs, 1), XS_QUOTA_TX);
    assert_int_equal(xs_tx_start(&txs, 2, &id), 0);            /* others unaffected */
    assert_int_equal(xs_tx_view(&txs, 2, first), XS_VIEW_MAIN); /* not domain 2's */
    assert_int_equal(end(xs_tx_view(&txs, 1, first), 0), 0);
    assert_int_equal(xs_tx_start(&txs, 1, &id), 0);            /* room again */
    assert_int_not_equal(id, first);
    for (unsigned int i = 0; i < XS_TX_MAX - XS_QUOTA_TX - 1; i++)      /* domain 0: the table */
        assert_int_equal(xs_tx_start(&txs, 0, &id), 0);
    assert_int_equal(xs_tx_start(&txs, 0, &id), -XEN_ENOSPC);
    xs_tx_end_all(&txs, &st, 1);
    assert_int_equal(xs_tx_count(&txs, 1), 0);
    assert_int_equal(xs_tx_view(&txs, 0, 0), XS_VIEW_MAIN);     /* id 0 is no transaction */
}

/* Domain 1 with its home, as a toolstack gives it. */
static void give_home(void)
{
    struct xs_perms p = { .n = 1, .p = { { 1, XS_PERM_NONE } } };

    assert_int_equal(xs_store_mkdir(&st, XS_VIEW_MAIN, 0, "/local/domain/1"), 0);
    assert_int_equal(xs_store_set_perms(&st, XS_VIEW_MAIN, 0, "/local/domain/1", &p), 0);
}

static void test_view_node_quota(void **state)
{
    char path[64];
    unsigned int v;
    int i;

    (void)state;
    give_home();
    v = start(1);
    for (i = 0; i < XS_QUOTA_TX_NODES; i++) {
        snprintf(path, sizeof(path), "/local/domain/1/n%d", i);
        assert_int_equal(xs_store_read(&st, v, 1, path, (uint8_t *)buf, 8), -XEN_ENOENT);
    }
    assert_int_equal(xs_store_read(&st, v, 1, "/local/domain/1/one-more", (uint8_t *)buf, 8),
                     -XEN_ENOSPC);
    assert_int_equal(xs_store_read(&st, v, 1, "/local/domain/1/n0", (uint8_t *)buf, 8),
                     -XEN_ENOENT);                              /* seen already: fine */
    assert_int_equal(end(v, 0), 0);
    v = start(0);                                               /* domain 0: no quota */
    for (i = 0; i < XS_QUOTA_TX_NODES + 10; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        assert_int_equal(rd(v, path), -XEN_ENOENT);
    }
    assert_int_equal(end(v, 1), 0);
    assert_int_equal(xs_store_used(&st), 4);
}

static void test_domain_shadow_quota(void **state)
{
    unsigned int v[3];
    char path[64];
    int i;

    (void)state;
    give_home();
    for (int t = 0; t < 3; t++)
        v[t] = start(1);
    for (i = 0; i < XS_QUOTA_TX_DOM_NODES; i++) {       /* two views, full each */
        snprintf(path, sizeof(path), "/local/domain/1/n%d", i);
        assert_int_equal(xs_store_read(&st, v[i / XS_QUOTA_TX_NODES], 1, path,
                                       (uint8_t *)buf, 8), -XEN_ENOENT);
    }
    assert_int_equal(xs_store_read(&st, v[2], 1, "/local/domain/1", (uint8_t *)buf, 8),
                     -XEN_ENOSPC);                      /* the domain's bound */
    assert_int_equal(wr(XS_VIEW_MAIN, 1, "/local/domain/1/x", ""), 0);  /* unaffected */
    assert_int_equal(end(v[0], 0), 0);
    assert_int_equal(xs_store_read(&st, v[2], 1, "/local/domain/1", (uint8_t *)buf, 8), 0);
    assert_int_equal(end(v[1], 0), 0);
    assert_int_equal(end(v[2], 0), 0);
}

static void test_view_value_quota(void **state)
{
    static uint8_t big[XS_VALUE_MAX];
    struct xs_perms p = { .n = 1, .p = { { 1, XS_PERM_NONE } } };
    char path[64];
    unsigned int v;
    int i;

    (void)state;
    give_home();
    for (i = 0; i < XS_QUOTA_CHUNKS / (XS_VALUE_MAX / XS_CHUNK); i++) {
        snprintf(path, sizeof(path), "/local/domain/1/v%d", i);
        assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, path, big, sizeof(big)), 0);
    }
    /* At its bound, a transaction may not copy one of its values either. */
    v = start(1);
    assert_int_equal(xs_store_set_perms(&st, v, 1, "/local/domain/1/v0", &p), -XEN_ENOSPC);
    assert_int_equal(xs_store_write(&st, v, 1, "/local/domain/1/v0", big, 1), -XEN_ENOSPC);
    assert_int_equal(end(v, 0), 0);
    assert_int_equal(xs_store_write(&st, XS_VIEW_MAIN, 1, "/local/domain/1/v0", big, 0), 0);
    v = start(1);                                       /* v0 empty now: room */
    assert_int_equal(xs_store_set_perms(&st, v, 1, "/local/domain/1/v1", &p), 0);
    assert_int_equal(end(v, 1), 0);
}

static void test_commit_node_quota(void **state)
{
    char path[64];
    unsigned int v;

    (void)state;
    give_home();
    assert_int_equal(wr(XS_VIEW_MAIN, 1, "/local/domain/1/a/x", ""), 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 1, "/local/domain/1/b", ""), 0);
    st.quota_nodes = 6;                      /* home, a, a/x, b own: 4 */
    v = start(1);
    assert_int_equal(wr(v, 1, "/local/domain/1/a/y", ""), 0);
    assert_int_equal(wr(v, 1, "/local/domain/1/a/z", ""), 0);   /* 6: the quota */
    assert_int_equal(wr(v, 1, "/local/domain/1/a/w", ""), -XEN_ENOSPC);
    snprintf(path, sizeof(path), "/local/domain/1/b/m");
    assert_int_equal(wr(XS_VIEW_MAIN, 1, path, ""), 0);         /* 5 in the main tree */
    assert_int_equal(end(v, 1), -XEN_ENOSPC);                    /* 5 + 2 > 6 */
    assert_int_equal(rd(XS_VIEW_MAIN, "/local/domain/1/a/y"), -XEN_ENOENT);
    v = start(1);                                               /* no node made: no check */
    assert_int_equal(wr(v, 1, "/local/domain/1/b", "v"), 0);
    st.quota_nodes = 1;
    assert_int_equal(end(v, 1), 0);
}

static void test_full_store_in_view(void **state)
{
    char path[16];
    unsigned int v;
    int i;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/keep", "k"), 0);
    v = start(0);
    assert_int_equal(rd(v, "/keep"), 1);
    for (i = 0; xs_store_used(&st) < XS_NODES_MAX; i++) {
        snprintf(path, sizeof(path), "/f%d", i);
        assert_int_equal(wr(XS_VIEW_MAIN, 0, path, ""), 0);
    }
    assert_int_equal(wr(v, 0, "/x", "1"), -XEN_ENOSPC);        /* no slot to remember it */
    assert_int_equal(wr(v, 0, "/keep", "2"), 0);               /* its own shadow: fine */
    assert_int_equal(xs_store_rm(&st, v, 0, "/f0"), -XEN_ENOSPC);
    assert_int_equal(end(v, 1), 0);                             /* commit needs no slot */
    assert_int_equal(rd(XS_VIEW_MAIN, "/keep"), 1);
    assert_string_equal(buf, "2");
    assert_int_equal(rd(XS_VIEW_MAIN, "/f0"), 0);
}

static void test_directory_part_generation(void **state)
{
    char a[64], b[64];
    int n;

    (void)state;
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/x", "1"), 0);
    n = xs_store_directory_part(&st, XS_VIEW_MAIN, 0, "/d", 0, a, sizeof(a));
    assert_true(n > 0);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/x", "2"), 0);     /* a child's value: same */
    assert_int_equal(xs_store_directory_part(&st, XS_VIEW_MAIN, 0, "/d", 0, b, sizeof(b)), n);
    assert_string_equal(a, b);
    assert_int_equal(wr(XS_VIEW_MAIN, 0, "/d/y", ""), 0);      /* a new child: changes */
    xs_store_directory_part(&st, XS_VIEW_MAIN, 0, "/d", 0, b, sizeof(b));
    assert_string_not_equal(a, b);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_view_sees_own_writes),
        T(test_abort_applies_nothing),
        T(test_conflict_on_read_node),
        T(test_no_conflict_commits),
        T(test_conflict_on_written_node),
        T(test_conflict_on_absent_node),
        T(test_conflict_on_listed_children),
        T(test_conflict_on_removed_node),
        T(test_rm_in_view),
        T(test_rm_then_recreate_in_view),
        T(test_directory_in_view),
        T(test_set_perms_in_view_keeps_value),
        T(test_open_transaction_quota),
        T(test_view_node_quota),
        T(test_domain_shadow_quota),
        T(test_view_value_quota),
        T(test_commit_node_quota),
        T(test_full_store_in_view),
        T(test_directory_part_generation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
