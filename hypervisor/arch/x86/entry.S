/*
 * entry.S: the IDT stubs. One macro line per vector builds struct cpu_regs
 * (asm/regs.h) on the current stack and calls the C dispatcher:
 *
 *   vectors 0-31    exceptions        -> do_exception(struct cpu_regs *)
 *   vectors 32-255  interrupts        -> do_interrupt(struct cpu_regs *)
 *   syscall         from a guest      -> do_guest_syscall(struct cpu_regs *)
 *
 * On entry the CPU has pushed ss, rsp, rflags, cs, rip and, for vectors 8,
 * 10-14, 17, 21, 29 and 30, an error code. Stubs for the other vectors push
 * a zero in its place so the frame is always the same shape. The CPU aligns
 * rsp to 16 before pushing, so after the 22 quadwords of the frame the C call
 * is made with rsp 16-byte aligned.
 */
#include <asm/regs.h>
#include <asm/desc.h>

#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

        .section .text, "ax"
        .code64
        .altmacro           /* lets %expr pass a computed vector number */

        .macro  vector_stub v
        .balign 16
vector_\v:
        .if     HAS_ERRCODE(\v) == 0
        pushq   $0
        .endif
        pushq   $\v
        .ifge   \v - 32
        jmp     interrupt_common
        .else
        jmp     exception_common
        .endif
        .endm

        .macro  save_regs
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        .endm

        .macro  restore_regs_and_iret
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rax
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        addq    $(REGS_RIP - REGS_VECTOR), %rsp  /* vector and error code */
        iretq
        .endm

/* In: stack holds the frame up to and including the vector. */
exception_common:
        cld
        save_regs
        movq    %rsp, %rdi
        call    do_exception
        restore_regs_and_iret

/* In: as exception_common. */
interrupt_common:
        cld
        save_regs
        movq    %rsp, %rdi
        call    do_interrupt
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
        movq    %rsp, syscall_rsp_scratch(%rip)
        leaq    boot_stack_top(%rip), %rsp
        pushq   $RING3_DS                       /* ss */
        pushq   syscall_rsp_scratch(%rip)       /* rsp */
        pushq   %r11                            /* rflags */
        pushq   $RING3_CS64                     /* cs */
        pushq   %rcx                            /* rip */
        pushq   $0                              /* error code */
        pushq   $REGS_VECTOR_SYSCALL
        cld
        save_regs
        movq    %rsp, %rdi
        call    do_guest_syscall
        /* fall through */

/* In: rsp = a complete struct cpu_regs for a ring-3 context. */
        .globl  return_to_guest
return_to_guest:
        restore_regs_and_iret

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
        cld
        save_regs
        movq    %rsp, %rdi
        call    do_guest_syscall
        jmp     return_to_guest

        .section .bss
        .balign 8
syscall_rsp_scratch:
        .skip   8

        .section .text
        .set    v, 0
        .rept   256
        vector_stub %v
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
