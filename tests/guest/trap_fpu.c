/*
 * Test trap_fpu: the virtual CR0.TS and the FPU's own exceptions, #NM,
 * #MF and #XM, plus #AC.
 *
 * What:
 *  - fpu_taskswitch(1) sets the virtual TS (an emulated mov %cr0 shows
 *    it), fpu_taskswitch(0) and an emulated clts clear it, and mov to
 *    %cr0 changing only TS is accepted;
 *  - with TS set, an x87 instruction raises #NM (no error code, RIP at
 *    the instruction); delivering it clears the virtual TS, so the
 *    handler may just return and the instruction then completes (a PV ABI
 *    quirk classic Xen kernels rely on: Xen clears TS when it injects #NM);
 *  - an unmasked x87 divide-by-zero raises #MF at the next waiting x87
 *    instruction; an unmasked SSE divide-by-zero raises #XM when the
 *    (virtual) CR4 has OSXMMEXCPT, #UD otherwise;
 *  - #AC: a misaligned load with RFLAGS.AC set faults only where the
 *    real CR0.AM is set; the guest's view of CR0.AM decides what to expect.
 * #XM and #AC are checked only where the CPU raises them: QEMU's TCG, on
 * which both hypervisors run here, raises neither (the SSE divide only
 * sets MXCSR.ZE; alignment is never checked), so those two print an info
 * line there instead.
 * Why: a PV kernel does lazy FPU switching with fpu_taskswitch and #NM
 * (xen-pv-abi.md 2.5) and gets the FPU's exceptions like any trap.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "virtual CR0.TS, #NM, #MF, #XM, #AC";

#define NM_LOOP_LIMIT 3

static unsigned int nm_count;

/* #NM: count, and return without touching TS; if the same #NM keeps
 * coming, clear TS ourselves so the test can go on and report it. */
static bool nm_hook(struct regs *r)
{
    (void)r;
    if (++nm_count >= NM_LOOP_LIMIT)
        HYPERVISOR_fpu_taskswitch(0);
    return true;
}

static void test_ts(void)
{
    uint64_t cr0;

    check_rc("fpu_taskswitch(1)", HYPERVISOR_fpu_taskswitch(1), 0);
    check_true("mov %cr0 shows TS", read_cr0() & CR0_TS);
    check_rc("fpu_taskswitch(0)", HYPERVISOR_fpu_taskswitch(0), 0);
    check_true("mov %cr0 shows TS clear", !(read_cr0() & CR0_TS));
    HYPERVISOR_fpu_taskswitch(1);
    __asm__ volatile("clts" ::: "memory");
    check_true("clts (emulated) clears TS", !(read_cr0() & CR0_TS));
    cr0 = read_cr0() | CR0_TS;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    check_true("mov to %cr0 setting only TS (emulated) sets it", read_cr0() & CR0_TS);
    cr0 &= ~CR0_TS;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    check_true("mov to %cr0 clearing only TS clears it", !(read_cr0() & CR0_TS));
    test_info("virtual CR0 = %#lx, CR4 = %#lx", read_cr0(), read_cr4());
}

static void test_nm(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    nm_count = 0;
    trap_set_hook(X86_NM, nm_hook);
    HYPERVISOR_fpu_taskswitch(1);
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: fnop\n\t"
                     : "=&r"(s.rip), "=&r"(s.rsp) : : "rcx", "r11", "memory");
    trap_set_hook(X86_NM, NULL);
    if (nm_count != 1) {
        test_failure("#NM delivered %u times for one fnop: the virtual TS was not cleared "
                     "when #NM was delivered (Xen clears it)", nm_count);
        return;
    }
    check_kernel_trap("fnop with TS set", n, X86_NM, 0, s, false);
    check_true("TS is clear after #NM was delivered", !(read_cr0() & CR0_TS));
}

