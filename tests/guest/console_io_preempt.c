/*
 * Test console_io_preempt: a long CONSOLEIO_write gives the CPU back
 * while it runs (issue 10, hole 3).
 *
 * What: with VIRQ_TIMER bound to a recording handler and a 1 ms periodic
 * timer, domain 0 writes 16 KiB of NUL bytes with console_io, call after
 * call, until a timer upcall interrupts it AT the syscall instruction of
 * the console_io stub with the continuation's arguments in its registers:
 * rax = 18, rdi = CONSOLEIO_write, the count reduced and the buffer
 * advanced by exactly the bytes already written. Only a hypervisor that
 * restarted the call (a continuation) can leave the guest there with
 * those registers; an upcall taken after a call that ran to its end
 * interrupts the instruction after the syscall, with the caller's own
 * count. Every call must still return 0.
 * Why: a write whose count a guest chooses (up to 4 GiB) must not hold
 * the CPU with interrupts off until it ends.
 * Expected (real Xen 4.17, whose hypercall_preempt_check sees the pending
 * timer event between two 127-byte chunks; Tern, which continues every
 * few hundred bytes): observed within a few calls. The outcome depends on
 * no speed: every timer tick that falls inside a write, as almost all of
 * the loop's time is, is delivered at a restart point.
 * Fact: Xen sends domain 0's bytes to its serial line as they are, so
 * the NULs reach the Xen log (16 KiB a call, a few calls); Tern drops them.
 */
#include "evtest.h"

static const char test_title[] =
    "console_io: a long write is a continuation, so a timer upcall interrupts it";

#define WRITE_SIZE (16 * 1024)
#define MAX_CALLS  2000
#define STUB_BYTES 32

static char zeros[WRITE_SIZE];

struct restart_seen {
    uint64_t syscall_va;                 /* the stub's syscall instruction */
    volatile uint64_t ticks;             /* every timer upcall */
    volatile uint64_t at_syscall;        /* upcalls there with a reduced count */
    volatile uint64_t rax, rdi, rsi, rdx;  /* registers of the first of those */
};

static struct restart_seen seen;

/* The address of the `syscall` (0f 05) in console_io's stub, or 0. */
static uint64_t stub_syscall_va(void)
{
    const uint8_t *stub = &hypercall_page[__HYPERVISOR_console_io * HYPERCALL_STUB_SIZE];

    for (unsigned int i = 0; i + 1 < STUB_BYTES; i++)
        if (stub[i] == 0x0f && stub[i + 1] == 0x05)
            return (uint64_t)(uintptr_t)&stub[i];
    return 0;
}

static void timer_handler(evtchn_port_t port, struct regs *r, void *data)
{
    struct restart_seen *s = data;

    (void)port;
    s->ticks++;
    /* An interrupt may also come just before a fresh call's syscall (not
     * under QEMU, whose interrupts wait for the end of a block): that one
     * still has the full count and proves nothing. */
    if (r->rip != s->syscall_va || (uint32_t)r->rsi >= WRITE_SIZE || s->at_syscall++)
        return;
    s->rax = r->rax;
    s->rdi = r->rdi;
    s->rsi = r->rsi;
    s->rdx = r->rdx;
}

/* Writes until an upcall came at the syscall; false if a call failed. */
static bool write_until_seen(unsigned int *calls)
{
    for (*calls = 0; *calls < MAX_CALLS && !seen.at_syscall; (*calls)++) {
        long rc = HYPERVISOR_console_io(CONSOLEIO_write, WRITE_SIZE, zeros);

        if (rc != 0) {
            test_failure("console_io(write, %u NULs) = %s, expected 0", WRITE_SIZE,
                         rc_name(rc));
            return false;
        }
    }
    return true;
}

/* The registers at the syscall must be those of a restarted write. */
static void check_restart(void)
{
    uint64_t left = (uint32_t)seen.rsi, buf = (uint64_t)(uintptr_t)zeros;

    test_info("at the syscall: rax %lu, rdi %lu, count %lu of %u, buffer +%lu",
              seen.rax, seen.rdi, left, WRITE_SIZE, seen.rdx - buf);
    check_true("  rax is console_io's number", seen.rax == __HYPERVISOR_console_io);
    check_true("  rdi is CONSOLEIO_write", seen.rdi == CONSOLEIO_write);
    check_true("  the count was reduced", left > 0 && left < WRITE_SIZE);
    check_true("  the buffer moved by the bytes done", seen.rdx == buf + WRITE_SIZE - left);
}

static void test_main(void)
{
    struct vcpu_set_periodic_timer period = { .period_ns = MS };
    evtchn_port_t port;
    unsigned int calls;

    if (!ev_require_shared_info())
        return;
    seen.syscall_va = stub_syscall_va();
    if (!seen.syscall_va) {
        test_error("no syscall instruction in the console_io stub");
        return;
    }
    port = ev_bind_virq(VIRQ_TIMER);
    if (!port)
        goto out;
    gk_evtchn_attach(port, timer_handler, &seen);
    check_rc("VCPUOP_set_periodic_timer(1 ms)",
             HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &period), 0);
    if (!write_until_seen(&calls))
        goto out;
    test_info("%u writes of %u NULs, %lu timer upcalls, %lu of them at the syscall",
              calls, WRITE_SIZE, seen.ticks, seen.at_syscall);
    if (!seen.at_syscall) {
        test_failure("no timer upcall interrupted a write at its syscall in %u calls: "
                     "the writes ran to their end with the CPU held", calls);
        goto out;
    }
    check_restart();
    test_success(NULL);
out:
    ev_cleanup();
}

const struct guest_test test_console_io_preempt = {
    "console_io_preempt", test_title, test_main,
};
