/*
 * Test trap_frame_edges: bounce and iret frames where a hypervisor's fast
 * path and its general path part ways: on one page, or across a page
 * boundary of the guest kernel stack.
 *
 * What: #BP (int3), #UD (ud2) and #PF (a read of an unmapped address)
 * taken in kernel mode with %rsp 1 KiB above a page boundary (the frame
 * sits in one page) and 16 bytes above it (the frame straddles the
 * boundary): each time the handler sees the vector, the error code, the
 * faulting RIP, the interrupted %rsp, the interrupted RCX and R11 in their
 * frame slots and, for #PF, CR2. Then the iret hypercall from a stack 32
 * bytes above a page boundary (the 72-byte context straddles it) and from
 * 1 KiB above it: execution continues at the frame's RIP with the frame's
 * RSP (the stack it came from) and RAX, RCX and R11 as the stub pushed.
 * Why: Tern writes bounce frames and reads iret contexts with direct
 * stores and loads on its fast paths (arch/x86/trap_fast.S, iret_fast.S),
 * which take a frame on one page only and leave the rest to the C path:
 * both must give the guest the same frames.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "trap and iret frames on one page and across a page boundary";

#define EDGE_PAGES 4
static uint8_t edge_stack[EDGE_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* A page boundary with room below it for the guest's own trap handling. */
static uint64_t boundary(void)
{
    return (uint64_t)(uintptr_t)&edge_stack[(EDGE_PAGES - 1) * PAGE_SIZE];
}

/* An exception at `insn` with %rsp = sp (resumed at the label after it,
 * then the stack switched back); site.rip = resume ? after : at. */
#define EDGE_AT(site, setup, insn, sp, ripref, resume)                    \
    __asm__ volatile(setup "\n\t"                                           \
                     "mov %%rsp, %%r8\n\t"                                  \
                     "mov %2, %%rsp\n\t"                                    \
                     "lea " ripref "(%%rip), %0\n\t"                        \
                     "mov %%rsp, %1\n\t"                                    \
                     "movabs $" MAGIC_RCX ", %%rcx\n\t"                     \
                     "movabs $" MAGIC_R11 ", %%r11\n\t"                     \
                     "1: " insn "\n\t"                                      \
                     "2: mov %%r8, %%rsp\n\t" EXTABLE(resume, 2b)           \
                     : "=&r"((site).rip), "=&r"((site).rsp)                 \
                     : "r"(sp) : "rax", "rcx", "rdx", "r8", "r11", "memory")

static void traps_at(const char *where, uint64_t sp)
{
    struct trap_site s;
    char what[80];
    uint64_t n;

    n = traps_seen();
    EDGE_AT(s, "", "int3", sp, "2f", 2b);
    snprintf(what, sizeof(what), "int3, %s", where);
    check_kernel_trap(what, n, X86_BP, 0, s, true);

    n = traps_seen();
    EDGE_AT(s, "", "ud2", sp, "1f", 1b);
    snprintf(what, sizeof(what), "ud2, %s", where);
    check_kernel_trap(what, n, X86_UD, 0, s, true);

    n = traps_seen();
    EDGE_AT(s, "mov $0x1000, %%eax", "mov (%%rax), %%rax", sp, "1f", 1b);
    snprintf(what, sizeof(what), "read of 0x1000, %s", where);
    if (check_kernel_trap(what, n, X86_PF, 0, s, true))
        check_hex("  ... CR2 in vcpu_info", trap_last.cr2, BAD_VA_UNMAPPED);
}

struct iret_seen {
    uint64_t rax, rcx, r11, rsp_before, rsp_after;
};

/* iret_from(sp, seen): with %rsp = sp, an iret hypercall whose frame
 * returns to the label with the caller's %rsp; records what came back. */
void iret_from(uint64_t sp, struct iret_seen *seen);
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .globl iret_from\n"
    "iret_from:\n"
    "    push %rbx; push %rbp; push %r12; push %r13\n"
    "    mov %rsp, %r12\n"
    "    mov %rsi, %r13\n"
    "    pushf\n"
    "    pop %rbx\n"
    "    andq $~0x200, %rbx\n"              /* IF 0: the iret masks events */
    "    mov %rdi, %rsp\n"
    "    pushq $0xe02b\n"                   /* ss */
    "    push %r12\n"                       /* rsp: back to the caller's stack */
    "    push %rbx\n"                       /* rflags */
    "    pushq $0xe030\n"                   /* cs: stay in kernel mode */
    "    lea 1f(%rip), %rbp\n"
    "    push %rbp\n"                       /* rip */
    "    pushq $0\n"                        /* flags */
    "    movabs $" MAGIC_RCX ", %rcx\n"
    "    movabs $" MAGIC_R11 ", %r11\n"
    "    movabs $0x00ddba11c0ffee00, %rax\n"
    "    jmp hypercall_page + 23 * 32\n"
    "1:  mov %rax, 0(%r13)\n"
    "    mov %rcx, 8(%r13)\n"
    "    mov %r11, 16(%r13)\n"
    "    mov %r12, 24(%r13)\n"
    "    mov %rsp, 32(%r13)\n"
    "    pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "    ret\n"
    "    .popsection\n");

static void iret_at(const char *where, uint64_t sp)
{
    struct iret_seen seen;
    unsigned int mask = event_mask();

    memset(&seen, 0, sizeof(seen));
    iret_from(sp, &seen);                        /* leaves events masked */
    if (this_vcpu_info())
        this_vcpu_info()->evtchn_upcall_mask = (uint8_t)mask;
    test_info("iret, %s: context at %#lx", where, sp - 72);
    check_hex("  ... back on the caller's stack", seen.rsp_after, seen.rsp_before);
    check_hex("  ... rax from the stub", seen.rax, 0x00ddba11c0ffee00UL);
    check_hex("  ... rcx from the stub", seen.rcx, MAGIC_RCX_VAL);
    check_hex("  ... r11 from the stub", seen.r11, MAGIC_R11_VAL);
}

static void test_main(void)
{
    traps_at("frame on one page", boundary() + 1024);
    traps_at("frame across a page boundary", boundary() + 16);
    iret_at("context on one page", boundary() + 1024);
    iret_at("context across a page boundary", boundary() + 32);
    test_success(NULL);
}

const struct guest_test test_trap_frame_edges = { "trap_frame_edges", test_title,
                                                  test_main };
