/*
 * platform_rules.c: platform_op's decisions (pure; see platform_rules.h).
 *
 * Invariants: every answer is Xen 4.17's for a machine like the one Tern
 * runs on: one physical CPU, no boot-time BIOS probes (EDD, MBR
 * signatures, EDID), no EFI runtime services, no S3 resume path, no
 * extended sleep registers. The caller's request is a copy in hypervisor
 * memory; these functions only read it and fill its OUT fields.
 */
#include "err.h"
#include "platform_rules.h"

int platform_gate(uint32_t interface_version, bool privileged)
{
    if (interface_version != XENPF_INTERFACE_VERSION)
        return -EACCES;
    return privileged ? 0 : -EPERM;
}

/* Only entry 0 exists for the one-entry types. */
static int kbd_shift_flags(struct xenpf_firmware_info *fi, uint8_t flags)
{
    if (fi->index != 0)
        return -ESRCH;
    fi->u.kbd_shift_flags = flags;
    return 0;
}

int firmware_info_answer(struct xenpf_firmware_info *fi, uint8_t flags)
{
    switch (fi->type) {
    case XEN_FW_DISK_INFO:          /* no EDD entries were collected */
    case XEN_FW_DISK_MBR_SIGNATURE: /* nor MBR signatures */
    case XEN_FW_VBEDDC_INFO:        /* nor an EDID block */
        return -ESRCH;
    case XEN_FW_EFI_INFO:           /* Xen without EFI runtime services */
        return -ENOSYS;
    case XEN_FW_KBD_SHIFT_FLAGS:
        return kbd_shift_flags(fi, flags);
    default:
        return -EINVAL;
    }
}

void pcpuinfo_answer(struct xenpf_pcpuinfo *p, uint32_t apic_id, uint32_t acpi_id)
{
    p->max_present = 0;
    if (p->xen_cpuid != 0) {
        p->flags = XEN_PCPU_FLAGS_INVALID;     /* apic_id, acpi_id untouched */
        return;
    }
    p->apic_id = apic_id;
    p->acpi_id = acpi_id;
    p->flags = XEN_PCPU_FLAGS_ONLINE;
}

/* Xen's sanity check: with a PM1b value, both must agree on SLP_EN. */
static bool slp_en_mismatch(const struct xenpf_enter_acpi_sleep *r)
{
    return r->val_b && ((r->val_a ^ r->val_b) & ACPI_PM1_SLP_EN);
}

int acpi_sleep_check(const struct xenpf_enter_acpi_sleep *r, bool has_pm1a)
{
    if (r->sleep_state == ACPI_STATE_S3)
        return -EOPNOTSUPP;                    /* no wakeup vector offered */
    if (r->flags & XENPF_ACPI_SLEEP_EXTENDED)
        return -EPERM;                         /* no sleep control register */
    if (!has_pm1a)
        return -EPERM;
    if (slp_en_mismatch(r) || r->flags)
        return -EINVAL;
    return r->sleep_state == ACPI_STATE_S5 ? 0 : -EINVAL;
}
