/*
 * The register frame every exception and interrupt stub builds on the stack
 * (entry.S), lowest address first. entry.S pushes in exactly this order;
 * traps.c checks the layout with _Static_assert against the REGS_* offsets,
 * which are the only numbers entry.S uses.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#define REGS_VECTOR   0x78   /* pushed by the stub */
#define REGS_ERRCODE  0x80   /* pushed by the CPU or, as 0, by the stub */
#define REGS_RIP      0x88   /* hardware frame: rip, cs, rflags, rsp, ss */
#define REGS_CS       0x90
#define REGS_SIZE     0xb0

/* Pseudo vectors in regs->vector for frames built by the syscall entries. */
#define REGS_VECTOR_SYSCALL   0x100
#define REGS_VECTOR_SYSCALL32 0x101

#ifndef __ASSEMBLY__
#include <stdint.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
#endif

#endif /* ASM_REGS_H */
