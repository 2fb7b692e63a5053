/*
 * Unit tests for the domain messages and the direct calls of the ring glue
 * (guest-kernel/xenstore/xs_domain.c, xs_msg_admin.c), DIRECTORY_PART and
 * CONTROL: INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME and SET_TARGET
 * are domain 0's (EACCES to others); @introduceDomain and @releaseDomain
 * fire for watchers allowed to read them (domain 0, then whoever domain 0
 * grants); a reintroduction resets the domain's watches and transactions
 * without an event; a release removes the domain's watches, transactions
 * and nodes; RESET_WATCHES; DIRECTORY_PART pages a list larger than one
 * message; every malformed payload (missing NULs, bad numbers, wrong
 * counts of strings) is EINVAL; the standard tree of six domains fits.
 */
#include <stdlib.h>
#include "xs_msg_harness.h"

static char logged[256];

static void log_print(void *ctx, const char *text)
{
    (void)ctx;
    snprintf(logged, sizeof(logged), "%s", text);
}

static void introduce(uint16_t dom)
{
    assert_int_equal(xs_domain_introduce(&srv, dom, 0x1000u + dom, 10u + dom), 0);
}

static void test_introduce_message(void **state)
{
    uint64_t gfn;
    uint32_t port;
    uint16_t list[4];

    (void)state;
    watch(0, S("@introduceDomain\0in"));
    clear_events();
    send(0, XS_INTRODUCE, S("5\0" "4660\0" "7"));
    expect_ok(XS_INTRODUCE);
    assert_string_equal(events, "0 @introduceDomain in;");
    assert_int_equal(xs_domain_ring(&srv, 5, &gfn, &port), 0);
    assert_int_equal(gfn, 4660);
    assert_int_equal(port, 7);
    send(0, XS_IS_DOMAIN_INTRODUCED, S("5"));
    expect(XS_IS_DOMAIN_INTRODUCED, S("T"));
    send(0, XS_IS_DOMAIN_INTRODUCED, S("6"));
    expect(XS_IS_DOMAIN_INTRODUCED, S("F"));
    send(0, XS_IS_DOMAIN_INTRODUCED, S("0"));
    expect(XS_IS_DOMAIN_INTRODUCED, S("T"));
    send(0, XS_INTRODUCE, S("6\0" "1\0" "8\0" "/local/domain/6"));  /* a 4th: ignored */
    expect_ok(XS_INTRODUCE);
    assert_int_equal(xs_domain_list(&srv, list, 4), 2);
    assert_int_equal(xs_domain_ring(&srv, 7, &gfn, &port), -XEN_ENOENT);
}

static void test_introduce_refused(void **state)
{
    (void)state;
    watch(0, S("@introduceDomain\0in"));
    clear_events();
    send(1, XS_INTRODUCE, S("5\0" "1\0" "7"));
    expect_error("EACCES");
    send(0, XS_INTRODUCE, S("5\0" "1"));                 /* two strings */
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, "5\0" "1\0" "7", 5);           /* the port has no NUL */
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("x\0" "1\0" "7"));
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("5\0" "1a\0" "7"));
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("5\0" "1\0" "-7"));
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("5\0" "1\0" "0"));           /* port 0 */
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("0\0" "1\0" "7"));           /* domain 0 is ours */
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("32752\0" "1\0" "7"));       /* DOMID_FIRST_RESERVED */
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("65536\0" "1\0" "7"));
    expect_error("EINVAL");
    send(0, XS_INTRODUCE, S("5\0" "18446744073709551616\0" "7"));  /* 2^64 */
    expect_error("EINVAL");
    assert_int_equal(nevents, 0);
    assert_false(xs_domain_is_introduced(&srv, 5));
    for (uint16_t d = 1; d <= XS_DOMAINS_MAX; d++)       /* the table's limit */
        introduce(d);
    assert_int_equal(xs_domain_introduce(&srv, 100, 1, 1), -XEN_ENOSPC);
}

