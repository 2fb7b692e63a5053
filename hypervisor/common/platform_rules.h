/*
 * platform_op's decisions (platform_rules.c, pure): who may call, the
 * answers of firmware_info and get_cpuinfo, and which ACPI sleep requests
 * are honoured (settime's arithmetic is wallclock.c's). platform_op.c
 * copies the request in and the answer out, and does what they decide.
 */
#ifndef PLATFORM_RULES_H
#define PLATFORM_RULES_H

#include "acpi_tables.h"
#include "lib.h"
#include <public/platform.h>

#define ACPI_STATE_S3 3u
#define ACPI_STATE_S5 5u
#define PLATFORM_NO_ACPI_ID 0xffffffffu   /* no MADT entry names the CPU */

/* NOTES 2 and 3 of platform.h: -EACCES for a wrong interface version
 * (checked first, for any domain), -EPERM for an unprivileged caller. */
int platform_gate(uint32_t interface_version, bool privileged);

/* firmware_info for a machine whose firmware told nothing (no EDD, no MBR
 * signatures, no EDID, no EFI): fills fi->u for the one type answered.
 * Returns 0, -ESRCH, -EINVAL or -ENOSYS (platform.h). */
int firmware_info_answer(struct xenpf_firmware_info *fi, uint8_t kbd_shift_flags);

/* get_cpuinfo on a machine where physical CPU 0 alone is present and
 * online, with these ids: fills p's OUT fields. */
void pcpuinfo_answer(struct xenpf_pcpuinfo *p, uint32_t apic_id, uint32_t acpi_id);

/* 0 when r asks for S5 and may be honoured on a machine with (has_pm1a)
 * or without a PM1a control block; else the error (platform.h's order). */
int acpi_sleep_check(const struct xenpf_enter_acpi_sleep *r, bool has_pm1a);

#endif /* PLATFORM_RULES_H */
