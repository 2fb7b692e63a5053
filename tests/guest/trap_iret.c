/*
 * Test trap_iret: the iret hypercall (#23), kernel to kernel and kernel to
 * user, with honest and with greedy frames.
 *
 * What, kernel to kernel (frame CS RPL 0-2 means "stay in guest kernel
 * mode", RPL 3 "go to user mode"; the bounce frames name a kernel context
 * 0xe030):
 *  - flags 0: execution continues at the frame's RIP with its RSP, and
 *    RAX, RCX, R11 come back from what the stub pushed;
 *  - flags VGCF_in_syscall: RCX and R11 become RIP and RFLAGS instead;
 *  - frames asking for ring 0, 1 or 2 (CS 0xe030-0xe032, SS 0xe028): the
 *    kernel runs on in ring 3 (mov %cs = 0xe033, mov %ss = 0xe02b);
 *  - RFLAGS with IOPL 3: the kernel runs on with IOPL 0 (pushf) and cli
 *    still faults; AC in the frame is kept; IF in the frame sets the
 *    event mask to !IF (how a handler re-enables events atomically);
 *    NT in the frame: what each hypervisor leaves in RFLAGS (info only:
 *    Xen keeps it, Tern's iret_sanitize clears it by design).
 * Selectors of the guest's own GDT: a frame naming its 64-bit code (0x30)
 * and data (0x28) descriptors keeps the kernel running with CS 0x33 and SS
 * 0x2b, as Xen allows (Linux's __USER_CS and __USER_DS), again and again;
 * once update_descriptor has made entry 6 data or not present, or entry
 * 5 not present or code, the same frame is refused with the exception
 * iretq raises (Xen forwards its iretq's fault: #GP with the selector, #NP
 * with it for a descriptor not present, under QEMU for SS too), and taken
 * again once the entry is restored. A code descriptor written into entry 0
 * does not make CS 0 usable: the null selector, #GP 0 (on Tern before the
 * fix, iretq faulted in ring 0). (32-bit code with this RIP above 4 GiB:
 * Xen crashes the domain, Tern gives #GP 0; unit-tested only.) Tern
 * remembers a checked pair (iret_fast.S skips the GDT): a pair remembered
 * across the change would have iretq fault in ring 0, and the machine
 * stop.
 * Kernel to user and back: a probe process started with IOPL 3 and NT in
 * its first frame runs in user mode with CS 0xe033, SS 0xe02b, IF set,
 * IOPL 0 (and cannot cli), and comes back through a system call.
 * Why: xen-pv-abi.md 2.4: the iret frame is the guest's to forge; the
 * hypervisor must never return into ring 0 or hand out I/O privilege.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "iret hypercall: kernel and user returns, sanitized frames";

#define MAGIC_RAX_VAL 0x00ddba11c0ffee00UL

struct iret_in {
    uint64_t flags, cs, rflags, ss;
};

struct iret_out {
    uint64_t rax, rcx, r11, rflags, cs, ss, rsp, rsp_before, rip;
};

/* iret_probe(in, out): an iret hypercall with {in->flags, label, in->cs,
 * in->rflags, current %rsp, in->ss}; at the label, records the registers
 * and clears TF, NT and AC again. */
