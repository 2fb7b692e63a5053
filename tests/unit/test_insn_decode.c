/*
 * Unit tests for hypervisor/pv/insn_decode.c: the decoder for the faulting
 * instructions a PV guest may get emulated. Every form it knows, with the
 * 0x66 and REX prefixes it accepts; everything else, and every instruction
 * cut short, is INSN_OTHER. Each input is copied into a heap block of
 * exactly its length, so AddressSanitizer catches any read past `avail`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "insn_decode.h"

/* Decodes bytes[0, n) from an exact-size heap copy. */
static struct insn decode_n(const uint8_t *bytes, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    struct insn in;

    assert_non_null(copy);
    memcpy(copy, bytes, n);
    insn_decode(copy, n, &in);
    free(copy);
    return in;
}

#define DECODE(...) ({                                                    \
    static const uint8_t b_[] = { __VA_ARGS__ };                          \
    decode_n(b_, sizeof(b_));                                             \
})

static void assert_other(struct insn in)
{
    assert_int_equal(in.kind, INSN_OTHER);
}

/* ---- each form ------------------------------------------------------------- */

static void test_int(void **state)
{
    struct insn in = DECODE(0xcd, 0x80);

    (void)state;
    assert_int_equal(in.kind, INSN_INT);
    assert_int_equal(in.vector, 0x80);
    assert_int_equal(in.len, 2);
    in = DECODE(0xcd, 0x03);
    assert_int_equal(in.kind, INSN_INT);
    assert_int_equal(in.vector, 3);
    in = DECODE(0xcd, 0xff);
    assert_int_equal(in.vector, 0xff);
    assert_other(DECODE(0xcc));                /* int3: not a software-interrupt #GP */
    assert_other(DECODE(0x66, 0xcd, 0x80));    /* int with a prefix: not ours */
    assert_other(DECODE(0x48, 0xcd, 0x80));
}

static void test_mov_cr(void **state)
{
    struct insn in = DECODE(0x0f, 0x20, 0xd8);     /* mov %cr3, %rax */

    (void)state;
    assert_int_equal(in.kind, INSN_MOV_FROM_CR);
    assert_int_equal(in.reg, 3);
    assert_int_equal(in.gpr, 0);
    assert_int_equal(in.len, 3);
    in = DECODE(0x0f, 0x22, 0xdf);                 /* mov %rdi, %cr3 */
    assert_int_equal(in.kind, INSN_MOV_TO_CR);
    assert_int_equal(in.reg, 3);
    assert_int_equal(in.gpr, 7);
    in = DECODE(0x0f, 0x20, 0xd4);                 /* mov %cr2, %rsp */
    assert_int_equal(in.reg, 2);
    assert_int_equal(in.gpr, 4);
    in = DECODE(0x0f, 0x20, 0xe0);                 /* mov %cr4, %rax */
    assert_int_equal(in.reg, 4);
}

static void test_mov_cr_rex(void **state)
{
    struct insn in = DECODE(0x41, 0x0f, 0x20, 0xc0);   /* mov %cr0, %r8 (REX.B) */

    (void)state;
    assert_int_equal(in.kind, INSN_MOV_FROM_CR);
    assert_int_equal(in.reg, 0);
    assert_int_equal(in.gpr, 8);
    assert_int_equal(in.len, 4);                       /* the prefix counts */
    in = DECODE(0x44, 0x0f, 0x20, 0xc0);               /* mov %cr8, %rax (REX.R) */
    assert_int_equal(in.reg, 8);
    assert_int_equal(in.gpr, 0);
    in = DECODE(0x45, 0x0f, 0x22, 0xdf);               /* mov %r15, %cr11 */
    assert_int_equal(in.kind, INSN_MOV_TO_CR);
    assert_int_equal(in.reg, 11);
    assert_int_equal(in.gpr, 15);
    in = DECODE(0x48, 0x0f, 0x20, 0xd8);               /* REX.W: no change */
    assert_int_equal(in.reg, 3);
    assert_int_equal(in.gpr, 0);
}

