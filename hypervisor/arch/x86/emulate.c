/*
 * emulate.c: what a 64-bit PV guest's faulting instructions mean.
 *
 * The guest kernel runs in ring 3, so privileged instructions fault with
 * #GP. Where Xen emulates one for PV guests, so do we, in guest kernel mode
 * only, except cli, sti, in and out, which the virtual IOPL may also grant
 * to guest user mode (iopl 3); everything else privileged in guest user
 * mode is the guest's #GP:
 *   int n        allowed when the trap entry's DPL admits the guest's mode
 *                (pv/softint.c; only the vectors whose gate is DPL 0 come
 *                here: the others reach softint_fast.S directly; vector decoded from the instruction bytes, not the #GP
 *                error code, which one emulator reports wrongly; an
 *                unprefixed one read directly: peek_int_n);
 *   mov drN      the debug registers, as set_debugreg/get_debugreg see them;
 *   mov crN      reads of CR0 (virtual TS), CR2 (virtual), CR3 (kernel L4),
 *                CR4 (the guest view); writes of CR0.TS, CR2, CR3 (as
 *                NEW_BASEPTR) and CR4 unchanged; clts;
 *   rdmsr/wrmsr  FS_BASE, GS_BASE, SHADOW_GS_BASE (canonical), EFER read
 *                and unchanged write; the machine-check MSRs (vmce.c);
 *   cli/sti      when the virtual IOPL allows the guest's mode (kernel:
 *                CPL 1, or 0 under architectural_iopl; user: CPL 3;
 *                ioport_iopl_ok): no-ops, as on Xen (the event mask is
 *                the guest's to write; Linux 6.1 runs a cli while its
 *                events are enabled and must stay so);
 *   in/out       when the virtual IOPL allows the mode, in either mode
 *                the same port policy: the port, or for one the
 *                hypervisor keeps (and every port of an unprivileged
 *                domain) all ones read and the write dropped (guest_io.c,
 *                ioport.c);
 *   ud2 "xen" cpuid  (#UD) Xen's forced-emulation prefix: CPUID with the
 *                guest policy (cpuid_policy.c).
 * Anything else is delivered to the guest as the fault it raised.
 */
#include "guest_address.h"
#include "cpuid_policy.h"
#include "debug_trap.h"
#include "emulate.h"
#include <asm/fast_offsets.h>
#include "vcpu_copy.h"
#include "insn_decode.h"
#include "vmce.h"
#include "ioport.h"
#include "hypercall.h"
#include "softint.h"
#include "vcpu_state.h"
#include <asm/cpu.h>
#include <asm/guest_traps.h>
#include <asm/guest_io.h>

#define CR0_TS            (1ULL << 3)
/* The control registers as a PV guest reads them, Xen's values: CR0 with
 * PG, AM, WP, NE, ET, MP, PE (and the guest's own TS); CR4 with PAE, MCE,
 * OSFXSR, OSXMMEXCPT. */
#define CR0_GUEST_VIEW    0x80050033ULL
#define CR4_GUEST_VIEW    0x660ULL

/* The instruction at the guest's rip, through the page tables of its mode. */
bool emulate_fetch(struct vcpu *v, const struct cpu_regs *regs, struct insn *in)
{
    uint8_t bytes[INSN_MAX_LEN];
    struct guest_space gs;
    size_t first = (size_t)MIN((uint64_t)INSN_MAX_LEN, PAGE_SIZE - (regs->rip & (PAGE_SIZE - 1)));
    size_t got = first;

    vcpu_guest_space(v, &gs);
    if (!v->kernel_mode)
        gs.cr3 = v->user_cr3;
    if (copy_from_guest(&gs, bytes, regs->rip, first))
        return false;
    if (first < INSN_MAX_LEN &&
        !copy_from_guest(&gs, bytes + first, regs->rip + first, INSN_MAX_LEN - first))
        got = INSN_MAX_LEN;
    insn_decode(bytes, got, in);
    return true;
}

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };

    return map[n & 15];
}

static uint64_t virtual_cr0(const struct vcpu *v)
{
    return CR0_GUEST_VIEW | (v->virt_ts ? CR0_TS : 0);
}

