/*
 * traps.c: exceptions taken in the hypervisor.
 *
 * An exception raised by a guest (from ring 3) goes to guest_traps.c and
 * on to the guest's own handler. A #DB in ring 0 is one a guest can aim
 * at the hypervisor (debug_trap.c says how and what is done: it is noted
 * and the hypervisor goes on). An NMI is noted and ignored. #DF and #MC
 * are aborts whatever their origin: the interrupted state cannot be
 * trusted, so they are never handed to a guest. Any other exception in
 * ring 0 is a hypervisor bug: it is reported in full (vector, error code, all registers, control registers, a
 * frame-pointer backtrace, the CPU) on every console, whatever console= and
 * loglvl= said, and the CPU halts. The backtrace only follows frame pointers
 * that lie inside a known hypervisor stack, so a corrupt chain ends the
 * trace instead of faulting again.
 */
#include <asm/guest_access.h>
#include "console.h"
#include "cmdline_options.h"
#include "debug_trap.h"
#include "domain.h"
#include "symbols.h"
#include <asm/guest.h>
#include <asm/guest_traps.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/traps.h>

_Static_assert(__builtin_offsetof(struct cpu_regs, vector) == REGS_VECTOR, "regs");
_Static_assert(__builtin_offsetof(struct cpu_regs, error_code) == REGS_ERRCODE, "regs");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "regs");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == REGS_CS, "regs");
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "regs");

#define BACKTRACE_MAX 32

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization",
    "#CP control protection", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "#HV hypervisor injection", "#VC VMM communication",
    "#SX security", "reserved",
};

static unsigned int cpu_id(void)
{
    return cpuid(1, 0).ebx >> 24;            /* initial APIC id */
}

/* One line: "<label>[<address>] function+offset". */
static void show_symbol(const char *label, uint64_t addr)
{
    char name[64];
    uint64_t off;

    if (symbol_lookup(addr, name, sizeof(name), &off))
        printk_level(LOG_ERR, "%s[<%016lx>] %s+%#lx\n", label, addr, name, off);
    else
        printk_level(LOG_ERR, "%s[<%016lx>] (not hypervisor text)\n", label, addr);
}

