/*
 * Privileged x86 instructions as inline functions: control registers, MSRs,
 * CPUID, interrupts. Arch code only.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <stdint.h>

#define X86_CR0_PE  (1UL << 0)
#define X86_CR0_WP  (1UL << 16)
#define X86_CR0_PG  (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define MSR_EFER    0xc0000080
#define EFER_SCE    (1UL << 0)
#define EFER_LME    (1UL << 8)
#define EFER_NXE    (1UL << 11)
#define MSR_STAR    0xc0000081
#define MSR_LSTAR   0xc0000082
#define MSR_CSTAR   0xc0000083
#define MSR_SFMASK  0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102


#define DEFINE_READ_CR(n)                                   \
    static inline uint64_t read_cr##n(void)                 \
    {                                                       \
        uint64_t v;                                         \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));   \
        return v;                                           \
    }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

#define X86_CR0_TS  (1UL << 3)

static inline void write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx),
                     "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

static inline void local_irq_enable(void)  { __asm__ volatile("sti" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_relax(void)         { __asm__ volatile("pause"); }

/* Atomically enable interrupts and halt until the next one arrives. */
static inline void safe_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The time-stamp counter; not serialising, which calibration tolerates. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC at the hypervisor's entry (boot.S, right after the long-mode
 * check): where the boot's cost is counted from. */
extern uint64_t hv_entry_tsc;

static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

#endif /* ASM_CPU_H */