static void test_reintroduce_resets(void **state)
{
    uint64_t gfn;
    uint32_t port;

    (void)state;
    introduce(5);
    give_home(5);
    watch(5, S("x\0mine"));
    watch(0, S("@introduceDomain\0in"));
    send(5, XS_TRANSACTION_START, S(""));
    uint32_t tx = (uint32_t)(rep.body[0] - '0');
    clear_events();
    assert_int_equal(xs_domain_introduce(&srv, 5, 99, 42), 0);
    assert_int_equal(nevents, 0);                        /* not a new domain */
    assert_int_equal(xs_domain_ring(&srv, 5, &gfn, &port), 0);
    assert_int_equal(gfn, 99);
    assert_int_equal(port, 42);
    send(0, XS_WRITE, "/local/domain/5/x\0v", 19);
    assert_int_equal(nevents, 0);                        /* its watch went */
    send_tx(5, XS_READ, tx, S("x"));
    expect_error("ENOENT");                              /* its transaction too */
}

static void test_release(void **state)
{
    (void)state;
    introduce(5);
    introduce(6);
    give_home(5);
    send(5, XS_WRITE, "data/a\0v", 8);
    send(0, XS_WRITE, "/local/domain/0/backend/5\0x", 27);
    watch(5, S("/\0all"));
    watch(0, S("@releaseDomain\0rel"));
    watch(0, S("/local/domain\0ld"));
    clear_events();
    send(0, XS_RELEASE, S("5"));
    expect_ok(XS_RELEASE);
    /* Its nodes went (one event for the subtree), then @releaseDomain; its
     * own watch heard nothing. */
    assert_string_equal(events, "0 /local/domain/5 ld;0 @releaseDomain rel;");
    send(0, XS_READ, S("/local/domain/5/data/a"));
    expect_error("ENOENT");
    send(0, XS_READ, S("/local/domain/0/backend/5"));   /* domain 0's stays */
    expect(XS_READ, "x", 1);
    send(0, XS_IS_DOMAIN_INTRODUCED, S("5"));
    expect(XS_IS_DOMAIN_INTRODUCED, S("F"));
    send(0, XS_RELEASE, S("5"));
    expect_error("ENOENT");
    assert_int_equal(xs_domain_release(&srv, 6), 0);
    assert_int_equal(xs_domain_release(&srv, 6), -XEN_ENOENT);
}

static void test_release_refused(void **state)
{
    (void)state;
    introduce(5);
    send(5, XS_RELEASE, S("5"));
    expect_error("EACCES");
    send(0, XS_RELEASE, S("0"));
    expect_error("EINVAL");
    send(0, XS_RELEASE, "5", 1);                         /* no NUL */
    expect_error("EINVAL");
    send(0, XS_RELEASE, S("5\0" "6"));                   /* two strings */
    expect_error("EINVAL");
    send(0, XS_RELEASE, S("5x"));
    expect_error("EINVAL");
    send(0, XS_RELEASE, S(""));
    expect_error("EINVAL");
    assert_true(xs_domain_is_introduced(&srv, 5));
}

static void test_special_watch_permissions(void **state)
{
    (void)state;
    introduce(5);
    introduce(6);
    watch(5, S("@releaseDomain\0r5"));
    expect_ok(XS_WATCH);
    clear_events();
    xs_domain_release(&srv, 6);
    assert_int_equal(nevents, 0);                        /* "n0": domain 0 only */
    send(5, XS_GET_PERMS, S("@releaseDomain"));
    expect_error("EACCES");
    send(5, XS_SET_PERMS, S("@releaseDomain\0b5"));
    expect_error("EACCES");
    send(0, XS_SET_PERMS, S("@releaseDomain\0n0\0r5"));
    expect_ok(XS_SET_PERMS);
    send(5, XS_GET_PERMS, S("@releaseDomain"));
    expect(XS_GET_PERMS, "n0\0r5\0", 6);
    send(0, XS_GET_PERMS, S("@introduceDomain"));
    expect(XS_GET_PERMS, "n0\0", 3);
    clear_events();
    introduce(6);
    xs_domain_release(&srv, 6);
    assert_string_equal(events, "5 @releaseDomain r5;");
}

static void test_resume(void **state)
{
    (void)state;
    introduce(5);
    send(0, XS_RESUME, S("5"));
    expect_ok(XS_RESUME);
    send(0, XS_RESUME, S("6"));
    expect_error("ENOENT");
    send(0, XS_RESUME, S("0"));
    expect_error("EINVAL");
    send(0, XS_RESUME, "5", 1);
    expect_error("EINVAL");
    send(5, XS_RESUME, S("5"));
    expect_error("EACCES");
}

