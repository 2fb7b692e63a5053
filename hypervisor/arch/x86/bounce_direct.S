/*
 * bounce_direct.S: bool bounce_direct(struct vcpu *v, struct cpu_regs *regs,
 *                                     uint64_t handler, uint64_t how,
 *                                     uint64_t error)
 * The common case of bounce() (guest_traps.c) in one pass: the frame
 * {RCX, R11, [ERR,] RIP, CS, RFLAGS, RSP, SS} written with direct stores
 * and regs pointed at the handler. how: BOUNCE_HOW_MASK (mask events),
 * BOUNCE_HOW_ERROR (an error code). True when done; false when bounce()
 * must do it, with nothing changed. bounce() calls it first for every
 * bounce (exceptions, system calls, event upcalls); the C code after it
 * stays the definition.
 *
 * Invariants, each enforced below where it is said:
 *  - false, before any change, unless: the frame (below kernel_sp from
 *    guest user mode, below regs->rsp from kernel mode, aligned down to
 *    16) lies within one page of a guest half (ending below 2^47 - 8, or
 *    from HV_VIRT_END up without wrapping: never the hypervisor's slots),
 *    in kernel mode CR3 is v's kernel root, and the nesting count stays
 *    within BOUNCE_MAX_DEPTH (else bounce() writes and crashes the domain);
 *  - the frame is written on v's kernel root: from user mode the switch
 *    to kernel mode (toggle_guest_mode: kernel_mode = 1, CR3 = v->cr3,
 *    swapgs) comes first, and a fault undoes it exactly;
 *  - the stores have exception-table entries; the frame being within one
 *    page, only the first can fault, so a failure leaves guest memory as
 *    it was; under SMAP, stac opens the window for exactly the stores;
 *  - what regs gets is what bounce() gives: CS and SS the flat ring-3
 *    selectors, RFLAGS handler_rflags (no TF, NT, RF, VM, AC, IOPL; IF
 *    set), RIP the handler (canonical: set_trap_table and
 *    register_callback refuse others; return_to_guest checks anyway).
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>
#include <layout.h>

        .text
        .code64

/* One store into the guest's frame, faulting to .Lbd_fault. */
        .macro  store_guest src, off
9:      movq    \src, \off(%rax)
        .section .extable, "a"
        .balign 4
        .long   9b - .
        .long   .Lbd_fault - .
        .previous
        .endm

        .globl  bounce_direct
        .hidden bounce_direct
        .type   bounce_direct, @function
bounce_direct:
        /* rax = the frame; how's BOUNCE_HOW_USER bit = from guest user mode */
        cmpb    $0, V_KERNEL_MODE(%rdi)
        je      1f
        movq    %cr3, %rax
        cmpq    V_CR3(%rdi), %rax
        jne     .Lbd_no                         /* not on v's kernel root */
        movq    REGS_RSP(%rsi), %rax
        jmp     2f
1:      movq    V_KERNEL_SP(%rdi), %rax
        orl     $BOUNCE_HOW_USER, %ecx
2:      andq    $-16, %rax
        subq    $(BOUNCE_SYSCALL_WORDS * 8), %rax
        testl   $BOUNCE_HOW_ERROR, %ecx
        jz      3f
        subq    $8, %rax
3:      movabsq $HV_VIRT_END, %r9
        cmpq    %r9, %rax
        jae     4f
        movabsq $((1 << 47) - BOUNCE_SYSCALL_WORDS * 8 - 8), %r9
        cmpq    %r9, %rax
        jae     .Lbd_no                         /* the frame ends below 2^47 - 8 */
