/*
 * Tern guest tests: helpers for the trap, CPU-state and process tests
 * (traptest.h).
 */
#include "traptest.h"

int check_hex(const char *what, uint64_t got, uint64_t want)
{
    if (got != want) {
        test_failure("%s = %#lx, expected %#lx", what, got, want);
        return 0;
    }
    printk("  ok   %s = %#lx\n", what, got);
    return 1;
}

uint64_t traps_seen(void)
{
    return trap_last.count;
}

unsigned int event_mask(void)
{
    const struct vcpu_info *vi = this_vcpu_info();

    return vi ? vi->evtchn_upcall_mask : 1;
}

struct trap_info trap_entry(unsigned int vector, unsigned int flags)
{
    return (struct trap_info){
        .vector = (uint8_t)vector, .flags = (uint8_t)flags, .cs = FLAT_KERNEL_CS,
        .address = trap_stub_address(vector),
    };
}

/* The frame's CS, SS and RFLAGS for a kernel context with event mask m,
 * and its alignment (struct regs sits 176 bytes below the 16-byte boundary
 * the hypervisor aligned the interrupted %rsp down to, whether or not the
 * vector has an error code). */
static int check_frame(const char *what, unsigned int m)
{
    int ok = 1;

    if ((trap_last.cs & 0xffff) != (FLAT_KERNEL_CS & ~3U)) {
        test_failure("%s: frame CS %#lx, expected %#x (kernel context: RPL cleared)", what,
                     trap_last.cs & 0xffff, FLAT_KERNEL_CS & ~3U);
        ok = 0;
    }
    if (((trap_last.cs >> 32) & 0xff) != m) {
        test_failure("%s: frame CS bits 32-39 %#lx, expected the event mask %u", what,
                     (trap_last.cs >> 32) & 0xff, m);
        ok = 0;
    }
    if (trap_last.ss != FLAT_KERNEL_SS) {
        test_failure("%s: frame SS %#lx, expected %#x", what, trap_last.ss, FLAT_KERNEL_SS);
        ok = 0;
    }
    if (trap_last.regs_at & 15) {
        test_failure("%s: the bounce frame was not 16-byte aligned (regs at %#lx)", what,
                     trap_last.regs_at);
        ok = 0;
    }
    if (!(trap_last.rflags & 2) || !!(trap_last.rflags & RFLAGS_IF) != !m) {
        test_failure("%s: frame RFLAGS %#lx: bit 1 must be set and IF = !mask (%u)", what,
                     trap_last.rflags, m);
        ok = 0;
    }
    return ok;
}

int check_kernel_trap(const char *what, uint64_t before, unsigned int vector,
                      uint64_t error, struct trap_site site, bool check_magic)
{
    uint64_t n = trap_last.count - before;

    if (n != 1) {
        test_failure("%s: %lu exceptions, expected one (%s)", what, n, trap_name(vector));
        return 0;
    }
    if (trap_last.vector != vector || trap_last.user || trap_last.rip != site.rip ||
        (error != ~0UL && trap_last.error_code != error) ||
        (site.rsp && trap_last.rsp != site.rsp)) {
        test_failure("%s: got vector %lu error %#lx rip %#lx rsp %#lx%s, expected vector %u "
                     "error %#lx rip %#lx rsp %#lx", what, trap_last.vector,
                     trap_last.error_code, trap_last.rip, trap_last.rsp,
                     trap_last.user ? " (user mode)" : "", vector, error, site.rip, site.rsp);
        return 0;
    }
    if (check_magic && (trap_last.rcx != MAGIC_RCX_VAL || trap_last.r11 != MAGIC_R11_VAL)) {
        test_failure("%s: rcx %#lx r11 %#lx in the handler, expected the interrupted "
                     "context's %#lx %#lx", what, trap_last.rcx, trap_last.r11,
                     MAGIC_RCX_VAL, MAGIC_R11_VAL);
        return 0;
    }
    if (!check_frame(what, event_mask()))
        return 0;
    printk("  ok   %s: %s", what, trap_name(vector));
    if (error != ~0UL && (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17))
        printk(", error code %#lx", error);
    printk(" at %#lx\n", site.rip);
    return 1;
}

long probe_run(uint64_t action, uint64_t param, struct probe_run *out)
{
    uint64_t traps = trap_last.count, reports = user_report_count;
    int pid = process_spawn("probe", action, param);

    memset(out, 0, sizeof(*out));
    if (pid < 0) {
        test_error("cannot start the probe process: %s", rc_name(pid));
        return pid;
    }
    out->status = process_wait(pid);
    out->traps = trap_last.count - traps;
    out->trap.vector = trap_last.vector;
    out->trap.error_code = trap_last.error_code;
    out->trap.rip = trap_last.rip;
    out->trap.cs = trap_last.cs;
    out->trap.rflags = trap_last.rflags;
    out->trap.rsp = trap_last.rsp;
    out->trap.ss = trap_last.ss;
    out->trap.cr2 = trap_last.cr2;
    out->trap.user = trap_last.user;
    out->reports = user_report_count - reports;
    for (unsigned int i = 0; i < 3; i++)
        out->report[i] = user_report[i];
    return 0;
}

int check_user_kill(const char *what, const struct probe_run *run, unsigned int vector,
                    uint64_t error, uint64_t rip)
{
    const struct trap_record *t = &run->trap;

    if (run->status != EXIT_KILLED(vector) || !run->traps) {
        test_failure("%s: exit status %d after %lu exceptions, expected to be killed by "
                     "%s (status %d)", what, run->status, run->traps, trap_name(vector),
                     EXIT_KILLED(vector));
        return 0;
    }
    if (t->vector != vector || !t->user || (t->cs & 0xffff) != FLAT_USER_CS ||
        t->ss != FLAT_USER_SS || (error != ~0UL && t->error_code != error) ||
        (rip && t->rip != rip)) {
        test_failure("%s: got vector %lu error %#lx rip %#lx cs %#lx ss %#lx, expected "
                     "vector %u error %#lx rip %#lx from user mode (cs %#x ss %#x)", what,
                     t->vector, t->error_code, t->rip, t->cs, t->ss, vector, error, rip,
                     FLAT_USER_CS, FLAT_USER_SS);
        return 0;
    }
    printk("  ok   %s: killed by %s", what, trap_name(vector));
    if (error != ~0UL)
        printk(", error code %#lx", error);
    printk(" at %#lx\n", t->rip);
    return 1;
}
