/*
 * Test sched_op: hypercall 29, the scheduler operations a guest can use
 * without events.
 *
 * What: SCHEDOP_yield; SCHEDOP_shutdown_code with a reason; shutdown_code
 * and shutdown with bad argument pointers; unknown commands. The real
 * SCHEDOP_shutdown is the runner's last act (poweroff).
 * Why: shutdown is how every test ends and how a crashing guest reports;
 * a bad pointer must be refused *before* anything is shut down.
 * Expected (real Xen 4.17): yield -> 0; shutdown_code -> 0; bad pointers ->
 * -EFAULT (and the domain keeps running); unknown cmd -> -ENOSYS.
 * Fact: the first reason recorded with shutdown_code wins over the reason
 * a later SCHEDOP_shutdown gives, so this test records SHUTDOWN_poweroff,
 * the reason the runner shuts down with anyway.
 */
#include "test.h"

static const char test_title[] = "sched_op: yield, shutdown_code, bad pointers, unknown commands";

static void test_main(void)
{
    struct sched_shutdown reason = { .reason = SHUTDOWN_poweroff };

    check_rc("sched_op(yield, NULL)", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
    check_rc("sched_op(yield) again", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
    check_rc("sched_op(shutdown_code, poweroff)",
             HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &reason), 0);
    check_rc("sched_op(shutdown_code, non-canonical pointer)",
             HYPERVISOR_sched_op(SCHEDOP_shutdown_code, bad_ptr(BAD_VA_NONCANONICAL)),
             -XEN_EFAULT);
    check_rc("sched_op(shutdown, unmapped pointer)",
             HYPERVISOR_sched_op(SCHEDOP_shutdown, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
    check_rc("sched_op(shutdown, hypervisor-range pointer)",
             HYPERVISOR_sched_op(SCHEDOP_shutdown, bad_ptr(BAD_VA_HYPERVISOR)),
             -XEN_EFAULT);
    check_rc("sched_op(cmd 100)", HYPERVISOR_sched_op(100, NULL), -XEN_ENOSYS);
    check_rc("sched_op(cmd -1)", HYPERVISOR_sched_op(-1, NULL), -XEN_ENOSYS);
    test_success(NULL);
}

const struct guest_test test_sched_op = { "sched_op", test_title, test_main };