void set_virtual_ts(struct vcpu *v, bool ts)
{
    v->virt_ts = ts;
    if (ts)
        __asm__ volatile("mov %%cr0, %%rax; or $8, %%rax; mov %%rax, %%cr0" ::: "rax");
    else
        __asm__ volatile("clts");
}

static bool read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
    switch (cr) {
    case 0: *val = virtual_cr0(v); return true;
    case 2: *val = vcpu_info_of(v)->arch.cr2; return true;
    case 3: *val = v->cr3; return true;
    case 4: *val = CR4_GUEST_VIEW; return true;
    default: return false;
    }
}

static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:
        if ((val ^ virtual_cr0(v)) & ~CR0_TS)
            return false;                    /* only TS is the guest's */
        set_virtual_ts(v, val & CR0_TS);
        return true;
    case 2:
        v->virt_cr2 = vcpu_info_of(v)->arch.cr2 = val;  /* the guest's CR2 lives there */
        return true;
    case 3: return vcpu_set_baseptr(v, val >> PAGE_SHIFT, false) == 0;
    case 4: return val == CR4_GUEST_VIEW;
    default: return false;
    }
}

static uint32_t msr_index(const struct cpu_regs *r)
{
    return (uint32_t)r->rcx;
}

static bool do_rdmsr(struct cpu_regs *r)
{
    uint32_t msr = msr_index(r);
    uint64_t val;

    if (msr != MSR_FS_BASE && msr != MSR_GS_BASE && msr != MSR_KERNEL_GS_BASE &&
        msr != MSR_EFER) {
        if (!vmce_rdmsr(msr, &val))
            return false;
    } else {
        val = rdmsr(msr);
    }
    r->rax = (uint32_t)val;
    r->rdx = val >> 32;
    return true;
}

static bool do_wrmsr(struct cpu_regs *r)
{
    uint32_t msr = msr_index(r);
    uint64_t val = ((r->rdx & 0xffffffffULL) << 32) | (r->rax & 0xffffffffULL);

    if (msr == MSR_EFER)
        return val == rdmsr(MSR_EFER);
    if (vmce_wrmsr(msr, val))
        return true;
    if ((msr != MSR_FS_BASE && msr != MSR_GS_BASE && msr != MSR_KERNEL_GS_BASE) ||
        !is_canonical(val))
        return false;
    wrmsr(msr, val);
    return true;
}

/* Does the virtual IOPL grant cli, sti, in and out in the vCPU's mode? */
static bool iopl_ok(const struct vcpu *v)
{
    bool arch_iopl = (v->domain->vm_assist >> VMASST_TYPE_architectural_iopl) & 1;

    return ioport_iopl_ok(v->kernel_mode, arch_iopl, v->iopl);
}

/* in/out, once iopl_ok: it always completes, on the real port or not at
 * all (guest_io.c, ioport.c). */
static void port_io(struct vcpu *v, struct cpu_regs *r, const struct insn *in)
{
    unsigned int port = (uint16_t)(in->port_in_dx ? r->rdx : in->port);
    uint32_t val;

    if (in->kind == INSN_OUT) {
        guest_io_write(v->domain, port, in->size, (uint32_t)r->rax);
        return;
    }
    val = guest_io_read(v->domain, port, in->size);
    if (in->size == 4)
        r->rax = val;                        /* 32-bit results zero-extend */
    else
        r->rax = (r->rax & ~(uint64_t)ioport_all_ones(in->size)) | val;
}

static bool software_interrupt(struct vcpu *v, struct cpu_regs *regs, unsigned int vector)
{
    if (!softint_permitted(&v->traps[vector], vector, v->kernel_mode))
        return false;
    regs->rip += SOFTINT_INSN_LEN;
    deliver_trap(v, regs, vector, false, 0);
    return true;
}

/* The privileged instructions, in guest kernel mode. */
static bool privileged(struct vcpu *v, struct cpu_regs *r, const struct insn *in)
{
    uint64_t val;

    switch (in->kind) {
    case INSN_MOV_FROM_CR:
        if (!read_cr(v, in->reg, &val))
            return false;
        *gpr(r, in->gpr) = val;
        return true;
    case INSN_MOV_TO_CR: return write_cr(v, in->reg, *gpr(r, in->gpr));
    case INSN_MOV_FROM_DR:
        if (debugreg_index(in->reg) > 7)
            return false;
        *gpr(r, in->gpr) = v->dr[debugreg_index(in->reg)];   /* DR4/5: DR6/7, as Xen */
        return true;
    case INSN_MOV_TO_DR:
        return vcpu_set_debugreg(v, in->reg, *gpr(r, in->gpr)) == 0;
    case INSN_CLTS:      set_virtual_ts(v, false); return true;
    case INSN_RDMSR:     return do_rdmsr(r);
    case INSN_WRMSR:     return do_wrmsr(r);
    default:             return false;
    }
}

