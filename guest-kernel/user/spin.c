/*
 * Tern guest kernel, user side: a process that never gives up the CPU by
 * itself. It spins on the TSC for `tsc_ticks` ticks without a system
 * call, so only a timer tick that preempts it (time.c) lets anything else
 * in the domain run meanwhile; then it exits with status 0.
 */
#include "programs.h"
#include "ulib.h"

static inline uint64_t u_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void user_spin(uint64_t tsc_ticks, uint64_t arg2)
{
    uint64_t end = u_rdtsc() + tsc_ticks;

    (void)arg2;
    while (u_rdtsc() < end)
        __asm__ volatile("pause");
    u_exit(0);
}
