/*
 * Test trap_debug_hv: breakpoints and exceptions a guest aims at the
 * hypervisor's entry and exit paths (issue 10).
 *
 * What:
 *  - a read/write data breakpoint (DR0 + DR7, 8 bytes) on a buffer, then
 *    hypercalls that read it (console_io write, memory_op
 *    current_reservation's domid, mmuext_op's op) and write it (xen_version
 *    extraversion, mmuext_op's pdone): each succeeds, and the guest sees no
 *    #DB and no DR6 change; the breakpoint still fires on the guest's own
 *    accesses before and after (so the silence is the hypervisor's doing);
 *  - the CVE-2018-8897 pattern, `mov (watched), %ss` then a hypercall by a
 *    bare `syscall`, then `int3`, from the kernel, and from a user process
 *    whose rsp points into the hypervisor (XTF's xsa-260): the domain
 *    survives and the syscall or #BP happens;
 *  - set_debugreg rules beyond trap_debug's: an enabled I/O breakpoint is
 *    refused (-EPERM), a disabled one kept; reserved DR6/DR7 bits read back
 *    as the CPU has them; the last breakpoint addresses below and above the
 *    hypervisor's range; DR4/DR5 alias DR6/DR7; the emulated mov to %dr7
 *    and %dr0 follow the same rules (#GP on refusal);
 *  - a hypercall `syscall` at the last two bytes of the lower canonical
 *    half, and an emulated `mov %cr0, %rax` at its last three, whose return
 *    address 0x0000800000000000 is not canonical (CVE-2012-0217 class):
 *    the guest takes #GP(0) at that address, in kernel mode.
 * Why: the guest's debug registers stay armed while the hypervisor runs; a
 * MOV SS / POP SS delays a #DB past the next instruction, so on hardware it
 * reaches the hypervisor's first instruction in ring 0 with the guest's rsp;
 * and a non-canonical return RIP makes iretq fault in ring 0 on Intel CPUs.
 * Any of these unhandled is a crash or an escape (entry.S explains).
 * Expected (real Xen 4.17, under QEMU as on hardware where noted): every
 * hypercall succeeds; hypervisor accesses to the watched buffer raise no
 * #DB the guest sees (Xen notes its own and drops them; Tern reaches guest
 * memory through its direct map, which the breakpoint does not match).
 * MOV SS + syscall/int3: QEMU delivers the data breakpoint's #DB before the
 * syscall or int3, in the guest (B0 in DR6); real hardware delivers it to
 * the hypervisor, which drops it: the test accepts exactly these two
 * outcomes, and the syscall's or int3's own effect must follow either way.
 */
#include "mmtest.h"
#include "traptest.h"

static const char test_title[] = "breakpoints and exceptions aimed at the hypervisor's entry paths";

#define DR6_CLEAR   0xffff0ff0UL
#define DR6_B0      (1UL << 0)
#define DR7_FIXED   0x400UL
#define DR7_L0      (1UL << 0)
#define DR7_GD      (1UL << 13)
#define DR7_RW0_8B  ((3UL << 16) | (2UL << 18))     /* R/W0 = read/write, LEN0 = 8 */
#define DR7_IO0     (2UL << 16)                     /* R/W0 = I/O */
#define EDGE_PAGE   0x00007ffffffff000UL            /* last page of the lower half */
#define EDGE_RIP    0x0000800000000000UL            /* first non-canonical address */
#define HV_RSP      0xffff82d040200000UL            /* inside the hypervisor's image */

/* The watched buffer; its first 8 bytes are the breakpoint's. */
static union {
    uint64_t q[4];
    char text[32];
    domid_t domid;
    unsigned int pdone;
    struct mmuext_op op;
} watched __attribute__((aligned(32)));

static bool watch(uint64_t va)
{
    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    return check_rc("set_debugreg(0, watched)", HYPERVISOR_set_debugreg(0, va), 0) &&
           check_rc("set_debugreg(7, L0 read/write 8 bytes)",
                    HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_RW0_8B | DR7_FIXED), 0);
}

static void unwatch(void)
{
    HYPERVISOR_set_debugreg(7, DR7_FIXED);
    HYPERVISOR_set_debugreg(0, 0);
    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
}

/* The guest's own read of the buffer traps, with B0: the breakpoint works. */
static void check_armed(const char *when)
{
    struct trap_site s;
    uint64_t n = traps_seen();
    char what[64];

    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    __asm__ volatile("lea 2f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: mov %2, %%rax\n\t"
                     "2:\n\t" EXTABLE(2b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp) : "m"(watched.q[0]) : "rax", "rcx", "r11");
    snprintf(what, sizeof(what), "the guest's read of the buffer %s", when);
    check_kernel_trap(what, n, X86_DB, 0, s, true);
    check_true("  ... DR6.B0 set", (uint64_t)HYPERVISOR_get_debugreg(6) & DR6_B0);
    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
}

