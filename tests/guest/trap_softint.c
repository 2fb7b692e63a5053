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
 * Why: xen-pv-abi.md 2.6: Xen's own IDT gives every guest vector DPL 0, so
 * the hypervisor must make the DPL check itself; getting it wrong lets user
 * mode call kernel entry points.
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

static void test_main(void)
{
    install_vectors();
    kernel_ints();
    user_ints();
    test_success(NULL);
}

const struct guest_test test_trap_softint = { "trap_softint", test_title, test_main };
