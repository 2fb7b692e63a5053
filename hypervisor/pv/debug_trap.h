/*
 * What a #DB means and what the hypervisor does about it (debug_trap.c,
 * pure), and what a guest may load into the debug registers.
 */
#ifndef DEBUG_TRAP_H
#define DEBUG_TRAP_H

#include <asm/rflags.h>
#include "lib.h"

#define DR6_DEFAULT   0xffff0ff0ULL  /* reset value: reserved bits as read */
#define DR6_B(i)      (1ULL << (i))  /* breakpoint i matched */
#define DR6_BD        (1ULL << 13)   /* general detect */
#define DR6_BS        (1ULL << 14)   /* single step */
#define DR6_BT        (1ULL << 15)   /* task switch */
#define DR7_DEFAULT   0x400ULL
#define DR7_GD        (1ULL << 13)

/* The interrupted context of a #DB and the debug state at the time. */
struct db_event {
    uint64_t cs, rflags;     /* from the exception frame */
    uint64_t dr6;            /* as the CPU left it, before the handler resets it */
    uint64_t dr7;            /* as loaded in the CPU (the guest's) */
    bool entry_point;        /* rip is the first instruction of an entry path */
    bool on_db_stack;        /* the interrupted rsp lies on the #DB stack itself */
};

/* What to do, as flags; DB_RESUME (none) = note it and return. */
#define DB_RESUME     0u
#define DB_TO_GUEST   (1u << 0)  /* the guest's own #DB: bounce it to its handler */
#define DB_CLEAR_TF   (1u << 1)  /* clear TF in the interrupted RFLAGS */
#define DB_CLEAR_DR7  (1u << 2)  /* disarm every breakpoint in the CPU */
#define DB_AT_ENTRY   (1u << 3)  /* delayed onto an entry path by a guest's MOV SS */
#define DB_FATAL      (1u << 4)  /* the hypervisor cannot resume: report and halt */

unsigned int debug_trap_action(const struct db_event *e);

/* True for the 1st, 2nd, 4th, 8th... event of a kind: a guest can repeat
 * a hypervisor-context #DB at will, and the log must stay bounded. */
bool debug_trap_should_report(uint64_t count);

/* The guest's virtual DR6 after a #DB of its own: the status bits the CPU
 * set (B0-B3, BD, BS, BT) are added to what it had, as on Xen. */
uint64_t debug_trap_merge_dr6(uint64_t guest_dr6, uint64_t cpu_dr6);

/*
 * set_debugreg (and the emulated mov to %drN): the value to keep for
 * register reg (0-3, 6, 7; 4 and 5 are aliases of 6 and 7), in *out, or
 * -ENODEV (no such register), -EPERM (a value the guest may not use) or
 * -EINVAL (bits 63:32 of DR6/DR7). debugreg_index maps an alias to its
 * register, or returns 8 for one that does not exist.
 */
int debugreg_check(unsigned int reg, uint64_t val, uint64_t *out);
unsigned int debugreg_index(unsigned int reg);

#endif /* DEBUG_TRAP_H */
