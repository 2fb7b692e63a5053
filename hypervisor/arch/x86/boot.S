/*
 * boot.S: from GRUB's 32-bit protected mode to the C entry in long mode.
 *
 * GRUB (multiboot2) enters start32 in 32-bit protected mode, paging off,
 * eax = multiboot2 magic, ebx = physical address of the boot information.
 * This file
 *   1. checks that the CPU has long mode, and says so on serial and VGA if not;
 *   2. builds the boot page tables: an identity map and a direct map of the
 *      first 4 GiB (2 MiB pages), and the image at its link address;
 *   3. enables PAE and long mode, jumps to the higher half and calls
 *      start_hypervisor(magic, mbi_phys) on the boot stack.
 * The C code replaces these page tables with its own as soon as it knows how
 * much memory there is (paging.c); nothing here survives except the stack.
 *
 * While paging is off every symbol is used through PA(), its load address.
 */
#include <layout.h>

#define PA(x)           ((x) - HV_LOAD_OFFSET)
#define PTE_P           0x001
#define PTE_RW          0x002
#define PTE_PS          0x080
#define MB2_MAGIC       0xe85250d6
#define MB2_HDR_LEN     (mb2_header_end - mb2_header)
#define BOOT_CS         0x08
#define BOOT_DS         0x10
#define COM1            0x3f8

/* ---------------------------------------------------------------------- */
        .section .multiboot2, "a"
        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   0                               /* architecture: i386 */
        .long   MB2_HDR_LEN
        .long   0x100000000 - (MB2_MAGIC + MB2_HDR_LEN)

        /* Information request (optional: we cope with what is missing):
         * command line, modules, memory map, framebuffer, old and new
         * ACPI RSDP. */
        .balign 8
1:      .short  1, 1
        .long   2f - 1b
        .long   1, 3, 6, 8, 14, 15
2:
        /* Framebuffer, optional (flags 1), no preferred mode (0x0x0): GRUB
         * under UEFI hands over the firmware's GOP framebuffer; under BIOS
         * with gfxpayload=text it keeps the text mode and says so (EGA text
         * framebuffer type). The console uses whichever it gets. */
        .balign 8
1:      .short  5, 1
        .long   2f - 1b
        .long   0, 0, 0
2:
        /* Entry address: the 32-bit entry point, physical. */
        .balign 8
1:      .short  3, 0
        .long   2f - 1b
        .long   PA(start32)
2:
        /* Module alignment: page-aligned modules. */
        .balign 8
        .short  6, 0
        .long   8

        /* End tag. */
        .balign 8
        .short  0, 0
        .long   8
mb2_header_end:

/* ---------------------------------------------------------------------- */
        .section .text.boot, "ax"
        .code32

/* In: eax = loader magic, ebx = boot info (physical). Interrupts off. */
        .globl  start32
start32:
        cli
        cld
        mov     %eax, %ebp                      /* keep the magic in ebp */
        mov     $PA(boot_stack_top), %esp

        /* The TSC as early as it surely exists (a CPU with long mode has
         * one): boot cost is counted from here (main.c's boot steps). */
        call    check_long_mode
        rdtsc
        mov     %eax, PA(hv_entry_tsc)
        mov     %edx, PA(hv_entry_tsc) + 4

        /* Zero .bss before anything lives there; the stack does, but
         * check_long_mode's frame is dead. GRUB zeroes it too, but other
         * loaders may not. */
        mov     $PA(_bss_start), %edi
        mov     $PA(_bss_end), %ecx
        sub     %edi, %ecx
        shr     $2, %ecx
        xor     %eax, %eax
        rep stosl

        call    build_boot_page_tables

        mov     $PA(boot_l4), %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax                     /* CR4.PAE */
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx               /* EFER.LME */
        rdmsr
        or      $0x100, %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax               /* CR0.PG | CR0.WP | CR0.PE */
        mov     %eax, %cr0

        lgdt    PA(boot_gdt_desc)
        ljmp    $BOOT_CS, $PA(start64_low)

/* Returns only if CPUID reports long mode; otherwise prints and halts.
 * Clobbers eax, ebx (saved), ecx, edx. */
check_long_mode:
        push    %ebx
        pushfl                                  /* CPUID present? (EFLAGS.ID toggles) */
        pop     %eax
        mov     %eax, %ecx
        xor     $0x200000, %eax
        push    %eax
        popfl
        pushfl
        pop     %eax
        cmp     %eax, %ecx
        je      no_long_mode
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx                       /* LM */
        jnc     no_long_mode
        pop     %ebx
        ret

no_long_mode:
        mov     $PA(msg_no_lm), %esi
        call    early_puts32
1:      hlt
        jmp     1b

/* Print the NUL-terminated string at esi on COM1 (115200 8N1) and on the
 * first line of the VGA text screen. Clobbers eax, ecx, edx, esi, edi. */