static void test_is_domain_introduced_bad(void **state)
{
    (void)state;
    send(3, XS_IS_DOMAIN_INTRODUCED, S("0"));
    expect_error("EACCES");
    send(0, XS_IS_DOMAIN_INTRODUCED, "5", 1);
    expect_error("EINVAL");
    send(0, XS_IS_DOMAIN_INTRODUCED, S("five"));
    expect_error("EINVAL");
    send(0, XS_IS_DOMAIN_INTRODUCED, S("32752"));        /* DOMID_SELF */
    expect(XS_IS_DOMAIN_INTRODUCED, S("T"));
}

static void test_set_target(void **state)
{
    (void)state;
    introduce(5);
    introduce(6);
    give_home(6);
    send(6, XS_WRITE, "secret\0s", 8);
    send(5, XS_READ, S("/local/domain/6/secret"));
    expect_error("EACCES");
    send(0, XS_SET_TARGET, S("5\0" "6"));
    expect_ok(XS_SET_TARGET);
    send(5, XS_READ, S("/local/domain/6/secret"));      /* 5 acts for 6 */
    expect(XS_READ, "s", 1);
    send(5, XS_WRITE, "/local/domain/6/dm\0x", 20);
    expect_ok(XS_WRITE);
    send(6, XS_READ, S("/local/domain/5"));
    expect_error("EACCES");                              /* not the other way */
    send(0, XS_SET_TARGET, S("5\0" "7"));
    expect_error("ENOENT");
    send(0, XS_SET_TARGET, S("5"));
    expect_error("EINVAL");
    send(0, XS_SET_TARGET, "5\0" "6", 3);                /* the target has no NUL */
    expect_error("EINVAL");
    send(0, XS_SET_TARGET, S("5\0" "x"));
    expect_error("EINVAL");
    send(5, XS_SET_TARGET, S("5\0" "6"));
    expect_error("EACCES");
    xs_domain_release(&srv, 5);                          /* the target goes with it */
    introduce(5);
    send(5, XS_READ, S("/local/domain/6/secret"));
    expect_error("EACCES");
    /* And when the target goes, a new domain of its domid is nobody's. */
    send(0, XS_SET_TARGET, S("5\0" "6"));
    xs_domain_release(&srv, 6);
    introduce(6);
    give_home(6);
    send(6, XS_WRITE, "secret\0s", 8);
    send(5, XS_READ, S("/local/domain/6/secret"));
    expect_error("EACCES");
}

static void test_reset_watches(void **state)
{
    (void)state;
    give_home(5);
    watch(5, S("x\0t5"));
    watch(0, S("/local/domain/5/x\0t0"));
    send(5, XS_TRANSACTION_START, S(""));
    uint32_t tx = (uint32_t)(rep.body[0] - '0');
    send(5, XS_RESET_WATCHES, S(""));
    expect_ok(XS_RESET_WATCHES);
    clear_events();
    send(5, XS_WRITE, "x\0v", 3);
    assert_string_equal(events, "0 /local/domain/5/x t0;");   /* others' stay */
    send_tx(5, XS_READ, tx, S("x"));
    expect_error("ENOENT");
}

static void test_control(void **state)
{
    (void)state;
    srv.log.print = log_print;
    send(0, XS_CONTROL, S("print\0hello"));
    expect_ok(XS_CONTROL);
    assert_string_equal(logged, "hello");
    send(0, XS_CONTROL, S("help"));
    assert_int_equal(rep.hdr.type, XS_CONTROL);
    assert_non_null(strstr(rep.body, "print"));
    send(0, XS_CONTROL, S("quota"));
    assert_int_equal(rep.hdr.type, XS_CONTROL);
    assert_non_null(strstr(rep.body, "transactions 10\n"));
    assert_int_equal(rep.body[rep.hdr.len - 1], '\0');
    send(0, XS_CONTROL, S("bogus"));
    expect_error("EINVAL");
    send(0, XS_CONTROL, S("print"));                    /* no argument */
    expect_error("EINVAL");
    send(0, XS_CONTROL, S("help\0more"));
    expect_error("EINVAL");
    send(0, XS_CONTROL, "print", 5);                     /* no NUL */
    expect_error("EINVAL");
    send(0, XS_CONTROL, "", 0);
    expect_error("EINVAL");
    send(3, XS_CONTROL, S("print\0x"));
    expect_error("EACCES");
    srv.log.print = NULL;
    send(0, XS_CONTROL, S("print\0nowhere"));            /* no log: fine */
    expect_ok(XS_CONTROL);
}

