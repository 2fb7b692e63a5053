/*
 * guest_traps.c: exceptions and user syscalls raised by a guest, delivered
 * to the guest's own handlers through bounce frames (Xen's create_bounce_
 * frame; frame layout in bounce.c).
 *
 * Rules:
 *  - a trap in guest user mode first switches the vCPU to kernel mode
 *    (kernel page tables, swapgs) and uses the stack from stack_switch;
 *  - a vector without a handler, a frame that cannot be written (stack
 *    unmapped, read-only, or in the hypervisor range) or more than
 *    MAX_BOUNCE_DEPTH frames nested one below the other without the stack
 *    ever unwinding or a hypercall in between (a fault storm in the
 *    guest's own handlers) crash the domain alone, with one line saying why;
 *  - #PF puts the address in vcpu_info.arch.cr2 and sets the error code's
 *    U/S bit from the guest's virtual mode;
 *  - #GP goes first to the emulator (int n, privileged instructions), #UD
 *    to the forced-emulation prefix check, and only then to the guest;
 *  - an int n through an open DPL 3 gate (desc.c) enters the guest's
 *    handler for n or becomes the #GP the DPL 0 gate would have raised
 *    (pv/softint.c rule 1): the same answer as through emulate.c;
 *  - #DB adds the CPU's status bits to the guest's virtual DR6 (traps.c
 *    read the CPU's and reset it); a #DB the guest aimed at the hypervisor
 *    itself never comes here (debug_trap.c);
 *  - a frame whose RIP is not canonical is never returned to: the guest
 *    takes #GP(0) at that RIP instead (entry.S return_to_guest).
 * Assembly does the common cases with the same results and leaves the
 * rest here: trap_fast.S (#BP, #UD, #PF in kernel mode), bounce_fast.S (a
 * user system call), bounce_direct.S (any bounce whose frame fits in one
 * page, called first by bounce()).
 */
#include "bounce.h"
#include "console.h"
#include "debug_trap.h"
#include "domain.h"
#include "emulate.h"
#include "err.h"
#include "hypercall.h"
#include "vcpu_state.h"
#include "sched.h"
#include "softint.h"
#include "vcpu_copy.h"
#include <public/callback.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/guest.h>
#include <asm/guest_traps.h>
#include <asm/fast_offsets.h>

#define MAX_BOUNCE_DEPTH 1024
_Static_assert(MAX_BOUNCE_DEPTH == BOUNCE_MAX_DEPTH, "bounce_fast.S counts the same");
#define PF_USER 4

static const char *const vector_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#09", "#TS",
    "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

void toggle_guest_mode(struct vcpu *v)
{
    v->kernel_mode = !v->kernel_mode;
    write_cr3(v->kernel_mode ? v->cr3 : v->user_cr3);
    __asm__ volatile("swapgs" ::: "memory");   /* the guest's GS bases; ours is unused */
}

static const char *vector_name(unsigned int vector)
{
    return vector < 32 ? vector_names[vector] : "software interrupt";
}

/* bounce_direct.S: this function's common case (a frame within one page)
 * with direct stores; false, with nothing changed, for the rest. */
bool bounce_direct(struct vcpu *v, struct cpu_regs *regs, uint64_t handler, uint64_t how,
                   uint64_t error);

/* Push a frame for the interrupted context in regs and enter handler.
 * Returns false (domain crashed) if that is impossible. */
static bool bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler, bool mask_events,
                   bool has_error, uint64_t error, const char *what)
{
    struct vcpu_info *vi;
    struct bounce_ctx c;
    struct bounce_frame f;

    if (bounce_direct(v, regs, handler, (mask_events ? BOUNCE_HOW_MASK : 0) |
                                        (has_error ? BOUNCE_HOW_ERROR : 0), error))
        return true;
    vi = vcpu_info_of(v);
    c = (struct bounce_ctx){
        regs->rip, regs->cs, regs->rflags, regs->rsp, regs->ss, regs->rcx, regs->r11,
        !v->kernel_mode, vi->evtchn_upcall_mask, 0,
    };
    if (!v->kernel_mode)
        toggle_guest_mode(v);                /* CR3: the kernel L4 from here on */
    if (bounce_build(&c, c.user ? v->kernel_sp : regs->rsp, has_error, error, &f) ||
        vcpu_copy_to(v, f.rsp, f.words, f.nr * sizeof(uint64_t))) {
        domain_crash(v->domain, "cannot write the %s frame on the guest kernel stack at %#lx",
                     what, c.user ? v->kernel_sp : regs->rsp);
        return false;
    }
    v->bounce_depth = (v->bounce_depth && f.rsp < v->last_bounce_rsp) ? v->bounce_depth + 1 : 1;
    v->last_bounce_rsp = f.rsp;
    if (v->bounce_depth > MAX_BOUNCE_DEPTH) {
        domain_crash(v->domain, "fault storm: %u nested %s frames at rip %#lx",
                     MAX_BOUNCE_DEPTH, what, regs->rip);
        return false;
    }
    if (mask_events)
        vi->evtchn_upcall_mask = 1;
    regs->rip = regs->rcx = handler;
    regs->rflags = regs->r11 = handler_rflags(regs->rflags);
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = f.rsp;
    return true;
}

