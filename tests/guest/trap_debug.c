/*
 * Test trap_debug: #DB and the debug registers.
 *
 * What: #DB from int1 (icebp) and from single-stepping with RFLAGS.TF
 * (the trap comes after the instruction that follows the popf setting TF,
 * and get_debugreg(6) then shows DR6.BS); set_debugreg/get_debugreg: DR0-3
 * take guest addresses (kernel and user halves) and refuse, with -EPERM,
 * addresses inside the hypervisor's range [0xffff800000000000,
 * 0xffff880000000000) and non-canonical ones; DR7 refuses the general-
 * detect bit GD and bits above 31; a write watchpoint on a variable
 * (DR0 + DR7) raises #DB after the write, with DR6.B0; get_debugreg of a
 * register that does not exist is refused.
 * Why: the debug registers are the one piece of real CPU state a PV guest
 * can aim at arbitrary addresses: a breakpoint inside the hypervisor would
 * let a guest trap the hypervisor itself (xen-pv-abi.md 2.5).
 * Expected (real Xen 4.17): see each check; what Xen answers is the oracle.
 */
#include "traptest.h"

static const char test_title[] = "#DB (int1, TF), set/get_debugreg rules, a watchpoint";

#define DR6_B0      (1UL << 0)
#define DR6_BS      (1UL << 14)
#define DR6_CLEAR   0xffff0ff0UL
#define DR7_L0      (1UL << 0)
#define DR7_GD      (1UL << 13)
#define DR7_W0_8B   ((1UL << 16) | (3UL << 18))    /* RW0 = write, LEN0 = 8 bytes */

static volatile uint64_t watched;

static bool clear_tf(struct regs *r)
{
    r->rflags &= ~RFLAGS_TF;
    return true;
}

static void test_int1(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    TRAP_AT(s, "", ".byte 0xf1");               /* int1 / icebp */
    check_kernel_trap("int1 (icebp)", n, X86_DB, 0, s, true);
    test_info("DR6 after int1: %s", rc_name(HYPERVISOR_get_debugreg(6)));
}

static void test_single_step(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();
    long dr6;

    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    trap_set_hook(X86_DB, clear_tf);
    /* TF takes effect after the instruction following popf: the trap's RIP
     * is after the nop. */
    __asm__ volatile("lea 2f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "pushf\n\t"
                     "orq $0x100, (%%rsp)\n\t"
                     "popf\n\t"
                     "1: nop\n\t"
                     "2:\n\t"
                     : "=&r"(s.rip), "=&r"(s.rsp) : : "memory", "cc");
    trap_set_hook(X86_DB, NULL);
    check_kernel_trap("single step (TF)", n, X86_DB, 0, s, false);
    check_true("  ... TF was set in the frame's RFLAGS", trap_last.rflags & RFLAGS_TF);
    check_true("  ... TF is clear again", !(read_rflags() & RFLAGS_TF));
    dr6 = HYPERVISOR_get_debugreg(6);
    if (!(dr6 & (long)DR6_BS))
        test_failure("get_debugreg(6) after a single step = %#lx: BS (bit 14) not set", dr6);
    else
        printk("  ok   get_debugreg(6) = %#lx: BS set\n", dr6);
}

static void test_debugreg_rules(void)
{
    uint64_t kva = (uint64_t)(uintptr_t)&watched;

    check_rc("set_debugreg(0, kernel address)", HYPERVISOR_set_debugreg(0, kva), 0);
    check_rc("get_debugreg(0)", HYPERVISOR_get_debugreg(0), (long)kva);
    check_rc("set_debugreg(1, user address)", HYPERVISOR_set_debugreg(1, USER_CODE_BASE), 0);
    check_rc("get_debugreg(1)", HYPERVISOR_get_debugreg(1), (long)USER_CODE_BASE);
    check_rc("set_debugreg(2, start of the hypervisor range)",
             HYPERVISOR_set_debugreg(2, HYPERVISOR_VIRT_START), -XEN_EPERM);
    check_rc("set_debugreg(2, the hypervisor's image 0xffff82d040000000)",
             HYPERVISOR_set_debugreg(2, 0xffff82d040000000UL), -XEN_EPERM);
    check_rc("set_debugreg(2, last byte of the hypervisor range)",
             HYPERVISOR_set_debugreg(2, HYPERVISOR_VIRT_END - 1), -XEN_EPERM);
    check_rc("set_debugreg(2, end of the hypervisor range)",
             HYPERVISOR_set_debugreg(2, HYPERVISOR_VIRT_END), 0);
    check_rc("set_debugreg(3, non-canonical)",
             HYPERVISOR_set_debugreg(3, BAD_VA_NONCANONICAL), -XEN_EPERM);
    check_rc("get_debugreg(2) unchanged by the refusals", HYPERVISOR_get_debugreg(2),
             (long)HYPERVISOR_VIRT_END);
    check_rc("set_debugreg(7, GD)", HYPERVISOR_set_debugreg(7, DR7_GD | 0x400), -XEN_EPERM);
    check_rc("set_debugreg(7, bit 32)", HYPERVISOR_set_debugreg(7, 1UL << 32), -XEN_EINVAL);
    check_rc("set_debugreg(6, bit 32)", HYPERVISOR_set_debugreg(6, 1UL << 32), -XEN_EINVAL);
    check_rc("set_debugreg(8, 0)", HYPERVISOR_set_debugreg(8, 0), -XEN_ENODEV);
    check_rc("get_debugreg(8)", HYPERVISOR_get_debugreg(8), -XEN_ENODEV);
    check_rc("get_debugreg(7) still 0", HYPERVISOR_get_debugreg(7) & ~0x400L, 0);
    for (int i = 0; i < 4; i++)
        HYPERVISOR_set_debugreg(i, 0);
}

static void test_watchpoint(void)
{
    struct trap_site s;
    uint64_t n;
    long dr6;

    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
    if (!check_rc("set_debugreg(0, &watched)",
                  HYPERVISOR_set_debugreg(0, (uint64_t)(uintptr_t)&watched), 0) ||
        !check_rc("set_debugreg(7, L0 | write | 8 bytes)",
                  HYPERVISOR_set_debugreg(7, DR7_L0 | DR7_W0_8B | 0x400), 0))
        return;
    n = traps_seen();
    __asm__ volatile("lea 2f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: movq $42, %2\n\t"
                     "2:\n\t" EXTABLE(2b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp), "=m"(watched) : : "rcx", "r11", "memory");
    check_rc("set_debugreg(7, 0)", HYPERVISOR_set_debugreg(7, 0x400), 0);
    check_kernel_trap("write to a watched variable", n, X86_DB, 0, s, true);
    dr6 = HYPERVISOR_get_debugreg(6);
    if (!(dr6 & (long)DR6_B0))
        test_failure("get_debugreg(6) after the watchpoint = %#lx: B0 not set", dr6);
    else
        printk("  ok   get_debugreg(6) = %#lx: B0 set\n", dr6);
    check_true("the write happened", watched == 42);
    HYPERVISOR_set_debugreg(0, 0);
    HYPERVISOR_set_debugreg(6, DR6_CLEAR);
}

static void test_main(void)
{
    test_int1();
    test_single_step();
    test_debugreg_rules();
    test_watchpoint();
    test_success(NULL);
}

const struct guest_test test_trap_debug = { "trap_debug", test_title, test_main };
