/*
 * guest_entry.c: the ring 0 / ring 3 boundary.
 *
 * A guest enters the hypervisor by syscall (a hypercall from its kernel),
 * by an exception or by an interrupt. Every one of these leaves the guest's
 * registers in one struct cpu_regs at the top of the hypervisor stack (the
 * CPU pushes the hardware part at TSS.rsp0, which is that top), and every
 * way back to the guest is an iretq from that frame, after exit_to_guest
 * (here too): the scheduler's say (sched.c), then a pending event upcall.
 * syscall is only ever taken from ring 3: SFMASK clears IF, TF, DF, AC and
 * NT on entry, so the hypervisor runs hypercalls with interrupts off and
 * with a known RFLAGS.
 */
#include "console.h"
#include "domain.h"
#include "hypercall.h"
#include "sched.h"
#include "bounce.h"
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/guest.h>
#include <asm/guest_traps.h>
#include <asm/paging.h>
#include <asm/rflags.h>
#include <asm/fast_offsets.h>
#include <public/callback.h>
#include "evtchn.h"

/* The layout iret_fast.S relies on (asm/fast_offsets.h). */
#define OFF(type, field) __builtin_offsetof(type, field)
_Static_assert(OFF(struct cpu_regs, rdx) == REGS_RDX && OFF(struct cpu_regs, rax) == REGS_RAX &&
               OFF(struct cpu_regs, rcx) == REGS_RCX && OFF(struct cpu_regs, r11) == REGS_R11,
               "regs.rdx");
_Static_assert(OFF(struct vcpu, traps) == V_TRAPS && sizeof(struct trap_info) == 1 << TI_SHIFT &&
               OFF(struct trap_info, flags) == TI_FLAGS &&
               OFF(struct trap_info, address) == TI_ADDRESS && TI_IF == TI_IF_FLAG, "traps");
_Static_assert(OFF(struct cpu_regs, rflags) == REGS_RFLAGS, "regs.rflags");
_Static_assert(OFF(struct cpu_regs, rsi) == REGS_RSI, "regs.rsi");
_Static_assert(OFF(struct cpu_regs, rdi) == REGS_RDI && OFF(struct cpu_regs, cs) == REGS_CS,
               "regs.rdi");
_Static_assert(OFF(struct vcpu, continuation) == V_CONTINUATION &&
               sizeof(((struct vcpu *)0)->continuation) == 1, "vcpu.continuation");
_Static_assert(NR_HYPERCALLS == HC_TABLE_SIZE && sizeof(hypercall_fn) == 8 &&
               sizeof(struct hypercall_args) == 48 && OFF(struct hypercall_args, a1) == 0 &&
               OFF(struct hypercall_args, a2) == 8 && OFF(struct hypercall_args, a3) == 16 &&
               OFF(struct hypercall_args, a4) == 24 && OFF(struct hypercall_args, a5) == 32 &&
               OFF(struct hypercall_args, regs) == 40, "hypercall_args, as pushed");
_Static_assert(OFF(struct cpu_regs, rsp) == REGS_RSP && OFF(struct cpu_regs, ss) == REGS_SS,
               "regs.rsp");
_Static_assert(OFF(struct vcpu, domain) == V_DOMAIN, "vcpu.domain");
_Static_assert(OFF(struct vcpu, id) == V_ID && sizeof(((struct vcpu *)0)->id) == 4, "vcpu.id");
_Static_assert(OFF(struct vcpu, cr3) == V_CR3, "vcpu.cr3");
_Static_assert(OFF(struct vcpu, user_cr3) == V_USER_CR3, "vcpu.user_cr3");
_Static_assert(OFF(struct vcpu, kernel_mode) == V_KERNEL_MODE, "vcpu.kernel_mode");
_Static_assert(OFF(struct vcpu, cb_event.address) == V_CB_EVENT, "vcpu.cb_event");
_Static_assert(OFF(struct vcpu, kernel_sp) == V_KERNEL_SP, "vcpu.kernel_sp");
_Static_assert(OFF(struct vcpu, syscall_frame) == V_SYSCALL_FRAME, "vcpu.syscall_frame");
_Static_assert(OFF(struct vcpu, vcpu_info) == V_VCPU_INFO, "vcpu.vcpu_info");
_Static_assert(OFF(struct vcpu, virt_cr2) == V_VIRT_CR2 &&
               OFF(struct vcpu_info, arch.cr2) == VI_CR2, "cr2");
_Static_assert(OFF(struct vcpu, cb_syscall.address) == V_CB_SYSCALL &&
               OFF(struct vcpu, cb_syscall.flags) == V_CB_SYSCALL_FLAGS &&
               CALLBACKF_mask_events == BOUNCE_MASK_EVENTS, "vcpu.cb_syscall");
_Static_assert(OFF(struct vcpu, last_bounce_rsp) == V_LAST_BOUNCE_RSP, "vcpu.last_bounce_rsp");
_Static_assert(OFF(struct vcpu, gdt_sels) == V_GDT_SELS && sizeof(((struct vcpu *)0)->gdt_sels) == 4 &&
               GDT_SELS_PAIR(FLAT_RING3_CS64, FLAT_RING3_SS64) == IRET_FLAT_SELS &&
               GDT_SELS_VALID == IRET_SELS_VALID, "vcpu.gdt_sels");
_Static_assert((RF_TF | RF_NT | RF_RF | RF_VM | RF_AC | RF_IOPL) == BOUNCE_HANDLER_CLEAR &&
               (RF_IF | RF_IOPL) == BOUNCE_FRAME_CLEAR, "bounce rflags");
_Static_assert(OFF(struct vcpu, bounce_depth) == V_BOUNCE_DEPTH &&
               sizeof(((struct vcpu *)0)->bounce_depth) == 4, "vcpu.bounce_depth");
_Static_assert(OFF(struct domain, vm_assist) == D_VM_ASSIST, "domain.vm_assist");
_Static_assert(OFF(struct domain, evtchn.shared) == D_SHARED, "domain.evtchn.shared");
_Static_assert(OFF(struct domain, evtchn.vcpu_info) == D_VCPU_INFO, "domain.evtchn.vcpu_info");
_Static_assert(sizeof(struct vcpu_info) == 1 << VI_SHIFT, "vcpu_info size");
_Static_assert(OFF(struct shared_info, vcpu_info) == 0, "shared_info.vcpu_info");
_Static_assert(OFF(struct vcpu_info, evtchn_upcall_pending) == VI_PENDING, "vi.pending");
_Static_assert(OFF(struct vcpu_info, evtchn_upcall_mask) == VI_MASK, "vi.mask");
_Static_assert(OFF(struct iret_context, rax) == IC_RAX &&
               OFF(struct iret_context, r11) == IC_R11 &&
               OFF(struct iret_context, rcx) == IC_RCX &&
               OFF(struct iret_context, flags) == IC_FLAGS &&
               OFF(struct iret_context, rip) == IC_RIP && OFF(struct iret_context, cs) == IC_CS &&
               OFF(struct iret_context, rflags) == IC_RFLAGS &&
               OFF(struct iret_context, rsp) == IC_RSP && OFF(struct iret_context, ss) == IC_SS &&
               sizeof(struct iret_context) == IC_SIZE, "iret_context");
_Static_assert(VGCF_in_syscall == IRET_IN_SYSCALL && RF_IF == 1ULL << IRET_IF_BIT &&
               (RF_IF | RF_1) == IRET_FORCED_RFLAGS, "iret flags");
_Static_assert(VMASST_TYPE_architectural_iopl == IRET_VMASST_IOPL &&
               __HYPERVISOR_iret == IRET_HYPERCALL_NR, "iret numbers");
_Static_assert((FLAT_RING3_CS64 & 0xfffc) == IRET_KERNEL_CS &&
               (FLAT_RING3_SS64 & 0xfffc) == IRET_KERNEL_SS &&
               RING3_CS64 == FLAT_RING3_CS64 && RING3_DS == FLAT_RING3_SS64, "flat selectors");

#define SFMASK_BITS (RF_TF | RF_IF | RF_DF | RF_NT | RF_AC)

extern uint8_t boot_stack_top[];

struct cpu_regs *guest_frame(void)
{
    return (struct cpu_regs *)((uintptr_t)boot_stack_top - sizeof(struct cpu_regs));
}