/* One faulting instruction: cli, sti, in and out in either mode as the
 * virtual IOPL allows, the rest in guest kernel mode only. */
static bool emulate_insn(struct vcpu *v, struct cpu_regs *r, const struct insn *in)
{
    switch (in->kind) {
    case INSN_CLI:
    case INSN_STI:
        return iopl_ok(v);                   /* no-ops, as Xen: see the top */
    case INSN_IN:
    case INSN_OUT:
        if (!iopl_ok(v))
            return false;
        port_io(v, r, in);
        return true;
    default:
        return v->kernel_mode && privileged(v, r, in);
    }
}

/* The two bytes of an unprefixed int imm8 at the guest's rip, read
 * directly through the root of its mode when that root is loaded (it is,
 * for a #GP from the guest: the CPU has just fetched them through it), the
 * range checked first and a fault caught (guest_copy_raw). Only a shortcut
 * for an int n whose gate stays DPL 0 (the hypervisor's interrupt vectors,
 * 0-31; the rest reach softint_fast.S without a #GP): false sends every
 * other case, a fault included, to the full fetch and decode, which gives
 * the same vector for these two bytes (insn_decode). */
static bool peek_int_n(const struct vcpu *v, const struct cpu_regs *regs,
                       unsigned int *vector)
{
    uint8_t b[2];

    if (!guest_range_ok(regs->rip, sizeof(b)) ||
        read_cr3() != (v->kernel_mode ? v->cr3 : v->user_cr3) ||
        guest_copy_raw(b, (const void *)regs->rip, sizeof(b)) != 0 || b[0] != 0xcd)
        return false;
    *vector = b[1];
    return true;
}

bool emulate_gp(struct vcpu *v, struct cpu_regs *regs)
{
    struct insn in;
    unsigned int vector;

    if (peek_int_n(v, regs, &vector))
        return software_interrupt(v, regs, vector);
    if (!emulate_fetch(v, regs, &in))
        return false;
    if (in.kind == INSN_INT)
        return software_interrupt(v, regs, in.vector);
    if (!emulate_insn(v, regs, &in))
        return false;
    regs->rip += in.len;
    return true;
}

void guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    struct cpuid_regs raw = cpuid(leaf, subleaf);
    struct cpuid_leaf c = { raw.eax, raw.ebx, raw.ecx, raw.edx };

    cpuid_policy(leaf, subleaf, &c);
    out[0] = c.eax;
    out[1] = c.ebx;
    out[2] = c.ecx;
    out[3] = c.edx;
}

/* ud2 'x' 'e' 'n' cpuid, as 7 little-endian bytes. */
#define FORCED_CPUID_BYTES 0x00a20f6e65780b0fULL
_Static_assert(FORCED_CPUID_BYTES == FORCED_CPUID_BYTES_7, "trap_fast.S looks for the same");

/* In guest kernel mode, most #UDs are not the forced-emulation prefix:
 * seven bytes read directly say so without decoding (a read that fails
 * is no prefix either, as in insn_decode with fewer than 7 bytes). */
static bool not_forced_cpuid(struct vcpu *v, const struct cpu_regs *regs)
{
    uint64_t w = 0;

    if (!v->kernel_mode)
        return false;                      /* the full fetch decides */
    return vcpu_copy_from(v, &w, regs->rip, 7) || w != FORCED_CPUID_BYTES;
}

bool emulate_invalid_op(struct vcpu *v, struct cpu_regs *regs)
{
    uint32_t r[4];
    struct insn in;

    if (not_forced_cpuid(v, regs) || !emulate_fetch(v, regs, &in) ||
        in.kind != INSN_FORCED_CPUID)
        return false;
    guest_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, r);
    regs->rax = r[0];
    regs->rbx = r[1];
    regs->rcx = r[2];
    regs->rdx = r[3];
    regs->rip += in.len;
    return true;
}
