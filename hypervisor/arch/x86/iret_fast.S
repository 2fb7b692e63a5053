/*
 * iret_fast.S: the iret hypercall (#23) without C, for the frames every
 * guest return uses: the flat 64-bit selectors, or the guest's own (Linux's
 * __USER_CS and __USER_DS) once checked, from guest kernel mode.
 * It does exactly what do_iret (pv/iret.c, with iret_sanitize_guest in
 * bounce.c) and exit_to_guest (guest_entry.c) do for such a frame, and
 * hands everything else to them unchanged: the C path stays the
 * definition, this is a shortcut that either finishes the same way or
 * has touched nothing.
 *
 * Entered from syscall_entry (entry.S) with rax == 23, rdi = the current
 * vCPU, in guest kernel mode (syscall_entry checked): the hardware part
 * of struct cpu_regs, the vector, the error code, rdi, rsi and rdx are on
 * the hypervisor stack (rsp = &frame.rdx); rcx and r11 hold the guest's rip
 * and rflags, also in the frame. Scratch: rax, rcx, rdx, rsi, rdi, r11,
 * whose guest values are either in the frame or replaced by the iret
 * context's. IF = 0 throughout: nothing else runs until the iretq.
 *
 * Invariants, each enforced below where it is said:
 *  - only v's own kernel root is read through: CR3 == v->cr3 (a syscall
 *    in kernel mode arrives on that root), else the C path (which walks);
 *  - the 72 bytes read are a guest range (guest_range_ok: canonical, no
 *    wrap, outside the hypervisor's slots), checked before the first load;
 *    every load has an exception-table entry: a fault (absent page) falls
 *    back to the C path, which walks and crashes the domain as before;
 *  - under SMAP, stac opens the window for exactly the nine loads;
 *  - nothing of the guest's state changes until every load and check has
 *    passed (the copy sits on the hypervisor stack meanwhile), so every
 *    fallback finds the frame syscall_entry built;
 *  - the copy's last five words (RIP, CS, RFLAGS, RSP, SS) are an iretq
 *    frame: the commit makes them valid in place, the fast exit returns
 *    from them, the exit through exit_to_guest copies them into struct
 *    cpu_regs first (syscall_entry's frame is stale after the commit and
 *    read by nothing but that copy's path);
 *  - every value the iretq loads is valid at CPL 3: CS and SS, with RPL
 *    3, are the flat 64-bit pair or exactly the guest-GDT pair v->gdt_sels
 *    names (a 64-bit DPL-3 code and a writable DPL-3 data descriptor when
 *    iret.c checked them, forgotten by descriptors.c whenever either can
 *    change: the CPU's GDT holds them unchanged since); anything else is
 *    C's to check against the guest's GDT. RIP and RSP are canonical
 *    (checked), RFLAGS keeps only IRET_GUEST_RFLAGS (no IOPL, NT, VM, RF)
 *    with IF set;
 *  - a domain with VMASST_TYPE_architectural_iopl takes the C path (its
 *    virtual IOPL comes from the frame);
 *  - to user mode only with a user root (else C crashes the domain), and
 *    then as toggle_guest_mode: kernel_mode = 0, CR3 = user_cr3, swapgs;
 *  - the exit is exit_to_guest's fast case: no scheduler work and no
 *    deliverable upcall; otherwise the full struct cpu_regs is built and
 *    exit_to_guest decides, as after any hypercall.
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>
#include <asm/desc.h>
#include <layout.h>

/* A field of the frame at the top of the hypervisor stack. */
#define FRAME(off)  (boot_stack_top - REGS_SIZE + (off))(%rip)

        .text
        .code64

/* rax, r11 and rcx for the guest from the copy at rsp, leaving rsp at
 * the copy's iretq frame; with VGCF_in_syscall rcx = RIP and r11 =
 * RFLAGS, sanitized (sysret semantics), as iret.c's load_frame. */
        .macro  iret_registers
        popq    %rax
        testl   $IRET_IN_SYSCALL, IC_FLAGS - IC_R11(%rsp)
        jnz     .Liret_sysret\@
        popq    %r11
        popq    %rcx
        addq    $(IC_RIP - IC_FLAGS), %rsp
.Liret_regs\@:
        .subsection 1                           /* out of line */
.Liret_sysret\@:
        movq    IC_RIP - IC_R11(%rsp), %rcx
        movq    IC_RFLAGS - IC_R11(%rsp), %r11
        addq    $(IC_RIP - IC_R11), %rsp
        jmp     .Liret_regs\@
        .subsection 0
        .endm

/* One quadword of the guest's iret context onto the hypervisor stack,
 * faulting to .Liret_fault. */
        .macro  load_guest off
9:      pushq   \off(%rdx)
        .section .extable, "a"
        .balign 4
        .long   9b - .
        .long   .Liret_fault - .
        .previous
        .endm

        .globl  iret_fast
        .hidden iret_fast
iret_fast:
        movq    V_DOMAIN(%rdi), %rsi
        testb   $(1 << IRET_VMASST_IOPL), D_VM_ASSIST(%rsi)
        jnz     .Liret_slow
        movq    %cr3, %rax
        cmpq    V_CR3(%rdi), %rax
        jne     .Liret_slow                     /* not v's kernel root: walk */
        movq    FRAME(REGS_RSP), %rdx           /* the guest's rsp: the context */
        /* guest_range_ok(rdx, IC_SIZE): the upper half from HV_VIRT_END
         * without wrapping, or the lower half up to 2^47. */
        movabsq $HV_VIRT_END, %rax
        cmpq    %rax, %rdx
        jb      .Liret_lower                    /* the lower half: out of line */
        cmpq    $-IC_SIZE, %rdx
        ja      .Liret_slow