static bool has_nul(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i])
            return true;
    return false;
}

/* After a hypercall that touched the buffer: no #DB, DR6 as it was. */
static void check_silent(const char *what, uint64_t before)
{
    char msg[96];

    snprintf(msg, sizeof(msg), "  ... no #DB for the guest (%s)", what);
    check_rc(msg, (long)(traps_seen() - before), 0);
    snprintf(msg, sizeof(msg), "  ... DR6 unchanged (%s)", what);
    check_hex(msg, (uint64_t)HYPERVISOR_get_debugreg(6), DR6_CLEAR);
}

/* One hypercall on the buffer, armed only around the call itself (the
 * guest's own accesses before and after would trap). */
static long armed_call(long (*call)(void))
{
    long rc;

    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_RW0_8B | DR7_FIXED);
    rc = call();
    HYPERVISOR_set_debugreg(7, DR7_FIXED);
    return rc;
}

static long call_console_write(void)
{
    return HYPERVISOR_console_io(CONSOLEIO_write, 7, watched.text);
}

static long call_current_reservation(void)
{
    return HYPERVISOR_memory_op(XENMEM_current_reservation, &watched.domid);
}

static long call_mmuext_op(void)
{
    unsigned int done;

    return HYPERVISOR_mmuext_op(&watched.op, 1, &done, DOMID_SELF);
}

static long call_extraversion(void)
{
    return HYPERVISOR_xen_version(XENVER_extraversion, watched.text);
}

static long call_mmuext_pdone(void)
{
    static struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    return HYPERVISOR_mmuext_op(&flush, 1, &watched.pdone, DOMID_SELF);
}

static void test_hypercalls_on_watched_buffer(void)
{
    uint64_t n;
    long rc;

    if (!watch(hc_ptr(&watched.q[0])))
        return;
    check_armed("before the hypercalls");
    HYPERVISOR_set_debugreg(7, DR7_FIXED);

    memcpy(watched.text, "hv-dbg\n", 8);
    n = traps_seen();
    check_rc("console_io(write) from the watched buffer", armed_call(call_console_write), 0);
    check_silent("console_io reads it", n);

    watched.domid = DOMID_SELF;
    n = traps_seen();
    rc = armed_call(call_current_reservation);
    check_true("memory_op(current_reservation, domid in the watched buffer) > 0", rc > 0);
    check_silent("memory_op reads it", n);

    memset(&watched, 0, sizeof(watched));
    watched.op.cmd = MMUEXT_TLB_FLUSH_LOCAL;
    n = traps_seen();
    check_rc("mmuext_op(TLB_FLUSH_LOCAL) from the watched buffer",
             armed_call(call_mmuext_op), 0);
    check_silent("mmuext_op reads its op", n);

    memset(&watched, 0xff, sizeof(watched));
    n = traps_seen();
    check_rc("xen_version(extraversion) into the watched buffer",
             armed_call(call_extraversion), 0);
    check_silent("xen_version writes it", n);
    check_true("  ... a string was written", has_nul(watched.text, sizeof(watched.text)));

    memset(&watched, 0xff, sizeof(watched));
    n = traps_seen();
    check_rc("mmuext_op with pdone in the watched buffer", armed_call(call_mmuext_pdone), 0);
    check_silent("mmuext_op writes pdone", n);
    check_rc("  ... pdone written", (long)watched.pdone, 1);

    HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_RW0_8B | DR7_FIXED);
    check_armed("after the hypercalls");
    unwatch();
}

/* What a #DB hook saw: the test accepts none (hardware: the hypervisor got
 * it) or one, from the given mode, at the given instruction, with B0. */
static volatile uint64_t db_count, db_rip, db_user;

static bool db_hook(struct regs *r)
{
    db_count++;
    db_rip = r->rip;
    db_user = regs_user_mode(r);
    return true;                                   /* resume at the syscall / int3 */
}

static void check_delayed_db(const char *what, uint64_t insn, bool user)
{
    char msg[96];

    if (db_count == 0) {
        test_info("%s: no #DB in the guest (the hypervisor took it, as on hardware)", what);
        return;
    }
    snprintf(msg, sizeof(msg), "%s: one #DB in the guest", what);
    check_rc(msg, (long)db_count, 1);
    snprintf(msg, sizeof(msg), "  ... at the instruction after MOV SS, %s mode",
             user ? "user" : "kernel");
    check_true(msg, db_rip == insn && db_user == user);
    check_true("  ... DR6.B0 set", (uint64_t)HYPERVISOR_get_debugreg(6) & DR6_B0);
    printk("  ok   %s: #DB delivered before it, in the guest (QEMU's order)\n", what);
}

