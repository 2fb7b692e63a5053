/*
 * Test fpu_switch: FPU and SSE state survives switches between processes.
 *
 * What: two processes of the `fpu` program, each with its own pattern in
 * x87 st(0), xmm0, xmm15 and the MXCSR rounding bits, yield to each other
 * (and to the kernel) 20 times and check their values after every yield;
 * both must exit 0. The guest kernel saves and restores the FPU state
 * itself on every switch (FXSAVE/FXRSTOR); the hypervisor only keeps the
 * vCPU's state. A third run with a single process checks the program.
 * Why: a PV kernel owns the FPU state of its processes; nothing in the
 * hypervisor knows about them (xen-pv-abi.md 2.5: fpu_taskswitch is the
 * only help, for lazy switching).
 * Expected (real Xen 4.17): both exit 0.
 */
#include "traptest.h"

static const char test_title[] = "FPU/SSE state preserved across process switches";

#define ROUNDS 20

static void test_main(void)
{
    int a, b, solo = process_spawn("fpu", 0x1111222233334441UL, ROUNDS);

    if (solo < 0) {
        test_error("spawn fpu: %s", rc_name(solo));
        return;
    }
    check_rc("one fpu process alone: exit status", process_wait(solo), 0);
    a = process_spawn("fpu", 0x0123456789abcde2UL, ROUNDS);
    b = process_spawn("fpu", 0x7edcba9876543213UL, ROUNDS);
    if (a < 0 || b < 0) {
        test_error("spawn fpu: %s / %s", rc_name(a), rc_name(b));
        return;
    }
    check_rc("process A (pattern ...e2) interleaved with B: exit status", process_wait(a), 0);
    check_rc("process B (pattern ...13) interleaved with A: exit status", process_wait(b), 0);
    test_success(NULL);
}

const struct guest_test test_fpu_switch = { "fpu_switch", test_title, test_main };
