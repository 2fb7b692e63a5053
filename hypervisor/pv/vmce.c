/*
 * vmce.c: the machine-check MSRs of a PV guest, as Xen's vMCE shows them
 * (xen/arch/x86/cpu/mcheck/vmce.c). CPUID shows MCE and MCA to Linux, which
 * then reads MCG_CAP, MCG_STATUS and each bank's registers at boot and
 * panics ("MCA architectural violation") if they fault. The host's machine
 * checks are the hypervisor's; a guest never sees them, so:
 *  1. MCG_CAP: VMCE_BANKS banks and nothing else (no MCG_CTL, no CMCI, no
 *     extended registers): Xen's value for AMD hosts, for every host here;
 *  2. MCG_STATUS and each bank's STATUS, ADDR and MISC read 0 (no error),
 *     each bank's CTL reads all ones (every error class enabled), as Xen;
 *  3. writes to MCG_STATUS, MCG_CAP (read-only: a write changes nothing,
 *     as Xen treats it) and to the banks' registers are taken and dropped;
 *  4. anything else, MCG_CTL included (MCG_CAP says it is absent) and banks
 *     at or past VMCE_BANKS, is not a vMCE MSR: the guest's #GP.
 */
#include "vmce.h"

#define BANK_REGS 4
#define BANK_CTL  0

/* Register index within a bank of msr (0 CTL .. 3 MISC), or -1. */
static int bank_reg(uint32_t msr)
{
    if (msr < MSR_MC0_CTL || msr >= MSR_MC0_CTL + VMCE_BANKS * BANK_REGS)
        return -1;
    return (int)((msr - MSR_MC0_CTL) % BANK_REGS);
}

bool vmce_rdmsr(uint32_t msr, uint64_t *val)
{
    int reg = bank_reg(msr);

    if (msr == MSR_MCG_CAP)
        *val = VMCE_BANKS;
    else if (msr == MSR_MCG_STATUS)
        *val = 0;
    else if (reg >= 0)
        *val = reg == BANK_CTL ? ~0ULL : 0;
    else
        return false;
    return true;
}

bool vmce_wrmsr(uint32_t msr, uint64_t val)
{
    (void)val;                               /* rule 3: nothing to keep */
    return msr == MSR_MCG_CAP || msr == MSR_MCG_STATUS || bank_reg(msr) >= 0;
}