static void test_mov_cr_memory_form(void **state)
{
    (void)state;
    assert_other(DECODE(0x0f, 0x20, 0x18));            /* mod 00: not an encoding */
    assert_other(DECODE(0x0f, 0x22, 0x58, 0x08));      /* mod 01 */
    assert_other(DECODE(0x0f, 0x20, 0x98, 0, 0, 0, 0)); /* mod 10 */
}

static void test_mov_dr(void **state)
{
    struct insn in = DECODE(0x0f, 0x21, 0xf8);     /* mov %dr7, %rax */

    (void)state;
    assert_int_equal(in.kind, INSN_MOV_FROM_DR);
    assert_int_equal(in.reg, 7);
    assert_int_equal(in.gpr, 0);
    assert_int_equal(in.len, 3);
    in = DECODE(0x0f, 0x23, 0xc1);                 /* mov %rcx, %dr0 */
    assert_int_equal(in.kind, INSN_MOV_TO_DR);
    assert_int_equal(in.reg, 0);
    assert_int_equal(in.gpr, 1);
    in = DECODE(0x41, 0x0f, 0x21, 0xf3);           /* mov %dr6, %r11 */
    assert_int_equal(in.reg, 6);
    assert_int_equal(in.gpr, 11);
}

static void test_two_byte_simple(void **state)
{
    struct insn in = DECODE(0x0f, 0x06);

    (void)state;
    assert_int_equal(in.kind, INSN_CLTS);
    assert_int_equal(in.len, 2);
    in = DECODE(0x0f, 0x32);
    assert_int_equal(in.kind, INSN_RDMSR);
    assert_int_equal(in.len, 2);
    in = DECODE(0x0f, 0x30);
    assert_int_equal(in.kind, INSN_WRMSR);
    assert_int_equal(in.len, 2);
    in = DECODE(0x48, 0x0f, 0x30);                 /* a REX prefix is harmless */
    assert_int_equal(in.kind, INSN_WRMSR);
    assert_int_equal(in.len, 3);
}

static void test_one_byte(void **state)
{
    struct insn in = DECODE(0xfa);

    (void)state;
    assert_int_equal(in.kind, INSN_CLI);
    assert_int_equal(in.len, 1);
    in = DECODE(0xfb);
    assert_int_equal(in.kind, INSN_STI);
    in = DECODE(0xf4);
    assert_int_equal(in.kind, INSN_HLT);
    assert_int_equal(in.len, 1);
    in = DECODE(0x66, 0xfa);
    assert_int_equal(in.kind, INSN_CLI);
    assert_int_equal(in.len, 2);
}

static void test_in_out_immediate(void **state)
{
    struct insn in = DECODE(0xe4, 0x80);           /* in $0x80, %al */

    (void)state;
    assert_int_equal(in.kind, INSN_IN);
    assert_int_equal(in.size, 1);
    assert_false(in.port_in_dx);
    assert_int_equal(in.port, 0x80);
    assert_int_equal(in.len, 2);
    in = DECODE(0xe5, 0x71);                       /* in $0x71, %eax */
    assert_int_equal(in.kind, INSN_IN);
    assert_int_equal(in.size, 4);
    assert_int_equal(in.port, 0x71);
    in = DECODE(0xe6, 0x70);                       /* out %al, $0x70 */
    assert_int_equal(in.kind, INSN_OUT);
    assert_int_equal(in.size, 1);
    assert_int_equal(in.port, 0x70);
    in = DECODE(0xe7, 0xff);                       /* out %eax, $0xff */
    assert_int_equal(in.kind, INSN_OUT);
    assert_int_equal(in.size, 4);
    assert_int_equal(in.port, 0xff);
}

static void test_in_out_dx(void **state)
{
    struct insn in = DECODE(0xec);                 /* in (%dx), %al */

    (void)state;
    assert_int_equal(in.kind, INSN_IN);
    assert_int_equal(in.size, 1);
    assert_true(in.port_in_dx);
    assert_int_equal(in.len, 1);
    in = DECODE(0xed);
    assert_int_equal(in.size, 4);
    in = DECODE(0xee);
    assert_int_equal(in.kind, INSN_OUT);
    assert_int_equal(in.size, 1);
    in = DECODE(0xef);
    assert_int_equal(in.kind, INSN_OUT);
    assert_int_equal(in.size, 4);
}

