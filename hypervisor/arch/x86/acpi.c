/*
 * acpi.c: locate the firmware's ACPI tables on a PC and keep what the power
 * code and the interrupt controllers need (FADT, \_S5_, MADT). The parsing
 * itself is acpi_tables.c and acpi_madt.c (pure); this file supplies the PC
 * specifics: where the RSDP may be, and reading physical memory through the
 * direct map.
 *
 * Invariants: only physical ranges for which phys_is_mapped() holds are
 * read; the state is written once, by acpi_init(), and read-only afterwards;
 * a damaged table is logged and ignored, never used.
 */
#include "acpi_madt.h"
#include "acpi_tables.h"
#include "console.h"
#include "err.h"
#include "directmap.h"
#include "power.h"

#define BDA_EBDA_SEGMENT    0x40e       /* BIOS data area: EBDA segment */
#define EBDA_SCAN_LEN       1024
#define EBDA_LOWEST         0x400       /* below it lie the IVT and the BDA */
#define EBDA_END            0xa0000     /* conventional memory ends here */
#define BIOS_AREA_BASE      0xe0000
#define BIOS_AREA_LEN       0x20000

static struct acpi_power_info acpi_info;
static bool acpi_info_valid;
static struct acpi_madt_info madt_info;
static bool madt_valid;

static const void *direct_map(void *ctx, uint64_t pa, uint64_t len)
{
    (void)ctx;
    return phys_is_mapped(pa, len) ? phys_to_virt(pa) : NULL;
}

static void report_damaged(void *ctx, uint64_t pa, const char *sig, int err)
{
    (void)ctx;
    if (sig)
        log_warn("ACPI: ignoring damaged %.4s table at %#lx (error %d)\n",
                 sig, pa, err);
    else
        log_warn("ACPI: ignoring unreadable table at %#lx (error %d)\n",
                 pa, err);
}

static const struct acpi_mem direct_mem = {
    .map = direct_map,
    .report = report_damaged,
    .ctx = NULL,
};

/* The EBDA's base from the BIOS data area, or 0 when there is no sane one
 * (UEFI machines often leave the word zero). */
static uint64_t ebda_base(void)
{
    const uint8_t *seg;
    uint64_t base;

    if (!phys_is_mapped(BDA_EBDA_SEGMENT, 2))
        return 0;
    seg = phys_to_virt(BDA_EBDA_SEGMENT);
    base = (uint64_t)(seg[0] | seg[1] << 8) << 4;
    if (base < EBDA_LOWEST || base >= EBDA_END)
        return 0;
    return base;
}

static int scan_legacy_areas(struct acpi_rsdp_info *rsdp, const char **where)
{
    uint64_t ebda = ebda_base();
    uint64_t pa;

    if (ebda != 0 && acpi_rsdp_scan(&direct_mem, ebda, EBDA_SCAN_LEN,
                                    rsdp, &pa) == 0) {
        *where = "EBDA";
        return 0;
    }
    if (acpi_rsdp_scan(&direct_mem, BIOS_AREA_BASE, BIOS_AREA_LEN,
                       rsdp, &pa) == 0) {
        *where = "BIOS area";
        return 0;
    }
    return -ENOENT;
}

/* The boot loader's copy is the better source (it also works on UEFI
 * machines, which have no legacy areas); scan only without a sound one. */
static int find_rsdp(const void *copy, size_t len, struct acpi_rsdp_info *rsdp,
                     const char **where)
{
    if (copy) {
        if (acpi_rsdp_parse(copy, len, rsdp) == 0) {
            *where = "boot loader";
            return 0;
        }
        log_warn("ACPI: the boot loader's RSDP copy is damaged; scanning "
                 "the BIOS areas instead\n");
    }
    return scan_legacy_areas(rsdp, where);
}

static const char *yes_no(bool b)
{
    return b ? "yes" : "no";
}

static void log_findings(const struct acpi_power_info *ai, const char *where)
{
    log_info("ACPI: RSDP revision %u from %s, OEM '%s': FADT %s, S5 %s, "
             "reset register %s\n", ai->rsdp.revision, where, ai->rsdp.oem_id,
             yes_no(ai->has_fadt), yes_no(ai->has_plan),
             yes_no(ai->has_fadt && ai->fadt.has_reset));
    if (ai->has_fadt)
        log_debug("ACPI: FADT revision %u, flags %#x, DSDT at %#lx\n",
                  ai->fadt.revision, ai->fadt.flags, ai->fadt.dsdt_pa);
    if (!ai->has_fadt)
        log_warn("ACPI: no usable FADT (error %d): power-off will not "
                 "work\n", ai->err_fadt);
    else if (!ai->has_plan)
        log_warn("ACPI: no usable \\_S5_ power-off data (error %d): "
                 "power-off will not work\n", ai->err_plan);
    else
        log_debug("ACPI: S5 writes %#x to PM1a_CNT %#x, %#x to PM1b_CNT %#x\n",
                  ai->plan.value_a, ai->plan.pm1a_cnt, ai->plan.value_b,
                  ai->plan.pm1b_cnt);
}

static void log_madt(const struct acpi_madt_info *m)
{
    log_info("ACPI: MADT: local APIC at %#lx, %u CPU%s, %u I/O APIC%s, "
             "%u ISA override%s, %s\n", m->lapic_base, m->nr_cpus,
             m->nr_cpus == 1 ? "" : "s", m->nr_ioapics, m->nr_ioapics == 1 ? "" : "s",
             m->nr_overrides, m->nr_overrides == 1 ? "" : "s",
             m->pcat_compat ? "8259 PICs present" : "no 8259 PICs");
    for (unsigned int i = 0; i < m->nr_ioapics; i++)
        log_debug("ACPI: I/O APIC %u (id %u) at %#x, GSIs from %u\n", i,
                  m->ioapics[i].id, m->ioapics[i].address, m->ioapics[i].gsi_base);
    if (m->nr_ignored)
        log_warn("ACPI: MADT: %u unusable entr%s ignored\n", m->nr_ignored,
                 m->nr_ignored == 1 ? "y" : "ies");
}

static void find_madt(const struct acpi_rsdp_info *rsdp)
{
    const char *why;

    if (acpi_madt_find(&direct_mem, rsdp, &madt_info, &why) == 0) {
        madt_valid = true;
        log_madt(&madt_info);
    } else {
        log_warn("ACPI: no usable MADT (%s): the APICs are assumed at their "
                 "architectural addresses\n", why);
    }
}

const struct acpi_madt_info *acpi_madt(bool *from_firmware)
{
    *from_firmware = madt_valid;
    if (!madt_valid)
        acpi_madt_defaults(&madt_info);
    return &madt_info;
}

int acpi_init(const void *rsdp_copy, size_t len)
{
    struct acpi_rsdp_info rsdp;
    const char *where = "";
    int err;

    err = find_rsdp(rsdp_copy, len, &rsdp, &where);
    if (err != 0) {
        log_warn("ACPI: no RSDP found: power-off will not work, reboot "
                 "uses legacy methods only, the APICs are assumed at their "
                 "architectural addresses\n");
        return err;
    }
    err = acpi_discover(&direct_mem, &rsdp, &acpi_info);
    acpi_info_valid = true;
    log_findings(&acpi_info, where);
    find_madt(&rsdp);
    return err;
}

const struct acpi_power_info *acpi_power_info(void)
{
    return acpi_info_valid ? &acpi_info : NULL;
}