4:      movl    %eax, %r9d
        andl    $0xfff, %r9d
        cmpl    $(4096 - BOUNCE_SYSCALL_WORDS * 8 - 8), %r9d
        ja      .Lbd_no                         /* across a page (or wrapping) */
        /* r9 = the nesting count as bounce() keeps it */
        movl    $1, %r9d
        cmpl    $0, V_BOUNCE_DEPTH(%rdi)
        je      5f
        cmpq    V_LAST_BOUNCE_RSP(%rdi), %rax
        jae     5f
        movl    V_BOUNCE_DEPTH(%rdi), %r9d
        incl    %r9d
        cmpl    $BOUNCE_MAX_DEPTH, %r9d
        ja      .Lbd_no

        /* From user mode: toggle_guest_mode, CR3 the kernel L4 from here. */
5:      testl   $BOUNCE_HOW_USER, %ecx
        jz      6f
        movb    $1, V_KERNEL_MODE(%rdi)
        movq    V_CR3(%rdi), %r10
        movq    %r10, %cr3
        swapgs
        /* r10 = vcpu_info_of(v) */
6:      vcpu_info_of %rdi, %r10
        smap_open
        movq    REGS_RCX(%rsi), %r11
        store_guest %r11, 0                     /* the first: the one that can fault */
        movq    REGS_R11(%rsi), %r11
        store_guest %r11, 8
        testl   $BOUNCE_HOW_ERROR, %ecx
        jz      11f
        movl    %r8d, %r11d                     /* error & 0xffffffff */
        store_guest %r11, 16
        addq    $8, %rax                        /* the rest sits 8 higher */
11:     movq    REGS_RIP(%rsi), %r11
        store_guest %r11, 16
        movzbl  VI_MASK(%r10), %r11d
        shlq    $32, %r11                       /* the mask above CS, as Xen */
        orq     REGS_CS(%rsi), %r11
        testl   $BOUNCE_HOW_USER, %ecx
        jnz     12f
        andq    $~3, %r11                       /* RPL 0: a kernel context */
12:     store_guest %r11, 24
        movq    REGS_RFLAGS(%rsi), %r11
        andq    $~BOUNCE_FRAME_CLEAR, %r11      /* IF = !mask, IOPL 0 */
        cmpb    $0, VI_MASK(%r10)
        jne     13f
        orl     $(1 << IRET_IF_BIT), %r11d
13:     store_guest %r11, 32
        movq    REGS_RSP(%rsi), %r11
        store_guest %r11, 40
        movq    REGS_SS(%rsi), %r11
        store_guest %r11, 48
        smap_close
        testl   $BOUNCE_HOW_ERROR, %ecx
        jz      15f
        subq    $8, %rax                        /* the frame's bottom again */

        /* Commit. */
15:     movl    %r9d, V_BOUNCE_DEPTH(%rdi)
        movq    %rax, V_LAST_BOUNCE_RSP(%rdi)
        testl   $BOUNCE_HOW_MASK, %ecx
        jz      16f
        movb    $1, VI_MASK(%r10)
16:     movq    %rax, REGS_RSP(%rsi)
        movq    %rdx, REGS_RIP(%rsi)
        movq    %rdx, REGS_RCX(%rsi)
        movq    REGS_RFLAGS(%rsi), %r11
        andq    $~BOUNCE_HANDLER_CLEAR, %r11
        orq     $IRET_FORCED_RFLAGS, %r11
        movq    %r11, REGS_RFLAGS(%rsi)
        movq    %r11, REGS_R11(%rsi)
        movq    $(IRET_KERNEL_CS + 3), REGS_CS(%rsi)
        movq    $(IRET_KERNEL_SS + 3), REGS_SS(%rsi)
        movl    $1, %eax
        ret

/* A store faulted (the fault handler's iretq brought AC back): nothing
 * was written; back to user mode if this call left it. */
.Lbd_fault:
        smap_close
        testl   $BOUNCE_HOW_USER, %ecx
        jz      .Lbd_no
        movb    $0, V_KERNEL_MODE(%rdi)
        movq    V_USER_CR3(%rdi), %r10
        movq    %r10, %cr3
        swapgs
.Lbd_no:
        xorl    %eax, %eax
        ret
        .size   bounce_direct, . - bounce_direct
