/*
 * Unit tests for guest-kernel/xenstore/xs_msg.c: a request message in, the
 * reply out. Each served type with a good request and a bad one; every
 * malformed case (payload longer than XENSTORE_PAYLOAD_MAX, no NUL, extra or
 * missing arguments, unknown or unserved type, an unknown transaction id); replies
 * echo req_id and tx_id, and an error is XS_ERROR with the errno's name.
 */
#include "xs_msg_harness.h"

static void test_write_read(void **state)
{
    (void)state;
    assert_int_equal(send(0, XS_WRITE, "/a/b\0hi", 7), 0);
    expect_ok(XS_WRITE);
    send(0, XS_READ, S("/a/b"));
    expect(XS_READ, "hi", 2);                    /* no NUL added */
    send(0, XS_WRITE, S("/a/b"));                /* empty value */
    expect_ok(XS_WRITE);
    send(0, XS_READ, S("/a/b"));
    expect(XS_READ, "", 0);
    send(0, XS_READ, S("/a/none"));
    expect_error("ENOENT");
}

static void test_write_bad(void **state)
{
    (void)state;
    send(0, XS_WRITE, "/a", 2);                  /* no NUL: no path */
    expect_error("EINVAL");
    send(0, XS_WRITE, "", 0);
    expect_error("EINVAL");
    send(0, XS_WRITE, S("/a b"));                /* bad path */
    expect_error("EINVAL");
    send(1, XS_WRITE, S("/a"));                  /* domain 1 under root */
    expect_error("EACCES");
}

static void test_one_argument_rules(void **state)
{
    static const uint32_t types[] = { XS_READ, XS_DIRECTORY, XS_GET_PERMS, XS_MKDIR,
                                      XS_RM, XS_GET_DOMAIN_PATH };

    (void)state;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        send(0, types[i], "/a", 2);              /* no NUL */
        expect_error("EINVAL");
        send(0, types[i], "", 0);                /* nothing */
        expect_error("EINVAL");
        send(0, types[i], "/a\0/b", 6);          /* two strings */
        expect_error("EINVAL");
        send(0, types[i], "/a\0", 4);            /* a NUL too many */
        expect_error("EINVAL");
    }
}

static void test_relative_path(void **state)
{
    (void)state;
    send(0, XS_MKDIR, S("/local/domain/3"));
    send(0, XS_SET_PERMS, S("/local/domain/3\0n3"));
    expect_ok(XS_SET_PERMS);
    send(3, XS_WRITE, "name\0guest", 10);
    expect_ok(XS_WRITE);
    send(0, XS_READ, S("/local/domain/3/name"));
    expect(XS_READ, "guest", 5);
    send(4, XS_WRITE, "name\0guest", 10);        /* domain 4's home is missing */
    expect_error("EACCES");
}

static void test_directory_mkdir_rm(void **state)
{
    (void)state;
    send(0, XS_MKDIR, S("/d/x"));
    expect_ok(XS_MKDIR);
    send(0, XS_MKDIR, S("/d/y"));
    send(0, XS_DIRECTORY, S("/d"));
    expect(XS_DIRECTORY, "x\0y\0", 4);
    send(0, XS_DIRECTORY, S("/e"));
    expect_error("ENOENT");
    send(0, XS_RM, S("/d"));
    expect_ok(XS_RM);
    send(0, XS_DIRECTORY, S("/d"));
    expect_error("ENOENT");
    send(0, XS_RM, S("/"));
    expect_error("EINVAL");
    send(0, XS_RM, S("/d/x"));                   /* parent gone */
    expect_error("ENOENT");
    send(1, XS_MKDIR, S("/m"));
    expect_error("EACCES");
}

