/*
 * softint_fast.S: a guest's `int n` through a DPL 3 gate (desc.c opens the
 * vectors pv/softint.c rule 2 allows; entry.S's softint_stubs land here).
 * The common case, an int n the trap table admits, is bounced to the
 * guest's handler without C: the DPL check of softint_permitted, then
 * bounce_direct.S (deliver_trap and bounce's common case), then
 * exit_to_guest's fast case. Anything else goes to do_guest_softint
 * (guest_traps.c) with nothing changed, so the C path stays the
 * definition: a refusal, no handler, no current vCPU, a frame
 * bounce_direct will not write, exit work.
 *
 * Entered with rsp = &frame.vector: the CPU's frame (int n pushes no error
 * code), the zero the stub pushed in its place and the vector.
 *
 * Invariants, each enforced below where it is said:
 *  - from ring 0 it is no int n (the hypervisor executes none): a hardware
 *    interrupt on a vector nothing is routed to, which interrupt_common
 *    logs and ignores, as for any unexpected vector;
 *  - from ring 3 the CPU switched to TSS.rsp0 (these gates have no IST),
 *    so this is the guest frame at the top of the hypervisor stack, as
 *    every other entry from ring 3 leaves it; the vector is the stub's,
 *    never a byte of guest memory;
 *  - the fast case is taken only when softint_permitted would say yes: a
 *    handler, and DPL >= 1 from guest kernel mode, DPL 3 from user mode
 *    (int $0x80 needs no DPL there: C admits it when this check does not);
 *  - the registers bounce_direct may change (the C ABI's scratch ones)
 *    are saved in struct cpu_regs's places first, so the frame it reads
 *    and writes (rcx, r11, rip, cs, rflags, rsp, ss) is the guest's; the
 *    others (rbx, rbp, r12-r15) keep the guest's values throughout and are
 *    pushed only on the way to C;
 *  - the exit is exit_to_guest's fast case (no scheduler work, no upcall
 *    to deliver, a canonical RIP; bounce_direct set flat selectors), else
 *    exit_to_guest itself, then return_to_guest.
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>

#if TI_IF_FLAG != 4 || BOUNCE_HOW_MASK != 1
#error "the how argument below is TI_IF moved to bit 0"
#endif

        .text
        .code64

        .globl  softint_fast
        .hidden softint_fast
softint_fast:
        testb   $3, (REGS_CS - REGS_VECTOR)(%rsp)
        jz      interrupt_common                /* ring 0: not an int n */
        pushq   %rdi                            /* save_regs's order, up to r11 */
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
        push_r8_r11                             /* rsp = &regs.r11 */
        movq    current_vcpu(%rip), %rdi
        testq   %rdi, %rdi
        jz      .Lsi_slow
        movl    (REGS_VECTOR - REGS_R11)(%rsp), %eax
        shll    $TI_SHIFT, %eax
        leaq    V_TRAPS(%rdi,%rax), %rax        /* rax = &v->traps[vector] */
        movq    TI_ADDRESS(%rax), %rdx
        testq   %rdx, %rdx
        jz      .Lsi_slow                       /* no handler: #GP, in C */
        movzbl  TI_FLAGS(%rax), %ecx
        movl    %ecx, %eax
        andl    $3, %eax                        /* the entry's DPL */
        cmpb    $0, V_KERNEL_MODE(%rdi)
        je      1f
        testl   %eax, %eax                      /* kernel mode: DPL >= 1 */
        jz      .Lsi_slow
        jmp     2f
1:      cmpl    $3, %eax                        /* user mode: DPL 3 */
        jne     .Lsi_slow
2:      shrl    $2, %ecx
        andl    $BOUNCE_HOW_MASK, %ecx          /* how: mask events if TI_IF */
        leaq    -REGS_R11(%rsp), %rsi           /* rsi = the struct cpu_regs */
        call    bounce_direct                   /* rdi = v, rdx = handler */
        testl   %eax, %eax
        jz      .Lsi_slow                       /* not written: C decides */

        /* exit_to_guest's fast case (and a canonical RIP), else itself. */
        movq    current_vcpu(%rip), %rdi
        vcpu_info_of %rdi, %rdx
        exit_fast_or %rdi, %rdx, .Lsi_exit_work
        movq    (REGS_RIP - REGS_R11)(%rsp), %rax
        canonical_or %rax, .Lsi_exit_work
        pop_r11_r8
        popq    %rax
        popq    %rcx
        pop_args_and_iret

/* The rest of struct cpu_regs, then exit_to_guest and return_to_guest, as
 * after the C bounce (DF is the guest's until the cld: C needs it clear). */
.Lsi_exit_work:
        cld
        push_callee_saved
        call_c_and_return exit_to_guest

/* The rest of struct cpu_regs, then the C path: nothing changed yet. */
.Lsi_slow:
        cld
        push_callee_saved
        call_c_and_return do_guest_softint