void deliver_trap(struct vcpu *v, struct cpu_regs *regs, unsigned int vector,
                  bool has_error, uint64_t error)
{
    const struct trap_info *t = &v->traps[vector & 0xff];

    if (!t->address) {
        domain_crash(v->domain, "%s (vector %u) at rip %#lx with no handler registered",
                     vector_name(vector), vector, regs->rip);
        return;
    }
    bounce(v, regs, t->address, t->flags & TI_IF, has_error, error, vector_name(vector));
}

static void page_fault(struct vcpu *v, struct cpu_regs *regs)
{
    uint64_t cr2 = read_cr2();
    uint64_t ec = (regs->error_code & ~(uint64_t)PF_USER) | (v->kernel_mode ? 0 : PF_USER);

    if (emulate_ptwr(v, regs, cr2, regs->error_code))
        return;                              /* a page-table write, applied */
    v->virt_cr2 = cr2;
    vcpu_info_of(v)->arch.cr2 = cr2;
    deliver_trap(v, regs, 14, true, ec);
}

/* As on Xen, delivering #NM clears the virtual TS: the guest's handler
 * restores its FPU state and must not fault again on the next instruction. */
static void device_not_available(struct vcpu *v, struct cpu_regs *regs)
{
    if (v->virt_ts) {
        set_virtual_ts(v, false);
        deliver_trap(v, regs, 7, false, 0);
        return;
    }
    __asm__ volatile("clts");                /* ours, not the guest's: nothing to tell */
}

void do_guest_exception(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu;
    unsigned int vector = (unsigned int)regs->vector;

    switch (vector) {
    case 6:
        if (!emulate_invalid_op(v, regs))
            deliver_trap(v, regs, 6, false, 0);
        break;
    case 7:  device_not_available(v, regs); break;
    case 13:
        if (!emulate_gp(v, regs))
            deliver_trap(v, regs, 13, true, regs->error_code);
        break;
    case 14: page_fault(v, regs); break;
    default:
        deliver_trap(v, regs, vector, vector_has_error_code(vector), regs->error_code);
        break;
    }
    exit_to_guest(regs);
}

/* softint_fast.S: a guest's int n through an open gate, when its fast
 * case did not apply. The hardware frame's RIP is after the int; a refused
 * one is reported at the int, as the #GP of a DPL 0 gate would be. */
void do_guest_softint(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu;
    unsigned int vector = (unsigned int)regs->vector & 0xff;

    cpu_clear_ac();
    if (softint_permitted(&v->traps[vector], vector, v->kernel_mode)) {
        deliver_trap(v, regs, vector, false, 0);
    } else {
        regs->rip -= SOFTINT_INSN_LEN;
        deliver_trap(v, regs, 13, true, softint_gp_error(vector));
    }
    exit_to_guest(regs);
}

/* A #DB from ring 3 (traps.c read and reset the CPU's DR6): the status
 * bits go into the guest's virtual DR6, where get_debugreg(6) shows them. */
void do_guest_debug(struct cpu_regs *regs, uint64_t dr6)
{
    struct vcpu *v = current_vcpu;

    v->dr[6] = debug_trap_merge_dr6(v->dr[6], dr6);
    deliver_trap(v, regs, 1, false, 0);
    exit_to_guest(regs);
}

/* entry.S return_to_guest found a non-canonical RIP in the frame (a
 * syscall, trap or emulated instruction ending at the top of the lower
 * half, 0x00007fffffffffff): iretq would raise #GP in ring 0 on Intel
 * CPUs. As Xen does after that #GP, the guest takes a #GP(0) at that RIP;
 * its handler's address is canonical (trap_table.c), so the next check
 * passes, or the domain has crashed and another frame is in place. */
void guest_return_rip_noncanonical(struct cpu_regs *regs)
{
    deliver_trap(current_vcpu, regs, 13, true, 0);
    exit_to_guest(regs);
}

/* The event upcall: the standard frame without error code, events masked. */
void bounce_event(struct vcpu *v, struct cpu_regs *regs)
{
    bounce(v, regs, v->cb_event.address, true, false, 0, "event upcall");
}

/* syscall in guest user mode: to the guest kernel's syscall callback, or a
 * #UD at the syscall instruction when there is none (as on Xen). */
void guest_user_syscall(struct vcpu *v, struct cpu_regs *regs, bool compat)
{
    const struct callback *cb = compat ? &v->cb_syscall32 : &v->cb_syscall;

    if (!cb->address) {
        regs->rip -= 2;
        deliver_trap(v, regs, 6, false, 0);
        return;
    }
    bounce(v, regs, cb->address, cb->flags & CALLBACKF_mask_events, false, 0, "syscall");
}
