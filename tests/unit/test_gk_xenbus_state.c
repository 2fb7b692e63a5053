/*
 * Unit tests for guest-kernel/xen/xenbus_state.c, the handshake
 * decisions. Rules, each with an accepted and a refused case: state
 * values "0".."8" (with or without a trailing NUL) and nothing else; a
 * frontend publishes only once the backend is in InitWait (or Connected),
 * connects only when the backend is Connected; a backend connects only
 * when the frontend is Initialised or Connected; either side closes when
 * the other closes and is done once both are; Reconfiguring and a
 * connected peer going back to the start are broken.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "xen/xenbus_state.h"

static void test_parse(void **state)
{
    enum xenbus_state st = XenbusStateUnknown;

    (void)state;
    assert_true(xenbus_state_parse("4", 1, &st));
    assert_int_equal(st, XenbusStateConnected);
    assert_true(xenbus_state_parse("6", 2, &st));          /* "6\0" */
    assert_int_equal(st, XenbusStateClosed);
    assert_false(xenbus_state_parse("9", 1, &st));
    assert_false(xenbus_state_parse("", 0, &st));
    assert_false(xenbus_state_parse("44", 2, &st));
    assert_false(xenbus_state_parse("4x", 2, &st));
    assert_false(xenbus_state_parse("-1", 2, &st));
}

static void test_frontend_setup(void **state)
{
    (void)state;
    assert_int_equal(xenbus_frontend_next(XenbusStateInitialising, XenbusStateInitialising),
                     XB_WAIT);
    assert_int_equal(xenbus_frontend_next(XenbusStateInitialising, XenbusStateInitWait),
                     XB_PUBLISH);
    assert_int_equal(xenbus_frontend_next(XenbusStateInitialised, XenbusStateInitWait),
                     XB_WAIT);
    assert_int_equal(xenbus_frontend_next(XenbusStateInitialised, XenbusStateConnected),
                     XB_CONNECT);
    assert_int_equal(xenbus_frontend_next(XenbusStateConnected, XenbusStateConnected),
                     XB_WAIT);
    assert_int_equal(xenbus_frontend_next(XenbusStateConnected, XenbusStateInitWait),
                     XB_BROKEN);
    assert_int_equal(xenbus_frontend_next(XenbusStateInitialising, XenbusStateReconfiguring),
                     XB_BROKEN);
}

static void test_backend_setup(void **state)
{
    (void)state;
    assert_int_equal(xenbus_backend_next(XenbusStateInitWait, XenbusStateInitialising),
                     XB_WAIT);
    assert_int_equal(xenbus_backend_next(XenbusStateInitWait, XenbusStateInitialised),
                     XB_CONNECT);
    assert_int_equal(xenbus_backend_next(XenbusStateInitWait, XenbusStateConnected),
                     XB_CONNECT);
    assert_int_equal(xenbus_backend_next(XenbusStateConnected, XenbusStateConnected),
                     XB_WAIT);
    assert_int_equal(xenbus_backend_next(XenbusStateConnected, XenbusStateInitialising),
                     XB_BROKEN);
    assert_int_equal(xenbus_backend_next(XenbusStateInitWait, XenbusStateReconfigured),
                     XB_BROKEN);
}

static void test_closing(void **state)
{
    (void)state;
    assert_int_equal(xenbus_frontend_next(XenbusStateConnected, XenbusStateClosing), XB_CLOSE);
    assert_int_equal(xenbus_frontend_next(XenbusStateClosing, XenbusStateClosing), XB_CLOSE);
    assert_int_equal(xenbus_frontend_next(XenbusStateClosing, XenbusStateClosed), XB_CLOSED);
    assert_int_equal(xenbus_frontend_next(XenbusStateClosing, XenbusStateConnected), XB_WAIT);
    assert_int_equal(xenbus_frontend_next(XenbusStateClosed, XenbusStateConnected), XB_CLOSED);
    assert_int_equal(xenbus_backend_next(XenbusStateConnected, XenbusStateClosed), XB_CLOSE);
    assert_int_equal(xenbus_backend_next(XenbusStateClosing, XenbusStateClosed), XB_CLOSED);
    assert_int_equal(xenbus_backend_next(XenbusStateClosed, XenbusStateInitialised), XB_CLOSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_frontend_setup),
        cmocka_unit_test(test_backend_setup),
        cmocka_unit_test(test_closing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
