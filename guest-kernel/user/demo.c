/*
 * Tern guest kernel, user side: the demo's programs. Each prints through
 * SYS_write and exits; two of them do what a user program must not, and
 * the kernel kills them while everything else goes on.
 */
#include "programs.h"
#include "ulib.h"

void user_hello(uint64_t arg1, uint64_t arg2)
{
    (void)arg1;
    (void)arg2;
    u_print_num("hello from user mode, I am process ", u_getpid());
    u_yield();
    u_puts("still here after a yield\n");
    u_yield();
    u_puts("goodbye\n");
    u_exit(0);
}

void user_counter(uint64_t rounds, uint64_t arg2)
{
    (void)arg2;
    for (uint64_t i = 1; i <= rounds; i++) {
        u_print_num("counting, sleeping one tick after ", (long)i);
        u_sleep(1);
    }
    u_exit((long)rounds);
}

void user_divzero(uint64_t arg1, uint64_t arg2)
{
    uint64_t quotient = 1, zero = 0;

    (void)arg1;
    (void)arg2;
    u_puts("dividing by zero...\n");
    __asm__ volatile("xor %%edx, %%edx; divq %1" : "+a"(quotient) : "r"(zero) : "rdx");
    u_print_num("the quotient is ", (long)quotient);
    u_exit(0);
}

void user_kpeek(uint64_t address, uint64_t arg2)
{
    (void)arg2;
    u_puts("reading the kernel's memory...\n");
    u_print_num("it says ", (long)*(volatile uint64_t *)(uintptr_t)address);
    u_exit(0);
}

void user_spawner(uint64_t arg1, uint64_t arg2)
{
    long pid;

    (void)arg1;
    (void)arg2;
    pid = u_spawn("hello", 0, 0);
    u_print_num("spawned hello as process ", pid);
    u_print_num("it exited with status ", u_wait(pid));
    u_exit(0);
}
