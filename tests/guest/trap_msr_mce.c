/*
 * Test trap_msr_mce: the machine-check MSRs a PV kernel reads (Xen's vMCE).
 *
 * What: rdmsr of MCG_CAP (two banks, no MCG_CTL), MCG_STATUS (0), bank 0
 * and 1 CTL (all ones) and STATUS/ADDR/MISC (0); wrmsr of MCG_STATUS 0,
 * a bank's CTL and STATUS (taken); MCG_CTL (absent per MCG_CAP), bank 2's
 * CTL, bank 31's MISC and MC0_CTL2 read 0 without a fault, as Xen answers
 * them; #GP(0) at the instruction past the banks (0x480) and past the
 * CTL2 registers (0x2a0).
 * Why: Linux 6.1 sees MCE and MCA in CPUID, reads these at boot and panics
 * ("MCA architectural violation") when one faults; the host's machine
 * checks are the hypervisor's, so the guest is shown banks with no error.
 * Expected (real Xen 4.17, AMD CPU model under QEMU): as the check lines
 * say.
 */
#include "traptest.h"

static const char test_title[] = "machine-check MSRs: Xen's vMCE, no error ever";

#define MCG_CAP    0x179
#define MCG_STATUS 0x17a
#define MCG_CTL    0x17b
#define MC_CTL(b)  (0x400 + 4 * (b))

/* rdmsr msr: the value, or ~0 with *faulted set. */
static uint64_t rd(uint32_t msr, bool *faulted)
{
    uint64_t n = traps_seen();
    uint32_t lo = 0xffffffff, hi = 0xffffffff;

    __asm__ volatile("1: rdmsr\n2:\n" EXTABLE(1b, 2b)
                     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *faulted = traps_seen() != n;
    return ((uint64_t)hi << 32) | lo;
}

static bool wr_faults(uint32_t msr, uint64_t v)
{
    uint64_t n = traps_seen();

    __asm__ volatile("1: wrmsr\n2:\n" EXTABLE(1b, 2b)
                     : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return traps_seen() != n;
}

static void check_msr(const char *what, uint32_t msr, uint64_t want)
{
    bool faulted;
    uint64_t v = rd(msr, &faulted);

    if (check_true(what, !faulted))
        check_hex("  value", v, want);
}

static void check_gp(const char *what, uint32_t msr)
{
    bool faulted;

    (void)rd(msr, &faulted);
    check_true(what, faulted && trap_last.vector == X86_GP && trap_last.error_code == 0);
}

static void test_main(void)
{
    bool faulted;
    uint64_t cap = rd(MCG_CAP, &faulted);

    if (!check_true("rdmsr MCG_CAP", !faulted))
        return;
    check_hex("  bank count", cap & 0xff, 2);
    check_true("  no MCG_CTL (bit 8 clear)", !(cap & 0x100));
    check_msr("rdmsr MCG_STATUS", MCG_STATUS, 0);
    for (unsigned int b = 0; b < 2; b++) {
        check_msr("rdmsr MCi_CTL", MC_CTL(b), ~0UL);
        check_msr("rdmsr MCi_STATUS", MC_CTL(b) + 1, 0);
        check_msr("rdmsr MCi_ADDR", MC_CTL(b) + 2, 0);
        check_msr("rdmsr MCi_MISC", MC_CTL(b) + 3, 0);
    }
    check_true("wrmsr MCG_STATUS 0", !wr_faults(MCG_STATUS, 0));
    check_true("wrmsr MC0_CTL all ones", !wr_faults(MC_CTL(0), ~0UL));
    check_true("wrmsr MC0_STATUS 0", !wr_faults(MC_CTL(0) + 1, 0));
    check_msr("rdmsr MCG_CTL (absent)", MCG_CTL, 0);
    check_msr("rdmsr MC2_CTL (no bank 2)", MC_CTL(2), 0);
    check_msr("rdmsr MC31_MISC (the last bank's last)", MC_CTL(31) + 3, 0);
    check_msr("rdmsr MC0_CTL2", 0x280, 0);
    check_gp("rdmsr 0x480 (past the banks): #GP(0)", 0x480);
    check_gp("rdmsr 0x2a0 (past CTL2): #GP(0)", 0x2a0);
    test_success(NULL);
}

const struct guest_test test_trap_msr_mce = { "trap_msr_mce", test_title, test_main };