static void test_movss_hypercall(void)
{
    uint16_t ss;
    uint64_t insn;
    long rc, want = HYPERVISOR_xen_version(XENVER_version, NULL);

    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    watched.q[0] = ss;
    if (!watch(hc_ptr(&watched.q[0])))
        return;
    db_count = 0;
    trap_set_hook(X86_DB, db_hook);
    {
        register uint64_t r9 __asm__("r9") = hc_ptr(&watched.q[0]);

        __asm__ volatile("lea 1f(%%rip), %1\n\t"
                         "mov (%%r9), %%ss\n\t"
                         "1: syscall"
                         : "=a"(rc), "=&r"(insn), "+r"(r9)
                         : "a"((uint64_t)__HYPERVISOR_xen_version),
                           "D"((uint64_t)XENVER_version), "S"(0UL)
                         : "rcx", "rdx", "r11", "memory");
    }
    trap_set_hook(X86_DB, NULL);
    check_rc("mov (watched), %ss; syscall (xen_version)", rc, want);
    check_delayed_db("mov %ss; syscall", insn, false);
    unwatch();
}

static void test_movss_int3(void)
{
    uint16_t ss;
    struct trap_site s;
    uint64_t n, insn;

    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    watched.q[0] = ss;
    if (!watch(hc_ptr(&watched.q[0])))
        return;
    db_count = 0;
    trap_set_hook(X86_DB, db_hook);
    n = traps_seen();
    {
        register uint64_t r9 __asm__("r9") = hc_ptr(&watched.q[0]);

        __asm__ volatile("lea 1f(%%rip), %0\n\t"
                         "lea 2f(%%rip), %1\n\t"
                         "mov %%rsp, %2\n\t"
                         "mov (%%r9), %%ss\n\t"
                         "1: int3\n\t"
                         "2:\n\t" EXTABLE(2b, 2b)
                         : "=&r"(insn), "=&r"(s.rip), "=&r"(s.rsp), "+r"(r9)
                         : : "memory");
    }
    trap_set_hook(X86_DB, NULL);
    check_kernel_trap("mov (watched), %ss; int3", n + db_count, X86_BP, 0, s, false);
    check_delayed_db("mov %ss; int3", insn, false);
    unwatch();
}

/* XTF's xsa-260, from a user process with its rsp inside the hypervisor. */
static void test_movss_user_syscall(void)
{
    struct probe_run run;
    uint64_t ss_va = user_code_address(&probe_movss_ss);

    if (!watch(ss_va))
        return;
    db_count = 0;
    trap_set_hook(X86_DB, db_hook);
    probe_run(PROBE_MOVSS_SYSCALL, HV_RSP, &run);
    trap_set_hook(X86_DB, NULL);
    check_rc("user: rsp in the hypervisor, mov (watched), %ss; syscall: exit status",
             run.status, 0);
    check_hex("  ... its system call ran (SYS_report)", run.report[0], PROBE_MOVSS_MAGIC);
    check_hex("  ... with the rsp it chose", run.report[2], HV_RSP);
    check_delayed_db("user mov %ss; syscall", run.report[1], true);
    unwatch();
}

static void test_debugreg_rules(void)
{
    check_rc("set_debugreg(7, L0 + I/O breakpoint)",
             HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_IO0 | DR7_FIXED), -XEN_EPERM);
    check_rc("set_debugreg(7, I/O R/W with nothing enabled)",
             HYPERVISOR_set_debugreg(7, DR7_IO0 | DR7_FIXED), 0);
    check_hex("  ... get_debugreg(7)", (uint64_t)HYPERVISOR_get_debugreg(7), DR7_IO0 | DR7_FIXED);
    check_rc("set_debugreg(7, reserved bits 11, 12, 14, 15)",
             HYPERVISOR_set_debugreg(7, 0xd800), 0);
    check_hex("  ... read back as 0, bit 10 as 1", (uint64_t)HYPERVISOR_get_debugreg(7),
              DR7_FIXED);
    check_rc("set_debugreg(6, 0)", HYPERVISOR_set_debugreg(6, 0), 0);
    check_hex("  ... reserved bits read back as 1", (uint64_t)HYPERVISOR_get_debugreg(6),
              DR6_CLEAR);
    check_rc("set_debugreg(5, L0): DR5 is DR7",
             HYPERVISOR_set_debugreg(5, DR7_L0 | DR7_FIXED), 0);
    check_hex("  ... get_debugreg(7)", (uint64_t)HYPERVISOR_get_debugreg(7), DR7_L0 | DR7_FIXED);
    check_hex("  ... get_debugreg(5)", (uint64_t)HYPERVISOR_get_debugreg(5), DR7_L0 | DR7_FIXED);
    check_rc("set_debugreg(5, GD): as DR7", HYPERVISOR_set_debugreg(5, DR7_GD), -XEN_EPERM);
    HYPERVISOR_set_debugreg(7, DR7_FIXED);
    check_rc("set_debugreg(0, last 8 bytes of the lower half)",
             HYPERVISOR_set_debugreg(0, 0x00007ffffffffff8UL), 0);
    check_rc("set_debugreg(0, first address above the lower half)",
             HYPERVISOR_set_debugreg(0, EDGE_RIP), -XEN_EPERM);
    check_rc("set_debugreg(1, last 8 bytes of the hypervisor range)",
             HYPERVISOR_set_debugreg(1, HYPERVISOR_VIRT_END - 8), -XEN_EPERM);
    check_hex("get_debugreg(0) kept the accepted one", (uint64_t)HYPERVISOR_get_debugreg(0),
              0x00007ffffffffff8UL);
    HYPERVISOR_set_debugreg(0, 0);
}