static void test_in_out_opsize(void **state)
{
    struct insn in = DECODE(0x66, 0xed);           /* in (%dx), %ax */

    (void)state;
    assert_int_equal(in.kind, INSN_IN);
    assert_int_equal(in.size, 2);
    assert_int_equal(in.len, 2);
    in = DECODE(0x66, 0xe7, 0x80);                 /* out %ax, $0x80 */
    assert_int_equal(in.kind, INSN_OUT);
    assert_int_equal(in.size, 2);
    assert_int_equal(in.port, 0x80);
    assert_int_equal(in.len, 3);
    in = DECODE(0x66, 0xec);                       /* byte form: 0x66 changes nothing */
    assert_int_equal(in.size, 1);
    in = DECODE(0x66, 0x48, 0xed);                 /* 0x66 then REX */
    assert_int_equal(in.kind, INSN_IN);
    assert_int_equal(in.size, 2);
    assert_int_equal(in.len, 3);
}

static void test_forced_cpuid(void **state)
{
    struct insn in = DECODE(0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2);

    (void)state;
    assert_int_equal(in.kind, INSN_FORCED_CPUID);
    assert_int_equal(in.len, 7);
    in = DECODE(0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2, 0x90, 0x90);   /* more bytes */
    assert_int_equal(in.kind, INSN_FORCED_CPUID);
    assert_int_equal(in.len, 7);
    assert_other(DECODE(0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x90));       /* prefix + nop */
    assert_other(DECODE(0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0x0b)); /* prefix + ud2 */
    assert_other(DECODE(0x0f, 0x0b, 0x58, 0x45, 0x4e, 0x0f, 0xa2)); /* "XEN" */
    assert_other(DECODE(0x0f, 0x0b));                                /* plain ud2 */
    assert_other(DECODE(0x0f, 0xa2));                                /* plain cpuid */
}

/* ---- what is not ours ------------------------------------------------------ */

static void test_unknown(void **state)
{
    (void)state;
    assert_other(DECODE(0x90));                    /* nop */
    assert_other(DECODE(0x0f, 0x01, 0x10));        /* lgdt (%rax) */
    assert_other(DECODE(0x0f, 0x01, 0x38));        /* invlpg (%rax) */
    assert_other(DECODE(0x0f, 0x09));              /* wbinvd */
    assert_other(DECODE(0x0f, 0x31));              /* rdtsc */
    assert_other(DECODE(0x6c));                    /* insb */
    assert_other(DECODE(0xf3, 0x6e));              /* rep outsb */
    assert_other(DECODE(0xf0, 0xfa));              /* lock cli */
    assert_other(DECODE(0x48, 0x66, 0xed));        /* REX before 0x66: not accepted */
    assert_other(DECODE(0x66, 0x66, 0xed));        /* two 0x66 */
    assert_other(DECODE(0x48, 0x48, 0xfa));        /* two REX */
}

static void test_empty(void **state)
{
    struct insn in;

    (void)state;
    insn_decode(NULL, 0, &in);                     /* nothing to read: reads nothing */
    assert_other(in);
    assert_other(DECODE(0x66));
    assert_other(DECODE(0x41));
    assert_other(DECODE(0x66, 0x41));
}

/* Every proper prefix of every known instruction, in an exact-size block,
 * decodes as INSN_OTHER (and ASan sees no read past it). */
static void test_truncated(void **state)
{
    static const uint8_t forms[][8] = {
        { 2, 0xcd, 0x80 },
        { 3, 0x0f, 0x20, 0xd8 },
        { 4, 0x41, 0x0f, 0x22, 0xc0 },
        { 3, 0x0f, 0x21, 0xf8 },
        { 2, 0x0f, 0x06 },
        { 2, 0x0f, 0x30 },
        { 2, 0x0f, 0x32 },
        { 2, 0xe4, 0x80 },
        { 3, 0x66, 0xe7, 0x80 },
        { 7, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2 },
    };

    (void)state;
    for (size_t f = 0; f < ARRAY_SIZE(forms); f++) {
        size_t len = forms[f][0];

        for (size_t n = 0; n < len; n++) {
            assert_int_equal(decode_n(&forms[f][1], n).kind, INSN_OTHER);
        }
        assert_int_not_equal(decode_n(&forms[f][1], len).kind, INSN_OTHER);
    }
}

