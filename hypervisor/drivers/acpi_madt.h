/*
 * The ACPI MADT ("APIC" table) parsed into plain numbers (acpi_madt.c,
 * pure): where the local APIC and the I/O APICs are, which processors
 * exist, and how the ISA IRQs 0-15 reach global system interrupts (GSIs).
 *
 * The table comes from firmware and is checked like any other input: its
 * checksum and length by acpi_table_map(), every entry's length by the
 * parser before a byte of it is read. An entry whose layout is broken ends
 * the walk and refuses the whole table (nothing after it can be located);
 * an entry that is well formed but unusable (an override for a bus that is
 * not ISA, a zero address, one I/O APIC too many) is ignored and counted.
 */
#ifndef ACPI_MADT_H
#define ACPI_MADT_H

#include "acpi_tables.h"

#define MADT_MAX_CPUS       64     /* APIC ids remembered; more are counted */
#define MADT_MAX_IOAPICS    8
#define MADT_ISA_IRQS       16

#define APIC_DEFAULT_LAPIC_BASE   0xfee00000u   /* architectural defaults */
#define APIC_DEFAULT_IOAPIC_BASE  0xfec00000u

struct madt_ioapic {
    uint8_t id;
    uint32_t address;       /* physical, non-zero */
    uint32_t gsi_base;      /* first GSI its input 0 carries */
};

/* How one ISA IRQ arrives: identity, high, edge unless an override says. */
struct madt_isa_irq {
    uint32_t gsi;
    bool active_low;
    bool level;
    bool overridden;
};

struct acpi_madt_info {
    uint64_t lapic_base;    /* from the LAPIC address override if present */
    bool lapic_overridden;
    bool pcat_compat;       /* the machine also has the two 8259 PICs */
    unsigned int nr_cpus;   /* enabled or online-capable processors */
    uint32_t cpu_apic_ids[MADT_MAX_CPUS];  /* the first MADT_MAX_CPUS */
    uint32_t cpu_acpi_ids[MADT_MAX_CPUS];  /* their ACPI processor UIDs */
    unsigned int nr_ioapics;
    struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
    struct madt_isa_irq isa[MADT_ISA_IRQS];
    unsigned int nr_overrides;
    unsigned int nr_ignored;  /* well-formed entries that were not usable */
};

/*
 * Parse a validated table (from acpi_table_map or acpi_find_table).
 * Returns 0, or -EINVAL with a one-line reason in *why (a static string).
 */
int acpi_madt_parse(const struct acpi_table *t, struct acpi_madt_info *out,
                    const char **why);

/* Find the MADT through the RSDP's root table and parse it; -ENOENT when
 * there is none, or the error of a damaged table (reported through mem). */
int acpi_madt_find(const struct acpi_mem *mem, const struct acpi_rsdp_info *rsdp,
                   struct acpi_madt_info *out, const char **why);

/* The defaults when there is no (usable) MADT: a local APIC and one I/O
 * APIC at their architectural addresses, ISA IRQs identity-mapped. */
void acpi_madt_defaults(struct acpi_madt_info *out);

/* The machine's MADT as acpi_init() (acpi.c) found it, or the defaults
 * when there was none; *from_firmware says which. Never NULL. */
const struct acpi_madt_info *acpi_madt(bool *from_firmware);

#endif /* ACPI_MADT_H */
