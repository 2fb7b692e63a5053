/* The CPUID a 64-bit PV guest is told: see cpuid_policy.c. */
#ifndef CPUID_POLICY_H
#define CPUID_POLICY_H

#include <stdint.h>

struct cpuid_leaf {
    uint32_t eax, ebx, ecx, edx;
};

/* Turns *c, what the CPU answered for leaf/subleaf, into what the guest
 * is told (the hypervisor leaves 0x40000000-0x400000ff are Tern's own,
 * whatever *c held). */
void cpuid_policy(uint32_t leaf, uint32_t subleaf, struct cpuid_leaf *c);

#endif /* CPUID_POLICY_H */
