/*
 * Tern guest kernel: processes.
 *
 * Process 0 is the kernel's own boot context (start_kernel, the tests): it
 * has no user half. Every other process runs one of the built-in user
 * programs (user/) in guest user mode, in its own address space: a user L4
 * that maps only its program's code (read-only, at USER_CODE_BASE) and the
 * demand-zero pages it has touched; the kernel's mappings are absent from
 * it. Each process has its own kernel stack, on which the hypervisor puts
 * the frames of its exceptions and system calls (stack_switch).
 *
 * Scheduling is cooperative round robin: a process runs until it yields,
 * sleeps, waits or exits (or is killed); process 0 runs the others while
 * it waits for them. A "tick" is one round of the round robin (the scan
 * passing process 0), which is what sleep counts until timer events come.
 */
#ifndef GUEST_PROCESS_H
#define GUEST_PROCESS_H

#include <stdint.h>
#include "kernel/mm.h"
#include "kernel/traps.h"

#define NPROC            16
#define PROC_NAME_LEN    16
#define KSTACK_SIZE      8192
#define MAX_USER_PAGES   64          /* demand-zero pages per process */

enum proc_state {
    PROC_FREE,          /* slot unused */
    PROC_RUNNABLE,      /* running or ready to */
    PROC_SLEEPING,      /* until ticks reaches wake_tick */
    PROC_ZOMBIE,        /* exited; exit_status valid until reaped by a wait */
};

struct process {
    int pid;
    int parent;                      /* pid that waits for it (0 for orphans) */
    enum proc_state state;
    char name[PROC_NAME_LEN];
    struct addr_space as;            /* user half (not for process 0) */
    bool has_as;
    uint64_t pages[MAX_USER_PAGES];  /* pfns of its demand-zero pages */
    unsigned int nr_pages;
    uint64_t ksp;                    /* saved kernel %rsp while switched out */
    uint64_t wake_tick;
    int exit_status;
    bool line_start;                 /* its console output is at a line start */
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image */
};

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Scheduler rounds so far. */
extern uint64_t ticks;

/* Makes the running boot context process 0. */
void process_init(void);

struct process *process_current(void);
struct process *process_by_pid(int pid);

/* Starts the built-in program `name` with arg1 in rdi and arg2 in rsi:
 * its pid, or
 * -XEN_ENOENT (no such program), -XEN_EAGAIN (no free slot), or the
 * hypervisor's error while building its address space. */
int process_spawn(const char *name, uint64_t arg1, uint64_t arg2);

/* The frame a new process will first enter user mode with: a test may
 * change it before the process first runs (NULL for no such process). */
struct regs *process_first_regs(int pid);

/* Runs the others until process pid, a child of the caller, has exited;
 * reaps it and returns its exit status (-XEN_ESRCH if there is no such
 * child). */
int process_wait(int pid);

/* Runs the others until every other process has exited, reaping the
 * caller's children (and orphans, for process 0); returns how many it
 * reaped. */
unsigned int process_wait_all(void);

/* Gives the CPU to the next runnable process (maybe the caller again). */
void schedule(void);

/* Sleeps n scheduler rounds. */
void process_sleep(uint64_t n);

/* Ends the current process (not process 0); never returns. */
_Noreturn void process_exit(int status);

/* Kills the current user process for the trap in r, with a message. */
_Noreturn void process_kill(const struct regs *r, const char *why);

/* An exception from user mode (trap_dispatch): demand-zero paging, or the
 * process is killed. Returns only when the process may go on. */
void process_user_trap(struct regs *r);

/* ---- user memory (uspace.c) --------------------------------------------- */

/* An empty, pinned user L4 with the user programs mapped at USER_CODE_BASE. */
long uspace_create(struct process *p);
/* Maps a zeroed page at the page holding va (a demand-zero address). */
long uspace_demand_zero(struct process *p, uint64_t va);
/* Drops the address space and its pages (not loaded as the user L4). */
void uspace_destroy(struct process *p);
/* Copies len bytes at user address uva of p into dst: 0 or -XEN_EFAULT. */
long copy_from_user(const struct process *p, void *dst, uint64_t uva, uint64_t len);
/* Copies a NUL-terminated user string into dst[size]: its length or
 * -XEN_EFAULT (also when it does not fit). */
long strncpy_from_user(const struct process *p, char *dst, uint64_t uva, uint64_t size);
/* The user address of a kernel-image address inside the user programs. */
uint64_t user_code_address(const void *kernel_address);

/* ---- system calls (syscall.c) ------------------------------------------- */

/* A `syscall` from user mode: number in r->rax, result into r->rax. */
void syscall_handle(struct regs *r);

/* What the last SYS_report passed, and how many there were; the frame
 * of the last system call (vector = its number) (tests). */
extern volatile uint64_t user_report[3];
extern volatile uint64_t user_report_count;
extern volatile struct trap_record syscall_last;

/* ---- the built-in user programs (programs.c) ---------------------------- */

struct user_program {
    const char *name;
    void (*entry)(uint64_t arg1, uint64_t arg2);
};
/* The program called name, or NULL. */
const struct user_program *user_program_find(const char *name);

/* The demo (no test= option): several processes print and exit, one is
 * killed for dividing by zero, one for touching kernel memory. */
void process_demo(void);

/* traps.c */
const char *trap_name(uint64_t vector);
void regs_dump(const struct regs *r);

#endif /* GUEST_PROCESS_H */
