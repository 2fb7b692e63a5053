/*
 * hypercall_fast.S: the dispatch of a hypercall from guest kernel mode and
 * the exit's fast case, without the C entry. It does exactly what
 * do_guest_hypercall (guest_entry.c: do_hypercall in hypercall.h, then
 * exit_checks) does, and hands every other case to C: the C path stays
 * the definition.
 *
 * Entered from syscall_entry (entry.S) with the complete struct cpu_regs
 * at the top of the hypervisor stack (rsp = the frame, 16-byte aligned),
 * rdi = the current vCPU, in guest kernel mode, rax = the number (not
 * iret: iret_fast.S), rsi, rdx, r10, r8 = the guest's arguments 2-5 (the
 * same values as in the frame); argument 1 is in the frame (rdi held v).
 * IF = 0 throughout. rbx and r12, callee-saved, keep v and the number
 * across the handler; their guest values are in the frame, which the
 * iretq path restores.
 *
 * Invariants, each enforced below where it is said:
 *  - the number indexes hypercall_table only below HC_TABLE_SIZE and
 *    only a non-NULL entry is called; anything else goes to
 *    do_guest_hypercall, which answers -ENOSYS (hypercall_unknown);
 *  - the handler gets (v, &args) with args = { rdi, rsi, rdx, r10, r8,
 *    &frame } as do_hypercall builds it (the layout asserted in
 *    guest_entry.c), and bounce_depth is 0 before it runs;
 *  - its result lands in the frame's rax before any exit test;
 *  - the exit is exit_checks, step by step in its order: a continuation
 *    or scheduler work sends the whole exit to hypercall_exit_slow (the
 *    restart, then exit_checks in full); else a deliverable upcall goes to
 *    bounce_direct as bounce_event would call it (handler cb_event, events
 *    masked, no error code), and to bounce_event itself when that is not
 *    done (with nothing changed); bounce_direct leaves the flat selectors
 *    in the frame, so its success skips the next test; then selectors
 *    other than the flat ones to
 *    exit_check_selectors, each as exit_checks calls them;
 *  - the way back is return_to_guest (its canonical-RIP check).
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>

        .text
        .code64
        .globl  hypercall_fast
hypercall_fast:
        cmpq    $HC_TABLE_SIZE, %rax
        jae     .Lhc_c
        leaq    hypercall_table(%rip), %rcx
        movq    (%rcx,%rax,8), %rcx
        testq   %rcx, %rcx
        jz      .Lhc_c                          /* C answers -ENOSYS */
        movq    %rdi, %rbx                      /* v */
        movq    %rax, %r12                      /* nr, for a continuation */
        movl    $0, V_BOUNCE_DEPTH(%rdi)        /* not in a fault storm */

        /* struct hypercall_args, last field first; rsp stays aligned. */
        pushq   %rsp                            /* regs: the frame */
        pushq   %r8
        pushq   %r10
        pushq   %rdx
        pushq   %rsi
        pushq   (REGS_RDI + 40)(%rsp)           /* the frame's rdi */
        movq    %rsp, %rsi
        call    *%rcx
        addq    $48, %rsp
        movq    %rax, REGS_RAX(%rsp)

        /* exit_checks' fast case, else hypercall_exit_slow. */
        cmpb    $0, V_CONTINUATION(%rbx)
        jne     .Lhc_exit_c
        cmpb    $0, sched_exit_work(%rip)
        jne     .Lhc_exit_c
        movq    current_vcpu(%rip), %rdi
        cmpq    $0, V_CB_EVENT(%rdi)
        je      2f
        vcpu_info_of %rdi, %rax
        upcall_due_or %rax, 2f
        movq    %rsp, %rsi                      /* an upcall to deliver: */
        movq    V_CB_EVENT(%rdi), %rdx          /* bounce_event's direct case */
        movl    $BOUNCE_HOW_MASK, %ecx
        xorl    %r8d, %r8d
        call    bounce_direct
        testl   %eax, %eax
        jnz     return_to_guest                 /* its selectors are the flat ones */
        movq    current_vcpu(%rip), %rdi        /* not done, nothing changed: */
        movq    %rsp, %rsi
        call    bounce_event                    /* the C path decides */
2:      movq    REGS_CS(%rsp), %rax             /* flat_selectors */
        movq    REGS_SS(%rsp), %rdx
        xorq    $IRET_KERNEL_CS, %rax        /* the flat ones, any RPL */
        xorq    $IRET_KERNEL_SS, %rdx
        orq     %rdx, %rax
        testl   $0xfffc, %eax
        jnz     .Lhc_selectors
        jmp     return_to_guest

.Lhc_selectors:
        movq    %rsp, %rdi
        call    exit_check_selectors
        jmp     return_to_guest

.Lhc_exit_c:
        movq    %rbx, %rdi
        movq    %rsp, %rsi
        movq    %r12, %rdx
        call    hypercall_exit_slow
        jmp     return_to_guest

.Lhc_c:
        movq    %rsp, %rdi
        call    do_guest_hypercall
        jmp     return_to_guest
