/*
 * Test iopl_user: what the virtual IOPL grants guest user mode, and the
 * guest kernel under VMASST_TYPE_architectural_iopl.
 *
 * What: Xen counts the guest kernel as CPL 1 (CPL 0 with the
 * architectural_iopl assist) and guest user mode as CPL 3; cli, sti, in
 * and out are emulated when that CPL is at most the virtual IOPL, and are
 * #GP(0) otherwise. Checked in probe processes (user mode):
 *  - virtual IOPL 1 and 2 (PHYSDEVOP_set_iopl): user cli, sti, in and out
 *    are each killed by #GP(0) at the instruction;
 *  - virtual IOPL 3: each completes (the process exits 0 with no
 *    exception), and port I/O goes through the same port policy as in
 *    kernel mode: the domain's CMOS index latch 0x70 reads back 0x0b after
 *    an out of 0x0b, the hypervisor's COM1 scratch register 0x3ff reads
 *    all ones after an out of 0x5a, and rflags.IF stays set after cli
 *    (a no-op, as in kernel mode);
 *  - back at IOPL 0, user cli is #GP(0) again.
 * And in the kernel: with VMASST_TYPE_architectural_iopl enabled and the
 * virtual IOPL 0, cli and in complete (CPL 0 <= IOPL 0); disabled again,
 * cli is #GP(0).
 * Why: issue 15: Tern emulated these for the guest kernel only, so a user
 * process of a guest that gave it IOPL 3 (as iopl(3) does in Linux) was
 * killed where Xen lets it run; and it counted the kernel as CPL 1 even
 * under architectural_iopl.
 * Expected (real Xen 4.17, console=com1; XTF's pv-iopl has the same
 * table): as above.
 */
#include "traptest.h"

static const char test_title[] = "virtual IOPL: cli/sti/in/out in user mode, architectural_iopl";

#define COM1_SCR  0x3ff
#define RF_IF     (1UL << 9)

static const char *const insn_names[] = { "cli", "sti", "in", "out" };
static const unsigned int insns[] = { PRIV_CLI, PRIV_STI, PRIV_IN, PRIV_OUT };

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

/* Each of cli, sti, in, out in a probe: killed by #GP(0), or not. */
static void user_insns(unsigned int iopl, bool fault)
{
    struct probe_run run;
    char what[64];

    for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
        snprintf(what, sizeof(what), "IOPL %u: user %s", iopl, insn_names[i]);
        if (probe_run(PROBE_PRIV, insns[i], &run) != 0)
            continue;
        if (fault)
            check_user_kill(what, &run, X86_GP, 0, probe_insn(&run));
        else if (!check_rc(what, run.status, 0))
            test_info("  %lu exceptions, the last vector %lu at %#lx", run.traps,
                      run.trap.vector, run.trap.rip);
    }
}

static void user_ports(void)
{
    struct probe_run run;

    if (probe_run(PROBE_PORTS, 0, &run) != 0)
        return;
    if (!check_rc("IOPL 3: user port I/O between cli and sti", run.status, 0) ||
        !check_rc("  reports", (long)run.reports, 1))
        return;
    check_hex("  in 0x70 after out 0x0b (the domain's CMOS latch)", run.report[0], 0x0b);
    check_hex("  in 0x3ff after out 0x5a (kept by the hypervisor)", run.report[1], 0xff);
    check_true("  rflags.IF still set after cli", (run.report[2] & RF_IF) != 0);
}

static void arch_iopl(void)
{
    struct trap_site s;
    uint64_t n;

    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);
    if (!check_rc("vm_assist(enable, architectural_iopl)",
                  HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0))
        return;
    n = traps_seen();
    FAULT_AT(s, "", "cli");
    check_rc("  kernel cli at IOPL 0 (CPL 0): exceptions", (long)(traps_seen() - n), 0);
    n = traps_seen();
    FAULT_AT(s, "", "inb $0x80, %%al");
    check_rc("  kernel in $0x80 at IOPL 0 (CPL 0): exceptions", (long)(traps_seen() - n), 0);
    check_rc("vm_assist(disable, architectural_iopl)",
             HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0);
    n = traps_seen();
    FAULT_AT(s, "", "cli");
    check_kernel_trap("  kernel cli at IOPL 0 (CPL 1 again)", n, X86_GP, 0, s, true);
}

static void test_main(void)
{
    struct probe_run run;

    for (unsigned int iopl = 1; iopl <= 3; iopl++) {
        if (!check_rc("physdev_op(set_iopl)", set_iopl(iopl), 0))
            return;
        user_insns(iopl, iopl < 3);
    }
    user_ports();
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);
    if (probe_run(PROBE_PRIV, PRIV_CLI, &run) == 0)
        check_user_kill("IOPL 0: user cli", &run, X86_GP, 0, probe_insn(&run));
    arch_iopl();
    test_success(NULL);
}

const struct guest_test test_iopl_user = { "iopl_user", test_title, test_main };
