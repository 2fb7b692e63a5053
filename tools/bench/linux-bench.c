/*
 * tools/bench/linux-bench.c: /init of the Linux benchmark initramfs
 * (tools/bench.py --linux), the same file on Tern, on Xen 4.17 and on bare
 * QEMU.
 *
 * A freestanding static x86-64 Linux program (no libc: raw system calls).
 * Under QEMU -icount shift=0,sleep=off the TSC counts executed instructions,
 * so each figure is an instruction count (plus any time the CPU idled, which
 * the loops below never do: nothing in them waits for a timer or a device).
 *
 * It prints, on the console the kernel gave /init (fds 0-2, /dev/console):
 *     linux-bench: init_tsc=N            the TSC at /init's first instruction
 *     linux-bench: idle_cs=N             Linux's idle time so far (/proc/uptime)
 *     linux-bench: NAME per_op=X iterations=N total=T    per workload
 *     linux-bench: done
 * then powers the machine off (reboot(2), LINUX_REBOOT_CMD_POWER_OFF).
 *
 * Workloads (each op timed as a whole loop, total / iterations):
 *   getppid     a null system call
 *   fork_exit   fork; the child exits at once; the parent reaps it (wait4)
 *   page_touch  per page: mmap 1 MiB anonymous, write one byte to each of its
 *               256 pages (a fault each), munmap; counted per page
 * A failed system call prints "linux-bench: NAME error=E" and skips that row.
 */

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_OPEN 2
#define SYS_CLOSE 3
#define SYS_MMAP 9
#define SYS_MUNMAP 11
#define SYS_GETPPID 110
#define SYS_FORK 57
#define SYS_EXIT 60
#define SYS_WAIT4 61
#define SYS_MOUNT 165
#define SYS_REBOOT 169

#define PROT_RW 3                       /* PROT_READ | PROT_WRITE */
#define MAP_PRIVATE_ANON 0x22           /* MAP_PRIVATE | MAP_ANONYMOUS */
#define PAGE 4096UL
#define TOUCH_PAGES 256UL

#define GETPPID_ITERATIONS 20000UL
#define FORK_ITERATIONS 200UL
#define TOUCH_ROUNDS 20UL

typedef unsigned long u64;

/* Entry: the TSC first, before anything else runs, then a 16-byte aligned
 * stack for the C code (the kernel starts /init with %rsp at argc). */
__asm__(".globl _start\n"
        "_start:\n"
        "    rdtsc\n"
        "    shlq $32, %rdx\n"
        "    orq %rdx, %rax\n"
        "    movq %rax, %rdi\n"
        "    andq $-16, %rsp\n"
        "    call bench_main\n"
        "    ud2\n");

static long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static long syscall3(long nr, long a, long b, long c)
{
    return syscall6(nr, a, b, c, 0, 0, 0);
}

