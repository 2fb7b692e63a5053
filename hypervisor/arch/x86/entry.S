/*
 * entry.S: every way into the hypervisor, and the way back to a guest.
 * One macro line per vector builds struct cpu_regs (asm/regs.h) on the
 * current stack and calls the C dispatcher:
 *
 *   vectors 0-31    exceptions        -> do_exception(struct cpu_regs *)
 *   vectors 32-255  interrupts        -> do_interrupt(struct cpu_regs *)
 *   a guest's int n through an open gate (softint_stubs, vectors 0x30 up
 *                   but the local APIC's)  -> softint_fast.S
 *   syscall         from a guest      -> do_guest_syscall(struct cpu_regs *)
 *
 * On entry the CPU has pushed ss, rsp, rflags, cs, rip and, for vectors 8,
 * 10-14, 17, 21, 29 and 30, an error code. Stubs for the other vectors push
 * a zero in its place so the frame is always the same shape. The CPU aligns
 * rsp to 16 before pushing, so after the 22 quadwords of the frame the C call
 * is made with rsp 16-byte aligned.
 *
 * ---- Which stack, page table and GS each instruction runs on, and why no
 * ---- exception a guest can cause lands on a stack the guest controls.
 *
 * Common to every path:
 *  - CR3 stays the guest's (its kernel or user table) until C code changes
 *    it. Which root is loaded on each path: a hypercall (syscall in guest
 *    kernel mode) runs on the guest's kernel L4, and so may read its
 *    arguments directly (common/vcpu_copy.c compares CR3 with the kernel
 *    root before every direct access); a system call or exception from
 *    guest user mode arrives on the user L4, and the bounce switches to the
 *    kernel L4 (toggle_guest_mode) before it writes the frame on the guest
 *    kernel stack; an interrupt arrives on whichever root was loaded, and a
 *    switch to another vCPU loads that vCPU's root (context.c). The iretq
 *    back runs on the root of the mode the frame returns to. Every guest L4 carries the hypervisor's slots 256-271 (page_types.c), so
 *    the image, its stacks and the direct map are mapped, and the stacks'
 *    guard pages unmapped, in every address space the CPU can be in.
 *  - GS and FS keep the guest's selectors and bases for the whole stay. The
 *    hypervisor never uses them: no swapgs on entry, no per-CPU data through
 *    %gs, no stack protector (tools/check-image.sh refuses an image with a
 *    %fs: or %gs: operand). A guest's GS base in ring 0, the lever of
 *    CVE-2018-8897 on kernels that swapgs on entry, is worth nothing here.
 *  - IF is 0 from every entry to the iretq (interrupt gates; SFMASK for
 *    syscall), except in the idle loop, which waits on the hypervisor
 *    stack. What IF does not hold off, NMI, #MC, #DB and #DF, runs on IST
 *    stacks (asm/desc.h): the CPU loads those whatever rsp holds.
 *  - The hypervisor stack (boot_stack) is empty whenever ring 3 runs, so a
 *    guest's frame always sits at its top (guest_frame()).
 *
 * Vector stubs, from ring 3: the CPU loads TSS.rsp0 (the top of the
 * hypervisor stack) or the vector's IST stack before it pushes anything;
 * the stub's first instruction already runs on a hypervisor stack. From
 * ring 0: the hypervisor's own stack, or the IST stack.
 *
 * syscall_entry, the one path where the CPU does not switch stacks:
 *   1st insn  movq %rsp, boot_stack_top - 16 (the frame's rsp slot;
 *             syscall32_entry: syscall_rsp_scratch): ring 0, rsp = the guest's,
 *             CR3 the guest's, IF = 0, TF = 0 (SFMASK). It uses no stack.
 *             What can arrive here: an NMI or a #MC (IST); a #DB that a
 *             guest's MOV SS / POP SS delayed past its syscall (IST: without
 *             it the CPU would push the #DB frame at the guest's rsp, with
 *             ring-0 rights, anywhere the guest chose: CVE-2018-8897). Not
 *             an interrupt (IF = 0), a single step (TF masked), a guest
 *             breakpoint on either (breakpoints cannot point
 *             into the hypervisor: debug_trap.c), nor a #PF (mapped in
 *             every L4).
 *   2nd insn  leaq boot_stack_top - 16, %rsp: as the 1st; after it rsp is
 *             ours (3rd: the frame's ss).
 *   The rest  builds the frame on the hypervisor stack, as a stub would,
 *             except that after rdi, rsi and rdx a system call from
 *             guest user mode leaves for bounce_fast.S and the iret
 *             hypercall (rax == 23) for iret_fast.S; each finishes the
 *             frame (at syscall_save_rest) for every case it does not take.
 *             Every other hypercall, its frame complete, goes to
 *             hypercall_fast.S.
 * syscall32_entry is the same with a 32-bit CS in the frame. No cld on
 * either: SFMASK clears DF on the syscall itself.
 *
 * The #DB and NMI stubs (ist_common): from ring 3 they move the frame
 * from the IST stack to the top of the hypervisor stack, where every other
 * entry from ring 3 has it, because the C code that follows may schedule,
 * idle with interrupts on or deliver to the guest, none of which may run
 * on an IST stack (a second #DB would overwrite it; an iretq to another
 * guest would unblock NMIs there). From ring 0 they stay on the IST stack:
 * for #DB, debug_trap.c decides (note it and return, never a crash for
 * what a guest can cause) and iretq resumes the interrupted instruction,
 * e.g. syscall_entry's first with the guest's rsp, which it never touched.
 * (#DF and #MC are fatal: they never return, so never need to move.)
 *
 * No IST handler is re-entered on its own stack (that would overwrite the
 * frame it must return through):
 *  - #DB: delivery clears TF; no guest breakpoint can match a hypervisor
 *    address; the ring-0 path reads no guest memory. A MOV SS-delayed #DB
 *    lands on syscall_entry or a vector stub other than #DB's own (an
 *    int1 in the shadow is itself the #DB that reports the pending
 *    condition). Should it happen anyway, debug_trap.c sees the interrupted
 *    rsp on the #DB stack and halts with a report.
 *  - NMI: the CPU blocks NMIs until the next iretq, and the NMI path (a
 *    log line) takes no exception whose iretq would unblock them early.
 *  - #MC: a #MC during #MC shuts the CPU down (MCIP); here both are fatal.
 *  - #DF: fatal, never returns.
 *  Different IST vectors nest freely (an NMI in the #DB handler, say):
 *  each has its own stack.
 *
 * return_to_guest, the only way to ring 3 (the stubs come back through it
 * when they interrupted a guest): rsp = the guest frame at the top of the
 * hypervisor stack, CR3 the guest's, IF = 0. The frame's selectors and RFLAGS are
 * always ones iretq accepts at CPL 3 (bounce.c, iret.c: written by the
 * hypervisor, sanitized when they come from the guest). Its RIP is the one
 * field a guest can make unreturnable: a syscall, trap or emulated
 * instruction ending at 0x00007fffffffffff leaves 0x0000800000000000, and
 * iretq would raise #GP in ring 0 on Intel CPUs (on the hypervisor stack:
 * a halt of the machine, not an escape). It is checked before the pops,
 * and the guest takes that #GP instead (guest_return_rip_noncanonical).
 * sysret is never used: with a non-canonical rcx, Intel CPUs raise its #GP
 * in ring 0 after loading the guest's rsp (CVE-2012-0217). (A sysret fast
 * path would need that check, plus rcx == rip, r11 == rflags and the flat
 * selectors: more instructions than the iretq it replaces, which is the
 * measure under -icount; it is left for real hardware.) The pops and
 * the iretq run on the hypervisor stack; only an NMI or #MC (IST) can
 * arrive there.
 */
