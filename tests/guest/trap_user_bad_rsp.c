/*
 * Test trap_user_bad_rsp: a fault taken in guest user mode while the user
 * %rsp is unusable (non-canonical, or canonical but unmapped).
 *
 * What: a user process loads %rsp with 0x0000800000000000 (non-canonical),
 * with 0x8000000000000000 (non-canonical, top bit set) and with 0x1000
 * (canonical, never mapped), and executes ud2; then pushes with %rsp
 * non-canonical (#SS(0) on hardware, #GP(0) under QEMU's TCG: either is
 * accepted, the same under both hypervisors) and unmapped (#PF). Each
 * fault is delivered to the guest kernel on its own stack (the one
 * stack_switch registered): the kernel sees a user-mode fault at the
 * instruction with the bad %rsp in the frame, kills the process, and the
 * next process runs.
 * Why: the hypervisor never pushes on the user stack; the frame of a fault
 * from user mode goes on the guest kernel stack, whatever the user %rsp
 * holds (xen-pv-abi.md 2.6; Xen's create_bounce_frame). A hypervisor that
 * looked at the user stack would crash the domain here.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "a user-mode fault with a bad user %rsp lands on the kernel stack";

static void bad_rsp(const char *what, uint64_t rsp)
{
    struct probe_run run;

    if (probe_run(PROBE_BAD_RSP, rsp, &run) || !run.reports) {
        test_failure("%s: the probe did not run", what);
        return;
    }
    if (check_user_kill(what, &run, X86_UD, ~0UL, probe_insn(&run)))
        check_hex("  ... the frame's user %rsp", run.trap.rsp, rsp);
}

/* A push with the bad %rsp: the fault is the push's own. */
static void bad_push(const char *what, uint64_t rsp, unsigned int vector, uint64_t error)
{
    struct probe_run run;

    if (probe_run(PROBE_BAD_RSP_PUSH, rsp, &run) || !run.reports) {
        test_failure("%s: the probe did not run", what);
        return;
    }
    if (vector == X86_SS && run.trap.vector == X86_GP)
        vector = X86_GP;                 /* QEMU's TCG, under both hypervisors */
    if (check_user_kill(what, &run, vector, error, probe_insn(&run)))
        check_hex("  ... the frame's user %rsp", run.trap.rsp, rsp);
}

static void test_main(void)
{
    struct probe_run run;

    bad_push("push with %rsp non-canonical (0x0000800000000008)", 0x0000800000000008UL,
             X86_SS, 0);
    bad_push("push with %rsp unmapped (0x1008)", 0x1008UL, X86_PF, ~0UL);

    bad_rsp("ud2 with %rsp non-canonical (0x0000800000000000)", 0x0000800000000000UL);
    bad_rsp("ud2 with %rsp non-canonical (0x8000000000000000)", 0x8000000000000000UL);
    bad_rsp("ud2 with %rsp unmapped (0x1000)", 0x1000UL);
    if (probe_run(PROBE_EXIT, 7, &run) == 0)
        check_rc("the next process runs normally: exit status", run.status, 7);
    test_success(NULL);
}

const struct guest_test test_trap_user_bad_rsp = { "trap_user_bad_rsp", test_title, test_main };