early_puts32:
        mov     $COM1 + 3, %dx                  /* LCR: DLAB */
        mov     $0x80, %al
        out     %al, %dx
        mov     $COM1, %dx                      /* divisor 1 = 115200 */
        mov     $1, %al
        out     %al, %dx
        inc     %dx
        xor     %al, %al
        out     %al, %dx
        mov     $COM1 + 3, %dx                  /* 8N1, DLAB off */
        mov     $3, %al
        out     %al, %dx
        mov     $0xb8000, %edi
1:      lodsb
        test    %al, %al
        jz      3f
        mov     $0x4f, %ah                      /* white on red */
        stosw
        mov     %al, %cl
        mov     $COM1 + 5, %dx                  /* wait (bounded) for THR empty */
        mov     $100000, %ebx
2:      in      %dx, %al
        test    $0x20, %al
        jnz     4f
        dec     %ebx
        jnz     2b
4:      mov     $COM1, %dx
        mov     %cl, %al
        out     %al, %dx
        jmp     1b
3:      ret

/* Fill the boot page tables. boot_l4 and boot_l3_low are static (.data);
 * here the four L2 tables map 0-4 GiB and the image L2 maps 32 MiB from
 * HV_LOAD_PHYS, all with 2 MiB pages. Clobbers eax, ecx, edx, edi. */
build_boot_page_tables:
        mov     $PA(boot_l2_low), %edi
        mov     $PTE_P | PTE_RW | PTE_PS, %eax
        xor     %edx, %edx
        mov     $2048, %ecx
1:      mov     %eax, (%edi)
        mov     %edx, 4(%edi)
        add     $0x200000, %eax
        adc     $0, %edx
        add     $8, %edi
        loop    1b

        mov     $PA(boot_l2_image), %edi
        mov     $HV_LOAD_PHYS | PTE_P | PTE_RW | PTE_PS, %eax
        mov     $HV_IMAGE_MAX >> 21, %ecx
1:      mov     %eax, (%edi)
        add     $0x200000, %eax
        add     $8, %edi
        loop    1b
        ret

/* ---------------------------------------------------------------------- */
        .code64

/* Long mode, still at the load address. Jump to the link address. */
start64_low:
        movabs  $start64, %rax
        jmp     *%rax

/* Higher half. ebp = loader magic, ebx = boot info (physical). */
start64:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        lea     boot_stack_top(%rip), %rsp
        mov     %ebp, %edi                      /* magic (zero-extended) */
        mov     %ebx, %esi                      /* mbi_phys (zero-extended) */
        xor     %ebp, %ebp                      /* ends the backtrace chain */
        call    start_hypervisor
1:      cli
        hlt
        jmp     1b

/* ---------------------------------------------------------------------- */
        .section .rodata
msg_no_lm:
        .asciz  "Tern: this CPU does not support long mode (x86-64); it cannot run this hypervisor. Halted."

        .section .data
        .balign 8
        .globl  hv_entry_tsc
hv_entry_tsc:                                   /* not .bss: written before it is zeroed */
        .quad   0
        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff              /* 0x08: 64-bit code, DPL 0 */
        .quad   0x00cf92000000ffff              /* 0x10: data, DPL 0 */
boot_gdt_end:
boot_gdt_desc:
        .short  boot_gdt_end - boot_gdt - 1
        .long   PA(boot_gdt)

        .section .data.page_aligned, "aw"
        .balign 4096
/* L4: slot 0 identity, slot 262 direct map (both the same first 4 GiB),
 * slot 261 the image. */
boot_l4:
        .quad   PA(boot_l3_low) + (PTE_P | PTE_RW)
        .fill   L4_SLOT(HV_IMAGE_VIRT) - 1, 8, 0
        .quad   PA(boot_l3_image) + (PTE_P | PTE_RW)
        .quad   PA(boot_l3_low) + (PTE_P | PTE_RW)
        .fill   511 - L4_SLOT(DIRECTMAP_VIRT_START), 8, 0
boot_l3_low:
        .quad   PA(boot_l2_low) + 0x0000 + (PTE_P | PTE_RW)
        .quad   PA(boot_l2_low) + 0x1000 + (PTE_P | PTE_RW)
        .quad   PA(boot_l2_low) + 0x2000 + (PTE_P | PTE_RW)
        .quad   PA(boot_l2_low) + 0x3000 + (PTE_P | PTE_RW)
        .fill   508, 8, 0
boot_l3_image:
        .fill   (HV_IMAGE_VIRT >> 30) & 511, 8, 0
        .quad   PA(boot_l2_image) + (PTE_P | PTE_RW)
        .fill   511 - ((HV_IMAGE_VIRT >> 30) & 511), 8, 0

        .section .bss.page_aligned, "aw", @nobits
        .balign 4096
boot_l2_low:
        .skip   4 * 4096
boot_l2_image:
        .skip   4096

/* The boot stack, which becomes CPU 0's hypervisor stack, with an unmapped
 * guard page below it (paging.c leaves it out) so an overflow faults. */
        .globl  boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
        .skip   4096
boot_stack:
        .skip   HV_STACK_SIZE
boot_stack_top:
