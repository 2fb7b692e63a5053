/*
 * context.c: the CPU state of a vCPU that the guest frame does not hold,
 * saved when it leaves the CPU and restored when it comes back: the page
 * table of its current mode, the FS/GS bases (including the inactive GS
 * base that swapgs exchanges), the data segment selectors, the FPU/SSE
 * registers (FXSAVE: guests cannot enable AVX, since the hypervisor never
 * sets CR4.OSXSAVE, so no wider state exists to leak), CR0.TS, the debug
 * registers, and the guest part of the GDT.
 *
 * Only the null and flat ring-3 data selectors are ever reloaded into
 * DS/ES/FS/GS: anything else the guest had loaded becomes null, so a
 * reload can never fault in the hypervisor.
 */
#include "domain.h"
#include <public/xen.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/context.h>
#include <asm/guest.h>

#define FCW_DEFAULT   0x037f
#define MXCSR_DEFAULT 0x1f80

void arch_vcpu_init_fpu(struct vcpu *v)
{
    memset(v->fpu, 0, sizeof(v->fpu));
    v->fpu[0] = FCW_DEFAULT & 0xff;            /* FCW at offset 0 */
    v->fpu[1] = FCW_DEFAULT >> 8;
    v->fpu[24] = MXCSR_DEFAULT & 0xff;         /* MXCSR at offset 24 */
    v->fpu[25] = MXCSR_DEFAULT >> 8;
}

static uint16_t safe_selector(uint16_t sel)
{
    return (sel & ~3) == (FLAT_RING3_DS32 & ~3) ? (uint16_t)(sel | 3) : 0;
}

static void save_selectors(struct vcpu *v)
{
    __asm__ volatile("mov %%ds, %0" : "=r"(v->sel_ds));
    __asm__ volatile("mov %%es, %0" : "=r"(v->sel_es));
    __asm__ volatile("mov %%fs, %0" : "=r"(v->sel_fs));
    __asm__ volatile("mov %%gs, %0" : "=r"(v->sel_gs));
}

/* Selectors first: loading FS or GS resets its base, restored after. */
static void load_selectors(const struct vcpu *v)
{
    uint32_t ds = safe_selector(v->sel_ds), es = safe_selector(v->sel_es);
    uint32_t fs = safe_selector(v->sel_fs), gs = safe_selector(v->sel_gs);

    __asm__ volatile("mov %0, %%ds; mov %1, %%es; mov %2, %%fs"
                     : : "r"(ds), "r"(es), "r"(fs) : "memory");
    __asm__ volatile("swapgs; mov %0, %%gs; swapgs" : : "r"(gs) : "memory");
}

static void load_debug_registers(const struct vcpu *v)
{
    __asm__ volatile("mov %0, %%dr7" : : "r"(0UL));   /* off while changing them */
    __asm__ volatile("mov %0, %%dr0" : : "r"(v->dr[0]));
    __asm__ volatile("mov %0, %%dr1" : : "r"(v->dr[1]));
    __asm__ volatile("mov %0, %%dr2" : : "r"(v->dr[2]));
    __asm__ volatile("mov %0, %%dr3" : : "r"(v->dr[3]));
    __asm__ volatile("mov %0, %%dr7" : : "r"(v->dr[7]));
}

void arch_save_vcpu(struct vcpu *v, const struct cpu_regs *frame)
{
    v->regs = *frame;
    v->fs_base = rdmsr(MSR_FS_BASE);
    v->gs_base = rdmsr(MSR_GS_BASE);
    v->gs_shadow = rdmsr(MSR_KERNEL_GS_BASE);
    save_selectors(v);
    __asm__ volatile("clts; fxsave64 %0" : "=m"(v->fpu));
}

void arch_load_vcpu(struct vcpu *v, struct cpu_regs *frame)
{
    write_cr3(v->kernel_mode ? v->cr3 : v->user_cr3);
    vcpu_load_gdt(v);
    load_selectors(v);
    wrmsr(MSR_FS_BASE, v->fs_base);
    wrmsr(MSR_GS_BASE, v->gs_base);
    wrmsr(MSR_KERNEL_GS_BASE, v->gs_shadow);
    __asm__ volatile("clts; fxrstor64 %0" : : "m"(v->fpu));
    if (v->virt_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    load_debug_registers(v);
    *frame = v->regs;
}

void arch_enter_first(struct vcpu *v)
{
    local_irq_disable();
    enter_guest(guest_frame());
    (void)v;
}