/* The forced-emulation prefix cut short is a plain ud2, never CPUID. */
static void test_truncated_forced(void **state)
{
    static const uint8_t b[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2 };

    (void)state;
    for (size_t n = 0; n < sizeof(b); n++)
        assert_int_equal(decode_n(b, n).kind, INSN_OTHER);
}

/* avail beyond 15 bytes is clamped: still decodes, reads at most 15. */
static void test_long_buffer(void **state)
{
    uint8_t b[64];
    struct insn in;

    (void)state;
    memset(b, 0x90, sizeof(b));
    b[0] = 0x0f;
    b[1] = 0x06;
    insn_decode(b, sizeof(b), &in);
    assert_int_equal(in.kind, INSN_CLTS);
    assert_int_equal(in.len, 2);
}

/* No byte pair, at any length, makes the decoder read past avail or return
 * a length longer than what it was given. */
static void test_every_pair(void **state)
{
    (void)state;
    for (unsigned int a = 0; a < 256; a++) {
        for (unsigned int b = 0; b < 256; b++) {
            uint8_t bytes[2] = { (uint8_t)a, (uint8_t)b };

            for (size_t n = 1; n <= 2; n++) {
                struct insn in = decode_n(bytes, n);

                if (in.kind != INSN_OTHER)
                    assert_true(in.len >= 1 && in.len <= n);
            }
        }
    }
}

/* ---- page-table stores (ptwr.c) ---------------------------------------------- */

/* mov %r64, m64 in each addressing form: the length covers ModRM, SIB and
 * displacement; REX.R picks r8-r15. */
static void test_store64_reg(void **state)
{
    struct insn in = DECODE(0x48, 0x89, 0x2b);         /* mov %rbp,(%rbx) */

    (void)state;
    assert_int_equal(in.kind, INSN_STORE64);
    assert_int_equal(in.gpr, 5);
    assert_int_equal(in.len, 3);
    assert_false(in.has_imm);
    in = DECODE(0x4c, 0x89, 0x47, 0x08);               /* mov %r8,0x8(%rdi) */
    assert_int_equal(in.gpr, 8);
    assert_int_equal(in.len, 4);
    in = DECODE(0x48, 0x89, 0x34, 0xc7);               /* mov %rsi,(%rdi,%rax,8) */
    assert_int_equal(in.len, 4);
    in = DECODE(0x48, 0x89, 0x84, 0xc7, 1, 2, 3, 4);   /* disp32 with SIB */
    assert_int_equal(in.len, 8);
    in = DECODE(0x48, 0x89, 0x04, 0x25, 1, 2, 3, 4);   /* SIB, no base: disp32 */
    assert_int_equal(in.len, 8);
    in = DECODE(0x48, 0x89, 0x05, 1, 2, 3, 4);         /* rip-relative */
    assert_int_equal(in.len, 7);
    in = DECODE(0x48, 0x89, 0x87, 1, 2, 3, 4);         /* disp32(%rdi) */
    assert_int_equal(in.len, 7);
}

/* mov $imm32, m64 sign-extends; xchg %r64, m64. */
static void test_store64_imm_and_xchg(void **state)
{
    struct insn in = DECODE(0x48, 0xc7, 0x07, 0, 0, 0, 0);    /* movq $0,(%rdi) */

    (void)state;
    assert_int_equal(in.kind, INSN_STORE64);
    assert_true(in.has_imm);
    assert_int_equal(in.imm, 0);
    assert_int_equal(in.len, 7);
    in = DECODE(0x48, 0xc7, 0x47, 0x10, 0xff, 0xff, 0xff, 0xff);  /* $-1,0x10(%rdi) */
    assert_int_equal(in.imm, UINT64_MAX);
    assert_int_equal(in.len, 8);
    in = DECODE(0x48, 0x87, 0x17);                     /* xchg %rdx,(%rdi) */
    assert_int_equal(in.kind, INSN_XCHG64);
    assert_int_equal(in.gpr, 2);
    assert_int_equal(in.len, 3);
}

