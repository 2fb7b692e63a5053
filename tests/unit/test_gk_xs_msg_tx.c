/*
 * Unit tests for transactions through messages (guest-kernel/xenstore/
 * xs_msg.c, xs_msg_admin.c): TRANSACTION_START answers a fresh id as a
 * decimal string; requests with that tx_id see and change the
 * transaction's view only; TRANSACTION_END "T" commits or answers EAGAIN on
 * a conflict (then the retry succeeds), "F" aborts; watch events come at
 * the commit and never for an abort; an unknown or another domain's tx_id
 * is ENOENT; WATCH ignores tx_id; nesting is EBUSY; an unprivileged domain
 * gets ENOSPC past 10 open transactions; malformed TRANSACTION_END
 * payloads are EINVAL and leave the transaction open.
 */
#include "xs_msg_harness.h"

/* Starts a transaction for dom; returns its id (checked to be the reply). */
static uint32_t start(uint16_t dom)
{
    uint32_t id;

    assert_int_equal(send(dom, XS_TRANSACTION_START, S("")), 0);
    assert_int_equal(rep.hdr.type, XS_TRANSACTION_START);
    assert_int_equal(rep.body[rep.hdr.len - 1], '\0');
    assert_int_equal(xs_str_to_u32(rep.body, UINT32_MAX, &id), 0);
    assert_int_not_equal(id, 0);
    return id;
}

static void test_commit(void **state)
{
    uint32_t tx;

    (void)state;
    tx = start(0);
    send_tx(0, XS_WRITE, tx, "/a/b\0v1", 7);
    expect_ok(XS_WRITE);
    assert_int_equal(rep.hdr.tx_id, tx);                 /* echoed */
    send_tx(0, XS_READ, tx, S("/a/b"));
    expect(XS_READ, "v1", 2);
    send(0, XS_READ, S("/a/b"));
    expect_error("ENOENT");                              /* not outside yet */
    send_tx(0, XS_TRANSACTION_END, tx, S("T"));
    expect_ok(XS_TRANSACTION_END);
    send(0, XS_READ, S("/a/b"));
    expect(XS_READ, "v1", 2);
    send_tx(0, XS_READ, tx, S("/a/b"));
    expect_error("ENOENT");                              /* the id is gone */
}

static void test_ids_differ_and_payload_ignored(void **state)
{
    uint32_t a, b;

    (void)state;
    a = start(0);
    assert_int_equal(send(0, XS_TRANSACTION_START, "junk", 4), 0);  /* as xenstored */
    assert_int_equal(rep.hdr.type, XS_TRANSACTION_START);
    assert_int_equal(xs_str_to_u32(rep.body, UINT32_MAX, &b), 0);
    assert_int_not_equal(a, b);
}

static void test_abort(void **state)
{
    uint32_t tx;

    (void)state;
    watch(0, S("/w\0tok"));
    clear_events();
    tx = start(0);
    send_tx(0, XS_WRITE, tx, "/w/x\0v", 6);
    send_tx(0, XS_TRANSACTION_END, tx, S("F"));
    expect_ok(XS_TRANSACTION_END);
    send(0, XS_READ, S("/w/x"));
    expect_error("ENOENT");
    assert_int_equal(nevents, 0);
}

static void test_conflict_then_retry(void **state)
{
    uint32_t tx;

    (void)state;
    send(0, XS_WRITE, "/c\0" "0", 4);
    tx = start(0);
    send_tx(0, XS_READ, tx, S("/c"));
    send_tx(0, XS_WRITE, tx, "/c\0" "1", 4);
    send(0, XS_WRITE, "/c\0" "9", 4);                  /* someone else */
    send_tx(0, XS_TRANSACTION_END, tx, S("T"));
    expect_error("EAGAIN");
    send(0, XS_READ, S("/c"));
    expect(XS_READ, "9", 1);
    send_tx(0, XS_TRANSACTION_END, tx, S("T"));
    expect_error("ENOENT");                              /* ended by the EAGAIN */
    tx = start(0);                                       /* the retry */
    send_tx(0, XS_READ, tx, S("/c"));
    send_tx(0, XS_WRITE, tx, "/c\0" "10", 5);
    send_tx(0, XS_TRANSACTION_END, tx, S("T"));
    expect_ok(XS_TRANSACTION_END);
    send(0, XS_READ, S("/c"));
    expect(XS_READ, "10", 2);
}

static void test_watches_fire_at_commit(void **state)
{
    uint32_t tx;

    (void)state;
    give_home(3);
    watch(3, S("w\0tok"));                             /* relative: /local/domain/3/w */
    watch(0, S("/local/domain/3\0t0"));
    clear_events();
    tx = start(3);
    send_tx(3, XS_WRITE, tx, "w/x\0v", 5);
    send_tx(3, XS_MKDIR, tx, S("w/y"));
    send_tx(3, XS_SET_PERMS, tx, S("w/y\0n3\0r0"));
    assert_int_equal(nevents, 0);
    send_tx(3, XS_TRANSACTION_END, tx, S("T"));
    expect_ok(XS_TRANSACTION_END);
    /* One event per node a request changed, to each watcher; the parent
     * "w" made on the way fires none. */
    assert_int_equal(nevents, 4);
    assert_non_null(strstr(events, "3 w/x tok;"));
    assert_non_null(strstr(events, "3 w/y tok;"));
    assert_non_null(strstr(events, "0 /local/domain/3/w/x t0;"));
    assert_non_null(strstr(events, "0 /local/domain/3/w/y t0;"));
    clear_events();
    tx = start(3);
    send_tx(3, XS_RM, tx, S("w"));
    expect_ok(XS_RM);
    send_tx(3, XS_READ, tx, S("w/x"));
    expect_error("ENOENT");
    assert_int_equal(nevents, 0);
    send_tx(3, XS_TRANSACTION_END, tx, S("T"));
    assert_string_equal(events, "3 w tok;0 /local/domain/3/w t0;");
}