#include <asm/regs.h>
#include <asm/desc.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>

#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

        .section .text, "ax"
        .code64

        .macro  vector_stub v
        .balign 16
vector_\v:
        .if     HAS_ERRCODE(\v) == 0
        pushq   $0
        .endif
        pushq   $\v
        .if     \v == 1 || \v == 2
        jmp     ist_common
        .elseif \v == 3 || \v == 6 || \v == 14
        jmp     trap_fast                       /* trap_fast.S, else exception_common */
        .elseif \v >= 32
        jmp     interrupt_common
        .else
        jmp     exception_common
        .endif
        .endm

        .macro  save_regs
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        save_regs_rest
        .endm

/* In: stack holds the frame up to and including the vector. */
        .globl  exception_common
exception_common:
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
/* trap_fast.S's way back: rdi, rsi, rdx, rcx and rax already saved. */
        .globl  exception_save_rest
exception_save_rest:
        cld
        push_r8_r11
        push_callee_saved
        movq    %rsp, %rdi
        call    do_exception
        jmp     return_from_trap

/* In: as exception_common, on the #DB or NMI stack. From ring 3 the frame
 * moves to the top of the hypervisor stack first (see the top of this
 * file); rcx, rsi and rdi are already saved in it. */
ist_common:
        cld
        save_regs
        testb   $3, REGS_CS(%rsp)
        jz      1f
        movq    %rsp, %rsi
        leaq    (boot_stack_top - REGS_SIZE)(%rip), %rdi
        movl    $(REGS_SIZE / 8), %ecx
        rep movsq
        leaq    (boot_stack_top - REGS_SIZE)(%rip), %rsp
1:      movq    %rsp, %rdi
        call    do_exception
        jmp     return_from_trap

/* In: as exception_common. */
        .globl  interrupt_common
interrupt_common:
        cld
        save_regs
        movq    %rsp, %rdi
        call    do_interrupt
        jmp     return_from_trap

/* In: rsp = a complete struct cpu_regs of the interrupted context. Back to
 * ring 0 directly; back to a guest only through return_to_guest's check
 * (an emulated instruction may have moved RIP past the canonical end). */
return_from_trap:
        testb   $3, REGS_CS(%rsp)
        jnz     return_to_guest
        restore_regs_and_iret

