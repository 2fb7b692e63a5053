/*
 * The pieces every guest entry and exit path in assembly shares (entry.S
 * and the fast paths: hypercall_fast.S, iret_fast.S, bounce_fast.S,
 * trap_fast.S, softint_fast.S, bounce_direct.S), written once so that a
 * rule they all enforce cannot drift apart between copies:
 *  - the register save order is struct cpu_regs's (asm/regs.h), pushed
 *    from rdi down to r15, popped the other way;
 *  - the way back to the guest checks a canonical RIP before iretq (the
 *    iretq of a non-canonical RIP faults in ring 0 on Intel CPUs);
 *  - exit_to_guest's fast case is exactly: no scheduler work, and no
 *    upcall due (a callback registered, an event pending, not masked);
 *  - stac/clac bracket guest accesses only when SMAP is on.
 * Assembly only; macros with local labels use \@ so they nest anywhere.
 * Include it before any .altmacro (its arguments are registers).
 */
#ifndef ASM_ENTRY_MACROS_H
#define ASM_ENTRY_MACROS_H
#ifdef __ASSEMBLER__

/* struct cpu_regs's r8-r11 and the callee-saved half, in its order. */
        .macro  push_r8_r11
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        .endm

        .macro  push_callee_saved
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        .endm

        .macro  pop_callee_saved
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        .endm

        .macro  pop_r11_r8
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        .endm

/* Everything after rdi, rsi and rdx. */
        .macro  save_regs_rest
        pushq   %rcx
        pushq   %rax
        push_r8_r11
        push_callee_saved
        .endm

/* From &regs.rdx: the last three, past the vector and error code, iretq. */
        .macro  pop_args_and_iret
        popq    %rdx
        popq    %rsi
        popq    %rdi
        addq    $(REGS_RIP - REGS_VECTOR), %rsp /* vector and error code */
        iretq
        .endm

/* From &regs.r15: the whole struct cpu_regs, then iretq. */
        .macro  restore_regs_and_iret
        pop_callee_saved
        pop_r11_r8
        popq    %rax
        popq    %rcx
        pop_args_and_iret
        .endm

/* Jump to \bad unless \reg (clobbered) is canonical: bits 63:47 all equal. */
        .macro  canonical_or reg, bad
        sarq    $47, \reg
        incq    \reg
        cmpq    $1, \reg
        ja      \bad
        .endm

/* Jump to \bad unless both \a and \b (clobbered) are canonical: each
 * sar/inc leaves 0 or 1 exactly when canonical, and their OR is at most 1
 * exactly when both are. */
        .macro  canonical2_or a, b, bad
        sarq    $47, \a
        sarq    $47, \b
        incq    \a
        incq    \b
        orq     \a, \b
        cmpq    $1, \b
        ja      \bad
        .endm

/* \out = vcpu_info_of(\v): the registered vcpu_info, else v's slot in
 * shared_info, as v->vcpu_info follows it (domain.h). */
        .macro  vcpu_info_of v, out
        movq    V_VCPU_INFO(\v), \out
        .endm

/* Jump to \none unless an upcall is due on \vi: pending and not masked. */
        .macro  upcall_due_or vi, none
        cmpb    $0, VI_PENDING(\vi)
        je      \none
        cmpb    $0, VI_MASK(\vi)
        jne     \none
        .endm

/* exit_to_guest's fast case, else jump to \work: no scheduler work, and
 * no upcall due to \v (nothing pending, or no callback, or masked; the
 * usual answer, nothing pending, asked first). */
        .macro  exit_fast_or v, vi, work
        cmpb    $0, sched_exit_work(%rip)
        jne     \work
        cmpb    $0, VI_PENDING(\vi)
        je      .Lexit_fast\@
        cmpq    $0, V_CB_EVENT(\v)
        je      .Lexit_fast\@
        cmpb    $0, VI_MASK(\vi)
        je      \work
.Lexit_fast\@:
        .endm

/* Open and close the window for guest accesses (SMAP on: AC set). */
        .macro  smap_open
        cmpb    $0, guest_copy_smap(%rip)
        je      .Lsmap_open\@
        stac
.Lsmap_open\@:
        .endm

        .macro  smap_close
        cmpb    $0, guest_copy_smap(%rip)
        je      .Lsmap_close\@
        clac
.Lsmap_close\@:
        .endm

/* The C function \fn(regs) on a complete struct cpu_regs, then back. */
        .macro  call_c_and_return fn
        movq    %rsp, %rdi
        call    \fn
        jmp     return_to_guest
        .endm

#endif
#endif