static void test_view_ops(void **state)
{
    uint32_t tx;

    (void)state;
    send(0, XS_MKDIR, S("/d/x"));
    tx = start(0);
    send_tx(0, XS_MKDIR, tx, S("/d/y"));
    expect_ok(XS_MKDIR);
    send_tx(0, XS_DIRECTORY, tx, S("/d"));
    assert_int_equal(rep.hdr.len, 4);
    send(0, XS_DIRECTORY, S("/d"));
    expect(XS_DIRECTORY, "x\0", 2);
    send_tx(0, XS_SET_PERMS, tx, S("/d/x\0n0\0r4"));
    send_tx(0, XS_GET_PERMS, tx, S("/d/x"));
    expect(XS_GET_PERMS, "n0\0r4\0", 6);
    send(0, XS_GET_PERMS, S("/d/x"));
    expect(XS_GET_PERMS, "n0\0", 3);
    send_tx(0, XS_DIRECTORY_PART, tx, S("/d\0" "0"));
    assert_int_equal(rep.hdr.type, XS_DIRECTORY_PART);
    send_tx(0, XS_GET_DOMAIN_PATH, tx, S("4"));          /* any request takes a tx */
    expect(XS_GET_DOMAIN_PATH, S("/local/domain/4"));
}

static void test_unknown_or_foreign_id(void **state)
{
    uint32_t tx;

    (void)state;
    give_home(1);
    give_home(2);
    tx = start(1);
    send_tx(2, XS_READ, tx, S("/local/domain/2"));      /* domain 1's id */
    expect_error("ENOENT");
    send_tx(2, XS_TRANSACTION_END, tx, S("F"));
    expect_error("ENOENT");
    send_tx(1, XS_READ, tx + 100, S("/local/domain/1"));
    expect_error("ENOENT");
    send_tx(1, XS_READ, tx, S("/local/domain/1"));
    expect(XS_READ, "", 0);
}

static void test_watch_ignores_tx_id(void **state)
{
    struct xsd_sockmsg req = { .type = XS_WATCH, .req_id = 0x1234, .tx_id = 77,
                               .len = sizeof("/w\0tok") };

    (void)state;
    xs_msg_handle(&srv, 0, &req, (const uint8_t *)"/w\0tok", &rep);
    expect_ok(XS_WATCH);
    send_tx(0, XS_UNWATCH, 78, S("/w\0tok"));
    expect_ok(XS_UNWATCH);
}

static void test_no_nesting(void **state)
{
    uint32_t tx;

    (void)state;
    tx = start(0);
    send_tx(0, XS_TRANSACTION_START, tx, S(""));
    expect_error("EBUSY");
    send_tx(0, XS_TRANSACTION_START, tx + 1, S(""));
    expect_error("ENOENT");
}

static void test_end_malformed(void **state)
{
    uint32_t tx;

    (void)state;
    tx = start(0);
    send_tx(0, XS_WRITE, tx, "/e\0v", 4);
    send_tx(0, XS_TRANSACTION_END, tx, "T", 1);         /* no NUL */
    expect_error("EINVAL");
    send_tx(0, XS_TRANSACTION_END, tx, S("X"));
    expect_error("EINVAL");
    send_tx(0, XS_TRANSACTION_END, tx, S("TT"));
    expect_error("EINVAL");
    send_tx(0, XS_TRANSACTION_END, tx, S("T\0F"));
    expect_error("EINVAL");
    send_tx(0, XS_TRANSACTION_END, tx, "", 0);
    expect_error("EINVAL");
    send_tx(0, XS_TRANSACTION_END, tx, S(""));
    expect_error("EINVAL");
    send(0, XS_TRANSACTION_END, S("T"));                 /* no transaction */
    expect_error("ENOENT");
    send_tx(0, XS_TRANSACTION_END, tx, S("T"));          /* still open */
    expect_ok(XS_TRANSACTION_END);
    send(0, XS_READ, S("/e"));
    expect(XS_READ, "v", 1);
}

static void test_transaction_quota(void **state)
{
    uint32_t first;

    (void)state;
    give_home(5);
    first = start(5);
    for (int i = 1; i < XS_QUOTA_TX; i++)
        start(5);
    send(5, XS_TRANSACTION_START, S(""));
    expect_error("ENOSPC");
    for (int i = 0; i < XS_QUOTA_TX + 1; i++)            /* domain 0 has no quota */
        start(0);
    send_tx(5, XS_TRANSACTION_END, first, S("F"));
    start(5);                                            /* room again */
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_commit),
        T(test_ids_differ_and_payload_ignored),
        T(test_abort),
        T(test_conflict_then_retry),
        T(test_watches_fire_at_commit),
        T(test_view_ops),
        T(test_unknown_or_foreign_id),
        T(test_watch_ignores_tx_id),
        T(test_no_nesting),
        T(test_end_malformed),
        T(test_transaction_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
