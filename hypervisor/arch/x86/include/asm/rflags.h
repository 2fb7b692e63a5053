/*
 * x86 RFLAGS bits: the one set of names, for the pure code that checks a
 * guest's flags (bounce.c, debug_trap.c), the syscall mask (guest_entry.c)
 * and their unit tests. Architectural facts only.
 */
#ifndef ASM_RFLAGS_H
#define ASM_RFLAGS_H

#define RF_CF   (1ULL << 0)
#define RF_1    (1ULL << 1)     /* reserved, always set */
#define RF_PF   (1ULL << 2)
#define RF_AF   (1ULL << 4)
#define RF_ZF   (1ULL << 6)
#define RF_SF   (1ULL << 7)
#define RF_TF   (1ULL << 8)
#define RF_IF   (1ULL << 9)
#define RF_DF   (1ULL << 10)
#define RF_OF   (1ULL << 11)
#define RF_IOPL (3ULL << 12)
#define RF_NT   (1ULL << 14)
#define RF_RF   (1ULL << 16)
#define RF_VM   (1ULL << 17)
#define RF_AC   (1ULL << 18)
#define RF_ID   (1ULL << 21)

#endif /* ASM_RFLAGS_H */
