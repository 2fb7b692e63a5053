/*
 * Unit tests for guest-kernel/xenstore/xs_frame.c, message gathering and
 * the output queue. Rules: a message is DONE only with its header and all
 * len payload bytes, whatever the pieces it arrives in; bytes past it are
 * not taken; a header with len > XENSTORE_PAYLOAD_MAX is TOO_LONG before
 * any payload byte is taken, len == XENSTORE_PAYLOAD_MAX is accepted; the
 * queue takes only whole messages that fit, gives them back in order
 * across its wrap, and refuses an over-long one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "xenstore/xs_frame.h"

static struct xs_frame frame;
static struct xs_outq q;
static char wire[2 * XS_MSG_MAX];

static uint32_t message(uint32_t type, uint32_t len, char fill)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 7, .tx_id = 0, .len = len };

    memcpy(wire, &h, sizeof(h));
    memset(wire + sizeof(h), fill, len);
    return (uint32_t)sizeof(h) + len;
}

static int setup(void **state)
{
    (void)state;
    memset(&frame, 0, sizeof(frame));
    memset(&q, 0, sizeof(q));
    return 0;
}

static void test_one_piece(void **state)
{
    uint32_t n = message(XS_READ, 5, 'a'), used;

    (void)state;
    wire[n] = 'X';                               /* the next message's byte */
    assert_int_equal(xs_frame_feed(&frame, wire, n + 1, &used), XS_FRAME_DONE);
    assert_int_equal(used, n);
    assert_int_equal(frame.m.hdr.type, XS_READ);
    assert_int_equal(frame.m.hdr.len, 5);
}

static void test_byte_by_byte(void **state)
{
    uint32_t n = message(XS_WRITE, 40, 'b'), used;

    (void)state;
    for (uint32_t i = 0; i + 1 < n; i++) {
        assert_int_equal(xs_frame_feed(&frame, wire + i, 1, &used), XS_FRAME_MORE);
        assert_int_equal(used, 1);
    }
    assert_int_equal(xs_frame_feed(&frame, wire + n - 1, 1, &used), XS_FRAME_DONE);
    assert_int_equal(frame.m.bytes[n - 1], 'b');
    xs_frame_reset(&frame);
    assert_int_equal(frame.have, 0);
}

static void test_longest_accepted(void **state)
{
    uint32_t n = message(XS_WRITE, XENSTORE_PAYLOAD_MAX, 'c'), used;

    (void)state;
    assert_int_equal(xs_frame_feed(&frame, wire, n, &used), XS_FRAME_DONE);
    assert_int_equal(used, n);
    assert_false(xs_frame_too_long(&frame));
}

static void test_too_long_refused_before_payload(void **state)
{
    uint32_t used;

    (void)state;
    message(XS_WRITE, XENSTORE_PAYLOAD_MAX + 1, 'd');
    assert_int_equal(xs_frame_feed(&frame, wire, XS_MSG_MAX, &used), XS_FRAME_TOO_LONG);
    assert_int_equal(used, sizeof(struct xsd_sockmsg));
    assert_true(xs_frame_too_long(&frame));
    assert_int_equal(xs_frame_need(&frame), 0);
}

static void test_queue_whole_messages_in_order(void **state)
{
    struct xsd_sockmsg h = { .type = XS_WATCH_EVENT, .len = XENSTORE_PAYLOAD_MAX };
    static char payload[XENSTORE_PAYLOAD_MAX];
    uint32_t put = 0, n;

    (void)state;
    while (xs_outq_put(&q, &h, payload))
        put++;
    assert_int_equal(put, 4);                    /* XS_OUTQ_SIZE holds four */
    assert_int_equal(xs_outq_room(&q), 0);
    xs_outq_peek(&q, &n);
    xs_outq_drop(&q, 100);
    h.len = 84 - (uint32_t)sizeof(h);            /* fits in the 100 freed */
    assert_true(xs_outq_put(&q, &h, payload));   /* wraps around buf */
    assert_false(xs_outq_put(&q, &h, payload));  /* 16 left: no room */
    assert_int_equal(q.len, XS_OUTQ_SIZE - 16);
}

static void test_queue_refuses_over_long(void **state)
{
    struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
    static char payload[XENSTORE_PAYLOAD_MAX + 1];

    (void)state;
    assert_false(xs_outq_put(&q, &h, payload));
    assert_int_equal(q.len, 0);
}

static void test_queue_peek_wraps(void **state)
{
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 9, .len = 4 };
    uint32_t n;
    const char *p;

    (void)state;
    q.head = XS_OUTQ_SIZE - 10;                  /* the header straddles the end */
    assert_true(xs_outq_put(&q, &h, "abcd"));
    p = xs_outq_peek(&q, &n);
    assert_int_equal(n, 10);
    assert_ptr_equal(p, q.buf + XS_OUTQ_SIZE - 10);
    xs_outq_drop(&q, n);
    p = xs_outq_peek(&q, &n);
    assert_int_equal(n, 10);
    assert_memory_equal(p + 6, "abcd", 4);
}

static void test_need_counts_down(void **state)
{
    uint32_t n = message(XS_READ, 10, 'e'), used;

    (void)state;
    assert_int_equal(xs_frame_need(&frame), sizeof(struct xsd_sockmsg));
    xs_frame_feed(&frame, wire, 4, &used);
    assert_int_equal(xs_frame_need(&frame), sizeof(struct xsd_sockmsg) - 4);
    xs_frame_feed(&frame, wire + 4, n - 7, &used);
    assert_int_equal(xs_frame_need(&frame), 3);
    xs_frame_feed(&frame, wire + n - 3, 3, &used);
    assert_int_equal(xs_frame_need(&frame), 0);
}

static void error_reply(const char *payload, uint32_t len)
{
    struct xsd_sockmsg h = { .type = XS_ERROR, .len = len };

    memcpy(frame.m.bytes, &h, sizeof(h));
    memcpy(frame.m.bytes + sizeof(h), payload, len);
}

static void test_error_names(void **state)
{
    (void)state;
    error_reply("EACCES", 7);
    assert_int_equal(xs_frame_error(&frame), -XEN_EACCES);
    error_reply("EAGAIN", 6);                    /* no NUL: still the name */
    assert_int_equal(xs_frame_error(&frame), -XEN_EAGAIN);
    error_reply("EACCESS", 8);                   /* not a name Xen sends */
    assert_int_equal(xs_frame_error(&frame), -XEN_EINVAL);
    error_reply("EAC", 4);
    assert_int_equal(xs_frame_error(&frame), -XEN_EINVAL);
    message(XS_READ, 6, 'f');                    /* not an error at all */
    memcpy(frame.m.bytes, wire, 22);
    assert_int_equal(xs_frame_error(&frame), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_one_piece, setup),
        cmocka_unit_test_setup(test_byte_by_byte, setup),
        cmocka_unit_test_setup(test_longest_accepted, setup),
        cmocka_unit_test_setup(test_too_long_refused_before_payload, setup),
        cmocka_unit_test_setup(test_queue_whole_messages_in_order, setup),
        cmocka_unit_test_setup(test_queue_refuses_over_long, setup),
        cmocka_unit_test_setup(test_queue_peek_wraps, setup),
        cmocka_unit_test_setup(test_need_counts_down, setup),
        cmocka_unit_test_setup(test_error_names, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
