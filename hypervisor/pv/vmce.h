/*
 * The machine-check MSRs a PV guest sees (vmce.c, pure): Xen's virtual
 * MCE, with no error ever reported.
 */
#ifndef VMCE_H
#define VMCE_H

#include "lib.h"

#define MSR_MCG_CAP       0x179
#define MSR_MCG_STATUS    0x17a
#define MSR_MCG_CTL       0x17b
#define MSR_MC0_CTL       0x400     /* bank i: CTL, STATUS, ADDR, MISC at 0x400 + 4i */
#define MSR_MC0_CTL2      0x280     /* bank i: CTL2 (CMCI) at 0x280 + i */
#define VMCE_BANKS        2         /* Xen's GUEST_MC_BANK_NUM */
#define VMCE_MAX_BANKS    32        /* bank MSRs that exist at all */

/* rdmsr of msr by a PV guest: true with *val if it is a vMCE MSR, false
 * (the guest's #GP) otherwise. */
bool vmce_rdmsr(uint32_t msr, uint64_t *val);
/* wrmsr: true if the write is taken (and dropped: no state to change). */
bool vmce_wrmsr(uint32_t msr, uint64_t val);

#endif /* VMCE_H */