static inline u64 rdtsc(void)
{
    unsigned int lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

static u64 length(const char *s)
{
    u64 n = 0;

    while (s[n])
        n++;
    return n;
}

static void put(const char *s)
{
    syscall3(SYS_WRITE, 1, (long)s, (long)length(s));
}

/* Writes v in decimal into buf (at least 21 bytes); returns buf. */
static char *decimal(u64 v, char *buf)
{
    char tmp[21];
    int n = 0, i = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        buf[i++] = tmp[--n];
    buf[i] = 0;
    return buf;
}

static void put_u64(u64 v)
{
    char buf[21];

    put(decimal(v, buf));
}

static void put_signed(long v)
{
    if (v < 0) {
        put("-");
        v = -v;
    }
    put_u64((u64)v);
}

/* "linux-bench: NAME per_op=X.Y iterations=N total=T" */
static void report(const char *name, u64 total, u64 iterations)
{
    u64 tenths = total * 10 / iterations;

    put("linux-bench: ");
    put(name);
    put(" per_op=");
    put_u64(tenths / 10);
    put(".");
    put_u64(tenths % 10);
    put(" iterations=");
    put_u64(iterations);
    put(" total=");
    put_u64(total);
    put("\n");
}

static void report_error(const char *name, long err)
{
    put("linux-bench: ");
    put(name);
    put(" error=");
    put_signed(err);
    put("\n");
}

static void bench_getppid(void)
{
    u64 t0 = rdtsc();

    for (u64 i = 0; i < GETPPID_ITERATIONS; i++)
        syscall3(SYS_GETPPID, 0, 0, 0);
    report("getppid", rdtsc() - t0, GETPPID_ITERATIONS);
}

/* One fork, exit and wait4; 0 or the failing call's error. */
static long fork_exit_once(void)
{
    long pid = syscall3(SYS_FORK, 0, 0, 0);

    if (pid == 0)
        syscall3(SYS_EXIT, 0, 0, 0);
    if (pid < 0)
        return pid;
    pid = syscall6(SYS_WAIT4, pid, 0, 0, 0, 0, 0);
    return pid < 0 ? pid : 0;
}

static void bench_fork_exit(void)
{
    u64 t0 = rdtsc();

    for (u64 i = 0; i < FORK_ITERATIONS; i++) {
        long err = fork_exit_once();

        if (err) {
            report_error("fork_exit", err);
            return;
        }
    }
    report("fork_exit", rdtsc() - t0, FORK_ITERATIONS);
}

/* One mmap, a write to each page, munmap; 0 or the failing call's error. */
static long touch_once(void)
{
    long addr = syscall6(SYS_MMAP, 0, (long)(TOUCH_PAGES * PAGE), PROT_RW,
                         MAP_PRIVATE_ANON, -1, 0);

    if (addr < 0 && addr > -4096)
        return addr;
    for (u64 p = 0; p < TOUCH_PAGES; p++)
        *(volatile char *)(addr + (long)(p * PAGE)) = 1;
    return syscall3(SYS_MUNMAP, addr, (long)(TOUCH_PAGES * PAGE), 0);
}

static void bench_page_touch(void)
{
    u64 t0 = rdtsc();

    for (u64 i = 0; i < TOUCH_ROUNDS; i++) {
        long err = touch_once();

        if (err) {
            report_error("page_touch", err);
            return;
        }
    }
    report("page_touch", rdtsc() - t0, TOUCH_ROUNDS * TOUCH_PAGES);
}

/* Linux's idle time so far in centiseconds: the second field of
 * /proc/uptime ("12.34 5.67"), digits only. */
static void report_idle(void)
{
    char buf[64];
    long fd, n, i = 0;
    u64 cs = 0;

    syscall6(SYS_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0, 0);
    fd = syscall3(SYS_OPEN, (long)"/proc/uptime", 0, 0);
    if (fd < 0)
        return report_error("idle_cs", fd);
    n = syscall3(SYS_READ, fd, (long)buf, sizeof(buf) - 1);
    syscall3(SYS_CLOSE, fd, 0, 0);
    while (i < n && buf[i] != ' ')
        i++;
    for (i++; i < n && buf[i] != '\n'; i++)
        if (buf[i] >= '0' && buf[i] <= '9')
            cs = cs * 10 + (u64)(buf[i] - '0');
    put("linux-bench: idle_cs=");
    put_u64(cs);
    put("\n");
}

__attribute__((noreturn, used)) void bench_main(u64 init_tsc)
{
    put("linux-bench: init_tsc=");
    put_u64(init_tsc);
    put("\n");
    report_idle();
    bench_getppid();
    bench_page_touch();
    bench_fork_exit();
    put("linux-bench: done\n");
    syscall6(SYS_REBOOT, 0xfee1deadL, 672274793L, 0x4321fedcL, 0, 0, 0);
    for (;;)
        syscall3(SYS_EXIT, 0, 0, 0);
}
