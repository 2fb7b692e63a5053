/*
 * Segment selectors and descriptor tables.
 *
 * The hypervisor's own descriptors sit where Xen's do, in the 15th page of
 * the GDT (entries from FIRST_RESERVED_GDT_ENTRY): the 64-bit PV ABI fixes
 * the ring-3 selectors guests use (0xe023, 0xe02b, 0xe033), and a guest may
 * later own GDT pages 0-13. The ring-3 descriptors are ordered so one STAR
 * value serves syscall and sysret: syscall loads CS = 0xe008, SS = 0xe010;
 * sysret loads CS = 0xe023 (+16 for 64-bit: 0xe033) and SS = 0xe02b.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

#define HV_CS          0xe008   /* hypervisor 64-bit code, DPL 0 */
#define HV_DS          0xe010   /* hypervisor data, DPL 0 */
#define RING3_CS32     0xe023   /* guest 32-bit code, DPL 3 (FLAT_RING3_CS32) */
#define RING3_DS       0xe02b   /* guest data/stack, DPL 3 (FLAT_RING3_SS64) */
#define RING3_CS64     0xe033   /* guest 64-bit code, DPL 3 (FLAT_RING3_CS64) */
#define TSS_SEL        0xe040   /* 16-byte system descriptor */
#define LDT_SEL        0xe050   /* 16-byte system descriptor (unused yet) */
#define GDT_HV_ENTRIES 14       /* descriptors in the reserved page we use */

/*
 * IST slots. Every exception that can arrive while the stack pointer is
 * not the hypervisor's own runs on a stack of its own, which the CPU
 * loads whatever the interrupted rsp: NMI and #MC (at any instruction,
 * including the first ones of syscall_entry, which still run on the
 * guest's rsp), #DB (a guest's MOV SS / POP SS delays it onto the first
 * instruction of syscall_entry or of a vector stub) and #DF. Each has its
 * own slot, so none of them can overwrite another's frame; why none of
 * them nests on itself is explained at the top of entry.S.
 */
#define IST_DF         1
#define IST_NMI        2
#define IST_MC         3
#define IST_DB         4
#define NR_IST         4

/* entry.S builds a DPL 3 stub (softint_stubs) for each vector from here
 * up: the lowest one pv/softint.c may open (softint.c checks). */
#define SOFTINT_FIRST_STUB 0x30

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* The IST slot of vector v's gate (0: the current or TSS.rsp0 stack). */
static inline unsigned int ist_for_vector(unsigned int v)
{
    switch (v) {
    case 1:  return IST_DB;
    case 2:  return IST_NMI;
    case 8:  return IST_DF;
    case 18: return IST_MC;
    default: return 0;
    }
}

void arch_init_cpu_tables(void);
/* The guest part of the GDT (entries below FIRST_RESERVED_GDT_ENTRY):
 * clear it all (descs NULL) or set n checked descriptors from first. */
void arch_load_guest_gdt(const uint64_t *descs, unsigned int n);
void arch_set_guest_descriptors(unsigned int first, const uint64_t *descs, unsigned int n);
/* True if va is one of the unmapped guard pages below a hypervisor stack. */
bool is_stack_guard_page(uint64_t va);
/* True if [va, va+len) lies inside one of the hypervisor stacks. */
bool on_hypervisor_stack(uint64_t va, uint64_t len);
/* Give vector's gate back to its DPL 0 stub for good: before any device is
 * programmed to raise it (ioapic.c). A no-op for a closed vector. */
void arch_close_softint_gate(unsigned int vector);
/* True if rip is the first instruction of an IDT vector stub. */
bool is_vector_entry(uint64_t rip);
/* True if va lies inside the stack of IST slot ist (1..NR_IST). */
bool on_ist_stack(unsigned int ist, uint64_t va);
#endif

#endif /* ASM_DESC_H */
