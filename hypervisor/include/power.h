/*
 * Machine power control: finding the firmware's power-off and reset
 * mechanisms (acpi.c) and using them (power.c).
 *
 * Invariants: acpi_init() runs once, after the direct map covers low memory
 * and the ACPI tables (memory_init); before it, or when it finds nothing,
 * power-off halts and reboot falls back to the non-ACPI methods. Neither
 * machine_restart() nor machine_power_off() ever returns.
 */
#ifndef POWER_H
#define POWER_H

#include "acpi_tables.h"
#include "lib.h"

/*
 * Find the RSDP, the FADT and \_S5_, log what was found, and keep it for
 * power.c. rsdp_copy/len is the copy of the RSDP inside the multiboot2 ACPI
 * tag; NULL (or a damaged copy) means scan the first KiB of the EBDA and
 * 0xe0000-0xfffff. Returns 0 when the FADT was found, else a negative errno.
 */
int acpi_init(const void *rsdp_copy, size_t len);

/* What acpi_init() found, or NULL if it found no RSDP or has not run. */
const struct acpi_power_info *acpi_power_info(void);

/* Reset the machine: keyboard controller, ACPI reset register, triple
 * fault, in that order, each announced on the console. */
void machine_restart(void) __noreturn;

/* True when the FADT gives a PM1a control block (ACPI sleep is possible). */
bool power_has_pm1a(void);

/* Make the next machine_power_off() write these PM1a/PM1b control values
 * (SLP_TYP and SLP_EN; domain 0's XENPF_enter_acpi_sleep) before the
 * hypervisor's own; ignored without a PM1a control block. */
void power_use_dom0_s5(uint16_t val_a, uint16_t val_b);

/* Enter ACPI S5; if that is impossible or has no effect, say why and halt
 * this CPU with interrupts off. */
void machine_power_off(void) __noreturn;

#endif /* POWER_H */