void iret_probe(const struct iret_in *in, struct iret_out *out);
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .globl iret_probe\n"
    "iret_probe:\n"
    "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "    mov %rsp, %r12\n"
    "    mov %rsi, %r14\n"
    "    lea 1f(%rip), %r13\n"
    "    pushq 24(%rdi)\n"                  /* ss */
    "    push %r12\n"                       /* rsp */
    "    pushq 16(%rdi)\n"                  /* rflags */
    "    pushq 8(%rdi)\n"                   /* cs */
    "    push %r13\n"                       /* rip */
    "    pushq 0(%rdi)\n"                   /* flags */
    "    movabs $" MAGIC_RCX ", %rcx\n"
    "    movabs $" MAGIC_R11 ", %r11\n"
    "    movabs $0x00ddba11c0ffee00, %rax\n"
    "    jmp hypercall_page + 23 * 32\n"
    "1:  pushf\n"
    "    pop %rbx\n"
    "    pushf\n"
    "    andq $~0x44100, (%rsp)\n"          /* TF, NT, AC */
    "    popf\n"
    "    mov %rax, 0(%r14)\n"
    "    mov %rcx, 8(%r14)\n"
    "    mov %r11, 16(%r14)\n"
    "    mov %rbx, 24(%r14)\n"
    "    xor %eax, %eax\n"
    "    mov %cs, %ax\n"
    "    mov %rax, 32(%r14)\n"
    "    mov %ss, %ax\n"
    "    mov %rax, 40(%r14)\n"
    "    mov %rsp, 48(%r14)\n"
    "    mov %r12, 56(%r14)\n"
    "    mov %r13, 64(%r14)\n"
    "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "    ret\n"
    "    .popsection\n");

static struct iret_out do_iret(uint64_t flags, uint64_t cs, uint64_t rflags, uint64_t ss)
{
    struct iret_in in = { flags, cs, rflags, ss };
    struct iret_out out;

    memset(&out, 0, sizeof(out));
    iret_probe(&in, &out);
    return out;
}

#define KERNEL_CS_RPL0 (FLAT_KERNEL_CS & ~3U)    /* how a kernel context is named */

static uint64_t kernel_rflags(void)
{
    return read_rflags() & ~(RFLAGS_IF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC | RFLAGS_TF);
}

static void test_plain(void)
{
    unsigned int mask = event_mask();
    struct iret_out o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags() | (mask ? 0 : RFLAGS_IF),
                                FLAT_KERNEL_SS);

    check_true("flags 0: back at the frame's RIP and RSP", o.rsp == o.rsp_before);
    check_rc("  ... rax from the stub", (long)o.rax, (long)MAGIC_RAX_VAL);
    check_rc("  ... rcx from the stub", (long)o.rcx, (long)MAGIC_RCX_VAL);
    check_rc("  ... r11 from the stub", (long)o.r11, (long)MAGIC_R11_VAL);
    check_hex("  ... CS", o.cs, FLAT_KERNEL_CS);
    o = do_iret(VGCF_in_syscall, KERNEL_CS_RPL0, kernel_rflags() | (mask ? 0 : RFLAGS_IF),
                FLAT_KERNEL_SS);
    check_rc("VGCF_in_syscall: rax from the stub", (long)o.rax, (long)MAGIC_RAX_VAL);
    check_rc("  ... rcx = the frame's RIP", (long)o.rcx, (long)o.rip);
    check_true("  ... r11 = the RFLAGS returned with", o.r11 == o.rflags);
}

/* CS RPL 0, 1 or 2 in the frame all mean "guest kernel mode", which runs in
 * ring 3 whatever the frame asks for. */
static void test_ring0_frame(void)
{
    struct iret_out o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags(), FLAT_KERNEL_SS & ~3U);

    check_true("frame CS 0xe030, SS 0xe028 (ring 0): back in the kernel",
               o.rsp == o.rsp_before);
    check_hex("  ... running with CS", o.cs, FLAT_KERNEL_CS);
    check_hex("  ... and SS", o.ss, FLAT_KERNEL_SS);
    o = do_iret(0, KERNEL_CS_RPL0 | 1, kernel_rflags(), FLAT_KERNEL_SS);
    check_hex("frame CS RPL 1: running with CS", o.cs, FLAT_KERNEL_CS);
    o = do_iret(0, KERNEL_CS_RPL0 | 2, kernel_rflags(), FLAT_KERNEL_SS & ~3U);
    check_hex("frame CS RPL 2, SS RPL 0: running with CS", o.cs, FLAT_KERNEL_CS);
}

