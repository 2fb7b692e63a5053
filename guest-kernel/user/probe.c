/*
 * Tern guest kernel, user side: the probe the guest tests run in user
 * mode (tests/guest/trap_*.c, user_*.c). One action per process; what it
 * observed goes back with SYS_report, how it ended is its exit status
 * (EXIT_KILLED(vector) when the kernel killed it).
 *
 * The instructions whose faults the tests check sit in small functions
 * written in assembly below (probe_<name>: the instruction, then ret), so
 * that the probe can report the exact address of each before executing it.
 */
#include "programs.h"
#include "ulib.h"

#define HIDDEN __attribute__((visibility("hidden")))
#define STR_(x) #x
#define STR(x) STR_(x)

/* Each stub: the instruction at the label, then ret. */
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .balign 16\n"
    "probe_cli:     cli;              ret\n"
    "probe_sti:     sti;              ret\n"
    "probe_hlt:     hlt;              ret\n"
    "probe_in:      inb $0x80, %al;   ret\n"
    "probe_out:     outb %al, $0x80;  ret\n"
    "probe_mov_cr0: mov %cr0, %rax;   ret\n"
    "probe_mov_cr3: mov %rax, %cr3;   ret\n"
    "probe_lgdt:    lgdt (%rsp);      ret\n"
    "probe_invlpg:  invlpg (%rsp);    ret\n"
    "probe_wbinvd:  wbinvd;           ret\n"
    "probe_rdmsr:   xor %ecx, %ecx; probe_rdmsr_insn: rdmsr; ret\n"
    "probe_int3:    int3;             ret\n"
    "probe_ud2:     ud2;              ret\n"
    "probe_div0:    xor %edx, %edx; mov $1, %eax; xor %ecx, %ecx\n"
    "probe_div0_insn: divq %rcx;      ret\n"
    /* int $n for every n, 4 bytes each: cd n (never the 0xcc GAS makes
     * of int $3), ret, a pad. */
    "    .balign 16\n"
    "probe_int_table:\n"
    "    .set n, 0\n"
    "    .rept 256\n"
    "    .byte 0xcd, n, 0xc3, 0x90\n"
    "    .set n, n + 1\n"
    "    .endr\n"
    "    .popsection\n");

extern const char probe_cli[] HIDDEN, probe_sti[] HIDDEN, probe_hlt[] HIDDEN,
    probe_in[] HIDDEN, probe_out[] HIDDEN, probe_mov_cr0[] HIDDEN, probe_mov_cr3[] HIDDEN,
    probe_lgdt[] HIDDEN, probe_invlpg[] HIDDEN, probe_wbinvd[] HIDDEN,
    probe_rdmsr_insn[] HIDDEN, probe_rdmsr[] HIDDEN, probe_int3[] HIDDEN,
    probe_int_table[] HIDDEN, probe_ud2[] HIDDEN, probe_div0[] HIDDEN,
    probe_div0_insn[] HIDDEN;

/* Calls a stub; reports its faulting address first (a = that address,
 * b = the address after its instruction, for traps). */
static void run_stub(const char *stub, const char *insn, unsigned int len)
{
    u_report((uint64_t)(uintptr_t)insn, (uint64_t)(uintptr_t)insn + len, 0);
    __asm__ volatile("call *%0" : : "r"(stub) : "rax", "rcx", "rdx", "memory");
}

static void probe_priv(uint64_t which)
{
    switch (which) {
    case PRIV_CLI:     run_stub(probe_cli, probe_cli, 1); break;
    case PRIV_STI:     run_stub(probe_sti, probe_sti, 1); break;
    case PRIV_HLT:     run_stub(probe_hlt, probe_hlt, 1); break;
    case PRIV_IN:      run_stub(probe_in, probe_in, 2); break;
    case PRIV_OUT:     run_stub(probe_out, probe_out, 2); break;
    case PRIV_MOV_CR0: run_stub(probe_mov_cr0, probe_mov_cr0, 3); break;
    case PRIV_MOV_CR3: run_stub(probe_mov_cr3, probe_mov_cr3, 3); break;
    case PRIV_LGDT:    run_stub(probe_lgdt, probe_lgdt, 4); break;
    case PRIV_INVLPG:  run_stub(probe_invlpg, probe_invlpg, 4); break;
    case PRIV_WBINVD:  run_stub(probe_wbinvd, probe_wbinvd, 2); break;
    case PRIV_RDMSR:   run_stub(probe_rdmsr, probe_rdmsr_insn, 2); break;
    default:           u_exit(-1);
    }
}

static void probe_int(uint64_t vector)
{
    const char *stub;

    if (vector > 0xff)
        u_exit(-1);
    stub = probe_int_table + 4 * vector;
    run_stub(stub, stub, 2);
}

const uint64_t probe_movss_ss = 0xe02b;

/* The CVE-2018-8897 pattern (XTF's xsa-260): a data breakpoint on the
 * word MOV SS reads is delayed past the syscall that follows, onto the
 * hypervisor's first instruction, with our rsp, which points into the
 * hypervisor here. The hypervisor must survive and run the syscall. */
