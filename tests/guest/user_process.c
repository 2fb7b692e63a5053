/*
 * Test user_process: user processes, their system calls and their
 * address spaces.
 *
 * What:
 *  - a system call round trip: every register but rax, rcx and r11 comes
 *    back unchanged, rcx = the address after the syscall and r11 = the
 *    user's RFLAGS (the kernel returns with VGCF_in_syscall); the frame
 *    the kernel got says user mode (CS 0xe033, SS 0xe02b), RIP = the
 *    return address, with the same in its RCX/R11 slots (xen-pv-abi.md
 *    2.3), IF set;
 *  - an unknown system call is -ENOSYS; SYS_write from a kernel address
 *    is -EFAULT (the kernel reads user memory only through the process's
 *    own tables); exit statuses come back through wait, also from a
 *    grandchild spawned with SYS_spawn; a sleeping process wakes;
 *  - demand-zero memory: 8 fresh pages read zero and keep what is
 *    written; touching more than a process may have gets it killed;
 *  - one process killed for #DE does not disturb the next one;
 *  - the process table fills up (-EAGAIN) and empties again.
 * Why: the kernel/user split of a PV kernel (xen-pv-abi.md 2.6): user
 * mode in its own L4 (NEW_USER_BASEPTR), system calls through the
 * syscall callback, the way back through the iret hypercall.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "user processes: syscall round trip, spawn, wait, demand zero";

static void test_syscall_regs(void)
{
    struct probe_run run;

    if (probe_run(PROBE_SYSCALL_REGS, 0, &run) || !check_rc("probe exit status", run.status, 0))
        return;
    check_hex("registers changed by a syscall (bits: rbx rbp r12-r15 r8-r10 rdx rsi rdi)",
              run.report[0], 0);
    check_hex("rcx after the syscall - the address after it", run.report[1], 0);
    check_true("r11 after the syscall = user RFLAGS (IF and bit 1 set)",
               (run.report[2] & (RFLAGS_IF | 2)) == (RFLAGS_IF | 2));
    /* The last system call was SYS_exit: its frame. */
    check_rc("the last system call seen", (long)syscall_last.vector, SYS_exit);
    check_hex("  ... its frame's CS", syscall_last.cs & 0xffff, FLAT_USER_CS);
    check_hex("  ... SS", syscall_last.ss, FLAT_USER_SS);
    check_true("  ... RIP in the user programs",
               syscall_last.rip >= USER_CODE_BASE && syscall_last.rip < USER_DZ_BASE);
    check_hex("  ... RCX slot = RIP", syscall_last.rcx, syscall_last.rip);
    check_hex("  ... R11 slot = RFLAGS", syscall_last.r11, syscall_last.rflags);
    check_true("  ... IF set in RFLAGS", syscall_last.rflags & RFLAGS_IF);
}

static void test_calls(void)
{
    struct probe_run run;
    int pid;
    uint64_t t;

    if (probe_run(PROBE_SYSCALL_BAD, 0, &run) == 0)
        check_rc("unknown system call", run.status, -XEN_ENOSYS);
    if (probe_run(PROBE_WRITE_BAD, VIRT_BASE, &run) == 0)
        check_rc("SYS_write from a kernel address", run.status, -XEN_EFAULT);
    if (probe_run(PROBE_EXIT, 42, &run) == 0)
        check_rc("exit(42), then wait", run.status, 42);
    if (probe_run(PROBE_SPAWN, 7, &run) == 0)
        check_rc("spawn a child that exits 7, wait for it, exit with its status", run.status, 7);
    t = ticks;
    pid = process_spawn("counter", 3, 0);
    check_rc("counter sleeping 1 tick 3 times, then exit(3)", process_wait(pid), 3);
    check_true("  ... at least 3 scheduler rounds passed", ticks - t >= 3);
    check_rc("wait for a process that is not our child", process_wait(12345), -XEN_ESRCH);
    check_rc("spawn an unknown program", process_spawn("nonesuch", 0, 0), -XEN_ENOENT);
}

static void test_demand_zero(void)
{
    struct probe_run run;

    if (probe_run(PROBE_DEMAND, 8, &run) == 0)
        check_rc("8 demand-zero pages: bad words", run.status, 0);
    if (probe_run(PROBE_DEMAND, MAX_USER_PAGES + 8, &run) == 0)
        check_user_kill("more demand-zero pages than a process may have (first read)",
                        &run, X86_PF, PFEC_USER, 0);
}

static void test_kill_and_go_on(void)
{
    struct probe_run run;

    if (probe_run(PROBE_DIV0, 0, &run) == 0 && run.reports)
        check_user_kill("divide by zero in user mode", &run, X86_DE, 0, probe_insn(&run));
    if (probe_run(PROBE_UD2, 0, &run) == 0 && run.reports)
        check_user_kill("ud2 in user mode", &run, X86_UD, 0, probe_insn(&run));
    if (probe_run(PROBE_EXIT, 3, &run) == 0)
        check_rc("the next process runs normally: exit status", run.status, 3);
}

static void test_table_full(void)
{
    int pids[NPROC], n = 0, rc;

    while ((rc = process_spawn("probe", PROBE_EXIT, (uint64_t)n)) > 0 && n < NPROC)
        pids[n++] = rc;
    check_rc("spawn with every slot taken", rc, -XEN_EAGAIN);
    check_rc("  ... processes started", n, NPROC - 1);
    for (int i = 0; i < n; i++)
        if (process_wait(pids[i]) != i)
            test_failure("process %d exited with the wrong status", pids[i]);
    check_rc("and again once they are reaped", (rc = process_spawn("probe", PROBE_EXIT, 0)) > 0, 1);
    if (rc > 0)
        process_wait(rc);
}

static void test_main(void)
{
    test_syscall_regs();
    test_calls();
    test_demand_zero();
    test_kill_and_go_on();
    test_table_full();
    test_success(NULL);
}

const struct guest_test test_user_process = { "user_process", test_title, test_main };
