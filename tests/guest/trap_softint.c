/*
 * Test trap_softint: `int n` from guest kernel and guest user mode against
 * the DPL of trap-table entry n.
 *
 * What: vectors 0x40-0x43 installed with DPL 0, 1, 2 and 3, 0x44 and 0x80
 * not installed. From kernel mode (which counts as ring 1 for the check)
 * int $0x40 and int $0x44 raise #GP with error code (n << 3) | 2 at the
 * int instruction; int $0x41, $0x42 and $0x43 reach their handler with RIP
 * after the instruction and no error code. int $13 and int $14 (handlers
 * with DPL 0) raise #GP too. From user mode only DPL 3 is allowed: 0x43
 * reaches its handler (in user context: CS 0xe033) and the process goes
 * on; 0x40-0x42 and 0x80 get #GP (n << 3) | 2. int3 and int $3 reach #BP
 * and int $4 reaches #OF whatever the mode (their entries have DPL 3, as
 * every PV kernel installs them).
 * Then the same rule on the vectors the hypervisor takes interrupts on
 * (0x20 and 0x2f: ISA IRQs 0 and 15; 0xf0, 0xfe, 0xff: the local APIC's
 * timer, error and spurious vectors) and at the edges of the range Tern
 * gives DPL 3 gates (0x30, 0xef, 0xf1, 0xfd): entries 0x20 DPL 3, 0x2f
 * DPL 0, 0x30 DPL 2, 0xef DPL 0, 0xf0 DPL 1, 0xf1 DPL 3, 0xff DPL 3,
 * none for 0xfd and 0xfe. Each int, from kernel mode (through a table of
 * `int $n; ret` stubs) and from user mode, reaches the guest's handler
 * (RIP after the int) exactly when the rule admits it, else #GP
 * (n << 3) | 2 at the int; never the hypervisor's interrupt handler
 * (which would return to the guest after the int with no trap at all).
 * Last, int $0x80 with a DPL 0 entry reaches it from both modes: Xen's
 * own int $0x80 entry checks only that a handler is registered.
 * Why: xen-pv-abi.md 2.6: Xen's own IDT gives every guest vector DPL 0, so
 * the hypervisor must make the DPL check itself; getting it wrong lets user
 * mode call kernel entry points. Tern gives the vectors it never takes a
 * hardware interrupt on DPL 3 gates of their own (desc.c, softint_fast.S)
 * and must answer exactly as the #GP path does; the hypervisor's interrupt
 * vectors must stay DPL 0, or a guest could run its interrupt handlers.
 * Expected (real Xen 4.17): as above.
 */
#include "traptest.h"

static const char test_title[] = "int n against the trap-table DPL, from kernel and user mode";

static unsigned int user_0x43;

/* int $0x43 from user mode is allowed: count it and let the process go on. */
static bool user_softint_hook(struct regs *r)
{
    if (!regs_user_mode(r))
        return false;
    user_0x43++;
    return true;
}

static void install_vectors(void)
{
    struct trap_info t[] = {
        trap_entry(0x40, 0), trap_entry(0x41, 1), trap_entry(0x42, 2), trap_entry(0x43, 3),
        { .address = 0 },
    };

    check_rc("set_trap_table(0x40-0x43 with DPL 0-3)", HYPERVISOR_set_trap_table(t), 0);
}

#define GP_INT(n) (((uint64_t)(n) << 3) | 2)

static void kernel_ints(void)
{
    struct trap_site s;
    uint64_t n;

    n = traps_seen();
    FAULT_AT(s, "", "int $0x40");
    check_kernel_trap("kernel int $0x40 (DPL 0)", n, X86_GP, GP_INT(0x40), s, true);
    n = traps_seen();
    TRAP_AT(s, "", "int $0x41");
    check_kernel_trap("kernel int $0x41 (DPL 1)", n, 0x41, 0, s, true);
    n = traps_seen();
    TRAP_AT(s, "", "int $0x42");
    check_kernel_trap("kernel int $0x42 (DPL 2)", n, 0x42, 0, s, true);
    n = traps_seen();
    TRAP_AT(s, "", "int $0x43");
    check_kernel_trap("kernel int $0x43 (DPL 3)", n, 0x43, 0, s, true);
    n = traps_seen();
    FAULT_AT(s, "", "int $0x44");
    check_kernel_trap("kernel int $0x44 (no handler)", n, X86_GP, GP_INT(0x44), s, true);
    n = traps_seen();
    FAULT_AT(s, "", "int $13");
    check_kernel_trap("kernel int $13 (#GP's entry, DPL 0)", n, X86_GP, GP_INT(13), s, true);
    n = traps_seen();
    FAULT_AT(s, "", "int $14");
    check_kernel_trap("kernel int $14 (#PF's entry, DPL 0)", n, X86_GP, GP_INT(14), s, true);
}

/* A user int that must be refused with #GP (n << 3) | 2 at the int. */
static void user_refused(unsigned int vector, const char *what)
{
    struct probe_run run;

    if (probe_run(PROBE_INT, vector, &run) == 0 && run.reports)
        check_user_kill(what, &run, X86_GP, GP_INT(vector), probe_insn(&run));
}

/* A user int that reaches vector `to` and kills the probe there. */
static void user_reaches(unsigned int action, unsigned int vector, unsigned int to,
                         const char *what)
{
    struct probe_run run;

    if (probe_run(action, vector, &run) == 0 && run.reports)
        check_user_kill(what, &run, to, 0, run.report[1]);
}

