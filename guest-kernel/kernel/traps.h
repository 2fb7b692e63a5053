/*
 * Tern guest kernel: exceptions, callbacks and the saved-register frame.
 *
 * Every entry from the hypervisor (an exception bounced through the trap
 * table, a user `syscall`, an event upcall, an NMI) arrives on a bounce
 * frame {RCX, R11, [ERR,] RIP, CS, RFLAGS, RSP, SS} (xen-pv-abi.md 2.2).
 * The stubs in entry.S pop RCX and R11 back, push a dummy error code where
 * the hypervisor pushed none, push the vector and the general registers,
 * and hand C a struct regs. The same struct is what a new process starts
 * from and what the return path pops.
 *
 * This header is included by entry.S too: everything the assembler must
 * not see is under #ifndef __ASSEMBLY__, and the offsets it uses are
 * checked against the struct in traps.c.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

/* Vectors above 255 name the callbacks, which have no trap-table entry. */
#define VEC_SYSCALL      0x100    /* `syscall` from user mode (64-bit) */
#define VEC_EVENT        0x101    /* event upcall */
#define VEC_SYSCALL32    0x102    /* syscall32 / sysenter callbacks */
#define VEC_NMI          2        /* the NMI callback is trap 2 */

/* struct regs, offsets in bytes (entry.S uses these). */
#define REGS_R15         0
#define REGS_RAX         80
#define REGS_RDI         112
#define REGS_VECTOR      120
#define REGS_ERROR       128
#define REGS_RIP         136
#define REGS_CS          144
#define REGS_RFLAGS      152
#define REGS_RSP         160
#define REGS_SS          168
#define REGS_SIZE        176

/* Offset of the iret stub in the hypercall page: __HYPERVISOR_iret * 32. */
#define HYPERCALL_IRET_OFFSET (23 * 32)

#define TRAP_STUB_SIZE   16       /* entry.S: one stub per vector, aligned */

#ifndef __ASSEMBLY__

#include <stdbool.h>
#include <stdint.h>

/* The saved state of an interrupted context, lowest address first. */
struct regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;        /* pushed by the stub (VEC_* for callbacks) */
    uint64_t error_code;    /* the hypervisor's, or 0; on the way back to
                               user mode: the iret hypercall's flags word */
    uint64_t rip, cs, rflags, rsp, ss;   /* CS bits 32-39: saved event mask */
};

/* RFLAGS bits. */
#define RFLAGS_CF    (1UL << 0)
#define RFLAGS_TF    (1UL << 8)
#define RFLAGS_IF    (1UL << 9)
#define RFLAGS_DF    (1UL << 10)
#define RFLAGS_IOPL  (3UL << 12)
#define RFLAGS_NT    (1UL << 14)
#define RFLAGS_RF    (1UL << 16)
#define RFLAGS_VM    (1UL << 17)
#define RFLAGS_AC    (1UL << 18)

/* #PF error-code bits. */
#define PFEC_PRESENT (1UL << 0)
#define PFEC_WRITE   (1UL << 1)
#define PFEC_USER    (1UL << 2)
#define PFEC_RSVD    (1UL << 3)
#define PFEC_FETCH   (1UL << 4)

/* Exception vectors. */
enum {
    X86_DE = 0, X86_DB = 1, X86_NMI = 2, X86_BP = 3, X86_OF = 4, X86_BR = 5,
    X86_UD = 6, X86_NM = 7, X86_DF = 8, X86_TS = 10, X86_NP = 11, X86_SS = 12,
    X86_GP = 13, X86_PF = 14, X86_MF = 16, X86_AC = 17, X86_MC = 18, X86_XM = 19,
};

/* True when regs were interrupted in guest user mode (CS RPL 3; the
 * hypervisor clears the RPL of a kernel context's CS). */
static inline bool regs_user_mode(const struct regs *r)
{
    return (r->cs & 3) == 3;
}

/* What the last exception looked like, as its handler saw it. Written on
 * every exception entry (not for syscalls or events); tests read it. */
struct trap_record {
    uint64_t count;          /* exceptions so far */
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
    uint64_t rcx, r11;       /* as the stub restored them from the frame */
    uint64_t cr2;            /* vcpu_info.arch.cr2 at entry (the emulated %cr2
                                without shared_info) */
    uint64_t regs_at;        /* where the struct regs was: 16-byte aligned exactly
                                when the hypervisor aligned the bounce frame */
    bool user;
};
extern volatile struct trap_record trap_last;

/* A test's hook for a vector: called first, from kernel or user mode;
 * returns true when it dealt with the trap (it may change *r, e.g. rip). */
typedef bool (*trap_hook_t)(struct regs *r);
void trap_set_hook(unsigned int vector, trap_hook_t hook);

/* Installs the kernel's trap table (every exception vector; #BP and #OF
 * with DPL 3), the callbacks (event, failsafe, syscall, syscall32,
 * sysenter, NMI) and the kernel stack for user-mode entries; clears the
 * hooks. Panics if the hypervisor refuses any of it. Safe to call again
 * (the test runner does, before each test). */
void traps_init(void);

/* The trap table entry traps_init gives vector v (vector < 256); tests
 * build their own tables from it. */
uint64_t trap_stub_address(unsigned int vector);

/* Sets the kernel stack the hypervisor uses for entries from user mode. */
void traps_set_kernel_stack(uint64_t top);

/* entry.S: C entry point and the way back. trap_dispatch returns true to
 * go back through the iret hypercall (flags in r->error_code), false for
 * a plain iretq (kernel to kernel only). */
bool trap_dispatch(struct regs *r);
extern const uint8_t trap_stubs[256][TRAP_STUB_SIZE];
void syscall_callback_entry(void);
void syscall32_callback_entry(void);
void event_callback_entry(void);
void failsafe_callback_entry(void);
void nmi_callback_entry(void);
/* Pops r (on the current stack) and returns through the iret hypercall. */
_Noreturn void trap_return_via_iret(void);

/* Exception table: a fault (or trap) in kernel mode whose RIP is `fault`
 * resumes at `fixup` instead of being fatal; trap_last says what happened.
 * Use inside an asm statement: "1: ud2\n 2:\n" EXTABLE(1b, 2b). */
#define EXTABLE(fault, fixup) \
    ".pushsection .ex_table, \"a\"\n\t.balign 8\n\t.quad " #fault ", " #fixup "\n\t.popsection\n\t"

/* The vcpu_info of vCPU 0 (NULL without shared_info). */
struct vcpu_info;
struct vcpu_info *this_vcpu_info(void);
/* The hypervisor now keeps it at vi (VCPUOP_register_vcpu_info succeeded). */
void vcpu_info_placed(struct vcpu_info *vi);

/* The event upcall's count of deliveries (gk_evtchn_do_upcall counts them). */
extern volatile uint64_t events_seen;

#endif /* __ASSEMBLY__ */
#endif /* GUEST_TRAPS_H */