/* mov to %drN from the kernel is emulated with the same rules. */
static void test_emulated_mov_dr(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT_IN(s, "", "mov %2, %%dr7", DR7_GD | DR7_FIXED);
    check_kernel_trap("mov GD to %dr7", n, X86_GP, 0, s, true);
    n = traps_seen();
    FAULT_AT_IN(s, "", "mov %2, %%dr0", 0xffff82d040000000UL);
    check_kernel_trap("mov a hypervisor address to %dr0", n, X86_GP, 0, s, true);
    check_rc("  ... get_debugreg(0) unchanged", HYPERVISOR_get_debugreg(0), 0);
    check_rc("  ... get_debugreg(7) unchanged", HYPERVISOR_get_debugreg(7), (long)DR7_FIXED);
}

static uint64_t edge_resume;

static bool edge_hook(struct regs *r)
{
    if (r->rip != EDGE_RIP)
        return false;
    r->rip = edge_resume;
    return true;
}

/* Runs `code` placed at the very end of the lower half, entered with
 * rax/rdi/rsi set for xen_version(XENVER_version); its RIP afterwards is
 * 0x0000800000000000, which the guest must get a #GP(0) for, in kernel
 * mode, exactly once. Returns rax as the code left it. */
static long run_at_edge(const char *what, const uint8_t *code, unsigned int len)
{
    struct test_page p;
    uint64_t n, target = EDGE_PAGE + PAGE_SIZE - len;
    long rc = -1;
    char msg[96];

    if (!tp_alloc(&p))
        return rc;
    memcpy((uint8_t *)p.va + PAGE_SIZE - len, code, len);
    if (!check_rc("map a page at 0x7ffffffff000",
                  map_at(EDGE_PAGE, p.mfn, PTE_PAGE_RW | PTE_USER), 0)) {
        tp_free(&p);
        return rc;
    }
    trap_set_hook(X86_GP, edge_hook);
    n = traps_seen();
    __asm__ volatile("lea 2f(%%rip), %%r12\n\t"
                     "mov %%r12, %2\n\t"
                     "jmp *%1\n\t"
                     "2:"
                     : "=a"(rc), "+r"(target), "=m"(edge_resume)
                     : "a"((uint64_t)__HYPERVISOR_xen_version), "D"((uint64_t)XENVER_version),
                       "S"(0UL)
                     : "rcx", "rdx", "r11", "r12", "memory");
    trap_set_hook(X86_GP, NULL);
    snprintf(msg, sizeof(msg), "%s: then one exception", what);
    check_rc(msg, (long)(traps_seen() - n), 1);
    check_rc("  ... #GP", (long)trap_last.vector, X86_GP);
    check_hex("  ... at 0x800000000000", trap_last.rip, EDGE_RIP);
    check_hex("  ... error code 0", trap_last.error_code, 0);
    check_true("  ... in kernel mode", !trap_last.user);
    unmap_at(EDGE_PAGE);
    tp_free(&p);
    return rc;
}

/* The hypercall runs, then its return address is not canonical. */
static void test_noncanonical_return(void)
{
    static const uint8_t syscall_insn[] = { 0x0f, 0x05 };
    static const uint8_t mov_cr0[] = { 0x0f, 0x20, 0xc0 };   /* mov %cr0, %rax */
    long want = HYPERVISOR_xen_version(XENVER_version, NULL);

    check_rc("syscall at 0x7ffffffffffe: xen_version's result",
             run_at_edge("syscall at 0x7ffffffffffe", syscall_insn, sizeof(syscall_insn)),
             want);
    run_at_edge("emulated mov %cr0 at 0x7ffffffffffd", mov_cr0, sizeof(mov_cr0));
}

static void test_main(void)
{
    test_hypercalls_on_watched_buffer();
    test_movss_hypercall();
    test_movss_int3();
    test_movss_user_syscall();
    test_debugreg_rules();
    test_emulated_mov_dr();
    test_noncanonical_return();
    test_success(NULL);
}

const struct guest_test test_trap_debug_hv = { "trap_debug_hv", test_title, test_main };