/* Sends DIRECTORY_PART of path at off; returns the generation's length
 * with its NUL. */
static size_t part(const char *path, uint32_t off)
{
    char msg[64];
    int n = snprintf(msg, sizeof(msg), "%s", path);

    n += 1 + snprintf(msg + n + 1, sizeof(msg) - (size_t)n - 1, "%u", off);
    send(0, XS_DIRECTORY_PART, msg, (uint32_t)n + 1);
    assert_int_equal(rep.hdr.type, XS_DIRECTORY_PART);
    return strlen(rep.body) + 1;
}

static void test_directory_part_pages(void **state)
{
    static char all[16384];
    char path[64], gen[24];
    size_t total = 0, got = 0, gl;
    int pages = 0;

    (void)state;
    for (int i = 0; i < 300; i++) {                      /* 300 names of 20 bytes */
        int n = snprintf(path, sizeof(path), "/big/child-with-name-%03d", i);
        send(0, XS_MKDIR, path, (uint32_t)n + 1);
        total += 20;
    }
    send(0, XS_DIRECTORY, S("/big"));
    expect_error("E2BIG");
    gl = part("/big", 0);
    strcpy(gen, rep.body);
    for (;;) {
        size_t body = rep.hdr.len - gl;
        assert_string_equal(rep.body, gen);              /* unchanged meanwhile */
        pages++;
        if (body > 0 && rep.body[rep.hdr.len - 1] == '\0' && rep.body[rep.hdr.len - 2] == '\0')
            body--;                                      /* the empty string: the end */
        memcpy(all + got, rep.body + gl, body);
        got += body;
        if (body < rep.hdr.len - gl)
            break;
        gl = part("/big", (uint32_t)got);
    }
    assert_int_equal(got, total);
    assert_true(pages >= 2);
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), "child-with-name-%03d", i);
        size_t off = 0;
        while (off < got && strcmp(all + off, path) != 0)
            off += strlen(all + off) + 1;
        assert_true(off < got);                          /* every name, once listed */
    }
    gl = part("/big", 100000);                           /* beyond: just the end */
    assert_int_equal(rep.hdr.len, gl + 1);
    assert_int_equal(rep.body[gl], '\0');
}

static void test_directory_part_bad(void **state)
{
    (void)state;
    send(0, XS_MKDIR, S("/d/x"));
    send(0, XS_DIRECTORY_PART, S("/d"));                 /* no offset */
    expect_error("EINVAL");
    send(0, XS_DIRECTORY_PART, S("/d\0x"));
    expect_error("EINVAL");
    send(0, XS_DIRECTORY_PART, S("/d\0-1"));
    expect_error("EINVAL");
    send(0, XS_DIRECTORY_PART, "/d\0" "0", 4);          /* the offset has no NUL */
    expect_error("EINVAL");
    send(0, XS_DIRECTORY_PART, S("/d\0" "0\0" "0"));
    expect_error("EINVAL");
    send(0, XS_DIRECTORY_PART, S("/nope\0" "0"));
    expect_error("ENOENT");
    send(4, XS_DIRECTORY_PART, S("/d\0" "0"));
    expect_error("EACCES");
    send(0, XS_DIRECTORY_PART, S("/d\0" "0"));
    size_t gl = strlen(rep.body) + 1;
    assert_int_equal(rep.hdr.len, gl + 3);               /* "x", then the end */
    assert_memory_equal(rep.body + gl, "x\0\0", 3);
}

/* The tree a toolstack writes for domain d with two disks and two vifs, and
 * its backends under domain 0; returns the nodes written. */