static void test_perms(void **state)
{
    (void)state;
    send(0, XS_MKDIR, S("/p"));
    send(0, XS_SET_PERMS, S("/p\0n5\0r6"));
    expect_ok(XS_SET_PERMS);
    send(0, XS_GET_PERMS, S("/p"));
    expect(XS_GET_PERMS, "n5\0r6\0", 6);
    send(6, XS_GET_PERMS, S("/p"));
    expect(XS_GET_PERMS, "n5\0r6\0", 6);
    send(7, XS_GET_PERMS, S("/p"));
    expect_error("EACCES");
    send(6, XS_SET_PERMS, S("/p\0n5\0b6"));      /* not the owner */
    expect_error("EACCES");
    send(5, XS_SET_PERMS, S("/p\0n6"));          /* owner gives it away */
    expect_error("EPERM");
}

static void test_set_perms_bad(void **state)
{
    (void)state;
    send(0, XS_MKDIR, S("/p"));
    send(0, XS_SET_PERMS, S("/p"));              /* no permission string */
    expect_error("EINVAL");
    send(0, XS_SET_PERMS, "/p\0r1", 5);          /* last one not NUL-ended */
    expect_error("EINVAL");
    send(0, XS_SET_PERMS, "/p", 2);              /* no NUL at all */
    expect_error("EINVAL");
    send(0, XS_SET_PERMS, S("/p\0q1"));
    expect_error("EINVAL");
    send(0, XS_SET_PERMS, S("/q\0r1"));
    expect_error("ENOENT");
    send(0, XS_GET_PERMS, S("/p"));
    expect(XS_GET_PERMS, "n0\0", 3);             /* unchanged */
}

static void test_get_domain_path(void **state)
{
    (void)state;
    send(1, XS_GET_DOMAIN_PATH, S("7"));
    expect(XS_GET_DOMAIN_PATH, S("/local/domain/7"));
    send(1, XS_GET_DOMAIN_PATH, S("65535"));
    expect(XS_GET_DOMAIN_PATH, S("/local/domain/65535"));
    send(1, XS_GET_DOMAIN_PATH, S("65536"));
    expect_error("EINVAL");
    send(1, XS_GET_DOMAIN_PATH, S("x"));
    expect_error("EINVAL");
}

static void test_too_long(void **state)
{
    static uint8_t p[XENSTORE_PAYLOAD_MAX];

    (void)state;
    memcpy(p, "/big", 5);
    /* At the limit the message is served: the value is too big to store. */
    assert_int_equal(send(0, XS_WRITE, p, XENSTORE_PAYLOAD_MAX), 0);
    expect_error("ENOSPC");
    assert_int_equal(send(0, XS_WRITE, p, 5 + XS_VALUE_MAX), 0);
    expect_ok(XS_WRITE);
    /* Above the limit the payload is not even read (NULL here). */
    assert_int_equal(send(0, XS_WRITE, NULL, XENSTORE_PAYLOAD_MAX + 1), -XEN_E2BIG);
    expect_error("E2BIG");
    assert_int_equal(send(0, XS_READ, NULL, 0xffffffffu), -XEN_E2BIG);
    expect_error("E2BIG");
}

static void test_unserved_types(void **state)
{
    static const uint32_t types[] = { XS_WATCH_EVENT, XS_ERROR, 20, XS_TYPE_COUNT, 99,
                                      XS_INVALID, 0xffffffffu };

    (void)state;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        assert_int_equal(send(0, types[i], S("/a")), 0);
        expect_error("ENOSYS");
    }
}

static void test_transaction_id(void **state)
{
    (void)state;
    send_tx(0, XS_WRITE, 5, "/t\0v", 4);
    expect_error("ENOENT");
    assert_int_equal(rep.hdr.tx_id, 5);           /* echoed */
    send(0, XS_READ, S("/t"));
    expect_error("ENOENT");                       /* nothing written */
    send_tx(0, XS_WRITE, 0, "/t\0v", 4);
    assert_int_equal(rep.hdr.tx_id, 0);
    expect_ok(XS_WRITE);
}

