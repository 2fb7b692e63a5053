/*
 * callbacks.c: the CPU-state hypercalls of a 64-bit PV vCPU:
 * set_callbacks (#4), callback_op (#30), nmi_op (#28), stack_switch (#3),
 * fpu_taskswitch (#5), set_segment_base (#25), set_debugreg (#8) and
 * get_debugreg (#9).
 *
 * A callback or segment base must be canonical, as on Xen; one in the
 * hypervisor range is accepted (entering it faults in ring 3 and crashes
 * the domain). A debug breakpoint must be a guest address: the CPU would
 * otherwise trap in the hypervisor. Every callback type Xen
 * accepts for 64-bit PV guests is accepted (XTF aborts if sysenter or
 * syscall32 registration fails), even those a 64-bit guest never triggers.
 */
#include "guest_address.h"
#include "bounce.h"
#include "debug_trap.h"
#include "err.h"
#include "hypercall.h"
#include "vcpu_state.h"
#include <public/callback.h>
#include <asm/cpu.h>

static struct callback *callback_slot(struct vcpu *v, unsigned int type)
{
    switch (type) {
    case CALLBACKTYPE_event:     return &v->cb_event;
    case CALLBACKTYPE_failsafe:  return &v->cb_failsafe;
    case CALLBACKTYPE_syscall:   return &v->cb_syscall;
    case CALLBACKTYPE_syscall32: return &v->cb_syscall32;
    case CALLBACKTYPE_sysenter:  return &v->cb_sysenter;
    case CALLBACKTYPE_nmi:       return &v->cb_nmi;
    default:                     return NULL;
    }
}

/* v->syscall_frame follows kernel_sp and the syscall callback, its only
 * inputs (written here only): 0 while either leaves the bounce to C. */
static void sync_syscall_frame(struct vcpu *v)
{
    v->syscall_frame = v->cb_syscall.address ? bounce_syscall_frame(v->kernel_sp) : 0;
}

static int register_callback(struct vcpu *v, unsigned int type, uint16_t flags, uint64_t addr)
{
    struct callback *cb = callback_slot(v, type);

    if (!cb)
        return -ENOSYS;                          /* no such type: Xen says -ENOSYS */
    if (!is_canonical(addr))
        return -EINVAL;                          /* as Xen: canonical is the only rule */
    cb->address = addr;
    cb->flags = flags & CALLBACKF_mask_events;
    sync_syscall_frame(v);
    if (type == CALLBACKTYPE_nmi) {           /* Xen installs it as trap 2, events masked */
        v->traps[2] = (struct trap_info){ .vector = 2, .flags = TI_IF,
                                          .cs = FLAT_KERNEL_CS, .address = addr };
    }
    return 0;
}

/* Xen registers each of the three it can and ignores the refusals. */
int64_t do_set_callbacks(struct vcpu *v, const struct hypercall_args *a)
{
    register_callback(v, CALLBACKTYPE_event, 0, a->a1);
    register_callback(v, CALLBACKTYPE_failsafe, 0, a->a2);
    register_callback(v, CALLBACKTYPE_syscall, 0, a->a3);
    return 0;
}

int64_t do_callback_op(struct vcpu *v, const struct hypercall_args *a)
{
    struct guest_space gs;
    struct callback_register reg;
    struct callback_unregister unreg;

    vcpu_guest_space(v, &gs);
    switch (a->a1) {
    case CALLBACKOP_register:
        if (copy_from_guest(&gs, &reg, a->a2, sizeof(reg)))
            return -EFAULT;
        return register_callback(v, reg.type, reg.flags, reg.address);
    case CALLBACKOP_unregister:
        if (copy_from_guest(&gs, &unreg, a->a2, sizeof(unreg)))
            return -EFAULT;
        if (unreg.type != CALLBACKTYPE_nmi)
            return -EINVAL;
        v->cb_nmi.address = 0;
        v->traps[2].address = 0;
        return 0;
    default:
        return unimpl_enosys(v->domain, UNIMPL_CALLBACK_OP, a->a1);
    }
}

