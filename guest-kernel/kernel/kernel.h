/*
 * Tern guest kernel: what its parts (and the built-in tests) share.
 *
 * The kernel runs as a Xen 64-bit PV guest: guest kernel mode at CPL 3, no
 * privileged instructions, everything through hypercalls (hypercall.h).
 */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

#define GUEST_NAME     "Tern guest kernel"
#define GUEST_VERSION  "0.1"
#define PAGE_SIZE      4096UL

/* x86-64 page-table entry bits the guest uses. */
#define PTE_PRESENT    (1UL << 0)
#define PTE_RW         (1UL << 1)
#define PTE_ACCESSED   (1UL << 5)
#define PTE_DIRTY      (1UL << 6)

/* main.c: a copy of the builder's start_info, and the VA of the original. */
extern struct start_info start_info;
extern uint64_t start_info_va;

/* main.c: the command-line word that is `key` or starts with `key=`: its
 * value ("" for a bare word) copied into buf, or NULL when absent or too
 * long for buf. */
const char *cmdline_option(const char *key, char *buf, size_t size);

/* shared_info.c: the mapped shared_info page, or NULL when the hypervisor
 * has no update_va_mapping yet. */
extern struct shared_info *shared_info;
void shared_info_init(void);

/* console.c: the early console, console_io(CONSOLEIO_write). */
void console_init(void);
void console_write(const char *s, size_t len);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* console_ring.c: console=ring, printk into the PV console ring. */
struct xencons_interface;
void console_ring_init(void);
bool console_ring_active(void);
size_t console_ring_write(const char *s, size_t len);
volatile struct xencons_interface *console_ring_page(void);
/* Waits (at most 2 s without progress) until the backend drained the ring. */
void console_ring_flush(void);
void console_ring_drop(void);

/* shutdown.c: leave the domain; these never return. */
_Noreturn void guest_shutdown(uint32_t reason);
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* crash.c: crash=<how> on the command line; never returns. */
_Noreturn void crash_on_purpose(const char *how);

/* tests/guest/lib/runner.c: runs the built-in test named `selection`, or
 * every test for "all", prints one line per test and the final
 * "Test result:" line, then shuts down with SHUTDOWN_poweroff. */
_Noreturn void tests_run(const char *selection);

/* bench.c: times hypercalls with the TSC (command line `bench`), prints
 * one "bench: ..." line per operation, then powers off. */
_Noreturn void bench_run(void);

/* head.S: start_kernel is called with the builder's start_info; boot_tsc
 * is the TSC read by the kernel's first instruction. */
void start_kernel(const struct start_info *si);
extern uint64_t boot_tsc;

#endif /* GUEST_KERNEL_H */
