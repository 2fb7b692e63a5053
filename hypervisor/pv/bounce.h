/*
 * Bounce frames and the iret frame (bounce.c, pure): how a trap, a user
 * syscall or an event reaches a 64-bit PV guest kernel, and how it gets
 * back. The layouts are Xen's (xen-pv-abi.md 2.2-2.4).
 */
#ifndef BOUNCE_H
#define BOUNCE_H

#include "lib.h"
#include <public/callback.h>
#include <public/xen.h>

/* The interrupted guest context a frame describes. */
struct bounce_ctx {
    uint64_t rip, cs, rflags, rsp, ss, rcx, r11;
    bool user;                   /* interrupted in guest user mode */
    uint8_t upcall_mask;         /* evtchn_upcall_mask at the time */
    unsigned int viopl;          /* virtual IOPL to report (0 unless asked) */
};

#define BOUNCE_MAX_WORDS 11

struct bounce_frame {
    uint64_t words[BOUNCE_MAX_WORDS];   /* lowest address first */
    unsigned int nr;
    uint64_t rsp;                       /* guest VA of words[0] */
};

/* Vectors whose exceptions push an error code (8, 10-14, 17, 21, 29, 30). */
bool vector_has_error_code(unsigned int vector);

/*
 * The frame {RCX, R11, [ERR,] RIP, CS, RFLAGS, RSP, SS} below stack
 * (aligned down to 16 first). -EFAULT if the stack lies in or just above
 * the hypervisor hole or is not canonical: the domain must then be crashed.
 */
int bounce_build(const struct bounce_ctx *c, uint64_t stack, bool has_error,
                 uint64_t error, struct bounce_frame *f);

/*
 * Where bounce_fast.S writes a user syscall's frame when kernel_sp is the
 * guest kernel's stack: the BOUNCE_SYSCALL_WORDS words below it (aligned
 * down to 16) when they lie in one page of a guest half; else 0, which is
 * never such a frame (it is 8 mod 16), and the C path (bounce_build)
 * decides. Computed at stack_switch, the one writer of kernel_sp.
 */
uint64_t bounce_syscall_frame(uint64_t kernel_sp);

/* RFLAGS on entry to a handler: TF, NT, RF, VM and AC cleared; IF set
 * (the guest's virtual IF is the event mask, not this bit). */
uint64_t handler_rflags(uint64_t rflags);

/* A trap table entry as stored: -EINVAL for a non-canonical handler (one
 * in the hypervisor range is accepted, as on Xen: delivering to it faults
 * in ring 3 and ends in the domain's crash); the code selector's RPL
 * raised to 3. */
int trap_entry_fixup(struct trap_info *t);

/* What an iret hypercall does, once its frame is checked. */
struct iret_result {
    uint64_t rip, cs, rflags, rsp, ss, rax, rcx, r11;
    bool to_user;                /* frame CS had RPL 3 */
    bool restore_rcx_r11;        /* no VGCF_in_syscall */
    uint8_t upcall_mask;         /* !frame.rflags.IF */
    unsigned int viopl;          /* frame IOPL (used with architectural_iopl) */
    uint64_t fault_selector;     /* refused frame: the selector iretq would fault
                                    on (RPL cleared), 0 for a bad RIP or RSP */
    unsigned int fault_vector;   /* refused frame: what iretq would raise: 13
                                    (#GP) or 11 (#NP: CS or SS not present) */
};

/*
 * Check and sanitize an iret frame: only the flat ring-3 code and stack
 * selectors (RPL forced to 3), canonical RIP and RSP (RIP below 4 GiB for
 * 32-bit code), RFLAGS with IOPL, VM, NT and RF cleared and IF set.
 * -EINVAL for a frame that cannot be returned to (out->fault_vector and
 * out->fault_selector then say why, as the exception iretq would raise
 * and its error code).
 */
int iret_sanitize(const struct iret_context *ic, struct iret_result *out);

#define GDT_MAX_PAGES 14         /* a guest's GDT: 14 pages of 512 entries */

/* A guest's own GDT as the hypervisor checked it (descriptor pages). */
struct guest_gdt {
    const uint64_t *pages[GDT_MAX_PAGES];   /* each 512 descriptors */
    unsigned int ents;           /* entries in use */
};

/* The same, also taking selectors of the guest's GDT as Xen does (Linux
 * returns to user mode with its own __USER_CS and __USER_DS): CS must
 * name a present code descriptor of DPL 3 (64-bit, or 32-bit with RIP
 * below 4 GiB), SS a present writable data descriptor of DPL 3. No LDT
 * selectors. g may be NULL (only the flat selectors). */
int iret_sanitize_guest(const struct iret_context *ic, const struct guest_gdt *g,
                        struct iret_result *out);
/* Can the CPU return to CPL 3 with cs and ss, the flat selectors or ones
 * of g (the check return_to_guest relies on: exit_to_guest)? */
bool guest_selectors_ok(const struct guest_gdt *g, uint64_t cs, uint64_t ss);

/*
 * The remembered pair (struct vcpu's gdt_sels, read by iret_fast.S): a
 * CS and SS of the guest's own GDT once checked, so that the next iret
 * with them needs no GDT walk. Both selectors with RPL cleared, CS in bits
 * 0-15 and SS in 16-31, and bit 0 set (GDT_SELS_VALID): 0 means none, and
 * no frame's selectors, not even the null pair, can equal it.
 */
#define GDT_SELS_VALID 1u
#define GDT_SELS_PAIR(cs, ss) \
    ((uint32_t)(((cs) & 0xfffc) | (((ss) & 0xfffc) << 16)) | GDT_SELS_VALID)

/* The pair to remember for cs and ss: only a 64-bit code CS and a
 * writable data SS of g (RIP needs no 4 GiB check then), neither of them
 * flat; else 0 (nothing to remember). */
uint32_t gdt_sels_checked(const struct guest_gdt *g, uint64_t cs, uint64_t ss);

/* Does writing entry idx of descriptor frame mfn change a descriptor the
 * pair names, in a GDT of those frames? (Then the pair must be forgotten.) */
bool gdt_sels_touched(uint32_t pair, const uint64_t *frames, uint64_t mfn, unsigned int idx);

#endif /* BOUNCE_H */
