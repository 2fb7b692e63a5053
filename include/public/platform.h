/*
 * platform_op: the machine's own operations, for domain 0. Values and
 * layouts are Xen's (xen/include/public/platform.h). Permission is
 * granted, free of charge, to use, copy, modify and distribute this header
 * for any purpose (MIT licence).
 */
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

#include <stdint.h>
#include <stddef.h>

/*
 * __HYPERVISOR_platform_op (7)
 *   long platform_op(struct xen_platform_op *op);   (IN/OUT)
 *
 * NOTES:
 *  1. The whole struct (136 bytes) is read once: -EFAULT if it cannot be.
 *  2. interface_version must be XENPF_INTERFACE_VERSION, else -EACCES (for
 *     any domain: this is checked before the privilege).
 *  3. Only the privileged domain may call: -EPERM for the others.
 *  4. An unknown cmd gets -ENOSYS.
 *  5. A command that answers writes its part of the union back; the other
 *     fields come back as the caller gave them.
 */
#define XENPF_INTERFACE_VERSION 0x03000001u

/*
 * XENPF_settime32 (17), XENPF_settime64 (62), IN: set the wall clock so
 * that it reads secs.nsecs at system time system_time. Every domain's
 * shared_info wall clock (wc_sec, wc_sec_hi, wc_nsec, under wc_version)
 * changes at once. settime64's mbz must be 0, else -EINVAL. nsecs is not
 * range-checked (it is added in, as on Xen).
 */
#define XENPF_settime32 17
#define XENPF_settime64 62

struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

/*
 * XENPF_firmware_info (50): what the boot firmware told the hypervisor.
 * IN type, index; OUT the union member of the type. Errors: -ESRCH (no
 * such entry: index out of range or nothing recorded), -EINVAL (unknown
 * type), -ENOSYS (XEN_FW_EFI_INFO when not booted with EFI runtime
 * services).
 */
#define XENPF_firmware_info        50
#define XEN_FW_DISK_INFO           1   /* int 13h AH=08/41/48 */
#define XEN_FW_DISK_MBR_SIGNATURE  2   /* MBR offset 0x1b8 */
#define XEN_FW_VBEDDC_INFO         3   /* int 10h AX=4f15 */
#define XEN_FW_EFI_INFO            4
#define XEN_FW_KBD_SHIFT_FLAGS     5   /* int 16h AH=02 */

struct xenpf_firmware_info {
    uint32_t type;                  /* IN */
    uint32_t index;                 /* IN */
    union {                         /* OUT */
        struct {
            uint8_t device;
            uint8_t version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            uint64_t edd_params;    /* guest pointer; first u16 = its size */
        } disk_info;
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            uint64_t edid;          /* guest pointer to 128 bytes */
        } vbeddc_info;
        uint64_t efi_info[4];       /* union xenpf_efi_info: never filled here */
        uint8_t kbd_shift_flags;
    } u;
};

/*
 * XENPF_enter_acpi_sleep (51), IN: enter ACPI sleep state sleep_state
 * with val_a / val_b, the PM1a / PM1b control values the caller computed
 * (SLP_TYP from its \_Sx, SLP_EN set). Only S5 is entered: every domain
 * stops, then their SLP_TYP and SLP_EN bits go into the FADT's PM1
 * control blocks (the registers' other bits are kept: they belong to the
 * hypervisor, which domain 0 cannot read them from); the call does not
 * return. Errors, in this order:
 *   -EOPNOTSUPP  S3 (no wakeup vector is offered);
 *   -EPERM       XENPF_ACPI_SLEEP_EXTENDED (no sleep control register),
 *                or no PM1a control block;
 *   -EINVAL      val_b non-zero and SLP_EN differs between val_a and
 *                val_b; other flags; a state other than S5 (S0, S1, S2,
 *                S4, above S5).
 */
#define XENPF_enter_acpi_sleep     51
#define XENPF_ACPI_SLEEP_EXTENDED  0x00000001u

struct xenpf_enter_acpi_sleep {
    uint16_t val_a;
    uint16_t val_b;
    uint32_t sleep_state;
    uint32_t flags;
};

/*
 * XENPF_get_cpuinfo (55), IN xen_cpuid; OUT max_present (the highest
 * present physical CPU), flags, and for a present CPU its apic_id and
 * acpi_id. A CPU that is not present is not an error: flags is then
 * exactly XEN_PCPU_FLAGS_INVALID and apic_id/acpi_id come back as given.
 */
#define XENPF_get_cpuinfo          55
#define XEN_PCPU_FLAGS_ONLINE      1u
#define XEN_PCPU_FLAGS_INVALID     2u

struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;
    uint32_t max_present;
    uint32_t flags;
    uint32_t apic_id;
    uint32_t acpi_id;
};

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        struct xenpf_firmware_info firmware_info;
        struct xenpf_enter_acpi_sleep enter_acpi_sleep;
        struct xenpf_pcpuinfo pcpu_info;
        uint8_t pad[128];
    } u;
};

_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op size");
_Static_assert(offsetof(struct xen_platform_op, u) == 8, "xen_platform_op.u");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "xenpf_settime64 size");
_Static_assert(offsetof(struct xenpf_settime64, system_time) == 16, "settime64.system_time");
_Static_assert(offsetof(struct xenpf_firmware_info, u) == 8, "firmware_info.u");
_Static_assert(offsetof(struct xenpf_firmware_info, u.disk_info.edd_params) == 16,
               "disk_info.edd_params");
_Static_assert(offsetof(struct xenpf_firmware_info, u.disk_mbr_signature.mbr_signature) == 12,
               "disk_mbr_signature.mbr_signature");
_Static_assert(sizeof(struct xenpf_firmware_info) == 40, "xenpf_firmware_info size");
_Static_assert(sizeof(struct xenpf_enter_acpi_sleep) == 12, "enter_acpi_sleep size");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "xenpf_pcpuinfo size");

#endif /* PUBLIC_PLATFORM_H */