static void test_flags(void)
{
    unsigned int mask = event_mask();
    struct trap_site s;
    struct iret_out o;
    uint64_t n;

    o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags() | RFLAGS_IOPL, FLAT_KERNEL_SS);
    check_rc("frame IOPL 3: IOPL after the iret", (long)((o.rflags & RFLAGS_IOPL) >> 12), 0);
    n = traps_seen();
    FAULT_AT(s, "", "cli");
    check_kernel_trap("  ... cli still faults", n, X86_GP, 0, s, true);
    o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags() | RFLAGS_AC, FLAT_KERNEL_SS);
    check_true("frame AC: AC after the iret", o.rflags & RFLAGS_AC);
    o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags() | RFLAGS_NT, FLAT_KERNEL_SS);
    test_info("frame NT: NT after the iret = %lu", (o.rflags & RFLAGS_NT) >> 14);
    check_true("IF is always set architecturally", o.rflags & RFLAGS_IF);
    if (!this_vcpu_info()) {
        test_info("no shared_info: the event mask is not checked");
        return;
    }
    do_iret(0, KERNEL_CS_RPL0, kernel_rflags(), FLAT_KERNEL_SS);
    check_rc("frame IF 0: event mask", event_mask(), 1);
    do_iret(0, KERNEL_CS_RPL0, kernel_rflags() | RFLAGS_IF, FLAT_KERNEL_SS);
    check_rc("frame IF 1: event mask", event_mask(), 0);
    this_vcpu_info()->evtchn_upcall_mask = (uint8_t)mask;
}

/* A probe whose first frame asks for IOPL 3 and NT. */
static int greedy_probe(uint64_t action, uint64_t param, struct probe_run *run)
{
    uint64_t reports = user_report_count, traps = traps_seen();
    int pid = process_spawn("probe", action, param);
    struct regs *first;

    if (pid < 0) {
        test_error("cannot start the probe: %s", rc_name(pid));
        return 0;
    }
    first = process_first_regs(pid);
    first->rflags |= RFLAGS_IOPL | RFLAGS_NT;
    memset(run, 0, sizeof(*run));
    run->status = process_wait(pid);
    run->reports = user_report_count - reports;
    run->traps = traps_seen() - traps;
    for (unsigned int i = 0; i < 3; i++)
        run->report[i] = user_report[i];
    run->trap.vector = trap_last.vector;
    run->trap.error_code = trap_last.error_code;
    run->trap.rip = trap_last.rip;
    run->trap.cs = trap_last.cs;
    run->trap.ss = trap_last.ss;
    run->trap.user = trap_last.user;
    return 1;
}

static void test_user(void)
{
    struct probe_run run;

    if (greedy_probe(PROBE_STATE, 0, &run) && check_rc("user probe: exit status", run.status, 0) &&
        check_rc("  ... reports", (long)run.reports, 1)) {
        check_hex("  ... user CS", (run.report[0] & 0xffff), FLAT_USER_CS);
        check_hex("  ... user SS", (run.report[1] & 0xffff), FLAT_USER_SS);
        check_true("  ... user IF set", run.report[2] & RFLAGS_IF);
        check_rc("  ... user IOPL (asked for 3)", (long)((run.report[2] & RFLAGS_IOPL) >> 12), 0);
        test_info("  ... user NT (asked for 1) = %lu", (run.report[2] & RFLAGS_NT) >> 14);
    }
    if (greedy_probe(PROBE_PRIV, PRIV_CLI, &run))
        check_user_kill("user cli after asking for IOPL 3", &run, X86_GP, 0, probe_insn(&run));
}

/* Linux's GDT entries: 5 __USER_DS, 6 __USER_CS (DPL 3, as the
 * hypervisor leaves them). */
#define GDT_USER_DS  0x00cff3000000ffffUL
#define GDT_USER_CS  0x00affb000000ffffUL

/* iret_refused_probe(in): an iret hypercall to iret_refused_at with in's
 * selectors; 0 if it ran there (the frame was taken), 1 if the kernel got
 * a #GP there instead (gp_hook sends it to iret_refused_gp), 2 if the
 * failsafe callback ran (iret_refused_failsafe). Either refusal resumes on
 * the probe's own stack. */
