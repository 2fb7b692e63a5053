/*
 * Tern guest kernel: hypercall wrappers (Xen 64-bit PV calling convention).
 *
 * Every hypercall goes through the builder-filled hypercall page: the stub
 * for number n is at hypercall_page + n * 32 (public/xen.h, CALLING
 * CONVENTION). Arguments go in rdi, rsi, rdx, r10, r8; the result comes back
 * in rax. The five argument registers are declared clobbered on every call,
 * because Xen's debug builds overwrite the ones a hypercall uses.
 *
 * HYPERVISOR_<name>() are the typed wrappers; hypercall_raw() reaches any
 * stub by number (tests use it for unknown numbers) and hypercall_syscall()
 * issues `syscall` directly, for numbers that have no stub (>= 128).
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>
#include <public/xen.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/memory.h>
#include <public/mmu.h>
#include <public/event_channel.h>
#include <public/vcpu.h>
#include <public/domctl.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/grant_table.h>

extern uint8_t hypercall_page[HYPERCALL_PAGE_STUBS * HYPERCALL_STUB_SIZE];

/* Calls stub `nr` (0..127) of the hypercall page with five arguments. */
static inline long hypercall_raw(unsigned int nr, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    uint64_t stub = (uint64_t)(uintptr_t)&hypercall_page[nr * HYPERCALL_STUB_SIZE];
    long ret;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [stub] "r"(stub)
                     : "memory", "rcx", "r11");
    return ret;
}

/* Enters the hypervisor with `syscall` and rax = nr, bypassing the page.
 * The stubs save rcx and r11 around syscall; here they are just clobbered. */
static inline long hypercall_syscall(uint64_t nr, uint64_t a1, uint64_t a2,
                                     uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    long ret;

    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : "a"(nr)
                     : "memory", "rcx", "r11");
    return ret;
}

static inline uint64_t hc_ptr(const volatile void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static inline long HYPERVISOR_set_trap_table(const struct trap_info *traps)
{
    return hypercall_raw(__HYPERVISOR_set_trap_table, hc_ptr(traps), 0, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_memory_op, cmd, hc_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uops, unsigned int count)
{
    return hypercall_raw(__HYPERVISOR_grant_table_op, cmd, hc_ptr(uops), count, 0, 0);
}

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t new_pte,
                                                uint64_t flags)
{
    return hypercall_raw(__HYPERVISOR_update_va_mapping, va, new_pte, flags, 0, 0);
}

/* mmu_update(reqs, count, pdone, foreigndom): public/mmu.h. */
static inline long HYPERVISOR_update_va_mapping_otherdomain(uint64_t va, uint64_t new_pte,
                                                            uint64_t flags, domid_t dom)
{
    return hypercall_raw(__HYPERVISOR_update_va_mapping_otherdomain, va, new_pte, flags, dom, 0);
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *reqs,
                                         unsigned int count, unsigned int *pdone,
                                         unsigned int foreigndom)
{
    return hypercall_raw(__HYPERVISOR_mmu_update, hc_ptr(reqs), count,
                         hc_ptr(pdone), foreigndom, 0);
}

/* mmuext_op(ops, count, pdone, foreigndom): public/mmu.h. */
static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *ops,
                                        unsigned int count, unsigned int *pdone,
                                        unsigned int foreigndom)
{
    return hypercall_raw(__HYPERVISOR_mmuext_op, hc_ptr(ops), count,
                         hc_ptr(pdone), foreigndom, 0);
}

/* multicall(calls, nr_calls): public/xen.h. */
static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int nr_calls)
{
    return hypercall_raw(__HYPERVISOR_multicall, hc_ptr(calls), nr_calls, 0, 0, 0);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_xen_version, (uint64_t)(int64_t)cmd,
                         hc_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int count,
                                         const char *buf)
{
    return hypercall_raw(__HYPERVISOR_console_io, cmd, count, hc_ptr(buf), 0, 0);
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return hypercall_raw(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_sched_op, (uint64_t)(int64_t)cmd,
                         hc_ptr(arg), 0, 0, 0);
}

