/*
 * CPU features (cpufeature.c): what CPUID reports, probed once at boot, and
 * which of it the hypervisor turns on. Other code reads cpu_caps and never
 * executes CPUID for a feature itself, so "present" means the same thing
 * everywhere.
 */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <stdbool.h>

struct cpu_caps {
    bool nx;             /* EFER.NXE usable: data mappings are no-execute */
    bool pge;            /* global pages: hypervisor mappings survive CR3 loads */
    bool gbpages;        /* 1 GiB pages: the direct map uses them */
    bool pcid;           /* process-context identifiers (not used yet) */
    bool invpcid;        /* the INVPCID instruction (not used yet) */
    bool smep;           /* CR4.SMEP set: ring 0 never executes user pages */
    bool smap;           /* CR4.SMAP set: ring 0 never touches user pages */
    bool x2apic;         /* x2APIC mode exists (xAPIC MMIO is used anyway) */
    bool xsave;          /* XSAVE family (not used yet) */
    bool fsgsbase;       /* RD/WRFSBASE (not enabled: guests would get them) */
    bool tsc_deadline;   /* LAPIC timer TSC-deadline mode (not used yet) */
    bool invariant_tsc;  /* TSC rate constant across P-, C- and T-states */
    bool apic;           /* an on-chip local APIC */
    bool tsc;            /* the RDTSC instruction */
};

extern struct cpu_caps cpu_caps;

/* Probe with CPUID, enable NX, global pages, SMEP and SMAP where present,
 * and print one line: what is used, what is present but unused, what is
 * absent. Runs once, before the final page tables are built. */
void cpu_probe_features(void);

/*
 * Clear EFLAGS.AC on entry from ring 3: a guest may set AC, and the CPU
 * keeps it across interrupts and exceptions, which would switch SMAP off
 * for the handler. (syscall clears it through SFMASK.) CLAC exists only on
 * CPUs with SMAP.
 */
static inline void cpu_clear_ac(void)
{
    if (cpu_caps.smap)
        __asm__ volatile("clac" ::: "memory");
}

#endif /* ASM_CPUFEATURE_H */
