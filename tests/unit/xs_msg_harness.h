/*
 * The request/reply harness the xenstore message tests share: one server,
 * one reply, the watch events recorded as "dom path token;" text.
 */
#ifndef XS_MSG_HARNESS_H
#define XS_MSG_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include <public/errno.h>
#include "xenstore/xs_msg.h"

/* Each test file uses some of these. */
#define HARNESS static __attribute__((unused))

static struct xs_server srv;
static struct xs_reply rep;
static char events[4096];
static size_t nevents;

HARNESS void record(void *ctx, uint16_t dom, const char *path, const char *token)
{
    size_t used = strlen(events);

    (void)ctx;
    snprintf(events + used, sizeof(events) - used, "%u %s %s;", dom, path, token);
    nevents++;
}

HARNESS void clear_events(void)
{
    events[0] = '\0';
    nevents = 0;
}

HARNESS int setup(void **state)
{
    struct xs_events ev = { .emit = record, .ctx = NULL };

    (void)state;
    xs_server_init(&srv, &ev);
    clear_events();
    memset(&rep, 0xaa, sizeof(rep));
    return 0;
}

/* Sends type with len payload bytes from domain dom in transaction tx. */
HARNESS int send_tx(uint16_t dom, uint32_t type, uint32_t tx, const void *p, uint32_t len)
{
    struct xsd_sockmsg req = { .type = type, .req_id = 0x1234, .tx_id = tx, .len = len };

    return xs_msg_handle(&srv, dom, &req, p, &rep);
}

HARNESS int send(uint16_t dom, uint32_t type, const void *p, uint32_t len)
{
    return send_tx(dom, type, 0, p, len);
}

/* Sends a WATCH and, as the ring glue does, finishes it after the reply. */
HARNESS void watch(uint16_t dom, const void *p, uint32_t len)
{
    struct xsd_sockmsg req = { .type = XS_WATCH, .req_id = 0x1234, .len = len };

    xs_msg_handle(&srv, dom, &req, p, &rep);
    xs_msg_finish(&srv, dom, &req, p, &rep);
}

HARNESS void expect(uint32_t type, const void *body, uint32_t len)
{
    assert_int_equal(rep.hdr.type, type);
    assert_int_equal(rep.hdr.req_id, 0x1234);
    assert_int_equal(rep.hdr.len, len);
    assert_memory_equal(rep.body, body, len);
}

HARNESS void expect_error(const char *name)
{
    expect(XS_ERROR, name, (uint32_t)strlen(name) + 1);
}

HARNESS void expect_ok(uint32_t type)
{
    expect(type, "OK", 3);
}

/* A string literal with its NUL. */
#define S(lit) lit, sizeof(lit)

/* Domain 0 makes dom's home, owned by dom, as a toolstack does. */
HARNESS void give_home(uint16_t dom)
{
    char msg[64];
    int n = snprintf(msg, sizeof(msg), "/local/domain/%u", dom);

    send(0, XS_MKDIR, msg, (uint32_t)n + 1);
    n += 1 + snprintf(msg + n + 1, sizeof(msg) - (size_t)n - 1, "n%u", dom);
    send(0, XS_SET_PERMS, msg, (uint32_t)n + 1);
    expect_ok(XS_SET_PERMS);
}

#endif /* XS_MSG_HARNESS_H */
