/* The rules for a guest's software interrupt, `int n` (softint.c, pure). */
#ifndef SOFTINT_H
#define SOFTINT_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen.h>

/* Xen's int $0x80 entry, which checks no DPL (softint.c rule 1). */
#define SOFTINT_INT80 0x80
/* May the guest's int vector enter its handler t (traps[vector]), from
 * guest kernel mode (kernel_mode) or user mode? */
bool softint_permitted(const struct trap_info *t, unsigned int vector, bool kernel_mode);
/* The #GP error code of a refused int n: the IDT entry, not external. */
uint64_t softint_gp_error(unsigned int vector);
/* The length of `int imm8` without prefixes: a DPL 3 gate's frame holds the
 * RIP after it, and a refused one is reported at the int itself. */
#define SOFTINT_INSN_LEN 2
/* Does vector get a DPL 3 gate at boot (desc.c)? Only vectors the
 * hypervisor never takes a hardware interrupt or exception on. */
bool softint_gate_open_at_boot(unsigned int vector);

#endif /* SOFTINT_H */