static int standard_tree(uint16_t d)
{
    static const char *const dom_keys[] = { "name", "domid", "vm", "memory/target",
        "memory/static-max", "memory/videoram", "control/shutdown",
        "control/feature-poweroff", "control/feature-reboot", "control/feature-suspend",
        "control/sysrq", "console/ring-ref", "console/port", "console/limit",
        "console/type", "console/tty", "data/x", "image/ostype", "store/port",
        "store/ring-ref" };
    static const char *const fe_keys[] = { "backend", "backend-id", "state", "ring-ref",
        "event-channel", "protocol", "virtual-device", "handle", "mac", "feature-x" };
    static const char *const be_keys[] = { "frontend", "frontend-id", "online", "state",
        "params", "type", "mode", "dev", "script", "hotplug-status", "sectors",
        "sector-size", "info", "feature-barrier" };
    char path[160];
    int n = 0;

    for (size_t k = 0; k < sizeof(dom_keys) / sizeof(dom_keys[0]); k++, n++) {
        int len = snprintf(path, sizeof(path), "/local/domain/%u/%s", d, dom_keys[k]);
        assert_int_equal(send(0, XS_WRITE, path, (uint32_t)len + 1), 0);
        expect_ok(XS_WRITE);
    }
    for (int dev = 0; dev < 4; dev++) {
        const char *kind = dev < 2 ? "vbd" : "vif";
        for (size_t k = 0; k < sizeof(fe_keys) / sizeof(fe_keys[0]); k++, n++) {
            int len = snprintf(path, sizeof(path), "/local/domain/%u/device/%s/%d/%s%c%s",
                               d, kind, 51712 + dev, fe_keys[k], '\0',
                               "/local/domain/0/backend/vbd/1/51712");
            send(0, XS_WRITE, path, (uint32_t)len);
            expect_ok(XS_WRITE);
        }
        for (size_t k = 0; k < sizeof(be_keys) / sizeof(be_keys[0]); k++, n++) {
            int len = snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u/%d/%s%c%s",
                               kind, d, 51712 + dev, be_keys[k], '\0', "some value");
            send(0, XS_WRITE, path, (uint32_t)len);
            expect_ok(XS_WRITE);
        }
    }
    return n;
}

static void test_standard_tree_fits(void **state)
{
    unsigned int before;
    char path[32];
    int n = 0;

    (void)state;
    _Static_assert(sizeof(struct xs_server) < 4096 * 1024,
                   "the server, every quota of 8 domains included, stays under 4 MiB");
    for (uint16_t d = 1; d <= 6; d++) {
        introduce(d);
        n += standard_tree(d);
    }
    assert_true(n >= 6 * 100);
    assert_true(xs_store_used(&srv.store) >= 700);
    /* Then fill the rest: ENOSPC at the end, never a crash, and the store
     * still serves. */
    before = xs_store_used(&srv.store);
    for (int i = 0; i < XS_NODES_MAX; i++) {
        int len = snprintf(path, sizeof(path), "/fill/%d", i);
        send(0, XS_WRITE, path, (uint32_t)len + 1);
        if (rep.hdr.type == XS_ERROR)
            break;
    }
    expect_error("ENOSPC");
    assert_int_equal(xs_store_used(&srv.store), XS_NODES_MAX);
    assert_true(before < XS_NODES_MAX);
    send(0, XS_READ, S("/local/domain/3/name"));
    expect(XS_READ, "", 0);
    send(0, XS_TRANSACTION_START, S(""));
    uint32_t tx = (uint32_t)(rep.body[0] - '0');
    send_tx(0, XS_READ, tx, S("/local/domain/3/name"));
    expect_error("ENOSPC");                              /* no slot to remember it */
    send(0, XS_RM, S("/fill"));
    expect_ok(XS_RM);
}

static void test_full_pool(void **state)
{
    static char msg[16 + XS_VALUE_MAX];
    int i, len = 0;

    (void)state;
    memset(msg, 'v', sizeof(msg));
    for (i = 0; i < XS_NODES_MAX; i++) {
        len = snprintf(msg, 16, "/v%d", i);
        msg[len] = '\0';
        msg[len + 1] = 'v';
        send(0, XS_WRITE, msg, (uint32_t)(len + 1 + XS_VALUE_MAX));
        if (rep.hdr.type == XS_ERROR)
            break;
    }
    expect_error("ENOSPC");
    assert_int_equal(i, XS_CHUNKS * XS_CHUNK / XS_VALUE_MAX);  /* the pool ran out */
    send(0, XS_WRITE, "/small\0", 7);                   /* an empty value still fits */
    expect_ok(XS_WRITE);
    send(0, XS_RM, S("/v0"));
    send(0, XS_WRITE, msg, (uint32_t)(len + 1 + XS_VALUE_MAX));
    expect_ok(XS_WRITE);
}

/* Domain d fills /local/domain/d (its own) with empty nodes until refused;
 * how many it made. */