void arch_init_syscall(void)
{
    /* syscall: CS = HV_CS, SS = HV_CS + 8. sysret: CS = RING3_CS32 + 16
     * (64-bit), SS = RING3_CS32 + 8, which is why the GDT is laid out so. */
    wrmsr(MSR_STAR, ((uint64_t)RING3_CS32 << 48) | ((uint64_t)HV_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)syscall32_entry);
    wrmsr(MSR_SFMASK, SFMASK_BITS);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* Guests use x87 and SSE: FXSAVE-aware OS, SIMD exceptions, no
     * emulation. The hypervisor itself never touches FPU registers. */
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    __asm__ volatile("mov %%cr0, %%rax; and $~4, %%rax; or $0x22, %%rax; mov %%rax, %%cr0"
                     ::: "rax");                 /* MP and NE (x87 errors as #MF), no EM */
}

void arch_switch_to_idle(void)
{
    write_cr3(paging_idle_cr3());
}

/* ---- the way back ------------------------------------------------------ */

/* The frame's CS and SS name descriptors of the guest's GDT (iret.c took
 * them): the guest may have changed those since (update_descriptor,
 * set_gdt), and iretq must not fault in ring 0. As Xen's failed return,
 * the guest then takes a #GP, on the flat selectors. */
static __attribute__((noinline)) void check_guest_selectors(struct vcpu *v,
                                                            struct cpu_regs *frame)
{
    struct guest_gdt g;

    if (v->gdt_sels == GDT_SELS_PAIR(frame->cs, frame->ss))
        return;                                /* checked since its last change */
    vcpu_guest_gdt(v, &g);
    if (!guest_selectors_ok(&g, frame->cs, frame->ss))
        deliver_trap(v, frame, 13, true, 0);
}

/* Xen's flat selectors, whatever their RPL: always valid at CPL 3. */
static bool flat_selectors(const struct cpu_regs *frame)
{
    return (((frame->cs ^ FLAT_RING3_CS64) | (frame->ss ^ FLAT_RING3_SS64)) & 0xfffc) == 0;
}

/* The fast path is three tests: no scheduler work (sched_exit_work), no
 * deliverable upcall, flat selectors; the upcall test reads vcpu_info
 * through the direct map. Each slow part runs only when its test asks.
 * Inline into the hypercall entry, out of line for the others. */
static inline void exit_checks(struct cpu_regs *frame)
{
    struct vcpu *v;

    if (unlikely(!sched_current_goes_on()))
        schedule(frame);
    v = current_vcpu;
    if (v->cb_event.address && unlikely(vcpu_upcall_deliverable(v)))
        bounce_event(v, frame);
    if (unlikely(!flat_selectors(frame)))
        check_guest_selectors(v, frame);
}

void exit_to_guest(struct cpu_regs *frame)
{
    exit_checks(frame);
}

/* ---- the way in ------------------------------------------------------- */

/* syscall from ring 3: a hypercall from guest kernel mode (the common
 * case, tested first), a system call for the guest kernel from guest user
 * mode. CR3 is the guest's kernel L4 in kernel mode, its user L4 in user
 * mode (guest_user_syscall switches to the kernel's before it writes). */
void do_guest_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu;

    if (unlikely(!v))
        panic("syscall with no guest running (rip %#lx)\n", regs->rip);
    if (likely(v->kernel_mode))
        do_hypercall(v, regs);
    else
        guest_user_syscall(v, regs, false);
    exit_checks(regs);
}

/* A hypercall: syscall_entry found a vCPU in guest kernel mode. */
void do_guest_hypercall(struct cpu_regs *regs)
{
    do_hypercall(current_vcpu, regs);
    exit_checks(regs);
}

/* hypercall_fast.S's way out when one of its exit tests failed: the
 * restart of a continued call (nr is the number the guest called), then
 * every exit check, the slow parts included. */
void hypercall_exit_slow(struct vcpu *v, struct cpu_regs *regs, uint64_t nr)
{
    if (v->continuation)
        hypercall_apply_continuation(v, regs, nr);
    exit_checks(regs);
}

/* hypercall_fast.S's selector step of exit_checks. */
void exit_check_selectors(struct cpu_regs *frame)
{
    check_guest_selectors(current_vcpu, frame);
}

/* The same from 32-bit code (CSTAR): never a hypercall. */
void do_guest_syscall32(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu;

    if (unlikely(!v))
        panic("syscall with no guest running (rip %#lx)\n", regs->rip);
    if (v->kernel_mode)
        domain_crash(v->domain, "32-bit syscall in guest kernel mode at %#lx", regs->rip);
    else
        guest_user_syscall(v, regs, true);
    exit_to_guest(regs);
}
