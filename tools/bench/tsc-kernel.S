/*
 * tools/bench/tsc-kernel.S: the firmware's share of the boot, for the
 * boot-cost benchmark (tools/bench.py).
 *
 * A trivial 32-bit kernel that both loaders Tern and Xen are booted with
 * accept: a multiboot2 header (GRUB, as Tern's ISO boots) and a
 * multiboot1 header (QEMU's -kernel, as tools/xen-run.py boots Xen). Its
 * first instruction reads the TSC; under QEMU -icount shift=0 that is the
 * number of instructions the firmware and boot loader ran. It prints
 *     bench-firmware-tsc=<16 hex digits>
 * on COM1 and halts (the host kills QEMU). A hypervisor's boot cost is
 * the guest's TSC at its first instruction minus this.
 *
 * Built with -DPVH it has no multiboot headers but the PVH entry note
 * (XEN_ELFNOTE_PHYS32_ENTRY, linked by tsc-pvh.ld into a PT_NOTE), so QEMU's
 * -kernel starts it as it starts Linux's vmlinux natively: the firmware's
 * share of the native Linux boot (tools/bench.py --linux).
 *
 * PAD bytes of zeros follow in the loaded image, so that GRUB reads as
 * much from the disc as for the hypervisor it stands in for (tools/bench.py
 * sets PAD from the hypervisor's loadable size).
 */
#ifndef PAD
#define PAD 0
#endif

#define MB1_MAGIC     0x1badb002
#define MB1_FLAGS     0x00000003        /* page-aligned modules, memory info */
#define MB2_MAGIC     0xe85250d6
#define COM1          0x3f8

    .section .text, "ax", @progbits
    .code32
    .globl _start
_start:
    rdtsc                               /* first: the firmware's share ends here */
    movl    %edx, %edi                  /* high half */
    movl    %eax, %esi                  /* low half */
    movl    $prefix, %ebx
1:  movb    (%ebx), %al
    testb   %al, %al
    jz      2f
    call    putc
    incl    %ebx
    jmp     1b
2:  movl    %edi, %edx
    call    put_hex32
    movl    %esi, %edx
    call    put_hex32
    movb    $'\r', %al
    call    putc
    movb    $'\n', %al
    call    putc
3:  cli
    hlt
    jmp     3b

/* put_hex32: prints %edx as 8 hex digits; clobbers %eax, %ecx, %edx. */
put_hex32:
    movl    $8, %ecx
1:  roll    $4, %edx
    movl    %edx, %eax
    andl    $0xf, %eax
    movb    hex_digits(%eax), %al
    pushl   %edx
    call    putc
    popl    %edx
    loop    1b
    ret

/* putc: sends %al to COM1 once its transmit register is empty; keeps %al. */
putc:
    pushl   %edx
    movb    %al, %ah
    movw    $COM1 + 5, %dx
1:  inb     %dx, %al
    testb   $0x20, %al
    jz      1b
    movw    $COM1, %dx
    movb    %ah, %al
    outb    %al, %dx
    popl    %edx
    ret

    .section .rodata, "a", @progbits
prefix:
    .asciz  "bench-firmware-tsc="
hex_digits:
    .ascii  "0123456789abcdef"

#ifdef PVH
#define XEN_ELFNOTE_PHYS32_ENTRY 18
    .section .note.Xen, "a", @note
    .balign 4
    .long   4                           /* name size: "Xen" and its NUL */
    .long   4                           /* descriptor size */
    .long   XEN_ELFNOTE_PHYS32_ENTRY
    .asciz  "Xen"
    .long   _start                      /* entered in 32-bit flat protected mode */
#else
/* Both headers in the first 8 KiB (multiboot1 needs that, 4-aligned;
 * multiboot2 the first 32 KiB, 8-aligned). */
    .section .multiboot, "a", @progbits
    .balign 8
mb2_header:
    .long   MB2_MAGIC
    .long   0                           /* i386 */
    .long   mb2_end - mb2_header
    .long   -(MB2_MAGIC + 0 + (mb2_end - mb2_header))
    .short  0, 0                        /* end tag */
    .long   8
mb2_end:
    .balign 4
    .long   MB1_MAGIC
    .long   MB1_FLAGS
    .long   -(MB1_MAGIC + MB1_FLAGS)
#endif

    .section .pad, "aw", @progbits
    .fill   PAD, 1, 0

    .section .note.GNU-stack, "", @progbits