static int fill_nodes(uint16_t d)
{
    char path[48];
    int n = 0;

    for (;; n++) {
        int len = snprintf(path, sizeof(path), "/local/domain/%u/n%d", d, n);
        send(d, XS_WRITE, path, (uint32_t)len + 1);
        if (rep.hdr.type == XS_ERROR)
            return n;
    }
}

/* Domain d overwrites its nodes with values of XS_VALUE_MAX bytes until
 * refused; how many it wrote. */
static int fill_values(uint16_t d)
{
    static char msg[48 + XS_VALUE_MAX];
    int n = 0;

    memset(msg, 'v', sizeof(msg));
    for (;; n++) {
        int len = snprintf(msg, 48, "/local/domain/%u/n%d", d, n);
        msg[len] = '\0';
        msg[len + 1] = 'v';
        send(d, XS_WRITE, msg, (uint32_t)(len + 1 + XS_VALUE_MAX));
        if (rep.hdr.type == XS_ERROR)
            return n;
    }
}

/* Domain d reads its nodes inside one transaction until refused (each
 * read node is remembered in a slot); how many it read. */
static int fill_transaction(uint16_t d)
{
    char path[48];
    uint32_t tx;
    int n = 0;

    send(d, XS_TRANSACTION_START, "", 1);
    assert_int_equal(rep.hdr.type, XS_TRANSACTION_START);
    tx = (uint32_t)strtoul(rep.body, NULL, 10);
    for (;; n++) {
        int len = snprintf(path, sizeof(path), "/local/domain/%u/n%d", d, n % 200);
        if (n >= 200)
            len = snprintf(path, sizeof(path), "/local/domain/%u/missing%d", d, n);
        send_tx(d, XS_READ, tx, path, (uint32_t)len + 1);
        if (rep.hdr.type == XS_ERROR && strcmp(rep.body, "ENOENT"))
            return n;                            /* a missing node is remembered too */
    }
}

/* Isolation by capacity: with every one of XS_GUESTS_MAX domains at its
 * node and value quotas, the last gets exactly what the first got (its
 * quota, ENOSPC only then), and domain 0's toolstack can still write a
 * domain's whole tree. */
static void test_quotas_isolate(void **state)
{
    char dir[32], perms[8];
    int nodes[XS_GUESTS_MAX + 1], values[XS_GUESTS_MAX + 1], txs[XS_GUESTS_MAX + 1];

    (void)state;
    for (uint16_t d = 1; d <= XS_GUESTS_MAX; d++) {
        int len = snprintf(dir, sizeof(dir), "/local/domain/%u", d);
        int plen = snprintf(perms, sizeof(perms), "n%u", d);
        static char msg[64];

        introduce(d);
        memcpy(msg, dir, (size_t)len + 1);
        memcpy(msg + len + 1, perms, (size_t)plen + 1);
        send(0, XS_MKDIR, dir, (uint32_t)len + 1);
        send(0, XS_SET_PERMS, msg, (uint32_t)(len + plen + 2));
        expect_ok(XS_SET_PERMS);
    }
    for (uint16_t d = 1; d <= XS_GUESTS_MAX; d++) {
        nodes[d] = fill_nodes(d);
        expect_error("ENOSPC");
        values[d] = fill_values(d);
        expect_error("ENOSPC");
        txs[d] = fill_transaction(d);
        expect_error("ENOSPC");
    }
    for (uint16_t d = 1; d <= XS_GUESTS_MAX; d++) {
        assert_int_equal(nodes[d], XS_QUOTA_NODES - 1);      /* its directory counts */
        assert_int_equal(values[d], values[1]);
        assert_int_equal(txs[d], txs[1]);
        assert_true(txs[d] >= XS_QUOTA_TX_NODES - 2);
        assert_true(values[d] * XS_VALUE_MAX >= (XS_QUOTA_CHUNKS - 64) * XS_CHUNK);
    }
    assert_true(standard_tree(XS_GUESTS_MAX) >= 100);        /* domain 0's reserve */
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_introduce_message),
        T(test_quotas_isolate),
        T(test_introduce_refused),
        T(test_reintroduce_resets),
        T(test_release),
        T(test_release_refused),
        T(test_special_watch_permissions),
        T(test_resume),
        T(test_is_domain_introduced_bad),
        T(test_set_target),
        T(test_reset_watches),
        T(test_control),
        T(test_directory_part_pages),
        T(test_directory_part_bad),
        T(test_standard_tree_fits),
        T(test_full_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