long iret_refused_probe(const struct iret_in *in);
extern const char iret_refused_at[], iret_refused_gp[], iret_refused_failsafe[];
uint64_t iret_refused_rsp;
__asm__(
    "    .pushsection .text, \"ax\", @progbits\n"
    "    .globl iret_refused_probe, iret_refused_at, iret_refused_gp, iret_refused_failsafe\n"
    "iret_refused_probe:\n"
    "    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "    mov %rsp, iret_refused_rsp(%rip)\n"
    "    mov %rsp, %r12\n"
    "    lea iret_refused_at(%rip), %r13\n"
    "    pushq 24(%rdi)\n"                  /* ss */
    "    push %r12\n"                       /* rsp */
    "    pushq 16(%rdi)\n"                  /* rflags */
    "    pushq 8(%rdi)\n"                   /* cs */
    "    push %r13\n"                       /* rip */
    "    pushq 0(%rdi)\n"                   /* flags */
    "    jmp hypercall_page + 23 * 32\n"
    "iret_refused_at:\n"
    "    xor %eax, %eax\n"
    "    jmp 1f\n"
    "iret_refused_gp:\n"
    "    mov $1, %eax\n"
    "    jmp 1f\n"
    "iret_refused_failsafe:\n"
    "    mov $2, %eax\n"
    "1:  mov iret_refused_rsp(%rip), %rsp\n"
    "    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "    ret\n"
    "    .popsection\n");

static uint64_t refused_vector, refused_error;

/* The refusal: the exception iretq raises, at the frame's RIP and with its
 * CS; the kernel goes on at iret_refused_gp on the flat selectors. */
static bool refused_hook(struct regs *r)
{
    if (r->rip != (uint64_t)(uintptr_t)iret_refused_at)
        return false;
    refused_vector = r->vector;
    refused_error = r->error_code;
    r->rip = (uint64_t)(uintptr_t)iret_refused_gp;
    r->cs = (r->cs & ~0xffffUL) | KERNEL_CS_RPL0;
    r->ss = FLAT_KERNEL_SS;
    return true;
}

static long failsafe_to(void (*entry)(void), uint16_t flags)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_failsafe, .flags = flags,
        .address = (uint64_t)(uintptr_t)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/* An iret with CS cs (check_refused: 0x30), SS 0x28 after the entry at
 * maddr became desc:
 * refused, never taken: the guest gets the exception iretq raises (vector,
 * error) at the frame's RIP, as Xen forwards its iretq's fault (the
 * failsafe callback, caught too, would be a failure); then the entry is
 * made good again. The event mask is kept (frame IF = !mask). */
static void check_refused_cs(const char *what, uint64_t maddr, uint64_t desc, uint64_t good,
                             uint64_t cs, unsigned int vector, uint64_t error)
{
    unsigned int mask = event_mask();
    struct iret_in in = { 0, cs, kernel_rflags() | (mask ? 0 : RFLAGS_IF), 0x28 };
    long how;

    if (!check_rc(what, HYPERVISOR_update_descriptor(maddr, desc), 0))
        return;
    refused_vector = refused_error = ~0UL;
    trap_set_hook(X86_NP, refused_hook);
    trap_set_hook(X86_GP, refused_hook);
    failsafe_to((void (*)(void))iret_refused_failsafe, 0);
    how = iret_refused_probe(&in);
    failsafe_to(failsafe_callback_entry, CALLBACKF_mask_events);
    trap_set_hook(X86_NP, NULL);
    trap_set_hook(X86_GP, NULL);
    if (this_vcpu_info())
        this_vcpu_info()->evtchn_upcall_mask = (uint8_t)mask;
    check_rc("  ... then that iret: 0 taken, 1 an exception, 2 failsafe", how, 1);
    check_rc("  ... the vector", (long)refused_vector, vector);
    check_hex("  ... its error code", refused_error, error);
    check_rc("  ... entry back as it was", HYPERVISOR_update_descriptor(maddr, good), 0);
}

