/*
 * Tern guest kernel entry, boot stack and hypercall page.
 *
 * The domain builder starts vCPU 0 at _start (XEN_ELFNOTE_ENTRY) in guest
 * kernel mode (CPL 3, CS = FLAT_KERNEL_CS), events masked, with:
 *   rsi  VA of start_info (struct start_info, public/xen.h)
 *   rsp  top of a one-page boot stack inside the builder's initial mapping
 *   other general registers 0, no trap table.
 * The very first instruction reads the TSC into boot_tsc: under QEMU with
 * -icount shift=0 that is the number of instructions run since power-on,
 * which the benchmarks turn into the hypervisor's boot cost (bench.c).
 * Then we move to our own 16 KiB stack in .bss (so the stack's size does
 * not depend on the builder) and call start_kernel(start_info), which
 * never returns.
 */

#define BOOT_STACK_SIZE 16384

    .section .text.head, "ax", @progbits
    .code64
    .globl _start
    .type _start, @function
_start:
    rdtsc                           /* first: the boot cost ends here */
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, boot_tsc(%rip)
    cld
    leaq    boot_stack_top(%rip), %rsp
    xorl    %ebp, %ebp              /* ends backtraces */
    movq    %rsi, %rdi              /* arg 1: start_info */
    call    start_kernel
1:  ud2                             /* start_kernel does not return */
    jmp     1b
    .size _start, . - _start

/*
 * hypercall_page: one page the builder overwrites with 128 stubs of 32
 * bytes (XEN_ELFNOTE_HYPERCALL_PAGE). Until then it holds `ret`
 * instructions, so a hypercall made before the builder filled the page
 * returns the garbage in rax instead of running wild (tests check the page).
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill 4096, 1, 0xc3
    .size hypercall_page, . - hypercall_page

    .section .data, "aw", @progbits
    .balign 8
    .globl boot_tsc
    .type boot_tsc, @object
boot_tsc:
    .quad   0
    .size boot_tsc, . - boot_tsc

    .section .bss, "aw", @nobits
    .balign 16
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
