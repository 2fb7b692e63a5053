/*
 * Tern guest tests: helpers for the trap, CPU-state and process tests.
 *
 * Kernel-mode faults are provoked inside one asm statement that records
 * the faulting RIP and %rsp and lists the instruction in the exception
 * table (traps.h EXTABLE), so the kernel resumes after it; trap_last then
 * says what the handler saw. User-mode ones run in a probe process
 * (guest-kernel/user/probe.c) that the kernel kills or lets go on.
 */
#ifndef TESTS_GUEST_TRAPTEST_H
#define TESTS_GUEST_TRAPTEST_H

#include "kernel/process.h"
#include "kernel/syscall_abi.h"
#include "test.h"
#include "kernel/traps.h"
#include "user/programs.h"
#include <public/callback.h>

/* The values a fault test loads into rcx and r11 before the instruction:
 * the handler must see them again (the stub pops them off the frame). */
#define MAGIC_RCX "0x5ca1ab1e0ddba11c"
#define MAGIC_R11 "0x0b5e55ed0ddc0ded"
#define MAGIC_RCX_VAL 0x5ca1ab1e0ddba11cUL
#define MAGIC_R11_VAL 0x0b5e55ed0ddc0dedUL

/* Where a provoked exception happened: the instruction's address (or the
 * one after it, for a trap) and %rsp just before it. */
struct trap_site {
    uint64_t rip, rsp;
};

/* A fault at `insn` (string of asm): the frame's RIP is the instruction;
 * execution resumes after it. Extra clobbers: rax, rdx, r8, memory. */
#define FAULT_AT(site, setup, insn)                                         \
    __asm__ volatile(setup "\n\t"                                           \
                     "lea 1f(%%rip), %0\n\t"                                \
                     "mov %%rsp, %1\n\t"                                    \
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"                     \
                     "movabs $" MAGIC_R11 ", %%r11\n\t"                     \
                     "1: " insn "\n\t"                                      \
                     "2:\n\t" EXTABLE(1b, 2b)                               \
                     : "=&r"((site).rip), "=&r"((site).rsp)                 \
                     : : "rax", "rcx", "rdx", "r8", "r11", "memory")

/* FAULT_AT with one input operand, %2 in setup or insn. */
#define FAULT_AT_IN(site, setup, insn, in)                                  \
    __asm__ volatile(setup "\n\t"                                           \
                     "lea 1f(%%rip), %0\n\t"                                \
                     "mov %%rsp, %1\n\t"                                    \
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"                     \
                     "movabs $" MAGIC_R11 ", %%r11\n\t"                     \
                     "1: " insn "\n\t"                                      \
                     "2:\n\t" EXTABLE(1b, 2b)                               \
                     : "=&r"((site).rip), "=&r"((site).rsp)                 \
                     : "r"(in) : "rax", "rcx", "rdx", "r8", "r11", "memory")

/* A trap at `insn`: the frame's RIP is the instruction after it. */
#define TRAP_AT(site, setup, insn)                                          \
    __asm__ volatile(setup "\n\t"                                           \
                     "lea 2f(%%rip), %0\n\t"                                \
                     "mov %%rsp, %1\n\t"                                    \
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"                     \
                     "movabs $" MAGIC_R11 ", %%r11\n\t"                     \
                     "1: " insn "\n\t"                                      \
                     "2:\n\t" EXTABLE(2b, 2b)                               \
                     : "=&r"((site).rip), "=&r"((site).rsp)                 \
                     : : "rax", "rcx", "rdx", "r8", "r11", "memory")

/* Emulated privileged reads (the hypervisor emulates them for the kernel). */
static inline uint64_t read_cr0(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_rflags(void)
{
    uint64_t v;

    __asm__ volatile("pushf; pop %0" : "=r"(v));
    return v;
}

#define CR0_TS  (1UL << 3)
#define CR0_AM  (1UL << 18)
#define CR4_DE  (1UL << 3)
#define CR4_OSFXSR      (1UL << 9)
#define CR4_OSXMMEXCPT  (1UL << 10)

/* check_rc for values better read in hex (selectors, flags, addresses). */
int check_hex(const char *what, uint64_t got, uint64_t want);

/* The number of exceptions so far (trap_last.count). */
uint64_t traps_seen(void);

/*
 * Checks that exactly one exception happened since `before` and that it
 * was `vector` at `site` (RIP, and the interrupted %rsp when site.rsp is
 * not 0), from kernel mode, with `error` (pass ~0UL to skip the error code)
 * and a well-formed frame: 16-byte aligned, CS 0xe030 (kernel context)
 * with the event mask in bits 32-39, SS 0xe02b, RFLAGS bit 1 set and
 * IF = !mask, and RCX/R11
 * restored to MAGIC_RCX/MAGIC_R11 when check_magic. Returns 1 if it all held.
 */
int check_kernel_trap(const char *what, uint64_t before, unsigned int vector,
                      uint64_t error, struct trap_site site, bool check_magic);

/* What a probe process did. */
struct probe_run {
    int status;                  /* exit status (EXIT_KILLED(v) when killed) */
    uint64_t traps;              /* exceptions during the run */
    struct trap_record trap;     /* the last of them */
    uint64_t reports;            /* SYS_report calls during the run */
    uint64_t report[3];          /* the last one's values */
};

/* Runs user_probe(action, param) in a new process until it exits.
 * Returns 0, or the spawn error (then test_error has been raised). */
long probe_run(uint64_t action, uint64_t param, struct probe_run *out);

/* Checks that a probe was killed by `vector` with `error` (~0UL: any)
 * at user RIP `rip` (0: any), the frame showing user mode (CS 0xe033). */
int check_user_kill(const char *what, const struct probe_run *run, unsigned int vector,
                    uint64_t error, uint64_t rip);

/* The user address of the instruction a probe reported (report[0]). */
static inline uint64_t probe_insn(const struct probe_run *run)
{
    return run->report[0];
}

/* A trap_info terminator and an entry for vector v pointing at its stub. */
struct trap_info trap_entry(unsigned int vector, unsigned int flags);

/* vcpu_info.evtchn_upcall_mask now (1 without shared_info). */
unsigned int event_mask(void);

#endif /* TESTS_GUEST_TRAPTEST_H */