int64_t do_nmi_op(struct vcpu *v, const struct hypercall_args *a)
{
    struct guest_space gs;
    struct xennmi_callback cb;

    switch (a->a1) {
    case XENNMI_register_callback:
        vcpu_guest_space(v, &gs);
        if (copy_from_guest(&gs, &cb, a->a2, sizeof(cb)))
            return -EFAULT;
        return register_callback(v, CALLBACKTYPE_nmi, 0, cb.handler_address);
    case XENNMI_unregister_callback:
        v->cb_nmi.address = 0;
        v->traps[2].address = 0;
        return 0;
    default:
        return unimpl_enosys(v->domain, UNIMPL_NMI_OP, a->a1);
    }
}

int64_t do_stack_switch(struct vcpu *v, const struct hypercall_args *a)
{
    v->kernel_ss = a->a1 | 3;
    v->kernel_sp = a->a2;
    sync_syscall_frame(v);
    return 0;
}

int64_t do_fpu_taskswitch(struct vcpu *v, const struct hypercall_args *a)
{
    set_virtual_ts(v, a->a1 != 0);
    return 0;
}

/* A user GS selector: only the null selector and the flat ring-3 data
 * selector exist for a guest without its own GDT; anything else becomes
 * null, as on Xen. Loading it resets the user GS base to 0. */
static void load_user_gs_selector(uint64_t sel)
{
    uint16_t s = (uint16_t)sel | 3;

    if ((s & ~3) != (FLAT_RING3_DS32 & ~3))
        s = 0;
    __asm__ volatile("swapgs; movl %0, %%gs; swapgs" : : "r"((uint32_t)s) : "memory");
}

int64_t do_set_segment_base(struct vcpu *v, const struct hypercall_args *a)
{
    uint64_t base = a->a2;

    (void)v;                                   /* the bases live in the CPU's MSRs */
    if (a->a1 != SEGBASE_GS_USER_SEL && !is_canonical(base))
        return -EINVAL;
    switch (a->a1) {
    case SEGBASE_FS:        wrmsr(MSR_FS_BASE, base); return 0;
    case SEGBASE_GS_USER:   wrmsr(MSR_KERNEL_GS_BASE, base); return 0;  /* inactive now */
    case SEGBASE_GS_KERNEL: wrmsr(MSR_GS_BASE, base); return 0;
    case SEGBASE_GS_USER_SEL: load_user_gs_selector(base); return 0;
    default:                return -EINVAL;
    }
}

/* ---- debug registers ---------------------------------------------------- */

/* The rules are debug_trap.c's (debugreg_check). DR0-3 and DR7 are loaded
 * into the CPU at once and stay loaded while the hypervisor runs; DR6 is
 * virtual (the CPU's is reset after every #DB). */
static void load_dr(unsigned int reg, uint64_t val)
{
    switch (reg) {
    case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(val)); break;
    case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(val)); break;
    case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(val)); break;
    case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(val)); break;
    case 7: __asm__ volatile("mov %0, %%dr7" : : "r"(val)); break;
    default: break;                            /* DR6 is virtual */
    }
}

int64_t do_set_debugreg(struct vcpu *v, const struct hypercall_args *a)
{
    return vcpu_set_debugreg(v, (unsigned int)a->a1, a->a2);
}

int vcpu_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t val)
{
    uint64_t keep;
    int rc = debugreg_check(reg, val, &keep);

    if (rc)
        return rc;
    reg = debugreg_index(reg);
    v->dr[reg] = keep;
    load_dr(reg, keep);
    return 0;
}

int64_t do_get_debugreg(struct vcpu *v, const struct hypercall_args *a)
{
    unsigned int reg = debugreg_index((unsigned int)a->a1);   /* Xen's int reg */

    if (reg > 7)
        return -ENODEV;
    return (int64_t)v->dr[reg];
}
