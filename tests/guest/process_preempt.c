/*
 * Test process_preempt: VIRQ_TIMER preempts user processes that never
 * yield (guest-kernel/kernel/time.c preempt_point -> process.c schedule()).
 *
 * What: with VIRQ_TIMER bound (10 ms periodic timer) and preemption on,
 * two `spin` processes, each spinning 100 ms of TSC without a system call,
 * are started and waited for; both exit with status 0, and timer ticks
 * that interrupted them in user mode handed the CPU on several times (the
 * kernel's wait loop, process 0, only runs when one of them is preempted).
 * Then the same with preemption off: the spinners still finish (the wait
 * loop gets the CPU back only when one exits), and nothing was preempted.
 * Why: an upcall that arrives in user mode is the kernel's only chance to
 * take the CPU from a process that does not give it up; the upcall frame,
 * the kernel stack per process and the iret back must survive a switch
 * in the middle of it.
 * Expected (real Xen 4.17 and Tern alike): as above.
 */
#include "evtest.h"
#include "kernel/process.h"

static const char test_title[] =
    "preemption: timer ticks switch between user processes that never yield";

#define SPIN_NS (100 * MS)

/* Spawns two spinners and waits for both; returns the preemptions seen. */
static uint64_t run_spinners(const char *what)
{
    uint64_t spin = time_tsc_hz() / (NS_PER_S / SPIN_NS), before = preemptions;
    int a = process_spawn("spin", spin, 0), b = process_spawn("spin", spin, 0);

    if (a < 0 || b < 0) {
        test_error("%s: cannot start the spinners (%d, %d)", what, a, b);
        return 0;
    }
    check_rc("  first spinner's exit status", process_wait(a), 0);
    check_rc("  second spinner's exit status", process_wait(b), 0);
    return preemptions - before;
}

static void test_main(void)
{
    uint64_t n;

    if (!ev_require_shared_info())
        return;
    if (!check_rc("timer_start (bind VIRQ_TIMER, 10 ms periodic)", timer_start(), 0))
        goto out;
    time_enable_preemption(true);
    n = run_spinners("preemption on");
    test_info("preemption on: %lu preemptions while two processes spun 100 ms each", n);
    check_true("  the spinners were preempted at least 4 times", n >= 4);
    time_enable_preemption(false);
    n = run_spinners("preemption off");
    check_rc("preemption off: preemptions", (long)n, 0);
    test_success(NULL);
out:
    time_enable_preemption(false);
    timer_stop();
    ev_cleanup();
}

const struct guest_test test_process_preempt = { "process_preempt", test_title, test_main };
