/*
 * Tern guest kernel: the multicall-exit role, a multicall whose middle
 * entry ends the domain (tests/scenarios: multicall-exits).
 *
 *   multicall-exit=shutdown   [print "before", SCHEDOP_shutdown(poweroff),
 *                              print "after"]
 *   multicall-exit=crash      [print "before", iret with %rsp unmapped,
 *                              print "after"]: the iret cannot read its
 *                              frame, and the hypervisor crashes us
 *
 * The prints are console_io entries of the same batch, so "after" reaches
 * the console only if an entry ran after the domain had ended. Neither
 * call should return: if the multicall does, the role says so and
 * panics. On Xen (as domain 0) the shutdown stops the machine inside the
 * call and the crash does too; on Tern the domain goes alone.
 */
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "demo/roles.h"

#define OPTION_LEN  16
#define UNMAPPED_SP 0x1000UL            /* below everything the builder maps */

static const char before[] = "multicall-exit: before\n";
static const char after[] = "multicall-exit: FAIL: an entry ran after the domain ended\n";
static struct multicall_entry calls[3];
static struct sched_shutdown poweroff = { SHUTDOWN_poweroff };

static struct multicall_entry print_entry(const char *s, size_t len)
{
    return (struct multicall_entry){
        .op = __HYPERVISOR_console_io, .args = { CONSOLEIO_write, len, hc_ptr(s) },
    };
}

/* The multicall with %rsp at an unmapped page, for the iret's frame. */
static long multicall_on_bad_stack(void)
{
    uint64_t rax = __HYPERVISOR_multicall, rdi = hc_ptr(calls), rsi = 3;

    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "mov %[sp], %%rsp\n\t"
                     "syscall\n\t"
                     "mov %%r12, %%rsp"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi)
                     : [sp] "i"(UNMAPPED_SP)
                     : "rcx", "r11", "r12", "rdx", "r10", "r8", "memory");
    return (long)rax;
}

bool multicall_exit_run(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("multicall-exit", buf, sizeof(buf));
    long rc;

    if (!v)
        return false;
    calls[0] = print_entry(before, sizeof(before) - 1);
    calls[2] = print_entry(after, sizeof(after) - 1);
    if (strcmp(v, "shutdown") == 0) {
        calls[1] = (struct multicall_entry){ .op = __HYPERVISOR_sched_op,
                                             .args = { SCHEDOP_shutdown, hc_ptr(&poweroff) } };
        rc = HYPERVISOR_multicall(calls, 3);
    } else if (strcmp(v, "crash") == 0) {
        calls[1] = (struct multicall_entry){ .op = __HYPERVISOR_iret };
        rc = multicall_on_bad_stack();
    } else {
        printk("roles: multicall-exit=%s: want shutdown or crash\n", buf);
        return false;
    }
    panic("multicall-exit: FAIL: the multicall returned %ld", rc);
}
