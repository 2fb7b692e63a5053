/*
 * Test trap_vectors: the exceptions a 64-bit PV kernel can raise itself,
 * each delivered to its trap-table handler with the right frame.
 *
 * What: from guest kernel mode, #DE (div by 0), #BP (int3 and int $3),
 * #OF's vector through int $4, #UD (ud2), #GP(0) (a load and a store at
 * non-canonical addresses), #SS(0) (an %rbp-based load at a non-canonical
 * address, where the CPU tells it from #GP), and a fault while %rsp is 8
 * mod 16 (#NP and #GP with a selector: gdt_descriptors). For each:
 * exactly one exception, the vector, the error code where the vector has
 * one (else none: the frame would be shifted), RIP at the instruction for
 * a fault and after it for a trap, the frame's RSP equal to %rsp before
 * it, CS 0xe030 with the event mask in bits 32-39, SS 0xe02b, RFLAGS.IF =
 * !mask, and RCX/R11 as they were before the instruction (the handler pops
 * them off the frame). #BR and #OF proper cannot be raised in 64-bit mode:
 * bound and into are invalid there. (QEMU's TCG, under both hypervisors
 * here, runs into (0xce) in 64-bit mode without the #UD a real CPU raises,
 * so that is not checked.)
 * Why: this is the core of trap virtualization (xen-pv-abi.md 2.2): the
 * stubs of every PV kernel (Mini-OS, XTF, Linux) depend on this layout.
 * Expected (real Xen 4.17): exactly as listed; #GP error code 0.
 */
#include "traptest.h"

static const char test_title[] = "exceptions from kernel mode: vector, error code, frame";

static void test_de(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "xor %%eax, %%eax; xor %%edx, %%edx; xor %%r8d, %%r8d", "divq %%r8");
    check_kernel_trap("div by zero", n, X86_DE, 0, s, true);
}

static void test_bp(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    TRAP_AT(s, "", "int3");
    check_kernel_trap("int3", n, X86_BP, 0, s, true);
    n = traps_seen();
    TRAP_AT(s, "", ".byte 0xcd, 3");             /* int $3 (GAS would emit int3) */
    check_kernel_trap("int $3", n, X86_BP, 0, s, true);
    n = traps_seen();
    TRAP_AT(s, "", "int $4");
    check_kernel_trap("int $4 (the #OF vector; into is invalid in 64-bit mode)", n, X86_OF,
                      0, s, true);
}

static void test_ud(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "", "ud2");
    check_kernel_trap("ud2", n, X86_UD, 0, s, true);
}

static void test_gp(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "movabs $0x8000000000000000, %%rax", "mov (%%rax), %%rax");
    check_kernel_trap("load from a non-canonical address", n, X86_GP, 0, s, true);
    n = traps_seen();
    FAULT_AT(s, "movabs $0x0000800000000000, %%rax", "movq $1, (%%rax)");
    check_kernel_trap("store to the first non-canonical address", n, X86_GP, 0, s, true);
}

/* A stack-segment reference (base register %rbp) to a non-canonical
 * address is #SS(0), not #GP; %rsp itself stays valid for the frame. */
static void test_ss(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "movabs $0x8000000000000000, %%r8", "mov (%%rbp,%%r8), %%rax");
    if (traps_seen() == n + 1 && trap_last.vector == X86_GP)
        test_info("non-canonical %%rbp-based load: #GP, not #SS: this CPU (QEMU's TCG) "
                  "does not tell them apart, so #SS is not checked");
    else
        check_kernel_trap("non-canonical %rbp-based load", n, X86_SS, 0, s, true);
}

/* The frame goes below the interrupted %rsp (aligned down to 16 first),
 * whatever its alignment; the frame records the unaligned value. */
static void test_odd_stack(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    __asm__ volatile("sub $8, %%rsp\n\t"
                     "lea 1f(%%rip), %0\n\t"
                     "mov %%rsp, %1\n\t"
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"
                     "movabs $" MAGIC_R11 ", %%r11\n\t"
                     "1: ud2\n\t"
                     "2: add $8, %%rsp\n\t" EXTABLE(1b, 2b)
                     : "=&r"(s.rip), "=&r"(s.rsp) : : "rcx", "r11", "memory");
    check_kernel_trap("ud2 with %rsp 8 mod 16", n, X86_UD, 0, s, true);
}

static void test_main(void)
{
    test_info("event mask %u in the kernel: frames must carry it", event_mask());
    test_de();
    test_bp();
    test_ud();
    test_gp();
    test_ss();
    test_odd_stack();
    test_success(NULL);
}

const struct guest_test test_trap_vectors = { "trap_vectors", test_title, test_main };
