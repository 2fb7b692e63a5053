/*
 * guest_copy.S: the only instructions with which ring 0 touches memory
 * through a guest's virtual address (guest_memory.c decides when: the
 * range checked, the guest's root in CR3).
 *
 * size_t guest_copy_raw(void *dst, const void *src, size_t n) copies n
 * bytes with rep movsq (n a multiple of 8) or rep movsb and returns the
 * bytes NOT copied: 0, or, when the copy faults (#PF on a guest page
 * absent or read-only), the count left in rcx at the fault (in bytes). The fault does not crash the hypervisor: the
 * movsb has an exception-table entry (.extable, read by extable.c) whose
 * fixup is the code right after it (after movsq: the conversion of the
 * quadwords left into bytes). Under SMAP (guest_copy_smap set when
 * CR4.SMAP is on; a PV guest's pages are all user pages) stac opens the
 * window for exactly this copy and clac closes it on both ways out; the
 * fault handler runs with AC clear and iret restores it for the fixup.
 *
 * uint64_t guest_load_u32(const uint32_t *src) is the same for one aligned
 * or unaligned 32-bit load (a hypercall whose whole argument is a port):
 * the value zero-extended, or ~0 when the load faults, which no 32-bit
 * value can be. One mov instead of a rep movsb per byte.
 *
 * size_t guest_copy_words(uint64_t *dst, const uint64_t *src, size_t n)
 * copies n quadwords with rep movsq and returns the quadwords NOT copied
 * (multicall's entries: no byte count to convert, no test for a tail).
 *
 * uint64_t guest_store_u64(uint64_t *dst, uint64_t val) stores one
 * quadword with one mov: 0, or 1 when the store faults. A single store
 * faults before it writes any byte, even across a page boundary, so a
 * failed store leaves guest memory unchanged without a page test.
 *
 * Which root: the callers (vcpu_copy.h, multicall.c) call these only
 * while the vCPU's kernel L4 is the root in CR3, and only for a range
 * guest_range_ok accepted (canonical, no wrap, below the hypervisor's
 * slots); a fault here only says "take the software walk".
 */
    .text
    .globl  guest_copy_raw
    .hidden guest_copy_raw
    .type   guest_copy_raw, @function
guest_copy_raw:
    mov     %rdx, %rcx
    cmpb    $0, guest_copy_smap(%rip)
    je      1f
    stac
1:
    test    $7, %cl                 /* whole quadwords: rep movsq, an eighth */
    jnz     .Lcopy                  /* of the iterations (a frame, an array) */
    shr     $3, %rcx
.Lcopyq:
    rep movsq
.Ldoneq:
    shl     $3, %rcx                /* quadwords left -> bytes left */
    jmp     .Ldone
.Lcopy:
    rep movsb
.Ldone:
    cmpb    $0, guest_copy_smap(%rip)
    je      2f
    clac
2:
    mov     %rcx, %rax
    ret
    .size   guest_copy_raw, . - guest_copy_raw

    .globl  guest_load_u32
    .hidden guest_load_u32
    .type   guest_load_u32, @function
guest_load_u32:
    cmpb    $0, guest_copy_smap(%rip)
    je      1f
    stac
1:
.Lload32:
    mov     (%rdi), %eax            /* zero-extends into rax */
.Lload32_done:
    cmpb    $0, guest_copy_smap(%rip)
    je      2f
    clac
2:
    ret
.Lload32_fault:
    mov     $-1, %rax
    jmp     .Lload32_done
    .size   guest_load_u32, . - guest_load_u32

    .globl  guest_copy_words
    .hidden guest_copy_words
    .type   guest_copy_words, @function
guest_copy_words:
    mov     %rdx, %rcx
    cmpb    $0, guest_copy_smap(%rip)
    je      1f
    stac
1:
.Lwords:
    rep movsq
.Lwords_done:                           /* also the fixup: rcx = words left */
    cmpb    $0, guest_copy_smap(%rip)
    je      2f
    clac
2:
    mov     %rcx, %rax
    ret
    .size   guest_copy_words, . - guest_copy_words

    .globl  guest_store_u64
    .hidden guest_store_u64
    .type   guest_store_u64, @function
guest_store_u64:
    cmpb    $0, guest_copy_smap(%rip)
    je      1f
    stac
1:
    xor     %eax, %eax
.Lstore64:
    mov     %rsi, (%rdi)
.Lstore64_done:
    cmpb    $0, guest_copy_smap(%rip)
    je      2f
    clac
2:
    ret
.Lstore64_fault:
    mov     $1, %eax
    jmp     .Lstore64_done
    .size   guest_store_u64, . - guest_store_u64

    /* Each entry: the faulting instruction and its fixup, both relative
     * to the entry's own field. */
    .section .extable, "a"
    .balign 4
    .long   .Lcopy - .
    .long   .Ldone - .
    .long   .Lcopyq - .
    .long   .Ldoneq - .
    .long   .Lload32 - .
    .long   .Lload32_fault - .
    .long   .Lwords - .
    .long   .Lwords_done - .
    .long   .Lstore64 - .
    .long   .Lstore64_fault - .