static void test_mf(void)
{
    struct trap_site s;
    uint16_t cw = 0x037f & ~0x4;                  /* zero-divide unmasked */
    uint64_t n = traps_seen();

    __asm__ volatile("fninit\n\t"
                     "fldcw %2\n\t"
                     "fldz\n\t"
                     "fld1\n\t"
                     "fdivp\n\t"                  /* 1/0: pending, unmasked */
                     "lea 1f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: fwait\n\t"
                     "2: fnclex\n\t"
                     "fninit\n\t" EXTABLE(1b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp) : "m"(cw) : "rcx", "r11", "memory");
    check_kernel_trap("x87 divide by zero, unmasked", n, X86_MF, 0, s, true);
}

static void test_xm(void)
{
    struct trap_site s;
    uint32_t mxcsr = 0x1f80 & ~0x200U, mxcsr_default = 0x1f80;   /* ZM cleared */
    bool osxmmexcpt = read_cr4() & CR4_OSXMMEXCPT;
    uint64_t n = traps_seen();

    __asm__ volatile("mov $0x3f800000, %%eax\n\t"
                     "movd %%eax, %%xmm0\n\t"     /* 1.0f */
                     "pxor %%xmm1, %%xmm1\n\t"
                     "ldmxcsr %2\n\t"
                     "lea 1f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: divss %%xmm1, %%xmm0\n\t"
                     "2: ldmxcsr %3\n\t" EXTABLE(1b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp) : "m"(mxcsr), "m"(mxcsr_default)
                     : "rax", "rcx", "r11", "memory");
    if (traps_seen() == n) {
        test_info("SSE divide by zero, unmasked: no exception; this CPU does not raise "
                  "#XM (QEMU's TCG does not), nothing to check");
        return;
    }
    check_kernel_trap(osxmmexcpt ? "SSE divide by zero, unmasked (CR4.OSXMMEXCPT)"
                                 : "SSE divide by zero, unmasked (no CR4.OSXMMEXCPT)",
                      n, osxmmexcpt ? X86_XM : X86_UD, 0, s, true);
}

/* #AC: clear AC in the frame; the exception table then skips the load. */
static bool clear_ac(struct regs *r)
{
    r->rflags &= ~RFLAGS_AC;
    return false;
}

static void test_ac(void)
{
    uint64_t buf[2] = { 0, 0 }, cr0 = read_cr0(), n = traps_seen(), rip;
    const uint8_t *misaligned = (const uint8_t *)buf + 1;

    trap_set_hook(X86_AC, clear_ac);
    __asm__ volatile("lea 1f(%%rip), %0\n\t"
                     "pushf\n\t"
                     "orl $0x40000, (%%rsp)\n\t"
                     "popf\n\t"
                     "1: mov (%1), %%eax\n\t"
                     "2: pushf\n\t"
                     "andl $~0x40000, (%%rsp)\n\t"
                     "popf\n\t" EXTABLE(1b, 2b)
                     : "=&r"(rip) : "a"(misaligned) : "memory", "cc");
    trap_set_hook(X86_AC, NULL);
    test_info("guest CR0.AM = %lu; misaligned load with RFLAGS.AC: %lu exception(s)",
              (cr0 & CR0_AM) >> 18, traps_seen() - n);
    if (!(cr0 & CR0_AM))
        check_rc("exceptions for a misaligned load with AC set and CR0.AM clear",
                 (long)(traps_seen() - n), 0);
    else if (traps_seen() == n)
        test_info("no #AC although CR0.AM and AC are set: this CPU does not check "
                  "alignment (QEMU's TCG does not), nothing to check");
    else
        check_kernel_trap("misaligned load with AC set and CR0.AM", n, X86_AC, 0,
                          (struct trap_site){ rip, 0 }, false);
}

static void test_main(void)
{
    test_ts();
    test_nm();
    test_mf();
    test_xm();
    test_ac();
    HYPERVISOR_fpu_taskswitch(0);
    test_success(NULL);
}

const struct guest_test test_trap_fpu = { "trap_fpu", test_title, test_main };