/* ---- tier 2: traps and CPU state (public/callback.h) ------------------- */

static inline long HYPERVISOR_stack_switch(uint64_t ss, uint64_t rsp)
{
    return hypercall_raw(__HYPERVISOR_stack_switch, ss, rsp, 0, 0, 0);
}

static inline long HYPERVISOR_set_callbacks(uint64_t event, uint64_t failsafe,
                                            uint64_t syscall)
{
    return hypercall_raw(__HYPERVISOR_set_callbacks, event, failsafe, syscall, 0, 0);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return hypercall_raw(__HYPERVISOR_callback_op, (uint64_t)(int64_t)cmd,
                         hc_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_nmi_op(unsigned int cmd, const void *arg)
{
    return hypercall_raw(__HYPERVISOR_nmi_op, cmd, hc_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return hypercall_raw(__HYPERVISOR_fpu_taskswitch, (uint64_t)(int64_t)set, 0, 0, 0, 0);
}

static inline long HYPERVISOR_set_segment_base(unsigned int which, uint64_t base)
{
    return hypercall_raw(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0);
}

static inline long HYPERVISOR_set_debugreg(int reg, uint64_t value)
{
    return hypercall_raw(__HYPERVISOR_set_debugreg, (uint64_t)(int64_t)reg, value, 0, 0, 0);
}

static inline long HYPERVISOR_get_debugreg(int reg)
{
    return hypercall_raw(__HYPERVISOR_get_debugreg, (uint64_t)(int64_t)reg, 0, 0, 0, 0);
}

/* set_gdt(frames, entries): frames = MFNs of the descriptor pages. */
static inline long HYPERVISOR_set_gdt(const uint64_t *frames, unsigned int entries)
{
    return hypercall_raw(__HYPERVISOR_set_gdt, hc_ptr(frames), entries, 0, 0, 0);
}

/* update_descriptor(maddr, desc): maddr = machine address of the entry. */
static inline long HYPERVISOR_update_descriptor(uint64_t maddr, uint64_t desc)
{
    return hypercall_raw(__HYPERVISOR_update_descriptor, maddr, desc, 0, 0, 0);
}

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_physdev_op, (uint64_t)(int64_t)cmd, hc_ptr(arg),
                         0, 0, 0);
}

/* platform_op(op): op->interface_version is the caller's to set. */
static inline long HYPERVISOR_platform_op(struct xen_platform_op *op)
{
    return hypercall_raw(__HYPERVISOR_platform_op, hc_ptr(op), 0, 0, 0, 0);
}

/* ---- tier 3: events and time (public/event_channel.h, public/vcpu.h) --- */

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_event_channel_op, (uint64_t)(int64_t)cmd,
                         hc_ptr(arg), 0, 0, 0);
}

/* The legacy form: one pointer to { u32 cmd; u32 pad; union of the args }. */
static inline long HYPERVISOR_event_channel_op_compat(void *op)
{
    return hypercall_raw(__HYPERVISOR_event_channel_op_compat, hc_ptr(op), 0, 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall_raw(__HYPERVISOR_vcpu_op, (uint64_t)(int64_t)cmd, vcpu,
                         hc_ptr(arg), 0, 0);
}

/* timeout: absolute system time in ns (0 cancels). */
static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{
    return hypercall_raw(__HYPERVISOR_set_timer_op, timeout, 0, 0, 0, 0);
}

/* ---- the control domain (public/domctl.h) -------------------------------- */

static inline long HYPERVISOR_domctl(struct xen_domctl *op)
{
    return hypercall_raw(__HYPERVISOR_domctl, hc_ptr(op), 0, 0, 0, 0);
}

static inline long HYPERVISOR_sysctl(struct xen_sysctl *op)
{
    return hypercall_raw(__HYPERVISOR_sysctl, hc_ptr(op), 0, 0, 0, 0);
}

#endif /* GUEST_HYPERCALL_H */
