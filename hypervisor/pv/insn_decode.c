/*
 * insn_decode.c: decode a faulting guest instruction. Pure.
 * Never reads past avail; an instruction cut short by avail, or with
 * prefixes we do not expect, is INSN_OTHER.
 */
#include "insn_decode.h"

static const uint8_t forced_prefix[] = { 0x0f, 0x0b, 0x78, 0x65, 0x6e };

static void decode_0f(const uint8_t *b, size_t avail, unsigned int rex, struct insn *o)
{
    if (avail < 2)
        return;
    switch (b[1]) {
    case 0x06: o->kind = INSN_CLTS; o->len = 2; return;
    case 0x30: o->kind = INSN_WRMSR; o->len = 2; return;
    case 0x32: o->kind = INSN_RDMSR; o->len = 2; return;
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
        if (avail < 3 || (b[2] & 0xc0) != 0xc0)
            return;                          /* only the register form exists */
        o->kind = b[1] == 0x20 ? INSN_MOV_FROM_CR : b[1] == 0x22 ? INSN_MOV_TO_CR :
                  b[1] == 0x21 ? INSN_MOV_FROM_DR : INSN_MOV_TO_DR;
        o->reg = ((b[2] >> 3) & 7) | ((rex & 4) ? 8 : 0);
        o->gpr = (b[2] & 7) | ((rex & 1) ? 8 : 0);
        o->len = 3;
        return;
    default:
        return;
    }
}

/* Bytes of a memory operand's ModRM, SIB and displacement (64-bit
 * addressing), or 0 for a register operand or one cut short by avail. */
static size_t mem_operand_len(const uint8_t *m, size_t avail)
{
    unsigned int mod = m[0] >> 6, rm = m[0] & 7;
    size_t len = 1;

    if (mod == 3)
        return 0;
    if (rm == 4) {                               /* a SIB byte follows */
        if (avail < 2)
            return 0;
        len++;
        if (mod == 0 && (m[1] & 7) == 5)
            len += 4;                            /* no base: disp32 */
    } else if (mod == 0 && rm == 5) {
        len += 4;                                /* rip-relative disp32 */
    }
    len += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    return len <= avail ? len : 0;
}

/* REX.W 89 /r, REX.W 87 /r (register to memory) and REX.W C7 /0 imm32:
 * the 8-byte stores Linux makes to its page tables. */
static void decode_store(const uint8_t *b, size_t avail, unsigned int rex, struct insn *o)
{
    size_t mlen = avail >= 2 ? mem_operand_len(b + 1, avail - 1) : 0;

    if (!(rex & 8) || !mlen)
        return;
    o->gpr = ((b[1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
    o->len = (unsigned int)(1 + mlen);
    if (b[0] != 0xc7) {
        o->kind = b[0] == 0x89 ? INSN_STORE64 : INSN_XCHG64;
        return;
    }
    if ((b[1] & 0x38) || avail < 1 + mlen + 4)
        return;                                  /* C7 /0 only; imm32 whole */
    o->kind = INSN_STORE64;
    o->has_imm = true;
    o->imm = (uint64_t)(int64_t)(int32_t)((uint32_t)b[1 + mlen] | (uint32_t)b[2 + mlen] << 8 |
                                          (uint32_t)b[3 + mlen] << 16 |
                                          (uint32_t)b[4 + mlen] << 24);
    o->len += 4;
}

/* 80 /4 ib and 80 /1 ib: the byte-wide and/or of Linux's clear_bit and
 * set_bit (with a constant bit number), lock- or ds-prefixed. */
static void decode_rmw8(const uint8_t *b, size_t avail, struct insn *o)
{
    size_t mlen = avail >= 2 ? mem_operand_len(b + 1, avail - 1) : 0;
    unsigned int op = (b[1] >> 3) & 7;

    if (!mlen || avail < 2 + mlen || (op != 1 && op != 4))
        return;
    o->kind = op == 4 ? INSN_AND8 : INSN_OR8;
    o->has_imm = true;
    o->imm = b[1 + mlen];
    o->len = (unsigned int)(2 + mlen);
}

static void decode_io(uint8_t op, const uint8_t *b, size_t avail, bool opsize16,
                      struct insn *o)
{
    bool imm = op < 0xec;

    if (imm && avail < 2)
        return;
    o->kind = (op & 2) ? INSN_OUT : INSN_IN;
    o->size = (op & 1) ? (opsize16 ? 2 : 4) : 1;
    o->port_in_dx = !imm;
    o->port = imm ? b[1] : 0;
    o->len = imm ? 2 : 1;
}

/* The prefixes we accept, in this order: lock or ds (only before a
 * memory write), 0x66, REX. */
struct prefixes {
    size_t len;
    unsigned int rex;
    bool opsize16, lock_or_ds;
};

static void read_prefixes(const uint8_t *b, size_t avail, struct prefixes *p)
{
    *p = (struct prefixes){ 0 };
    if (p->len < avail && (b[p->len] == 0xf0 || b[p->len] == 0x3e)) {
        p->lock_or_ds = true;
        p->len++;
    }
    if (p->len < avail && b[p->len] == 0x66) {
        p->opsize16 = true;
        p->len++;
    }
    if (p->len < avail && (b[p->len] & 0xf0) == 0x40)
        p->rex = b[p->len++] & 0xf;
}

static bool is_memory_write(uint8_t op)
{
    return op == 0x80 || op == 0x87 || op == 0x89 || op == 0xc7;
}

/* The instruction at b (prefixes p already read) into o. */
static void decode_opcode(const uint8_t *b, size_t avail, const struct prefixes *p,
                          struct insn *o)
{
    switch (b[0]) {
    case 0xcd:
        if (avail >= 2 && !p->len) {
            o->kind = INSN_INT;
            o->vector = b[1];
            o->len = 2;
        }
        return;
    case 0xfa: o->kind = INSN_CLI; o->len = 1; return;
    case 0xfb: o->kind = INSN_STI; o->len = 1; return;
    case 0xf4: o->kind = INSN_HLT; o->len = 1; return;
    case 0x0f: decode_0f(b, avail, p->rex, o); return;
    case 0x87: case 0x89: case 0xc7:
        if (!p->opsize16)
            decode_store(b, avail, p->rex, o);
        return;
    case 0x80:
        if (!p->opsize16)
            decode_rmw8(b, avail, o);
        return;
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
    case 0xec: case 0xed: case 0xee: case 0xef:
        decode_io(b[0], b, avail, p->opsize16, o);
        return;
    default:
        return;
    }
}

void insn_decode(const uint8_t *bytes, size_t avail, struct insn *o)
{
    struct prefixes p;

    memset(o, 0, sizeof(*o));
    o->kind = INSN_OTHER;
    avail = MIN(avail, (size_t)INSN_MAX_LEN);
    if (avail >= sizeof(forced_prefix) + 2 && !memcmp(bytes, forced_prefix, sizeof(forced_prefix)) &&
        bytes[5] == 0x0f && bytes[6] == 0xa2) {
        o->kind = INSN_FORCED_CPUID;
        o->len = 7;
        return;
    }
    read_prefixes(bytes, avail, &p);
    if (p.len >= avail || (p.lock_or_ds && !is_memory_write(bytes[p.len])))
        return;
    decode_opcode(bytes + p.len, avail - p.len, &p, o);
    if (o->kind != INSN_OTHER)
        o->len += (unsigned int)p.len;
}