static long probe_movss_syscall(uint64_t rsp)
{
    long ret;
    uint64_t insn;

    __asm__ volatile("lea 1f(%%rip), %%rsi\n\t"
                     "mov %%rsp, %%rbx\n\t"
                     "mov %[sp], %%rsp\n\t"
                     "mov %[ss], %%ss\n\t"
                     "1: syscall\n\t"
                     "mov %%rbx, %%rsp"
                     : "=a"(ret), "=&S"(insn)
                     : "a"((uint64_t)SYS_report), "D"(PROBE_MOVSS_MAGIC), "d"(rsp),
                       [sp] "r"(rsp), [ss] "m"(probe_movss_ss)
                     : "rbx", "rcx", "r11", "memory");
    (void)insn;
    return ret;
}

/* ud2 with %rsp = rsp (non-canonical, unmapped): the fault is taken in
 * user mode with a stack nothing can be pushed on, so its frame must go on
 * the kernel stack (stack_switch). Never returns: the kernel kills us. */
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "probe_bad_rsp: mov %rdi, %rsp\n"
    "probe_bad_rsp_ud2: ud2\n"
    "probe_bad_rsp_push: mov %rdi, %rsp\n"
    "probe_bad_rsp_push_insn: push %rax\n"
    "    ud2\n"
    "    .popsection\n");
extern const char probe_bad_rsp[] HIDDEN, probe_bad_rsp_ud2[] HIDDEN,
    probe_bad_rsp_push[] HIDDEN, probe_bad_rsp_push_insn[] HIDDEN;

static void probe_bad_rsp_run(const char *stub, const char *insn, uint64_t rsp)
{
    u_report((uint64_t)(uintptr_t)insn, 0, 0);
    __asm__ volatile("call *%0" : : "r"(stub), "D"(rsp) : "memory");
}

static void probe_state(void)
{
    uint64_t cs, ss, flags;

    __asm__ volatile("mov %%cs, %0; mov %%ss, %1; pushf; pop %2"
                     : "=r"(cs), "=r"(ss), "=r"(flags));
    u_report(cs, ss, flags);
}

/* probe_syscall_regs(out): SYS_getpid with every register but rax, rcx and
 * r11 set to a known value. out[0] = mask of the registers that changed
 * (bit order rbx rbp r12 r13 r14 r15 r8 r9 r10 rdx rsi rdi), out[1] = rcx,
 * out[2] = r11 after the syscall, out[3] = the address after it. */
void probe_syscall_regs(uint64_t *out);
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .balign 16\n"
    "probe_syscall_regs:\n"
    "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "    push %rdi\n"
    "    movabs $0x1111111111111111, %rbx\n"
    "    movabs $0x2222222222222222, %rbp\n"
    "    movabs $0x3333333333333333, %r12\n"
    "    movabs $0x4444444444444444, %r13\n"
    "    movabs $0x5555555555555555, %r14\n"
    "    movabs $0x6666666666666666, %r15\n"
    "    movabs $0x7777777777777777, %r8\n"
    "    movabs $0x8888888888888888, %r9\n"
    "    movabs $0x9999999999999999, %r10\n"
    "    movabs $0xaaaaaaaaaaaaaaaa, %rdx\n"
    "    movabs $0xbbbbbbbbbbbbbbbb, %rsi\n"
    "    movabs $0xcccccccccccccccc, %rdi\n"
    "    mov $" STR(SYS_getpid) ", %eax\n"
    "    syscall\n"
    "1:  push %r11\n"
    "    push %rcx\n"
    "    pushq $0\n"                    /* the mask */
    "    movabs $0x1111111111111111, %rax; cmp %rax, %rbx; je 2f; orq $0x800, (%rsp); 2:\n"
    "    movabs $0x2222222222222222, %rax; cmp %rax, %rbp; je 2f; orq $0x400, (%rsp); 2:\n"
    "    movabs $0x3333333333333333, %rax; cmp %rax, %r12; je 2f; orq $0x200, (%rsp); 2:\n"
    "    movabs $0x4444444444444444, %rax; cmp %rax, %r13; je 2f; orq $0x100, (%rsp); 2:\n"
    "    movabs $0x5555555555555555, %rax; cmp %rax, %r14; je 2f; orq $0x080, (%rsp); 2:\n"
    "    movabs $0x6666666666666666, %rax; cmp %rax, %r15; je 2f; orq $0x040, (%rsp); 2:\n"
    "    movabs $0x7777777777777777, %rax; cmp %rax, %r8;  je 2f; orq $0x020, (%rsp); 2:\n"
    "    movabs $0x8888888888888888, %rax; cmp %rax, %r9;  je 2f; orq $0x010, (%rsp); 2:\n"
    "    movabs $0x9999999999999999, %rax; cmp %rax, %r10; je 2f; orq $0x008, (%rsp); 2:\n"
    "    movabs $0xaaaaaaaaaaaaaaaa, %rax; cmp %rax, %rdx; je 2f; orq $0x004, (%rsp); 2:\n"
    "    movabs $0xbbbbbbbbbbbbbbbb, %rax; cmp %rax, %rsi; je 2f; orq $0x002, (%rsp); 2:\n"
    "    movabs $0xcccccccccccccccc, %rax; cmp %rax, %rdi; je 2f; orq $0x001, (%rsp); 2:\n"
    "    pop %rax\n"
    "    pop %rcx\n"
    "    pop %r11\n"
    "    pop %rdi\n"
    "    mov %rax, 0(%rdi)\n"
    "    mov %rcx, 8(%rdi)\n"
    "    mov %r11, 16(%rdi)\n"
    "    lea 1b(%rip), %rax\n"
    "    mov %rax, 24(%rdi)\n"
    "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "    ret\n"
    "    .popsection\n");