/* andb/orb $imm8 to memory, as clear_bit/set_bit write a PTE byte, with
 * the lock prefix or the ds prefix that replaces it on one CPU. */
static void test_rmw8(void **state)
{
    struct insn in = DECODE(0x3e, 0x41, 0x80, 0x27, 0xfd);   /* ds andb $0xfd,(%r15) */

    (void)state;
    assert_int_equal(in.kind, INSN_AND8);
    assert_int_equal(in.imm, 0xfd);
    assert_int_equal(in.len, 5);
    in = DECODE(0xf0, 0x80, 0x4f, 0x01, 0x02);               /* lock orb $2,1(%rdi) */
    assert_int_equal(in.kind, INSN_OR8);
    assert_int_equal(in.imm, 2);
    assert_int_equal(in.len, 5);
    in = DECODE(0x80, 0x27, 0x7f);
    assert_int_equal(in.kind, INSN_AND8);
    assert_int_equal(in.len, 3);
    in = DECODE(0xf0, 0x48, 0x87, 0x17);                     /* lock xchg */
    assert_int_equal(in.kind, INSN_XCHG64);
    assert_int_equal(in.len, 4);
    assert_other(DECODE(0x80, 0x37, 0x01));                  /* xorb: /6 */
    assert_other(DECODE(0x80, 0x07, 0x01));                  /* addb: /0 */
    assert_other(DECODE(0x80, 0xe7, 0x01));                  /* register form */
    assert_other(DECODE(0x80, 0x27));                        /* imm8 missing */
    assert_other(DECODE(0x3e, 0xcd, 0x80));                  /* ds int: not ours */
    assert_other(DECODE(0xf0, 0xfa));                        /* lock cli */
    assert_other(DECODE(0x3e, 0xe4, 0x80));                  /* ds in */
}

/* Not 8-byte stores, register forms, C7 with reg != 0, and every form cut
 * short are not page-table writes. */
static void test_store64_refused(void **state)
{
    (void)state;
    assert_other(DECODE(0x89, 0x2b));                  /* 4 bytes: no REX.W */
    assert_other(DECODE(0x66, 0x48, 0x89, 0x2b));
    assert_other(DECODE(0x48, 0x89, 0xc3));            /* register to register */
    assert_other(DECODE(0x48, 0xc7, 0x0f, 0, 0, 0, 0)); /* C7 /1 */
    assert_other(DECODE(0x48, 0x89));
    assert_other(DECODE(0x48, 0x89, 0x04));            /* SIB missing */
    assert_other(DECODE(0x48, 0x89, 0x47));            /* disp8 missing */
    assert_other(DECODE(0x48, 0x89, 0x05, 1, 2, 3));   /* disp32 cut */
    assert_other(DECODE(0x48, 0xc7, 0x07, 0, 0, 0));   /* imm32 cut */
    assert_other(DECODE(0x48, 0x8b, 0x2b));            /* a load */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store64_reg),
        cmocka_unit_test(test_store64_imm_and_xchg),
        cmocka_unit_test(test_store64_refused),
        cmocka_unit_test(test_rmw8),
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_mov_cr),
        cmocka_unit_test(test_mov_cr_rex),
        cmocka_unit_test(test_mov_cr_memory_form),
        cmocka_unit_test(test_mov_dr),
        cmocka_unit_test(test_two_byte_simple),
        cmocka_unit_test(test_one_byte),
        cmocka_unit_test(test_in_out_immediate),
        cmocka_unit_test(test_in_out_dx),
        cmocka_unit_test(test_in_out_opsize),
        cmocka_unit_test(test_forced_cpuid),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_truncated_forced),
        cmocka_unit_test(test_long_buffer),
        cmocka_unit_test(test_every_pair),
    };

    return cmocka_run_group_tests_name("insn_decode", tests, NULL, NULL);
}
