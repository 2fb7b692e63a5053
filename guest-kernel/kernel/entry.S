/*
 * Tern guest kernel: entry stubs for exceptions and callbacks, the way
 * back, and the kernel-stack switch between processes.
 *
 * The hypervisor enters every handler with a bounce frame at %rsp
 * (xen-pv-abi.md 2.2):
 *     0(%rsp) RCX  8(%rsp) R11  [16(%rsp) ERR]  RIP  CS  RFLAGS  RSP  SS
 * and RCX/R11 holding garbage (it returned with sysret). Each stub pops
 * RCX and R11 back, pushes 0 where the vector has no error code, pushes
 * the vector, and joins trap_common, which pushes the general registers
 * (struct regs, traps.h) and calls trap_dispatch(regs) with %rsp 16-byte
 * aligned (the frame started on a 16-byte boundary and struct regs is 176
 * bytes). trap_dispatch returns:
 *     false  back to a kernel context with a plain iretq: CS and SS get
 *            RPL 3 (the frame has RPL 0 for a kernel context), and CPL 3
 *            to CPL 3 is legal natively (Mini-OS does the same);
 *     true   back through the iret hypercall: regs->error_code holds its
 *            flags word (0 or VGCF_in_syscall), which after popping the
 *            registers and the vector sits right below RIP, exactly where
 *            the hypercall wants it (xen-pv-abi.md 2.4).
 */
#include "kernel/traps.h"

    .section .text, "ax", @progbits
    .code64

/* One stub per vector, TRAP_STUB_SIZE bytes apart: trap_stubs[v]. */
.macro trap_stub vec
    .balign TRAP_STUB_SIZE
    popq    %rcx
    popq    %r11
.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
.else
    pushq   $0                  /* no error code from the hypervisor */
.endif
    pushq   $\vec
    jmp     trap_common
.endm

    .balign TRAP_STUB_SIZE
    .globl trap_stubs
trap_stubs:
    .altmacro
    .set vec, 0
    .rept 256
    trap_stub %vec
    .set vec, vec + 1
    .endr
    .noaltmacro
    .size trap_stubs, . - trap_stubs

/* Callbacks: same frame as a vector without error code. */
.macro callback_stub name, vec
    .globl \name
    .type \name, @function
\name:
    popq    %rcx
    popq    %r11
    pushq   $0
    pushq   $\vec
    jmp     trap_common
    .size \name, . - \name
.endm

    callback_stub syscall_callback_entry, VEC_SYSCALL
    callback_stub syscall32_callback_entry, VEC_SYSCALL32
    callback_stub event_callback_entry, VEC_EVENT
    callback_stub nmi_callback_entry, VEC_NMI

/* pop_regs: %rsp = struct regs; loads every general register from it and
 * leaves %rsp at the vector. */
.macro pop_regs
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
.endm

/*
 * trap_common: %rsp points at the vector, above it the error code and the
 * hardware-like frame; every general register still holds the interrupted
 * context's value (RCX and R11 restored by the stub).
 */
trap_common:
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
    cld
    movq    %rsp, %rdi
    call    trap_dispatch
    testb   %al, %al
    jnz     trap_return_via_iret
    /* Plain iretq to a kernel context. */
    pop_regs
    addq    $16, %rsp               /* vector, error code */
    orb     $3, 8(%rsp)             /* CS RPL 3 */
    orb     $3, 32(%rsp)            /* SS RPL 3 */
    iretq

/*
 * trap_return_via_iret: %rsp = struct regs. Pops it and jumps to the iret
 * stub with the flags word (regs->error_code) on top of {RIP, CS, RFLAGS,
 * RSP, SS}. Also how a new process first enters user mode.
 */
    .globl trap_return_via_iret
    .type trap_return_via_iret, @function
trap_return_via_iret:
    pop_regs
    addq    $8, %rsp                /* the vector; the flags word stays */
    jmp     hypercall_page + HYPERCALL_IRET_OFFSET
    .size trap_return_via_iret, . - trap_return_via_iret

/*
 * failsafe_callback_entry: the hypervisor could not load the saved data
 * segment selectors. Frame: RCX R11 DS ES FS GS RIP CS RFLAGS RSP SS.
 * Never returns: failsafe_callback(&frame[DS]) reports and crashes.
 */
    .globl failsafe_callback_entry
    .type failsafe_callback_entry, @function
failsafe_callback_entry:
    popq    %rcx
    popq    %r11
    movq    %rsp, %rdi
    andq    $~15, %rsp
    call    failsafe_callback
1:  ud2
    jmp     1b
    .size failsafe_callback_entry, . - failsafe_callback_entry

/*
 * void switch_stacks(uint64_t *save_sp, uint64_t new_sp): the cooperative
 * context switch between kernel stacks. Saves the callee-saved registers
 * on the current stack and its %rsp in *save_sp, then resumes whoever
 * saved new_sp (or a new process, whose stack was built to look so).
 */
    .globl switch_stacks
    .type switch_stacks, @function
switch_stacks:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .size switch_stacks, . - switch_stacks

    .section .note.GNU-stack, "", @progbits
