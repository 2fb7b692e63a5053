/*
 * A decoder for the few instructions a 64-bit PV guest may need emulated
 * after they fault (insn_decode.c, pure). Anything else decodes as
 * INSN_OTHER and the guest gets its fault.
 */
#ifndef INSN_DECODE_H
#define INSN_DECODE_H

#include "lib.h"

#define INSN_MAX_LEN 15

enum insn_kind {
    INSN_OTHER,          /* not one we emulate */
    INSN_INT,            /* int imm8 */
    INSN_MOV_FROM_CR,    /* mov %crN, %reg */
    INSN_MOV_TO_CR,      /* mov %reg, %crN */
    INSN_MOV_FROM_DR,    /* mov %drN, %reg (reg holds N) */
    INSN_MOV_TO_DR,      /* mov %reg, %drN */
    INSN_CLTS,
    INSN_RDMSR,
    INSN_WRMSR,
    INSN_CLI,
    INSN_STI,
    INSN_HLT,
    INSN_IN,             /* in port(imm8 or dx), al/ax/eax */
    INSN_OUT,
    INSN_FORCED_CPUID,   /* ud2; "xen"; cpuid: Xen's forced-emulation prefix */
    INSN_STORE64,        /* mov %r64, m64 (gpr) or mov $imm32, m64 (imm,
                            sign-extended): a page-table write (ptwr.c) */
    INSN_XCHG64,         /* xchg %r64, m64 (gpr): the same, old value to gpr */
    INSN_AND8,           /* andb $imm8, m8 (imm): clear_bit on a PTE */
    INSN_OR8,            /* orb $imm8, m8 (imm): set_bit on a PTE */
};

struct insn {
    enum insn_kind kind;
    unsigned int len;    /* bytes to skip when emulated */
    unsigned int vector; /* INSN_INT */
    unsigned int reg;    /* MOV_*_CR/DR: the control or debug register
                            number (ModRM reg field, REX.R included) */
    unsigned int gpr;    /* MOV_*_CR: register index 0-15 (rax, rcx, rdx, rbx, rsp, ...) */
    unsigned int size;   /* IN/OUT: 1, 2 or 4 bytes */
    bool port_in_dx;     /* IN/OUT: port from dx, else port */
    unsigned int port;   /* IN/OUT with an immediate */
    bool has_imm;        /* STORE64: the value is imm, not gpr */
    uint64_t imm;        /* STORE64: the immediate, sign-extended */
};

/* Decode the instruction at bytes[0, avail). */
void insn_decode(const uint8_t *bytes, size_t avail, struct insn *out);

#endif /* INSN_DECODE_H */
