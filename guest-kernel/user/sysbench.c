/*
 * Tern guest kernel, user side: the user-mode system call benchmark. It
 * makes `rounds` getpid system calls (user -> hypervisor -> guest kernel
 * -> back to user, each way through the hypervisor) between two TSC reads
 * and exits with the TSC cycles they took (instructions under -icount),
 * which the kernel's bench mode turns into a per-call figure. With mode
 * SYSBENCH_SOFTINT it executes `int $SYSBENCH_VECTOR` instead: into the
 * guest kernel through the hypervisor's trap bounce, back through the
 * iret hypercall.
 */
#include "programs.h"
#include "ulib.h"

static inline uint64_t u_tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void softints(uint64_t rounds)
{
    for (uint64_t i = 0; i < rounds; i++)
        __asm__ volatile("int %0" : : "i"(SYSBENCH_VECTOR) : "memory");
}

void user_sysbench(uint64_t rounds, uint64_t mode)
{
    uint64_t t0 = u_tsc(), took;

    if (mode == SYSBENCH_SOFTINT)
        softints(rounds);
    else
        for (uint64_t i = 0; i < rounds; i++)
            u_getpid();
    took = u_tsc() - t0;
    u_exit((int)(took > 0x7fffffff ? 0x7fffffff : took));
}
