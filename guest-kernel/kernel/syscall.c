/*
 * Tern guest kernel: the system calls of user processes (syscall_abi.h).
 *
 * A user `syscall` reaches the kernel through the hypervisor's syscall
 * callback (events masked) on the process's kernel stack; trap_dispatch
 * calls syscall_handle and returns to user mode with the iret hypercall
 * and VGCF_in_syscall. User pointers are never dereferenced: buffers are
 * copied in through the process's page tables (uspace.c).
 */
#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/process.h"
#include "kernel/syscall_abi.h"

#define WRITE_CHUNK   128
#define WRITE_MAX     4096
#define PROGRAM_NAME  32

/* Console output of process p: each line starts with "[pid name] ". */
static void write_lines(struct process *p, const char *buf, uint64_t len)
{
    uint64_t i = 0;

    while (i < len) {
        uint64_t n = 0;

        while (i + n < len && buf[i + n] != '\n')
            n++;
        if (i + n < len)
            n++;                              /* the newline */
        if (p->line_start)
            printk("[%d %s] ", p->pid, p->name);
        console_write(buf + i, n);
        p->line_start = buf[i + n - 1] == '\n';
        i += n;
    }
}

static long sys_write(struct process *p, uint64_t ubuf, uint64_t len)
{
    char chunk[WRITE_CHUNK];
    uint64_t done = 0;

    if (len > WRITE_MAX)
        return -XEN_EINVAL;
    while (done < len) {
        uint64_t n = min_u64(len - done, sizeof(chunk));

        if (copy_from_user(p, chunk, ubuf + done, n))
            return done ? (long)done : -XEN_EFAULT;
        write_lines(p, chunk, n);
        done += n;
    }
    return (long)len;
}

volatile uint64_t user_report[3];
volatile uint64_t user_report_count;
volatile struct trap_record syscall_last;

/* The frame of the last system call, for the tests. */
static void record(const struct regs *r)
{
    syscall_last.vector = r->rax;
    syscall_last.rip = r->rip;
    syscall_last.cs = r->cs;
    syscall_last.rflags = r->rflags;
    syscall_last.rsp = r->rsp;
    syscall_last.ss = r->ss;
    syscall_last.rcx = r->rcx;
    syscall_last.r11 = r->r11;
    syscall_last.user = regs_user_mode(r);
    syscall_last.count++;
}

static long sys_spawn(struct process *p, uint64_t uname, uint64_t arg1, uint64_t arg2)
{
    char name[PROGRAM_NAME];
    long rc = strncpy_from_user(p, name, uname, sizeof(name));

    return rc < 0 ? rc : process_spawn(name, arg1, arg2);
}

static long sys_report(uint64_t a, uint64_t b, uint64_t c)
{
    user_report[0] = a;
    user_report[1] = b;
    user_report[2] = c;
    user_report_count++;
    return 0;
}

void syscall_handle(struct regs *r)
{
    struct process *p = process_current();
    long rc;

    record(r);
    switch (r->rax) {
    case SYS_write:  rc = sys_write(p, r->rdi, r->rsi); break;
    case SYS_getpid: rc = p->pid; break;
    case SYS_yield:  schedule(); rc = 0; break;
    case SYS_sleep:  process_sleep(r->rdi); rc = 0; break;
    case SYS_exit:   process_exit((int)r->rdi);
    case SYS_spawn:  rc = sys_spawn(p, r->rdi, r->rsi, r->rdx); break;
    case SYS_wait:   rc = process_wait((int)r->rdi); break;
    case SYS_report: rc = sys_report(r->rdi, r->rsi, r->rdx); break;
    default:         rc = -XEN_ENOSYS; break;
    }
    r->rax = (uint64_t)rc;
}
