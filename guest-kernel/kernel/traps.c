/*
 * Tern guest kernel: the trap table, the callbacks and where each entry
 * goes (trap_dispatch, called by entry.S).
 *
 * Policy:
 *  - user mode: a test's hook first, then the process code decides
 *    (demand-zero paging, or the process is killed with a message); the
 *    kernel and the other processes go on;
 *  - kernel mode: a test's hook first, then the exception table (a fault
 *    the code expected resumes at its fixup), #NM clears TS and retries,
 *    #DB and #BP are reported and execution continues; anything else is a
 *    kernel bug: registers are printed and the domain crashes (panic);
 *  - user syscalls go to syscall.c, event upcalls to events.c, an NMI
 *    is reported.
 * Every exception is first written to trap_last, which tests read.
 */
#include <public/callback.h>
#include <public/errno.h>
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/events.h"
#include "kernel/process.h"
#include "kernel/traps.h"

_Static_assert(offsetof(struct regs, r15) == REGS_R15, "regs.r15");
_Static_assert(offsetof(struct regs, rax) == REGS_RAX, "regs.rax");
_Static_assert(offsetof(struct regs, rdi) == REGS_RDI, "regs.rdi");
_Static_assert(offsetof(struct regs, vector) == REGS_VECTOR, "regs.vector");
_Static_assert(offsetof(struct regs, error_code) == REGS_ERROR, "regs.error_code");
_Static_assert(offsetof(struct regs, rip) == REGS_RIP, "regs.rip");
_Static_assert(offsetof(struct regs, cs) == REGS_CS, "regs.cs");
_Static_assert(offsetof(struct regs, rflags) == REGS_RFLAGS, "regs.rflags");
_Static_assert(offsetof(struct regs, rsp) == REGS_RSP, "regs.rsp");
_Static_assert(offsetof(struct regs, ss) == REGS_SS, "regs.ss");
_Static_assert(sizeof(struct regs) == REGS_SIZE, "regs size");
_Static_assert(REGS_SIZE % 16 == 0, "struct regs keeps the stack 16-byte aligned");
_Static_assert(HYPERCALL_IRET_OFFSET == __HYPERVISOR_iret * HYPERCALL_STUB_SIZE,
               "iret stub offset");

struct extable_entry {
    uint64_t fault, fixup;
};
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

volatile struct trap_record trap_last;
volatile uint64_t events_seen;
static trap_hook_t hooks[256];

static const char *const vector_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "vector 9", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "vector 15",
    "#MF x87 floating point", "#AC alignment check", "#MC machine check",
    "#XM SIMD floating point", "#VE virtualization", "#CP control protection",
};

const char *trap_name(uint64_t vector)
{
    if (vector < 32 && vector_names[vector])
        return vector_names[vector];
    return vector < 256 ? "software interrupt" : "callback";
}

/* Where the hypervisor keeps our vcpu_info after VCPUOP_register_vcpu_info
 * (NULL: its slot in shared_info). */
static struct vcpu_info *placed_vcpu_info;

struct vcpu_info *this_vcpu_info(void)
{
    if (placed_vcpu_info)
        return placed_vcpu_info;
    return shared_info ? &shared_info->vcpu_info[0] : NULL;
}

void vcpu_info_placed(struct vcpu_info *vi)
{
    placed_vcpu_info = vi;
}

void trap_set_hook(unsigned int vector, trap_hook_t hook)
{
    hooks[vector & 0xff] = hook;
}

uint64_t trap_stub_address(unsigned int vector)
{
    return (uint64_t)(uintptr_t)trap_stubs[vector & 0xff];
}

/* ---- what happened ------------------------------------------------------ */

/* The #PF address: vcpu_info.arch.cr2, or the emulated %cr2 without
 * shared_info (both are written before the bounce, xen-pv-abi.md 2.7). */
static uint64_t fault_address(void)
{
    const struct vcpu_info *vi = this_vcpu_info();
    uint64_t cr2;

    if (vi)
        return vi->arch.cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    return cr2;
}

static void record(const struct regs *r)
{

    trap_last.vector = r->vector;
    trap_last.error_code = r->error_code;
    trap_last.rip = r->rip;
    trap_last.cs = r->cs;
    trap_last.rflags = r->rflags;
    trap_last.rsp = r->rsp;
    trap_last.ss = r->ss;
    trap_last.rcx = r->rcx;
    trap_last.r11 = r->r11;
    trap_last.cr2 = fault_address();
    trap_last.regs_at = (uint64_t)(uintptr_t)r;
    trap_last.user = regs_user_mode(r);
    trap_last.count++;
}

void regs_dump(const struct regs *r)
{
    printk("  rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx\n", r->rip, r->cs, r->rflags,
           r->rsp, r->ss);
    printk("  rax %#lx rbx %#lx rcx %#lx rdx %#lx\n", r->rax, r->rbx, r->rcx, r->rdx);
    printk("  rsi %#lx rdi %#lx rbp %#lx r8 %#lx\n", r->rsi, r->rdi, r->rbp, r->r8);
    printk("  r9 %#lx r10 %#lx r11 %#lx r12 %#lx\n", r->r9, r->r10, r->r11, r->r12);
    printk("  r13 %#lx r14 %#lx r15 %#lx\n", r->r13, r->r14, r->r15);
}

