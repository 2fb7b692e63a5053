/*
 * trap_fast.S: #BP, #UD and #PF raised in guest kernel mode, bounced to
 * the guest's handler without C: the common case of do_exception,
 * do_guest_exception, emulate_invalid_op's first test, page_fault with
 * emulate_ptwr's first test, deliver_trap and bounce (guest_traps.c,
 * bounce_build in bounce.c), then exit_to_guest.
 * Anything else goes to that C path with nothing changed, so the C path
 * stays the definition.
 *
 * Entered from vector_3, vector_6 and vector_14 (entry.S) with rsp =
 * &frame.vector: the CPU's frame, the error code (0 but for #PF) and the
 * vector are on the stack. From ring
 * 0 (a hypervisor bug) it goes straight to exception_common. From ring 3
 * the CPU switched to the top of the hypervisor stack (TSS.rsp0), so this
 * is the guest frame at the top; rdi, rsi, rdx, rcx and rax are saved
 * into it first (save_regs's order) and are the scratch registers; r8-r15
 * keep the guest's values (r11 is read for the frame). IF = 0 throughout.
 *
 * Invariants, each enforced below where it is said:
 *  - the C path takes every case but this one: a vCPU in guest kernel
 *    mode on its kernel root (CR3 == v->cr3), a handler registered, for
 *    #UD bytes at RIP readable and not the forced-emulation prefix (C
 *    emulates it), for #PF an error code that is not a write ptwr.c
 *    could emulate, the frame (7 words, 8 with #PF's error code, below
 *    the guest's rsp aligned down to 16) within one page of a guest half
 *    (ending below 2^47 - 8, or from HV_VIRT_END up without wrapping),
 *    the nesting count within BOUNCE_MAX_DEPTH;
 *  - #PF: CR2 is read first and kept; a fault of the fast path's own
 *    (which overwrites CR2) puts it back before the C path reads it; the
 *    error code's U bit is cleared (kernel mode), as page_fault does;
 *  - guest memory is touched only through v's kernel root, on ranges
 *    checked first; every access has an exception-table entry and a fault
 *    falls back to C with nothing changed (the frame being within one
 *    page, only its first store can fault; the RIP read is a read);
 *  - under SMAP, stac opens the window for exactly those accesses;
 *  - every value the iretq loads is valid at CPL 3: CS and SS are set to
 *    the flat ring-3 selectors, RFLAGS is handler_rflags (no TF, NT, RF,
 *    VM, AC, IOPL; IF set), RIP the handler, checked canonical (else
 *    exit_to_guest and return_to_guest decide, as for any frame);
 *  - the exit is exit_to_guest's fast case, else exit_to_guest itself.
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>
#include <layout.h>

#define FRAME(off)  (boot_stack_top - REGS_SIZE + (off))(%rip)
#define WORDS       (BOUNCE_SYSCALL_WORDS * 8)   /* no error code: 7 words */

        .text
        .code64

/* One guest access (insn is the whole instruction), faulting to .Ltf_fault.
 * Label 9 belongs to this macro; the code uses others. */
        .macro  guest_access insn:vararg
9:      \insn
        .section .extable, "a"
        .balign 4
        .long   9b - .
        .long   .Ltf_fault - .
        .previous
        .endm

        .globl  trap_fast
        .hidden trap_fast
trap_fast:
        testb   $3, (REGS_CS - REGS_VECTOR)(%rsp)
        jz      exception_common                /* ring 0: a hypervisor bug */
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax                            /* rsp = &frame.rax */
        movq    current_vcpu(%rip), %rdi
        testq   %rdi, %rdi
        jz      .Ltf_slow
        cmpb    $0, V_KERNEL_MODE(%rdi)
        je      .Ltf_slow                       /* guest user mode: C */
        movq    %cr3, %rax
        cmpq    V_CR3(%rdi), %rax
        jne     .Ltf_slow
        movq    FRAME(REGS_VECTOR), %rax
        shlq    $TI_SHIFT, %rax
        leaq    V_TRAPS(%rdi,%rax), %rsi        /* rsi = &v->traps[vector] */
        cmpq    $0, TI_ADDRESS(%rsi)
        je      .Ltf_slow                       /* no handler: C crashes it */
        cmpq    $(6 << TI_SHIFT), %rax
        jb      2f                              /* #BP */
        ja      .Ltf_pf

        /* #UD: the 7 bytes at RIP (8 read) must not be the prefix. */
        movq    FRAME(REGS_RIP), %rdx
        movabsq $HV_VIRT_END, %rcx
        cmpq    %rcx, %rdx
        jb      1f
        cmpq    $-8, %rdx
        ja      .Ltf_slow
        jmp     3f
1:      movabsq $((1 << 47) - 8), %rcx
        cmpq    %rcx, %rdx
        ja      .Ltf_slow
3:      smap_open
        guest_access movq (%rdx), %rax
        smap_close
        movabsq $0x00ffffffffffffff, %rcx
        andq    %rcx, %rax
        movabsq $FORCED_CPUID_BYTES_7, %rcx
        cmpq    %rcx, %rax
        je      .Ltf_slow                       /* C emulates cpuid */

        jmp     2f

        /* #PF: not a write ptwr.c may emulate; CR2 kept until the commit
         * (at FRAME(REGS_RAX) - 8: a fault of ours overwrites CR2, and the
         * C path must find the guest's). */
.Ltf_pf:
        movl    FRAME(REGS_ERRCODE), %ecx
        andl    $PF_PTWR_BITS, %ecx
        cmpl    $PF_PTWR_CANDIDATE, %ecx
        je      .Ltf_slow
        movq    %cr2, %rcx
        pushq   %rcx
        movq    FRAME(REGS_RSP), %rdx
        andq    $-16, %rdx
        subq    $(WORDS + 8), %rdx              /* the error code too */
        jmp     3f

        /* The frame's place (bounce_build's checks, and one page). */