/* Sends a WATCH and, as the ring glue will, finishes it after the reply. */
static int watch_checked(uint16_t dom, const void *p, uint32_t len)
{
    struct xsd_sockmsg req = { .type = XS_WATCH, .req_id = 0x1234, .len = len };
    size_t before = nevents;
    int rc = xs_msg_handle(&srv, dom, &req, p, &rep);

    assert_int_equal(nevents, before);       /* nothing before the reply */
    xs_msg_finish(&srv, dom, &req, p, &rep);
    return rc;
}

static void test_watch(void **state)
{
    (void)state;
    watch_checked(0, S("/w\0tok"));
    expect_ok(XS_WATCH);
    assert_string_equal(events, "0 /w tok;");  /* fired once, after the OK */
    events[0] = '\0';
    nevents = 0;
    send(0, XS_WRITE, "/w/x\0v", 6);
    expect_ok(XS_WRITE);
    assert_string_equal(events, "0 /w/x tok;");
    send(0, XS_READ, S("/w/x"));               /* a read fires nothing */
    assert_int_equal(nevents, 1);
    send(0, XS_MKDIR, S("/w/x"));              /* nor a mkdir of what is there */
    expect_ok(XS_MKDIR);
    assert_int_equal(nevents, 1);
    send(0, XS_MKDIR, S("/w/y"));
    assert_int_equal(nevents, 2);
    send(0, XS_SET_PERMS, S("/w/y\0n0"));
    assert_string_equal(events, "0 /w/x tok;0 /w/y tok;0 /w/y tok;");
    send(0, XS_RM, S("/w/y"));
    assert_int_equal(nevents, 4);
    strcpy(events, "0 /w/x tok;");             /* back to the state before /w/y */
    nevents = 1;
    send(0, XS_RM, S("/w"));
    assert_string_equal(events, "0 /w/x tok;0 /w tok;");
    send(0, XS_RM, S("/w"));                   /* nothing left to remove */
    expect_ok(XS_RM);
    assert_int_equal(nevents, 2);
    send(0, XS_UNWATCH, S("/w\0tok"));
    expect_ok(XS_UNWATCH);
    send(0, XS_WRITE, "/w\0v", 4);
    assert_int_equal(nevents, 2);
    send(0, XS_UNWATCH, S("/w\0tok"));
    expect_error("ENOENT");
}

static void test_watch_bad(void **state)
{
    static const uint32_t types[] = { XS_WATCH, XS_UNWATCH };

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        send(0, types[i], S("/w"));                /* no token */
        expect_error("EINVAL");
        send(0, types[i], "/w", 2);                /* no NUL at all */
        expect_error("EINVAL");
        send(0, types[i], "/w\0tok", 6);          /* token not NUL-ended */
        expect_error("EINVAL");
        send(0, types[i], S("/w\0tok\0more"));   /* three strings */
        expect_error("EINVAL");
        send(0, types[i], "", 0);
        expect_error("EINVAL");
        send(0, types[i], S("/w w\0tok"));        /* bad path */
        expect_error("EINVAL");
    }
    watch_checked(0, S("/w\0tok"));
    watch_checked(0, S("/w\0tok"));
    expect_error("EEXIST");
    assert_int_equal(nevents, 1);                  /* the refused one fires nothing */
}

static void test_error_names(void **state)
{
    (void)state;
    assert_string_equal(xs_error_name(XEN_EACCES), "EACCES");
    assert_string_equal(xs_error_name(XEN_EPERM), "EPERM");
    assert_string_equal(xs_error_name(XEN_E2BIG), "E2BIG");
    assert_string_equal(xs_error_name(XEN_EFAULT), "EINVAL");   /* not in the table */
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_write_read),
        T(test_write_bad),
        T(test_one_argument_rules),
        T(test_relative_path),
        T(test_directory_mkdir_rm),
        T(test_perms),
        T(test_set_perms_bad),
        T(test_get_domain_path),
        T(test_too_long),
        T(test_unserved_types),
        T(test_transaction_id),
        T(test_watch),
        T(test_watch_bad),
        T(test_error_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
