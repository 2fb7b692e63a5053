/*
 * Tern guest kernel, user side: the FPU-state test program. It puts its
 * pattern into x87 st(0), xmm0, xmm15 and MXCSR's rounding bits, then
 * yields `rounds` times; two of them with different patterns interleave,
 * so each finds its own values again only if the kernel saved and restored
 * the FPU/SSE state across every switch. Exit status 0: always intact.
 */
#include "programs.h"
#include "ulib.h"

#define MXCSR_DEFAULT 0x1f80U

static void fpu_load(uint64_t pattern)
{
    uint32_t mxcsr = MXCSR_DEFAULT | (uint32_t)((pattern & 3) << 13);

    __asm__ volatile("fninit\n\t"
                     "fildq %0\n\t"
                     "movq %1, %%xmm0\n\t"
                     "movq %1, %%xmm15\n\t"
                     "ldmxcsr %2"
                     : : "m"(pattern), "r"(pattern), "m"(mxcsr) : "memory");
}

static int fpu_intact(uint64_t pattern)
{
    uint64_t st0, x0, x15;
    uint32_t mxcsr;

    __asm__ volatile("fld %%st(0)\n\t"
                     "fistpq %0\n\t"
                     "movq %%xmm0, %1\n\t"
                     "movq %%xmm15, %2\n\t"
                     "stmxcsr %3"
                     : "=m"(st0), "=r"(x0), "=r"(x15), "=m"(mxcsr) : : "memory");
    return st0 == pattern && x0 == pattern && x15 == pattern &&
           mxcsr == (MXCSR_DEFAULT | (uint32_t)((pattern & 3) << 13));
}

void user_fpu(uint64_t pattern, uint64_t rounds)
{
    long bad = 0;

    fpu_load(pattern);
    for (uint64_t i = 0; i < rounds; i++) {
        u_yield();
        if (!fpu_intact(pattern))
            bad++;
    }
    if (bad)
        u_print_num("FPU state lost after this many yields: ", bad);
    u_exit(bad ? 1 : 0);
}
