/*
 * Tern guest kernel: the system-call ABI its user processes see.
 *
 * A user process calls the kernel with `syscall`: rax = number, arguments
 * in rdi, rsi, rdx; the result comes back in rax (a negative Xen errno on
 * failure). rcx and r11 are clobbered (the hypervisor's syscall path and
 * the kernel's sysret-style return use them); every other register is
 * preserved. Included by the kernel and by the user programs (user/).
 */
#ifndef GUEST_SYSCALL_ABI_H
#define GUEST_SYSCALL_ABI_H

#define SYS_write   1   /* (const char *buf, size_t len) -> len: to the console */
#define SYS_getpid  2   /* () -> pid */
#define SYS_yield   3   /* () -> 0: let the other processes run */
#define SYS_sleep   4   /* (ticks) -> 0: sleep that many scheduler rounds */
#define SYS_exit    5   /* (status): never returns */
#define SYS_spawn   6   /* (const char *program, arg1, arg2) -> pid of a new process */
#define SYS_wait    7   /* (pid) -> its exit status, once it has exited */
#define SYS_report  8   /* (a, b, c) -> 0: three values for the kernel's tests */

/* Exit status of a process the kernel killed for exception `vector`. */
#define EXIT_KILLED(vector) (128 + (int)(vector))

/* User address-space layout (the kernel maps nothing else in it). */
#define USER_CODE_BASE   0x0000000000400000UL   /* the user programs, read-only */
#define USER_DZ_BASE     0x0000000001000000UL   /* demand-zero memory from here... */
#define USER_STACK_TOP   0x0000000040000000UL   /* ...to here; the stack grows down */

#endif /* GUEST_SYSCALL_ABI_H */
