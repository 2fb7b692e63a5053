/*
 * Tern guest kernel: trap benchmarks (part of `bench`).
 *
 * Round trips through the hypervisor's trap path, each timed like the
 * other benchmarks (bench.c) in instructions per operation under -icount:
 *   ud_roundtrip   ud2 -> #UD bounced to our handler -> back (extable fixup)
 *   pf_roundtrip   a read of an unmapped page -> #PF bounced -> back
 *   iret_hypercall a kernel-to-kernel return through the iret hypercall
 *   mov_cr3        mov %cr3, %rax: #GP, emulated by the hypervisor
 *   user_syscall   getpid from a user process: user -> guest kernel -> user
 *   bp_roundtrip   int3 in the kernel -> #BP bounced -> back (a trap: the
 *                  fixup is the address after it)
 *   user_softint   kernel -> user -> kernel through the iret hypercall and
 *                  `int $0x43` (a DPL 3 trap-table entry) from a user
 *                  process, per round trip
 * The exception-table mechanism of traps.c resumes each faulting
 * instruction at its fixup, so the handler does the minimum work.
 */
#include "bench/bench.h"
#include "kernel/time.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/process.h"
#include "kernel/traps.h"
#include "user/programs.h"
#include <public/xen.h>

#define TRAP_ITERATIONS 2000
#define UNMAPPED_VA     0x0000000000001000UL   /* never mapped (the builder starts high) */

static void bench_ud(void)
{
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < TRAP_ITERATIONS; i++)
        __asm__ volatile("1: ud2\n2:\n" EXTABLE(1b, 2b) ::: "memory");
    bench_report("ud_roundtrip", TRAP_ITERATIONS, tsc_read() - t0);
}

static void bench_pf(void)
{
    uint64_t t0 = tsc_read(), v;

    for (unsigned int i = 0; i < TRAP_ITERATIONS; i++)
        __asm__ volatile("1: movq (%1), %0\n2:\n" EXTABLE(1b, 2b)
                         : "=r"(v) : "r"(UNMAPPED_VA) : "memory");
    bench_report("pf_roundtrip", TRAP_ITERATIONS, tsc_read() - t0);
}

/* Push a frame that returns right after the jump, then take the iret stub:
 * kernel to kernel, flags 0 (rax, rcx, r11 restored from the stub's pushes). */
static void bench_iret(void)
{
    uint64_t stub = (uint64_t)(uintptr_t)&hypercall_page[__HYPERVISOR_iret * HYPERCALL_STUB_SIZE];
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < TRAP_ITERATIONS; i++)
        __asm__ volatile("movq %%rsp, %%rax\n\t"
                         "pushq $0xe02b\n\t"
                         "pushq %%rax\n\t"
                         "pushfq\n\t"
                         "pushq $0xe030\n\t"        /* RPL 0: stay in kernel mode */
                         "leaq 1f(%%rip), %%rcx\n\t"
                         "pushq %%rcx\n\t"
                         "pushq $0\n\t"
                         "jmp *%0\n"
                         "1:\n"
                         : : "r"(stub) : "rax", "rcx", "r11", "memory", "cc");
    bench_report("iret_hypercall", TRAP_ITERATIONS, tsc_read() - t0);
}

static void bench_mov_cr3(void)
{
    uint64_t t0 = tsc_read(), cr3;

    for (unsigned int i = 0; i < TRAP_ITERATIONS; i++)
        __asm__ volatile("mov %%cr3, %0" : "=r"(cr3) : : "memory");
    bench_report("mov_cr3", TRAP_ITERATIONS, tsc_read() - t0);
}

/* A user process making getpid calls: user -> guest kernel -> user. */
static void bench_user_syscall(void)
{
    int pid = process_spawn("sysbench", TRAP_ITERATIONS, 0);
    int took = pid < 0 ? pid : process_wait(pid);

    if (took <= 0) {
        printk("bench: user_syscall error=%d\n", took);
        return;
    }
    bench_report("user_syscall", TRAP_ITERATIONS, (uint64_t)took);
}

static void bench_bp(void)
{
    uint64_t t0 = tsc_read();

    for (unsigned int i = 0; i < TRAP_ITERATIONS; i++)
        __asm__ volatile("int3\n2:\n" EXTABLE(2b, 2b) ::: "memory");
    bench_report("bp_roundtrip", TRAP_ITERATIONS, tsc_read() - t0);
}

/* The user's int $SYSBENCH_VECTOR: nothing to do, straight back. */
static bool softint_hook(struct regs *r)
{
    return regs_user_mode(r);
}

static void bench_user_softint(void)
{
    struct trap_info t[] = {
        { .vector = SYSBENCH_VECTOR, .flags = 3, .cs = FLAT_KERNEL_CS,
          .address = trap_stub_address(SYSBENCH_VECTOR) },
        { .address = 0 },
    };
    int pid, took;

    if (bench_failed("user_softint", HYPERVISOR_set_trap_table(t)))
        return;
    trap_set_hook(SYSBENCH_VECTOR, softint_hook);
    pid = process_spawn("sysbench", TRAP_ITERATIONS, SYSBENCH_SOFTINT);
    took = pid < 0 ? pid : process_wait(pid);
    trap_set_hook(SYSBENCH_VECTOR, NULL);
    if (took <= 0) {
        printk("bench: user_softint error=%d\n", took);
        return;
    }
    bench_report("user_softint", TRAP_ITERATIONS, (uint64_t)took);
}

void bench_traps(void)
{
    bench_user_syscall();
    bench_user_softint();
    bench_bp();
    bench_ud();
    bench_pf();
    bench_iret();
    bench_mov_cr3();
}
