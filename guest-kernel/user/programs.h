/*
 * Tern guest kernel: the built-in user programs' entry points. Each runs in
 * guest user mode with rdi = arg1, rsi = arg2 (process_spawn) and ends with
 * SYS_exit; none may return. Compiled position-independent into the
 * .user sections (see ulib.h for the rules they follow).
 */
#ifndef GUEST_USER_PROGRAMS_H
#define GUEST_USER_PROGRAMS_H

#include <stdint.h>

/* demo.c */
void user_hello(uint64_t arg1, uint64_t arg2);
void user_counter(uint64_t rounds, uint64_t arg2);
void user_divzero(uint64_t arg1, uint64_t arg2);
void user_kpeek(uint64_t address, uint64_t arg2);
void user_spawner(uint64_t arg1, uint64_t arg2);

/* probe.c: what the guest tests run in user mode (PROBE_* below). */
void user_probe(uint64_t action, uint64_t param);

/* fpu.c: keeps `pattern` in the FPU/SSE registers across `rounds` yields;
 * exits 0 when it always found it intact, 1 when not. */
void user_fpu(uint64_t pattern, uint64_t rounds);

/* spin.c: spins tsc_ticks TSC ticks without a system call, then exits 0
 * (only preemption lets the rest of the domain run meanwhile). */
void user_spin(uint64_t tsc_ticks, uint64_t arg2);

/* sysbench.c: rounds getpid calls (or, mode SYSBENCH_SOFTINT, int
 * $SYSBENCH_VECTOR, which the kernel's bench lets through), exits with the
 * TSC cycles they took. */
#define SYSBENCH_GETPID  0
#define SYSBENCH_SOFTINT 1
#define SYSBENCH_VECTOR  0x43
void user_sysbench(uint64_t rounds, uint64_t mode);

/* user_probe actions; param as noted. Each ends with SYS_exit(0) if it
 * survived, unless noted; SYS_report (below) passes values to the test. */
enum probe_action {
    PROBE_EXIT,          /* exit(param) */
    PROBE_READ,          /* read 8 bytes at address param */
    PROBE_WRITE,         /* write 8 bytes at address param */
    PROBE_EXEC,          /* call address param */
    PROBE_INT,           /* int $param, 0-255 (cd imm8); report rip after it */
    PROBE_INT3,          /* int3 (0xcc) */
    PROBE_PRIV,          /* privileged instruction number param (probe.c) */
    PROBE_STATE,         /* report cs, ss, rflags */
    PROBE_SYSCALL_REGS,  /* syscall with known registers; report what changed */
    PROBE_DEMAND,        /* touch param demand-zero pages; exit 0 if all read back */
    PROBE_SPAWN,         /* spawn probe(PROBE_EXIT, param), wait, exit with its status */
    PROBE_UD2,           /* ud2 */
    PROBE_DIV0,          /* divide by zero */
    PROBE_SYSCALL_BAD,   /* an unknown system call; exit with its result */
    PROBE_WRITE_BAD,     /* SYS_write from a kernel address; exit with its result */
    PROBE_READ_FS,       /* report the 8 bytes at %fs:param, and %fs */
    PROBE_READ_GS,       /* report the 8 bytes at %gs:param, and %gs */
    PROBE_MOVSS_SYSCALL, /* rsp = param, mov probe_movss_ss to %ss, syscall
                          * SYS_report(PROBE_MOVSS_MAGIC, that syscall's
                          * address, param); exit with its result */
    PROBE_PORTS,         /* cli; out 0x0b to 0x70, in 0x70; out 0x5a to 0x3ff,
                          * in 0x3ff; sti; report both bytes and rflags */
    PROBE_BAD_RSP,       /* report the ud2's address, rsp = param, ud2 */
    PROBE_BAD_RSP_PUSH,  /* report the push's address, rsp = param, push */
};

/* The word PROBE_MOVSS_SYSCALL loads into %ss (the flat ring-3 SS, 0xe02b),
 * read-only in the process at user_code_address(&probe_movss_ss): a test
 * puts a data breakpoint on it. */
extern const uint64_t probe_movss_ss;
#define PROBE_MOVSS_MAGIC 0x4d4f565353ULL     /* "MOVSS" */

/* Privileged instructions for PROBE_PRIV. */
enum probe_priv {
    PRIV_CLI, PRIV_STI, PRIV_HLT, PRIV_IN, PRIV_OUT, PRIV_MOV_CR0, PRIV_MOV_CR3,
    PRIV_LGDT, PRIV_INVLPG, PRIV_WBINVD, PRIV_RDMSR, PRIV_NR,
};

#endif /* GUEST_USER_PROGRAMS_H */
