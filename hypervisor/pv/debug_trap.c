/*
 * debug_trap.c: the #DB decision and the guest's debug-register rules.
 * Pure: the handler in traps.c reads the CPU state, this file decides.
 *
 * A guest's debug registers stay loaded while the hypervisor runs (as on
 * Xen), so a #DB can reach ring 0 in three ways, none of them a reason to
 * crash (Xen 4.17's do_debug: note it and go on):
 *  - a guest's MOV SS / POP SS delays a data breakpoint (or a single step)
 *    past the syscall, int n or faulting instruction that follows, onto
 *    the first instruction of syscall_entry or of a vector stub;
 *  - a data breakpoint on a guest address the hypervisor reads or writes
 *    (never today: guest memory is reached through the direct map only);
 *  - int1 (icebp) or a stray TF in hypervisor code: a hypervisor bug, but
 *    a harmless one once TF is cleared.
 * The two faults among #DB causes would repeat forever if simply resumed:
 * an instruction breakpoint (disarmed: DR7 is cleared in the CPU, the
 * guest's own copy is reloaded when it next runs) and general detect (the
 * CPU clears DR7.GD itself on delivery). The guest's view is Xen 4.17's:
 * a hypervisor-context #DB is not recorded in its DR6 nor delivered to it.
 * The one state the handler cannot survive is being interrupted on its own
 * stack: the first #DB's frame was overwritten by the second.
 *
 * Rules for what a guest loads (set_debugreg, mov to %drN), as on Xen:
 *  - DR0-3: a guest address (canonical, outside the hypervisor's L4 slots;
 *    breakpoints are at most 8 bytes and aligned to their length, and both
 *    ends of the hypervisor range are 8-aligned, so none can overlap it),
 *    else -EPERM;
 *  - DR6, DR7: bits 63:32 -> -EINVAL (the CPU would #GP in ring 0);
 *    reserved bits forced as the CPU reads them;
 *  - DR7: GD -> -EPERM (the hypervisor's own mov %drN would trap); an
 *    enabled I/O breakpoint (R/W = 10b) -> -EPERM (needs CR4.DE, which a
 *    PV guest does not have).
 */
#include "guest_address.h"
#include "bounce.h"
#include "debug_trap.h"
#include "err.h"

#define DR6_STATUS     (DR6_B(0) | DR6_B(1) | DR6_B(2) | DR6_B(3) | DR6_BD | DR6_BS | DR6_BT)
#define DR6_ZERO       (1ULL << 12)           /* reserved, reads as 0 */
#define DR7_ZERO       ((1ULL << 11) | (1ULL << 12) | (1ULL << 14) | (1ULL << 15))
#define DR7_ENABLES    0xffULL                /* L0 G0 ... L3 G3 */
#define DR7_RW(v, i)   (((v) >> (16 + 4 * (i))) & 3)
#define DR7_RW_EXEC    0
#define DR7_RW_IO      2

/* Breakpoint i matched, was enabled, and is an instruction breakpoint. */
static bool insn_breakpoint_hit(uint64_t dr6, uint64_t dr7, unsigned int i)
{
    return (dr6 & DR6_B(i)) && ((dr7 >> (2 * i)) & 3) && DR7_RW(dr7, i) == DR7_RW_EXEC;
}

static bool any_insn_breakpoint_hit(uint64_t dr6, uint64_t dr7)
{
    for (unsigned int i = 0; i < 4; i++)
        if (insn_breakpoint_hit(dr6, dr7, i))
            return true;
    return false;
}

unsigned int debug_trap_action(const struct db_event *e)
{
    unsigned int act = DB_RESUME;

    if ((e->cs & 3) == 3)                  /* checked first: a guest rsp may */
        return DB_TO_GUEST;                /* point anywhere, our stacks too */
    if (e->on_db_stack)
        return DB_FATAL;
    if (e->rflags & RF_TF)
        act |= DB_CLEAR_TF;
    if (any_insn_breakpoint_hit(e->dr6, e->dr7))
        act |= DB_CLEAR_DR7;
    if (e->entry_point)
        act |= DB_AT_ENTRY;
    return act;
}

bool debug_trap_should_report(uint64_t count)
{
    return count != 0 && (count & (count - 1)) == 0;
}

uint64_t debug_trap_merge_dr6(uint64_t guest_dr6, uint64_t cpu_dr6)
{
    return guest_dr6 | (cpu_dr6 & DR6_STATUS);
}

unsigned int debugreg_index(unsigned int reg)
{
    if (reg == 4 || reg == 5)
        return reg + 2;                    /* aliases of DR6/DR7 without CR4.DE */
    return reg <= 7 ? reg : 8;
}

static int check_dr7(uint64_t val, uint64_t *out)
{
    if (val >> 32)
        return -EINVAL;
    val = (val & ~DR7_ZERO) | DR7_DEFAULT;
    if (val & DR7_GD)
        return -EPERM;
    for (unsigned int i = 0; i < 4 && (val & DR7_ENABLES); i++)
        if (DR7_RW(val, i) == DR7_RW_IO)
            return -EPERM;
    *out = val;
    return 0;
}

int debugreg_check(unsigned int reg, uint64_t val, uint64_t *out)
{
    switch (debugreg_index(reg)) {
    case 0: case 1: case 2: case 3:
        if (!guest_address_ok(val))
            return -EPERM;
        *out = val;
        return 0;
    case 6:
        if (val >> 32)
            return -EINVAL;
        *out = (val | DR6_DEFAULT) & ~DR6_ZERO;
        return 0;
    case 7:
        return check_dr7(val, out);
    default:
        return -ENODEV;
    }
}