2:      movq    FRAME(REGS_RSP), %rdx
        andq    $-16, %rdx
        subq    $WORDS, %rdx                    /* rdx = the frame */
3:
        movabsq $HV_VIRT_END, %rcx
        cmpq    %rcx, %rdx
        jae     4f
        movabsq $((1 << 47) - WORDS - 8), %rcx   /* room for 8 words */
        cmpq    %rcx, %rdx
        jae     .Ltf_slow                       /* the frame ends below 2^47 - 8 */
4:      movl    %edx, %ecx
        andl    $0xfff, %ecx
        cmpl    $(4096 - WORDS - 8), %ecx       /* room for 8 words */
        ja      .Ltf_slow
        /* The nesting count as bounce() keeps it, pushed until the end. */
        movl    $1, %ecx
        cmpl    $0, V_BOUNCE_DEPTH(%rdi)
        je      5f
        cmpq    V_LAST_BOUNCE_RSP(%rdi), %rdx
        jae     5f
        movl    V_BOUNCE_DEPTH(%rdi), %ecx
        incl    %ecx
        cmpl    $BOUNCE_MAX_DEPTH, %ecx
        ja      .Ltf_slow
5:      pushq   %rcx
        /* rax = vcpu_info_of(v) */
        vcpu_info_of %rdi, %rax

        /* The frame {RCX, R11, RIP, CS, RFLAGS, RSP, SS}, kernel mode. */
        smap_open
        movq    FRAME(REGS_RCX), %rcx
        guest_access movq %rcx, 0(%rdx)         /* the first: the one that can fault */
        guest_access movq %r11, 8(%rdx)
        cmpq    $14, FRAME(REGS_VECTOR)
        jne     12f
        movl    FRAME(REGS_ERRCODE), %ecx       /* U cleared: kernel mode */
        andl    $~PF_USER_BIT, %ecx
        guest_access movq %rcx, 16(%rdx)
        addq    $8, %rdx                        /* the rest sits 8 higher */
12:     movq    FRAME(REGS_RIP), %rcx
        guest_access movq %rcx, 16(%rdx)
        movzbl  VI_MASK(%rax), %ecx
        shlq    $32, %rcx                       /* the mask above CS, as Xen */
        orq     FRAME(REGS_CS), %rcx
        andq    $~3, %rcx                       /* RPL 0: a kernel context */
        guest_access movq %rcx, 24(%rdx)
        movq    FRAME(REGS_RFLAGS), %rcx
        andq    $~BOUNCE_FRAME_CLEAR, %rcx      /* IF = !mask, IOPL 0 */
        cmpb    $0, VI_MASK(%rax)
        jne     8f
        orl     $(1 << IRET_IF_BIT), %ecx
8:      guest_access movq %rcx, 32(%rdx)
        movq    FRAME(REGS_RSP), %rcx
        guest_access movq %rcx, 40(%rdx)
        movq    FRAME(REGS_SS), %rcx
        guest_access movq %rcx, 48(%rdx)
        smap_close

        /* Commit. */
        popq    %rcx
        cmpq    $14, FRAME(REGS_VECTOR)
        jne     3f
        subq    $8, %rdx                        /* the frame's bottom again */
        popq    %r11                            /* CR2, as page_fault keeps it */
        movq    %r11, V_VIRT_CR2(%rdi)
        movq    %r11, VI_CR2(%rax)
3:      movl    %ecx, V_BOUNCE_DEPTH(%rdi)
        movq    %rdx, V_LAST_BOUNCE_RSP(%rdi)
        testb   $TI_IF_FLAG, TI_FLAGS(%rsi)
        jz      1f
        movb    $1, VI_MASK(%rax)
1:      movq    %rdx, FRAME(REGS_RSP)
        movq    $IRET_KERNEL_CS + 3, FRAME(REGS_CS)
        movq    $IRET_KERNEL_SS + 3, FRAME(REGS_SS)
        movq    FRAME(REGS_RFLAGS), %r11
        andq    $~BOUNCE_HANDLER_CLEAR, %r11
        orq     $IRET_FORCED_RFLAGS, %r11
        movq    %r11, FRAME(REGS_RFLAGS)
        movq    TI_ADDRESS(%rsi), %rcx
        movq    %rcx, FRAME(REGS_RIP)

        /* exit_to_guest's fast case (and a canonical RIP), else itself. */
        exit_fast_or %rdi, %rax, .Ltf_exit_work
        movq    %rcx, %rdx
        canonical_or %rdx, .Ltf_exit_work
        popq    %rax
        addq    $8, %rsp                        /* the old rcx: now the handler */
        pop_args_and_iret

/* The rest of struct cpu_regs (rcx = the handler, r11 = its RFLAGS), then
 * exit_to_guest and return_to_guest, as after the C bounce. DF is still
 * the guest's (an exception does not clear it): C needs it clear. */
.Ltf_exit_work:
        cld
        movq    %rcx, FRAME(REGS_RCX)
        push_r8_r11
        push_callee_saved
        call_c_and_return exit_to_guest

/* A guest access faulted (the fault handler's iretq brought AC back):
 * nothing was written; a #PF gets its CR2 back for the C path. */
.Ltf_fault:
        smap_close
        cmpq    $14, FRAME(REGS_VECTOR)
        jne     .Ltf_slow
        movq    FRAME(REGS_RAX - 8), %rcx
        movq    %rcx, %cr2
/* The frame as the stub left it, then exception_common's C path. */
.Ltf_slow:
        leaq    FRAME(REGS_RAX), %rsp
        jmp     exception_save_rest
