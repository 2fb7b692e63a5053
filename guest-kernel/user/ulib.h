/*
 * Tern guest kernel, user side: what a built-in user program may use.
 *
 * User programs run in guest user mode in their own address space, where
 * only the user programs' pages (read-only, at USER_CODE_BASE) and their
 * demand-zero stack and memory exist. They are compiled position-
 * independent and copied nowhere: the frames of the kernel image holding
 * them are mapped at another address, so they may not refer to anything
 * outside the user programs (no kernel functions, no absolute addresses,
 * no writable static data). Everything here is static inline for that
 * reason. The system-call ABI is syscall_abi.h.
 */
#ifndef GUEST_USER_ULIB_H
#define GUEST_USER_ULIB_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/syscall_abi.h"

static inline long usys(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    long ret;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline size_t u_strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static inline long u_write(const char *buf, size_t len)
{
    return usys(SYS_write, (uint64_t)(uintptr_t)buf, len, 0);
}

static inline long u_puts(const char *s)
{
    return u_write(s, u_strlen(s));
}

static inline long u_getpid(void)
{
    return usys(SYS_getpid, 0, 0, 0);
}

static inline long u_yield(void)
{
    return usys(SYS_yield, 0, 0, 0);
}

static inline long u_sleep(uint64_t ticks)
{
    return usys(SYS_sleep, ticks, 0, 0);
}

static inline long u_spawn(const char *program, uint64_t arg1, uint64_t arg2)
{
    return usys(SYS_spawn, (uint64_t)(uintptr_t)program, arg1, arg2);
}

static inline long u_report(uint64_t a, uint64_t b, uint64_t c)
{
    return usys(SYS_report, a, b, c);
}

static inline long u_wait(long pid)
{
    return usys(SYS_wait, (uint64_t)pid, 0, 0);
}

__attribute__((noreturn)) static inline void u_exit(long status)
{
    usys(SYS_exit, (uint64_t)status, 0, 0);
    for (;;)
        __asm__ volatile("ud2");
}

/* Decimal text of v (v >= 0 or negative) in buf[24]; returns buf. */
static inline char *u_itoa(long v, char *buf)
{
    char tmp[24];
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    int n = 0, i = 0;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[i++] = '-';
    while (n)
        buf[i++] = tmp[--n];
    buf[i] = '\0';
    return buf;
}

/* Prints "<text><number>\n". */
static inline void u_print_num(const char *text, long v)
{
    char line[96], num[24];
    size_t n = 0;

    for (const char *s = text; *s && n < sizeof(line) - 26; s++)
        line[n++] = *s;
    for (const char *s = u_itoa(v, num); *s; s++)
        line[n++] = *s;
    line[n++] = '\n';
    u_write(line, n);
}

#endif /* GUEST_USER_ULIB_H */