/*
 * syscall from a guest (ring 3): rcx = guest rip, r11 = guest rflags,
 * rsp = guest rsp, interrupts off (SFMASK), still on the guest's CR3 (which
 * maps the hypervisor in slots 256-271). Build the same frame an interrupt
 * from ring 3 would have built at the top of the hypervisor stack, so every
 * path back to the guest is return_to_guest. One CPU for now: the guest rsp
 * passes through a single scratch word.
 */
        .globl  syscall_entry
syscall_entry:
        movq    %rsp, boot_stack_top - 16(%rip) /* rsp, straight into the frame */
        leaq    boot_stack_top - 16(%rip), %rsp
        movq    $RING3_DS, 8(%rsp)              /* ss */
        pushq   %r11                            /* rflags */
        pushq   $RING3_CS64                     /* cs */
        pushq   %rcx                            /* rip */
        pushq   $0                              /* error code */
        pushq   $REGS_VECTOR_SYSCALL
        pushq   %rdi                            /* save_regs, in two parts: */
        pushq   %rsi                            /* the fast paths may use */
        pushq   %rdx                            /* these three, rcx and r11 */
        movq    current_vcpu(%rip), %rdi
        testq   %rdi, %rdi
        jz      syscall_save_rest               /* C panics */
        cmpb    $0, V_KERNEL_MODE(%rdi)
        je      user_syscall_fast               /* bounce_fast.S */
        cmpq    $IRET_HYPERCALL_NR, %rax
        je      iret_fast                       /* iret_fast.S */
        save_regs_rest                          /* DF is 0: SFMASK */
        jmp     hypercall_fast                  /* hypercall_fast.S */
        .globl  syscall_save_rest               /* the fast paths' way back */
syscall_save_rest:
        save_regs_rest
        movq    %rsp, %rdi
        call    do_guest_syscall
        /* fall through */

/* In: rsp = a complete struct cpu_regs for a ring-3 context. A RIP that
 * is not canonical (bits 63:47 neither all 0 nor all 1) goes to C first. */
        .globl  return_to_guest
return_to_guest:
        movq    REGS_RIP(%rsp), %rax
        canonical_or %rax, 1f
        restore_regs_and_iret
1:      movq    %rsp, %rdi
        call    guest_return_rip_noncanonical
        jmp     return_to_guest

/* In: rdi = struct cpu_regs of a guest context, at the top of the
 * hypervisor stack. Never returns. */
        .globl  enter_guest
enter_guest:
        movq    %rdi, %rsp
        jmp     return_to_guest

/* A 32-bit syscall (CSTAR) cannot come from a 64-bit PV guest's kernel;
 * treat it as a fault of the guest. Same frame as syscall_entry. */
        .globl  syscall32_entry
syscall32_entry:
        movq    %rsp, syscall_rsp_scratch(%rip)
        leaq    boot_stack_top(%rip), %rsp
        pushq   $RING3_DS
        pushq   syscall_rsp_scratch(%rip)
        pushq   %r11
        pushq   $RING3_CS32
        pushq   %rcx
        pushq   $0
        pushq   $REGS_VECTOR_SYSCALL32
        save_regs                               /* DF is 0: SFMASK */
        movq    %rsp, %rdi
        call    do_guest_syscall32
        jmp     return_to_guest

        .section .bss
        .balign 8
syscall_rsp_scratch:
        .skip   8

        .section .text
        .altmacro           /* lets %expr pass a computed vector number */
        .set    v, 0
        .rept   256
        vector_stub %v
        .set    v, v + 1
        .endr

/* The stubs of the DPL 3 gates (pv/softint.c rule 2 says which vectors
 * desc.c opens): the same frame as vector_stub's, then softint_fast.S.
 * Only a guest's int n arrives here from ring 3 (no hardware interrupt is
 * ever routed to an open vector); from ring 0 it is an interrupt that
 * should not exist, and softint_fast.S hands it to interrupt_common. */
        .macro  softint_stub v
        .balign 16
softint_\v:
        pushq   $0
        pushq   $\v
        jmp     softint_fast
        .endm

        .set    v, SOFTINT_FIRST_STUB
        .rept   256 - SOFTINT_FIRST_STUB
        softint_stub %v
        .set    v, v + 1
        .endr

/* The table desc.c turns into IDT gates: the address of each stub. */
        .section .rodata, "a"
        .balign 8
        .globl  vector_stubs
vector_stubs:
        .macro  stub_address v
        .quad   vector_\v
        .endm
        .set    v, 0
        .rept   256
        stub_address %v
        .set    v, v + 1
        .endr

/* The DPL 3 stubs' addresses, 0 below SOFTINT_FIRST_STUB. */
        .balign 8
        .globl  softint_stubs
softint_stubs:
        .fill   SOFTINT_FIRST_STUB, 8, 0
        .macro  softint_address v
        .quad   softint_\v
        .endm
        .set    v, SOFTINT_FIRST_STUB
        .rept   256 - SOFTINT_FIRST_STUB
        softint_address %v
        .set    v, v + 1
        .endr