static void check_refused(const char *what, uint64_t maddr, uint64_t desc, uint64_t good,
                          unsigned int vector, uint64_t error)
{
    check_refused_cs(what, maddr, desc, good, 0x30, vector, error);
}

/* The pair taken once is taken again (Tern: without the GDT walk), and
 * an update_descriptor of either entry makes the next iret check afresh. */
static void test_guest_gdt_changed(uint64_t mfn)
{
    uint64_t cs_entry = (mfn << 12) + 6 * 8;
    struct iret_out o;

    do_iret(0, 0x30, kernel_rflags(), 0x28);
    o = do_iret(0, 0x30, kernel_rflags(), 0x28);
    check_hex("the same frame again: CS", o.cs, 0x33);
    check_refused("entry 6 rewritten as data (update_descriptor)", cs_entry, GDT_USER_DS,
                  GDT_USER_CS, X86_GP, 0x30);
    o = do_iret(0, 0x30, kernel_rflags(), 0x28);
    check_hex("entry 6 code again: CS", o.cs, 0x33);
    o = do_iret(0, 0x30, kernel_rflags(), 0x28);
    check_hex("  ... and again", o.cs, 0x33);
    check_refused("entry 6 rewritten as not present", cs_entry, GDT_USER_CS & ~(1UL << 47),
                  GDT_USER_CS, X86_NP, 0x30);
    check_refused("entry 5 rewritten as not present", (mfn << 12) + 5 * 8,
                  GDT_USER_DS & ~(1UL << 47), GDT_USER_DS, X86_NP, 0x28);
    check_refused("entry 5 rewritten as code", (mfn << 12) + 5 * 8, GDT_USER_CS, GDT_USER_DS,
                  X86_GP, 0x28);
    check_refused_cs("entry 0 written as 64-bit code; iret with CS 0 (the null selector)",
                     mfn << 12, GDT_USER_CS, 0, 0, X86_GP, 0);
}

/* A frame naming selectors of our own GDT (CS 0x30 and SS 0x28, RPL 0:
 * stay in kernel mode) is taken as Xen takes it: the kernel runs on with
 * CS 0x33 and SS 0x2b (Linux returns to user mode with these); a flat
 * frame afterwards gives the flat selectors back. */
static void test_guest_gdt(void)
{
    long pfn = page_alloc();
    uint64_t *d, frames[1];
    struct iret_out o;

    if (pfn < 0) {
        test_error("page_alloc: %s", rc_name(pfn));
        return;
    }
    d = pfn_to_virt((uint64_t)pfn);
    memset(d, 0, PAGE_SIZE);
    d[5] = GDT_USER_DS;
    d[6] = GDT_USER_CS;
    frames[0] = pfn_to_mfn((uint64_t)pfn);
    if (check_rc("make the GDT page read-only", pfn_set_readonly((uint64_t)pfn), 0) &&
        check_rc("set_gdt(16 entries: 5 data, 6 64-bit code)", HYPERVISOR_set_gdt(frames, 16), 0)) {
        o = do_iret(0, 0x30, kernel_rflags(), 0x28);
        check_true("frame CS 0x30, SS 0x28 (our GDT): back in the kernel", o.rsp == o.rsp_before);
        check_hex("  ... running with CS", o.cs, 0x33);
        check_hex("  ... and SS", o.ss, 0x2b);
        o = do_iret(0, KERNEL_CS_RPL0, kernel_rflags(), FLAT_KERNEL_SS);
        check_hex("a flat frame again: CS", o.cs, FLAT_KERNEL_CS);
        test_guest_gdt_changed(frames[0]);
        check_rc("set_gdt(NULL, 0)", HYPERVISOR_set_gdt(NULL, 0), 0);
    }
    pfn_set_writable((uint64_t)pfn);
    page_free((uint64_t)pfn);
}

static void test_main(void)
{
    test_plain();
    test_ring0_frame();
    test_flags();
    test_user();
    test_guest_gdt();
    test_success(NULL);
}

const struct guest_test test_trap_iret = { "trap_iret", test_title, test_main };