/* ---- kernel mode -------------------------------------------------------- */

static const struct extable_entry *extable_find(uint64_t rip)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
        if (e->fault == rip)
            return e;
    return NULL;
}

_Noreturn static void kernel_oops(const struct regs *r)
{
    printk("guest kernel: %s (vector %lu) in kernel mode, error code %#lx, cr2 %#lx\n",
           trap_name(r->vector), r->vector, r->error_code, trap_last.cr2);
    regs_dump(r);
    panic("unexpected %s at %#lx in the guest kernel", trap_name(r->vector), r->rip);
}

static void kernel_trap(struct regs *r)
{
    const struct extable_entry *e = extable_find(r->rip);

    if (e) {
        r->rip = e->fixup;
        return;
    }
    switch (r->vector) {
    case X86_NM:                 /* nobody asked for lazy FPU: just clear TS */
        HYPERVISOR_fpu_taskswitch(0);
        return;
    case X86_DB:
    case X86_BP:
        printk("guest kernel: %s at %#lx, continuing\n", trap_name(r->vector), r->rip);
        r->rflags &= ~RFLAGS_TF;
        return;
    default:
        kernel_oops(r);
    }
}

/* ---- callbacks ---------------------------------------------------------- */

/* entry.S, failsafe_callback_entry: frame[0..3] = DS ES FS GS, then RIP. */
_Noreturn void failsafe_callback(const uint64_t *frame);
_Noreturn void failsafe_callback(const uint64_t *frame)
{
    panic("failsafe callback: the hypervisor could not load ds %#lx es %#lx fs %#lx "
          "gs %#lx (rip %#lx)", frame[0], frame[1], frame[2], frame[3], frame[4]);
}

/* ---- dispatch ----------------------------------------------------------- */

bool trap_dispatch(struct regs *r)
{
    switch (r->vector) {
    case VEC_SYSCALL:
        syscall_handle(r);
        r->error_code = VGCF_in_syscall;
        return true;
    case VEC_SYSCALL32:
        process_kill(r, "a 32-bit system call, which this kernel does not offer");
    case VEC_EVENT:
        gk_evtchn_do_upcall(r);  /* events.c: every pending port's handler */
        r->error_code = 0;
        return true;          /* the iret hypercall restores the event mask */
    case VEC_NMI:
        printk("guest kernel: NMI at %#lx (reason %#lx)\n", r->rip,
               shared_info ? shared_info->arch.nmi_reason : 0);
        r->error_code = 0;
        return true;          /* the iret hypercall ends the NMI */
    default:
        break;
    }
    record(r);
    if (!(hooks[r->vector & 0xff] && hooks[r->vector & 0xff](r))) {
        if (regs_user_mode(r))
            process_user_trap(r);
        else
            kernel_trap(r);
    }
    r->error_code = 0;        /* the iret flags word, if we go that way */
    return regs_user_mode(r);
}

/* ---- installation ------------------------------------------------------- */

static void check(const char *what, long rc)
{
    if (rc)
        panic("traps: %s failed: %ld", what, rc);
}

static long register_callback(uint16_t type, uint16_t flags, void (*entry)(void))
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = (uint64_t)(uintptr_t)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void traps_set_kernel_stack(uint64_t top)
{
    check("stack_switch", HYPERVISOR_stack_switch(FLAT_KERNEL_SS, top));
}

void traps_init(void)
{
    struct trap_info table[33];
    unsigned int n = 0;

    for (unsigned int v = 0; v < 32; v++) {
        if (v == X86_NMI)
            continue;            /* the NMI callback below */
        table[n++] = (struct trap_info){
            .vector = (uint8_t)v,
            .flags = (v == X86_BP || v == X86_OF) ? 3 : 0,   /* int3/into from user */
            .cs = FLAT_KERNEL_CS,
            .address = trap_stub_address(v),
        };
    }
    table[n] = (struct trap_info){ .address = 0 };
    memset(hooks, 0, sizeof(hooks));
    check("set_trap_table(NULL)", HYPERVISOR_set_trap_table(NULL));
    check("set_trap_table", HYPERVISOR_set_trap_table(table));
    check("event callback", register_callback(CALLBACKTYPE_event, 0, event_callback_entry));
    check("failsafe callback", register_callback(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
                                                 failsafe_callback_entry));
    check("syscall callback", register_callback(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                                                syscall_callback_entry));
    check("syscall32 callback", register_callback(CALLBACKTYPE_syscall32, CALLBACKF_mask_events,
                                                  syscall32_callback_entry));
    check("sysenter callback", register_callback(CALLBACKTYPE_sysenter, CALLBACKF_mask_events,
                                                 syscall32_callback_entry));
    check("NMI callback", register_callback(CALLBACKTYPE_nmi, 0, nmi_callback_entry));
}