/* Writes a different word into each of n demand-zero pages after checking
 * that it reads zero, then reads them all back: 0 when all held. */
static long probe_demand(uint64_t n)
{
    volatile uint64_t *base = (volatile uint64_t *)USER_DZ_BASE;
    long bad = 0;

    for (uint64_t i = 0; i < n; i++) {
        if (base[i * 512] != 0)
            bad++;
        base[i * 512] = 0x5a5a000000000000UL | i;
    }
    for (uint64_t i = 0; i < n; i++)
        if (base[i * 512] != (0x5a5a000000000000UL | i))
            bad++;
    return bad;
}

/* Port I/O under a virtual IOPL of 3: the CMOS index latch at 0x70 and
 * the hypervisor's COM1 scratch register 0x3ff, between a cli and an sti
 * (rflags read between them). */
static void probe_ports(void)
{
    uint8_t latch, scratch;
    uint64_t flags;

    __asm__ volatile("cli\n\t"
                     "mov $0x0b, %%al; outb %%al, $0x70; inb $0x70, %%al; mov %%al, %0\n\t"
                     "mov $0x3ff, %%edx; mov $0x5a, %%al; outb %%al, %%dx; inb %%dx, %%al\n\t"
                     "mov %%al, %1\n\t"
                     "pushf; pop %2\n\t"
                     "sti"
                     : "=&r"(latch), "=&r"(scratch), "=&r"(flags) : : "rax", "rdx", "memory");
    u_report(latch, scratch, flags);
}

void user_probe(uint64_t action, uint64_t param)
{
    uint64_t out[4];
    long pid;

    switch (action) {
    case PROBE_EXIT:
        u_exit((long)param);
    case PROBE_READ:
        u_report(*(volatile uint64_t *)(uintptr_t)param, 0, 0);
        break;
    case PROBE_WRITE:
        *(volatile uint64_t *)(uintptr_t)param = 0;
        break;
    case PROBE_EXEC:
        ((void (*)(void))(uintptr_t)param)();
        break;
    case PROBE_INT:     probe_int(param); break;
    case PROBE_INT3:    run_stub(probe_int3, probe_int3, 1); break;
    case PROBE_PRIV:    probe_priv(param); break;
    case PROBE_STATE:   probe_state(); break;
    case PROBE_SYSCALL_REGS:
        probe_syscall_regs(out);
        u_report(out[0], out[1] - out[3], out[2]);
        break;
    case PROBE_DEMAND:
        u_exit(probe_demand(param));
    case PROBE_SPAWN:
        pid = u_spawn("probe", PROBE_EXIT, param);
        u_exit(pid < 0 ? pid : u_wait(pid));
    case PROBE_UD2:     run_stub(probe_ud2, probe_ud2, 2); break;
    case PROBE_DIV0:    run_stub(probe_div0, probe_div0_insn, 3); break;
    case PROBE_SYSCALL_BAD:
        u_exit(usys(0x7fff, 0, 0, 0));
    case PROBE_WRITE_BAD:
        u_exit(u_write((const char *)(uintptr_t)param, 8));
    case PROBE_MOVSS_SYSCALL:
        u_exit(probe_movss_syscall(param));
    case PROBE_PORTS:   probe_ports(); break;
    case PROBE_BAD_RSP:
        probe_bad_rsp_run(probe_bad_rsp, probe_bad_rsp_ud2, param);
        break;
    case PROBE_BAD_RSP_PUSH:
        probe_bad_rsp_run(probe_bad_rsp_push, probe_bad_rsp_push_insn, param);
        break;
    case PROBE_READ_FS: {
        uint64_t v, sel;

        __asm__ volatile("mov %%fs:(%2), %0; mov %%fs, %1" : "=r"(v), "=r"(sel) : "r"(param));
        u_report(v, sel, 0);
        break;
    }
    case PROBE_READ_GS: {
        uint64_t v, sel;

        __asm__ volatile("mov %%gs:(%2), %0; mov %%gs, %1" : "=r"(v), "=r"(sel) : "r"(param));
        u_report(v, sel, 0);
        break;
    }
    default:
        u_exit(-1);
    }
    u_exit(0);
}
