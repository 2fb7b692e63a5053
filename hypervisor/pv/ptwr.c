/*
 * ptwr.c: writable page tables, as Xen emulates them for PV guests. Linux
 * writes L1 entries with plain stores (set_pte during boot, xchg in
 * ptep_get_and_clear) and relies on the hypervisor to trap the write on
 * the table's read-only mapping and apply it as a validated update.
 *
 * A #PF is emulated only when every one of these holds, else the guest
 * gets its fault (whether or not the guest enabled VMASST_TYPE_writable_
 * pagetables: Xen 4.17 does not look at it, guest test pt_write_emulated):
 *  1. the guest kernel wrote (error code P and W, not RSVD, not a fetch);
 *  2. its current tables map the address read-only, to a frame of its own
 *     that is an L1 table (never an L2-L4: Xen emulates L1 writes only);
 *  3. the instruction is an 8-byte mov or xchg to the aligned entry, or a
 *     byte-wide and/or with an immediate (Linux's clear_bit and set_bit
 *     on a PTE) inside it (insn_decode.c); a byte operation sets the
 *     arithmetic flags as the CPU would (CF, OF clear; ZF, SF, PF of the
 *     result; AF undefined, left);
 *  4. mod_entry accepts the new entry, with every rule of page_types.c:
 *     the emulated store can map nothing an mmu_update could not.
 * The TLB is flushed when the old entry's references went, as for
 * mmu_update.
 */
#include <asm/fast_offsets.h>
#include "emulate.h"
#include "insn_decode.h"
#include "memory_setup.h"
#include "mm_hypercalls.h"
#include "page_types.h"
#include "vcpu_state.h"
#include <public/xen.h>
#include <asm/paging.h>
#include <asm/rflags.h>

#define PF_PRESENT 1
#define PF_WRITE   2
#define PF_RSVD    8
#define PF_FETCH   16
_Static_assert((PF_PRESENT | PF_WRITE | PF_RSVD | PF_FETCH) == PF_PTWR_BITS &&
               (PF_PRESENT | PF_WRITE) == PF_PTWR_CANDIDATE, "trap_fast.S asks the same");

/* Rule 1. */
static bool fault_is_candidate(const struct vcpu *v, uint64_t ec)
{
    return v->kernel_mode &&
           (ec & (PF_PRESENT | PF_WRITE | PF_RSVD | PF_FETCH)) == (PF_PRESENT | PF_WRITE);
}

/* Rule 2: the L1 table that the read-only mapping of cr2 points at, or -1. */
static int64_t written_table(const struct vcpu *v, uint64_t cr2)
{
    int64_t l1 = guest_l1_of(v->cr3, cr2);
    uint64_t e, mfn;

    if (l1 < 0)
        return -1;
    e = ((const uint64_t *)ftable.frame(ftable.ctx, (uint64_t)l1))[(cr2 >> PAGE_SHIFT) & 511];
    mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    if (!(e & PTE_P) || (e & PTE_RW) || mfn >= ftable.nr ||
        ftable.pages[mfn].owner != v->domain->id || ftable.pages[mfn].type != PGT_l1)
        return -1;
    return (int64_t)mfn;
}

static uint64_t *reg(struct cpu_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };

    return map[n & 15];
}


/* Flags of a byte-wide and/or whose result is r. */
static uint64_t logic8_flags(uint64_t rflags, uint8_t r)
{
    unsigned int ones = (unsigned int)__builtin_popcount(r);

    rflags &= ~(uint64_t)(RF_CF | RF_PF | RF_ZF | RF_SF | RF_OF);
    return rflags | (r ? 0 : RF_ZF) | ((r & 0x80) ? RF_SF : 0) | ((ones & 1) ? 0 : RF_PF);
}

/* The entry the instruction leaves, from old (byte: cr2's offset in the
 * entry). False if the instruction does not write within the entry. */
static bool new_entry(struct cpu_regs *regs, const struct insn *in, unsigned int byte,
                      uint64_t old, uint64_t *val)
{
    unsigned int shift = byte * 8;
    uint8_t b = (uint8_t)(old >> shift), r;

    switch (in->kind) {
    case INSN_STORE64:
    case INSN_XCHG64:
        *val = in->has_imm ? in->imm : *reg(regs, in->gpr);
        return byte == 0;
    case INSN_AND8:
    case INSN_OR8:
        r = in->kind == INSN_AND8 ? (uint8_t)(b & in->imm) : (uint8_t)(b | in->imm);
        *val = (old & ~(0xffULL << shift)) | ((uint64_t)r << shift);
        regs->rflags = logic8_flags(regs->rflags, r);
        return true;
    default:
        return false;
    }
}

bool emulate_ptwr(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2, uint64_t ec)
{
    unsigned int idx = (unsigned int)((cr2 & (PAGE_SIZE - 1)) >> 3);
    uint64_t old, val, flags = regs->rflags;
    struct insn in;
    int64_t table;

    if (!fault_is_candidate(v, ec) || (table = written_table(v, cr2)) < 0 ||
        !emulate_fetch(v, regs, &in))
        return false;
    old = ((const uint64_t *)ftable.frame(ftable.ctx, (uint64_t)table))[idx];
    if (!new_entry(regs, &in, (unsigned int)(cr2 & 7), old, &val) ||
        mod_entry(&ftable, (uint64_t)table, idx, val, v->domain->id, false)) {
        regs->rflags = flags;                /* the guest takes its #PF, as it was */
        return false;
    }
    if (pte_change_drops_refs(old, val))
        flush_tlb_global();
    if (in.kind == INSN_XCHG64)
        *reg(regs, in.gpr) = old;
    regs->rip += in.len;
    return true;
}
