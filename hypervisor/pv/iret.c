/*
 * iret.c: the iret hypercall (#23), how a guest kernel returns from a
 * bounce frame to its kernel or to user mode.
 *
 * The stub pushed rax, r11 and rcx below the guest's frame, so the whole
 * struct iret_context sits at the guest's rsp. It is copied once (direct
 * loads while the kernel root is loaded: vcpu_copy.c), checked and
 * sanitized (bounce.c: the flat ring-3 selectors or valid ones of the
 * guest's GDT, canonical RIP and RSP, no IOPL/VM/NT, IF set) and only then
 * loaded. A frame that cannot be read crashes the domain: there is no
 * caller left to hand an error to; one that cannot be returned to gets the
 * guest the exception iretq would raise, as Xen forwards it. Returning to
 * user mode needs a user page table.
 * arch/x86/iret_fast.S does the same without C for a 64-bit frame from
 * guest kernel mode with the flat selectors or the guest-GDT pair checked
 * here last (v->gdt_sels, descriptors.c) and comes here for everything
 * else; this file stays the definition.
 */
#include "bounce.h"
#include "domain.h"
#include "err.h"
#include "hypercall.h"
#include "vcpu_copy.h"
#include <asm/guest_traps.h>

static void load_frame(struct vcpu *v, struct cpu_regs *regs, const struct iret_result *r)
{
    regs->rip = r->rip;
    regs->cs = r->cs;
    regs->rflags = r->rflags;
    regs->rsp = r->rsp;
    regs->ss = r->ss;
    if (r->restore_rcx_r11) {
        regs->rcx = r->rcx;
        regs->r11 = r->r11;
    } else {                                   /* sysret semantics */
        regs->rcx = r->rip;
        regs->r11 = r->rflags;
    }
    if ((v->domain->vm_assist >> VMASST_TYPE_architectural_iopl) & 1)
        v->iopl = r->viopl;
    vcpu_info_of(v)->evtchn_upcall_mask = r->upcall_mask;
}

/* A frame the CPU could not return to (a ring-0 or unknown selector, a
 * non-canonical RIP): as on Xen, the guest gets the exception that iretq
 * would raise (#GP, or #NP for a descriptor not present), with the
 * requested RIP and CS in its frame and the bad selector (or 0) as error
 * code. The guest kernel stays in kernel mode. */
static int64_t bad_frame(struct vcpu *v, struct cpu_regs *regs, const struct iret_context *ic,
                         unsigned int vector, uint64_t error)
{
    regs->rip = ic->rip;
    regs->cs = ic->cs & 0xffff;
    regs->rsp = ic->rsp;
    regs->ss = FLAT_KERNEL_SS;
    regs->rax = ic->rax;
    regs->rcx = ic->rcx;
    regs->r11 = ic->r11;
    deliver_trap(v, regs, vector, true, error);
    return (int64_t)regs->rax;
}

/* The guest's GDT is read only for selectors other than the flat ones,
 * which bounce.c accepts without it (NULL: no GDT). */
static const struct guest_gdt *gdt_if_needed(const struct vcpu *v,
                                             const struct iret_context *ic,
                                             struct guest_gdt *gdt)
{
    uint64_t cs = ic->cs & 0xfffc, ss = ic->ss & 0xfffc;

    if ((cs == (FLAT_RING3_CS64 & 0xfffc) || cs == (FLAT_RING3_CS32 & 0xfffc)) &&
        ss == (FLAT_RING3_SS64 & 0xfffc))
        return NULL;
    vcpu_guest_gdt(v, gdt);
    return gdt;
}

int64_t do_iret(struct vcpu *v, const struct hypercall_args *a)
{
    struct cpu_regs *regs = a->regs;
    struct iret_context ic;
    struct iret_result r;
    struct guest_gdt gdt;
    const struct guest_gdt *g;

    if (vcpu_copy_from(v, &ic, regs->rsp, sizeof(ic))) {
        domain_crash(v->domain, "iret: frame at %#lx cannot be read", regs->rsp);
        return -EFAULT;
    }
    g = gdt_if_needed(v, &ic, &gdt);
    if (iret_sanitize_guest(&ic, g, &r))
        return bad_frame(v, regs, &ic, r.fault_vector, r.fault_selector);
    if (g)
        vcpu_gdt_sels_checked(v, g, ic.cs, ic.ss);  /* the next one: iret_fast.S */
    if (r.to_user && !v->user_cr3) {
        domain_crash(v->domain, "iret to user mode with no user page table");
        return -EINVAL;
    }
    if (r.to_user)
        toggle_guest_mode(v);
    load_frame(v, regs, &r);
    return (int64_t)r.rax;                     /* rax as the frame had it */
}