.Liret_copy:
        smap_open
        load_guest IC_SS                        /* the copy: struct iret_context */
        load_guest IC_RSP                       /* at rsp when done */
        load_guest IC_RFLAGS
        load_guest IC_CS
        load_guest IC_RIP
        load_guest IC_FLAGS
        load_guest IC_RCX
        load_guest IC_R11
        load_guest IC_RAX
        smap_close

        /* The checks (iret_sanitize_guest's, for the flat selectors and
         * for the guest-GDT pair iret.c checked last): the frame's pair as
         * GDT_SELS_PAIR builds it, the valid bit added for the comparison
         * with v->gdt_sels only, so that it never equals an empty (0) one;
         * edx keeps the flat pair without it. */
        movzwl  IC_SS(%rsp), %edx               /* edx = the pair, to the commit */
        shll    $16, %edx
        movw    IC_CS(%rsp), %dx
        andl    $0xfffcfffc, %edx
        cmpl    $(IRET_FLAT_SELS & ~IRET_SELS_VALID), %edx
        je      1f
        orl     $IRET_SELS_VALID, %edx
        cmpl    V_GDT_SELS(%rdi), %edx
        jne     .Liret_drop                     /* 32-bit, unchecked, changed, bad */
1:      movq    IC_RIP(%rsp), %rax              /* C gives the guest its #GP */
        movq    IC_RSP(%rsp), %rcx
        canonical2_or %rax, %rcx, .Liret_drop
        movl    IC_CS(%rsp), %esi
        andl    $3, %esi
        cmpl    $3, %esi                        /* to user mode? */
        jne     5f
        cmpq    $0, V_USER_CR3(%rdi)
        je      .Liret_drop                     /* C crashes the domain */

        /* Commit: from here on nothing fails. To user mode, first
         * toggle_guest_mode (what follows touches only the hypervisor's
         * memory, mapped in every L4). */
        movb    $0, V_KERNEL_MODE(%rdi)
        movq    V_USER_CR3(%rdi), %rax
        movq    %rax, %cr3
        swapgs
        /* The copy's iretq frame is made valid at CPL 3 in place: CS and
         * SS with RPL 3 (the flat pair: syscall_entry's constants), RFLAGS
         * sanitized. */
5:      movl    $0, V_BOUNCE_DEPTH(%rdi)        /* as do_hypercall */
        cmpl    $(IRET_FLAT_SELS & ~IRET_SELS_VALID), %edx
        jne     .Liret_guest_sels
        movq    $RING3_CS64, IC_CS(%rsp)
        movq    $RING3_DS, IC_SS(%rsp)
11:     vcpu_info_of %rdi, %r11     /* r11 = vcpu_info_of(v) */
        btl     $IRET_IF_BIT, IC_RFLAGS(%rsp)   /* upcall mask = !frame.IF */
        setnc   VI_MASK(%r11)
        andq    $IRET_GUEST_RFLAGS, IC_RFLAGS(%rsp)     /* below 2^31: zero-extended */
        orq     $IRET_FORCED_RFLAGS, IC_RFLAGS(%rsp)

        /* exit_to_guest's fast case: the iretq from the copy (syscall_entry's
         * frame is left unused), else exit_to_guest itself. */
        exit_fast_or %rdi, %r11, .Liret_exit_work
        iret_registers
        movq    FRAME(REGS_RDX), %rdx
        movq    FRAME(REGS_RSI), %rsi
        movq    FRAME(REGS_RDI), %rdi
        iretq

/* A context in the lower half: it must end by 2^47. */
.Liret_lower:
        movabsq $((1 << 47) - IC_SIZE), %rax
        cmpq    %rax, %rdx
        ja      .Liret_slow
        jmp     .Liret_copy

/* A guest-GDT pair (checked equal to v->gdt_sels): RPL 3, as iret.c. */
.Liret_guest_sels:
        movzwl  IC_CS(%rsp), %eax
        orl     $3, %eax
        movq    %rax, IC_CS(%rsp)
        movzwl  IC_SS(%rsp), %eax
        orl     $3, %eax
        movq    %rax, IC_SS(%rsp)
        jmp     11b

/* The copy's iretq frame into struct cpu_regs with the new rax, rcx and
 * r11, then the exit every hypercall takes (the RIP was checked canonical). */
.Liret_exit_work:
        movq    IC_RIP(%rsp), %rax
        movq    %rax, FRAME(REGS_RIP)
        movq    IC_CS(%rsp), %rax
        movq    %rax, FRAME(REGS_CS)
        movq    IC_RFLAGS(%rsp), %rax
        movq    %rax, FRAME(REGS_RFLAGS)
        movq    IC_RSP(%rsp), %rax
        movq    %rax, FRAME(REGS_RSP)
        movq    IC_SS(%rsp), %rax
        movq    %rax, FRAME(REGS_SS)
        iret_registers
        leaq    FRAME(REGS_RDX), %rsp
        save_regs_rest
        call_c_and_return exit_to_guest

/* A load faulted: the fault handler's iretq brought AC back. */
.Liret_fault:
        smap_close
/* Checks refused the fast case: drop the copy, nothing was changed. */
.Liret_drop:
        leaq    FRAME(REGS_RDX), %rsp
/* syscall_entry's registers back as they came, then its C path. */
.Liret_slow:
        movq    FRAME(REGS_RIP), %rcx
        movq    FRAME(REGS_RFLAGS), %r11
        movl    $IRET_HYPERCALL_NR, %eax
        jmp     syscall_save_rest
