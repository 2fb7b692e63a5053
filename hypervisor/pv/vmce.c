/*
 * vmce.c: the machine-check MSRs of a PV guest, as Xen's vMCE shows them
 * (xen/arch/x86/cpu/mcheck/vmce.c; each value checked on Xen 4.17 by the
 * guest test trap_msr_mce). CPUID shows MCE and MCA to Linux, which reads
 * MCG_CAP, MCG_STATUS and each bank's registers at boot and panics ("MCA
 * architectural violation") if they fault. The host's machine checks are
 * the hypervisor's; a guest never sees one, so:
 *  1. MCG_CAP: VMCE_BANKS banks and nothing else (no MCG_CTL, no CMCI, no
 *     extended registers): Xen's value under QEMU's AMD model, here for
 *     every host;
 *  2. MCG_STATUS, MCG_CTL (absent per MCG_CAP) and every bank register
 *     read 0 (no error), but a present bank's CTL, all ones (every error
 *     class enabled); banks up to VMCE_MAX_BANKS exist as MSRs, as on
 *     Xen, whatever MCG_CAP says, and so do their CTL2 registers;
 *  3. writes to all of these are taken and dropped (MCG_CAP is read-only:
 *     a write changes nothing, as Xen treats it);
 *  4. any other MSR is not a vMCE one: the guest's #GP.
 */
#include "vmce.h"

#define BANK_REGS 4
#define BANK_CTL  0

static bool in_range(uint32_t msr, uint32_t first, uint32_t count)
{
    return msr >= first && msr - first < count;
}

bool vmce_rdmsr(uint32_t msr, uint64_t *val)
{
    uint32_t bank = (msr - MSR_MC0_CTL) / BANK_REGS;

    if (msr == MSR_MCG_CAP)
        *val = VMCE_BANKS;
    else if (msr == MSR_MCG_STATUS || msr == MSR_MCG_CTL ||
             in_range(msr, MSR_MC0_CTL2, VMCE_MAX_BANKS))
        *val = 0;
    else if (in_range(msr, MSR_MC0_CTL, VMCE_MAX_BANKS * BANK_REGS))
        *val = ((msr - MSR_MC0_CTL) % BANK_REGS == BANK_CTL && bank < VMCE_BANKS) ? ~0ULL : 0;
    else
        return false;
    return true;
}

bool vmce_wrmsr(uint32_t msr, uint64_t val)
{
    uint64_t ignored;

    (void)val;                               /* rule 3: nothing to keep */
    return vmce_rdmsr(msr, &ignored);
}