void show_registers(const struct cpu_regs *r)
{
    printk_level(LOG_ERR, "CPU%u registers:\n", cpu_id());
    printk_level(LOG_ERR, "RIP: %04lx:%016lx  RFLAGS: %016lx\n", r->cs, r->rip, r->rflags);
    show_symbol("RIP is at ", r->rip);
    printk_level(LOG_ERR, "RSP: %04lx:%016lx\n", r->ss, r->rsp);
    printk_level(LOG_ERR, "RAX: %016lx  RBX: %016lx  RCX: %016lx\n", r->rax, r->rbx, r->rcx);
    printk_level(LOG_ERR, "RDX: %016lx  RSI: %016lx  RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk_level(LOG_ERR, "RBP: %016lx  R8:  %016lx  R9:  %016lx\n", r->rbp, r->r8, r->r9);
    printk_level(LOG_ERR, "R10: %016lx  R11: %016lx  R12: %016lx\n", r->r10, r->r11, r->r12);
    printk_level(LOG_ERR, "R13: %016lx  R14: %016lx  R15: %016lx\n", r->r13, r->r14, r->r15);
    printk_level(LOG_ERR, "CR0: %016lx  CR2: %016lx  CR3: %016lx\n",
                 read_cr0(), read_cr2(), read_cr3());
    printk_level(LOG_ERR, "CR4: %016lx\n", read_cr4());
}

void show_backtrace(uint64_t rip, uint64_t rbp)
{
    printk_level(LOG_ERR, "Backtrace (frame pointers):\n");
    show_symbol("  ", rip);
    for (unsigned int depth = 0; depth < BACKTRACE_MAX; depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        if (!rbp || rbp % 8 || !on_hypervisor_stack(rbp, 16))
            break;
        if (!frame[1])
            break;
        show_symbol("  ", frame[1]);
        if (frame[0] <= rbp)                  /* the chain must climb the stack */
            break;
        rbp = frame[0];
    }
    printk_level(LOG_ERR, "End of backtrace\n");
}

static void show_page_fault(uint64_t ec)
{
    printk_level(LOG_ERR, "Page fault at %016lx: %s, %s, %s%s%s\n", read_cr2(),
                 ec & 1 ? "protection violation" : "not present",
                 ec & 2 ? "write" : "read", ec & 4 ? "user" : "supervisor",
                 ec & 8 ? ", reserved bit set" : "", ec & 16 ? ", instruction fetch" : "");
}

extern const struct extable_entry __extable_start[], __extable_end[];

/* A #PF at an instruction of the exception table: resume at its fixup. */
static bool fixup_guest_access(struct cpu_regs *r)
{
    uint64_t fixup = extable_search(__extable_start, __extable_end, r->rip);

    if (fixup)
        r->rip = fixup;
    return fixup != 0;
}

static __noreturn void fatal_exception(const struct cpu_regs *r)
{
    unsigned int v = (unsigned int)r->vector;

    local_irq_disable();
    console_force_on();
    printk_level(LOG_ERR, "FATAL: hypervisor exception on CPU%u: vector %u (%s), "
                 "error code %#lx\n", cpu_id(), v, exception_names[v & 31], r->error_code);
    if (v == 14)
        show_page_fault(r->error_code);
    show_registers(r);
    show_backtrace(r->rip, r->rbp);
    printk_level(LOG_ERR, "FATAL: CPU%u halted\n", cpu_id());
    halt_forever();
}

static uint64_t read_dr6(void)
{
    uint64_t v;

    __asm__ volatile("mov %%dr6, %0" : "=r"(v));
    return v;
}

static uint64_t read_dr7(void)
{
    uint64_t v;

    __asm__ volatile("mov %%dr7, %0" : "=r"(v));
    return v;
}

static bool is_entry_point(uint64_t rip)
{
    return rip == (uint64_t)syscall_entry || rip == (uint64_t)syscall32_entry ||
           is_vector_entry(rip);
}

/* One line per power-of-two count: a guest can repeat this at will. */
static void note_hypervisor_db(const struct cpu_regs *r, const struct db_event *e,
                               unsigned int act)
{
    static uint64_t count;
    char who[24] = "no domain";

    if (!debug_trap_should_report(++count))
        return;
    if (current_domain())
        snprintf(who, sizeof(who), "domain %u", current_domain()->id);
    log_warn("#DB in hypervisor context (%lu so far, %s running): rip %#lx rsp %#lx "
             "dr6 %#lx dr7 %#lx%s%s%s\n", count, who, r->rip, r->rsp, e->dr6, e->dr7,
             act & DB_AT_ENTRY ? ", delayed onto an entry point (MOV SS / POP SS)" : "",
             act & DB_CLEAR_TF ? ", TF cleared" : "",
             act & DB_CLEAR_DR7 ? ", instruction breakpoint: DR7 cleared" : "");
}

/* On the #DB stack (or, from ring 3, already moved to the guest frame by
 * entry.S). The CPU's DR6 is read once and reset at once, so no status
 * bit of this #DB can leak into the next one's. */
static void debug_exception(struct cpu_regs *regs)
{
    struct db_event e = {
        .cs = regs->cs, .rflags = regs->rflags, .dr6 = read_dr6(), .dr7 = read_dr7(),
        .entry_point = is_entry_point(regs->rip),
        .on_db_stack = on_ist_stack(IST_DB, regs->rsp),
    };
    unsigned int act;

    __asm__ volatile("mov %0, %%dr6" : : "r"(DR6_DEFAULT));
    act = debug_trap_action(&e);
    if ((act & DB_FATAL) || ((act & DB_TO_GUEST) && !current_domain()))
        fatal_exception(regs);
    if (act & DB_TO_GUEST) {
        do_guest_debug(regs, e.dr6);
        return;
    }
    if (act & DB_CLEAR_TF)
        regs->rflags &= ~RF_TF;
    if (act & DB_CLEAR_DR7)
        __asm__ volatile("mov %0, %%dr7" : : "r"(0UL));
    note_hypervisor_db(regs, &e, act);
}

/* Only a #DB on its own IST stack survives this: without one the CPU
 * pushes the frame at the non-canonical rsp, faults, and double-faults.
 * Bit 63 flipped, as XTF's XSA-260 test does to the guest's rsp. */
void raise_hypervisor_db_on_bad_stack(void)
{
    __asm__ volatile("mov %%rsp, %%rax\n\t"
                     "btc $63, %%rsp\n\t"
                     ".byte 0xf1\n\t"                 /* int1 (icebp) */
                     "mov %%rax, %%rsp"
                     : : : "rax", "memory", "cc");
}

void do_exception(struct cpu_regs *regs)
{
    cpu_clear_ac();
    switch (regs->vector) {
    case 1:
        debug_exception(regs);
        return;
    case 2:
        log_warn("NMI received on CPU%u (ignored)\n", cpu_id());
        return;
    case 8:
    case 18:
        fatal_exception(regs);
    default:
        break;
    }
    if (regs_from_guest(regs) && current_domain()) {
        do_guest_exception(regs);             /* bounced to the guest's handler */
        return;
    }
    if (regs->vector == 14 && fixup_guest_access(regs))
        return;                               /* a copy through a guest address */
    fatal_exception(regs);
}
