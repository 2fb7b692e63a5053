/*
 * Test syscall_no_callback: a system call from guest user mode while the
 * guest kernel has no syscall callback registered.
 *
 * What: the kernel registers its syscall callback as 0; a user process
 * runs a system call (exit); then the kernel registers its callback again
 * and the next process's exit(7) is an ordinary system call.
 * Why: with no callback the hypervisor cannot bounce the syscall and must
 * give the process a #UD (xen-pv-abi.md; Xen's syscall_no_callback),
 * never jump to address 0. Tern's assembly fast path (bounce_fast.S)
 * reads a per-vCPU frame address that is 0 while no callback is
 * registered; this checks that it is kept with the callback both ways.
 * Expected (real Xen 4.17): registering 0 returns 0; the process is
 * killed by #UD (vector 6) in user mode; registering the callback again
 * returns 0 and the next process exits with status 7.
 */
#include "traptest.h"

static const char test_title[] = "a user syscall with no syscall callback is a #UD";

static long reg_syscall(void (*entry)(void))
{
    struct callback_register cb = { .type = CALLBACKTYPE_syscall,
                                    .flags = CALLBACKF_mask_events,
                                    .address = (uint64_t)entry };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static void test_main(void)
{
    struct probe_run run;

    check_rc("callback_op(register syscall, 0)", reg_syscall(NULL), 0);
    if (probe_run(PROBE_EXIT, 3, &run) == 0)
        check_user_kill("exit with no syscall callback", &run, X86_UD, ~0UL, 0);
    check_rc("callback_op(register syscall, the kernel's)", reg_syscall(syscall_callback_entry),
             0);
    if (probe_run(PROBE_EXIT, 7, &run) == 0)
        check_rc("the next process's exit: status", run.status, 7);
    test_success(NULL);
}

const struct guest_test test_syscall_no_callback = { "syscall_no_callback", test_title,
                                                     test_main };
