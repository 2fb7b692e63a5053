/*
 * bounce_fast.S: a system call from guest user mode bounced to the guest
 * kernel's syscall callback without C: the common case of
 * guest_user_syscall and bounce (guest_traps.c, bounce_build in bounce.c)
 * followed by exit_to_guest (guest_entry.c). Anything else goes to that C
 * path with nothing changed, so the C path stays the definition.
 *
 * Entered from syscall_entry (entry.S) with rdi = the current vCPU, in
 * guest user mode, CR3 = its user L4: the hardware part of struct
 * cpu_regs, the vector, the error code, rdi, rsi and rdx are on the
 * hypervisor stack (rsp = &frame.rdx); rcx and r11 hold the guest's rip and
 * rflags, also in the frame, kept there until the frame is written.
 * Scratch: rcx, rdx, rsi, rdi, r11; rax (the guest's system call number)
 * is never touched. IF = 0 throughout.
 *
 * Invariants, each enforced below where it is said:
 *  - the C path takes every case but this one: a syscall callback is
 *    registered, the frame (7 words below kernel_sp aligned down to 16)
 *    lies in one page of a guest half (below 2^47, or from HV_VIRT_END up
 *    without wrapping: never the hypervisor's slots; v->syscall_frame,
 *    which callbacks.c keeps with kernel_sp and the callback, is 0
 *    otherwise), and the
 *    nesting count stays within BOUNCE_MAX_DEPTH (else C writes the frame and
 *    crashes the domain for the fault storm);
 *  - the frame is written on v's kernel root: the switch to guest kernel
 *    mode (toggle_guest_mode: kernel_mode = 1, CR3 = v->cr3, swapgs)
 *    comes first, and a fault undoes it exactly before the C path runs;
 *  - the stores have exception-table entries and, the frame being within
 *    one page, only the first can fault: a failed write leaves the guest's
 *    memory as it was and the C path walks (and crashes the domain);
 *  - under SMAP, stac opens the window for exactly the seven stores;
 *  - every value the iretq loads is valid at CPL 3: CS and SS stay the
 *    flat ring-3 selectors syscall_entry pushed, RFLAGS is handler_rflags
 *    (no TF, NT, RF, VM, AC, IOPL; IF set), RIP is the callback, which
 *    register_callback only takes canonical and which is checked again;
 *  - the exit is exit_to_guest's fast case, else exit_to_guest itself.
 */
#include <asm/regs.h>
#include <asm/fast_offsets.h>
#include <asm/entry_macros.h>
#include <asm/desc.h>
#include <layout.h>

#define FRAME(off)  (boot_stack_top - REGS_SIZE + (off))(%rip)
#define WORDS       (BOUNCE_SYSCALL_WORDS * 8)

        .text
        .code64

/* One store into the guest's frame, faulting to .Lus_fault. */
        .macro  store_guest src, off
9:      movq    \src, \off(%rdx)
        .section .extable, "a"
        .balign 4
        .long   9b - .
        .long   .Lus_fault - .
        .previous
        .endm

        .globl  user_syscall_fast
        .hidden user_syscall_fast
user_syscall_fast:
        movq    V_SYSCALL_FRAME(%rdi), %rdx     /* rdx = the frame, checked */
        testq   %rdx, %rdx                      /* by callbacks.c (bounce.c) */
        jz      .Lus_slow                       /* 0: no callback (C: #UD), a hole, */
                                                /* a wrap or a page cross */
        /* The nesting count as bounce() keeps it, pushed until the end. */
        movl    $1, %esi
        cmpl    $0, V_BOUNCE_DEPTH(%rdi)
        je      2f
        cmpq    V_LAST_BOUNCE_RSP(%rdi), %rdx
        jae     2f
        movl    V_BOUNCE_DEPTH(%rdi), %esi
        incl    %esi
        cmpl    $BOUNCE_MAX_DEPTH, %esi
        ja      .Lus_slow
2:      pushq   %rsi

        /* toggle_guest_mode: from here CR3 is the kernel L4. */
        movb    $1, V_KERNEL_MODE(%rdi)
        movq    V_CR3(%rdi), %rsi
        movq    %rsi, %cr3
        swapgs
        vcpu_info_of %rdi, %rsi                 /* rsi = vcpu_info_of(v) */

        /* The frame {RCX, R11, RIP, CS, RFLAGS, RSP, SS} (bounce_build),
         * from rcx and r11 as the syscall left them (the guest's RIP and
         * RFLAGS, also in syscall_entry's frame). */
        smap_open
        store_guest %rcx, 0                     /* the first: the one that can fault */
        store_guest %rcx, 16
        store_guest %r11, 8
        movzbl  VI_MASK(%rsi), %ecx
        shlq    $32, %rcx                       /* the mask above CS, as Xen */
        orq     $RING3_CS64, %rcx               /* syscall_entry's flat user CS */
        store_guest %rcx, 24
        movq    %r11, %rcx
        andq    $~BOUNCE_FRAME_CLEAR, %rcx      /* IF = !mask, IOPL 0 */
        cmpb    $0, VI_MASK(%rsi)
        jne     5f
        orl     $(1 << IRET_IF_BIT), %ecx
5:      store_guest %rcx, 32
        movq    FRAME(REGS_RSP), %rcx
        store_guest %rcx, 40
        store_guest $RING3_DS, 48               /* syscall_entry's SS */
        smap_close

        /* Commit. */
        popq    %rcx
        movl    %ecx, V_BOUNCE_DEPTH(%rdi)
        movq    %rdx, V_LAST_BOUNCE_RSP(%rdi)
        testw   $BOUNCE_MASK_EVENTS, V_CB_SYSCALL_FLAGS(%rdi)
        jz      7f
        movb    $1, VI_MASK(%rsi)
7:      movq    %rdx, FRAME(REGS_RSP)
        andq    $~BOUNCE_HANDLER_CLEAR, %r11    /* r11: still the guest's RFLAGS */
        orq     $IRET_FORCED_RFLAGS, %r11
        movq    %r11, FRAME(REGS_RFLAGS)
        movq    V_CB_SYSCALL(%rdi), %rcx
        movq    %rcx, FRAME(REGS_RIP)

        /* exit_to_guest's fast case (and a canonical RIP), else itself. */
        exit_fast_or %rdi, %rsi, .Lus_exit_work
        movq    %rcx, %rdx
        canonical_or %rdx, .Lus_exit_work
        pop_args_and_iret

/* The rest of struct cpu_regs (rcx = the handler, r11 = its RFLAGS), then
 * exit_to_guest and return_to_guest, as after the C bounce. */
.Lus_exit_work:
        save_regs_rest
        call_c_and_return exit_to_guest

/* A store faulted (the fault handler's iretq brought AC back): nothing
 * was written; back to guest user mode as on entry, then the C path. */
.Lus_fault:
        smap_close
        leaq    FRAME(REGS_RDX), %rsp           /* drops the nesting count */
        movb    $0, V_KERNEL_MODE(%rdi)
        movq    V_USER_CR3(%rdi), %rcx
        movq    %rcx, %cr3
        swapgs
/* syscall_entry's registers back as they came, then its C path. */
.Lus_slow:
        leaq    FRAME(REGS_RDX), %rsp
        movq    FRAME(REGS_RIP), %rcx
        movq    FRAME(REGS_RFLAGS), %r11
        jmp     syscall_save_rest