static void user_ints(void)
{
    struct probe_run run;

    user_refused(0x40, "user int $0x40 (DPL 0)");
    user_refused(0x41, "user int $0x41 (DPL 1)");
    user_refused(0x42, "user int $0x42 (DPL 2)");
    user_refused(0x80, "user int $0x80 (no handler)");
    user_refused(14, "user int $14 (DPL 0)");
    user_0x43 = 0;
    trap_set_hook(0x43, user_softint_hook);
    if (probe_run(PROBE_INT, 0x43, &run) == 0) {
        check_rc("user int $0x43 (DPL 3): the probe goes on and exits with", run.status, 0);
        check_rc("  ... handler calls from user mode", user_0x43, 1);
        check_true("  ... frame: vector 0x43, RIP after the int, user CS and SS",
                   run.trap.vector == 0x43 && run.trap.rip == run.report[1] &&
                   run.trap.user && (run.trap.cs & 0xffff) == FLAT_USER_CS &&
                   run.trap.ss == FLAT_USER_SS);
    }
    trap_set_hook(0x43, NULL);
    user_reaches(PROBE_INT3, 0, X86_BP, "user int3");
    user_reaches(PROBE_INT, 3, X86_BP, "user int $3");
    user_reaches(PROBE_INT, 4, X86_OF, "user int $4");
}

/* int $n from kernel mode for every n: cd n, ret. A refused one faults at
 * the int and resumes at the ret; an admitted one traps with RIP at it. */
__asm__(".pushsection .text, \"ax\", @progbits\n"
        "    .balign 16\n"
        "softint_kernel_stubs:\n"
        "    .set n, 0\n"
        "    .rept 256\n"
        "1:  .byte 0xcd, n\n"
        "2:  ret\n"
        "    .byte 0x90\n"
        "    .pushsection .ex_table, \"a\"\n"
        "    .balign 8\n"
        "    .quad 1b, 2b\n"
        "    .quad 2b, 2b\n"
        "    .popsection\n"
        "    .set n, n + 1\n"
        "    .endr\n"
        "    .popsection\n");
extern const char softint_kernel_stubs[];

#define NO_ENTRY 0xff
#define NR_EDGES (sizeof(edge_vectors) / sizeof(edge_vectors[0]))

/* The hypervisor's interrupt vectors and the edges of Tern's open range:
 * each entry's DPL (NO_ENTRY: none installed) and whether int n reaches
 * the handler from kernel and from user mode. */
static const struct { uint8_t vector, dpl; bool kernel, user; } edge_vectors[] = {
    { 0x20, 3, true, true },        { 0x2f, 0, false, false },
    { 0x30, 2, true, false },       { 0xef, 0, false, false },
    { 0xf0, 1, true, false },       { 0xf1, 3, true, true },
    { 0xfd, NO_ENTRY, false, false }, { 0xfe, NO_ENTRY, false, false },
    { 0xff, 3, true, true },
    { 0x80, 0, true, true },
};

static void install_edge_vectors(void)
{
    struct trap_info t[NR_EDGES + 1];
    unsigned int n = 0;

    for (unsigned int i = 0; i < NR_EDGES; i++)
        if (edge_vectors[i].dpl != NO_ENTRY)
            t[n++] = trap_entry(edge_vectors[i].vector, edge_vectors[i].dpl);
    t[n] = (struct trap_info){ .address = 0 };
    check_rc("set_trap_table(the hypervisor's vectors and the edges)",
             HYPERVISOR_set_trap_table(t), 0);
}

static void kernel_int(unsigned int vector, bool admitted, const char *what)
{
    const char *stub = softint_kernel_stubs + 4 * vector;
    struct trap_site s = { (uint64_t)(uintptr_t)stub + (admitted ? 2 : 0), 0 };
    uint64_t n = traps_seen();

    __asm__ volatile("call *%0" : : "r"(stub)
                     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
    if (admitted)
        check_kernel_trap(what, n, vector, 0, s, false);
    else
        check_kernel_trap(what, n, X86_GP, GP_INT(vector), s, false);
}

static void edge_what(char *buf, size_t size, const char *mode, unsigned int v,
                      unsigned int dpl)
{
    if (dpl == NO_ENTRY)
        snprintf(buf, size, "%s int $0x%x (no handler)", mode, v);
    else
        snprintf(buf, size, "%s int $0x%x (DPL %u)", mode, v, dpl);
}

static void edge_ints(void)
{
    char what[64];

    install_edge_vectors();
    for (unsigned int i = 0; i < NR_EDGES; i++) {
        unsigned int v = edge_vectors[i].vector, dpl = edge_vectors[i].dpl;

        edge_what(what, sizeof(what), "kernel", v, dpl);
        kernel_int(v, edge_vectors[i].kernel, what);
        edge_what(what, sizeof(what), "user", v, dpl);
        if (edge_vectors[i].user)
            user_reaches(PROBE_INT, v, v, what);
        else
            user_refused(v, what);
    }
}

static void test_main(void)
{
    install_vectors();
    kernel_ints();
    user_ints();
    edge_ints();
    test_success(NULL);
}

const struct guest_test test_trap_softint = { "trap_softint", test_title, test_main };
