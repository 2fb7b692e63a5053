/*
 * ACPI table parsing (acpi_tables.c): pure code that finds and checks the
 * RSDP, the RSDT/XSDT, the FADT and the DSDT's \_S5_ package, and turns them
 * into plain structs the power code can act on.
 *
 * Firmware tables are input from outside the hypervisor's trust: every
 * length is bounded, every byte read lies inside a range the caller said was
 * readable, and a table whose checksum or length is wrong is reported and
 * skipped, never used. Memory is reached only through struct acpi_mem, so the
 * same code runs on the direct map and on a unit test's fake memory.
 */
#ifndef ACPI_TABLES_H
#define ACPI_TABLES_H

#include "lib.h"

#define ACPI_RSDP_V1_LEN        20
#define ACPI_RSDP_V2_LEN        36
#define ACPI_RSDP_MAX_LEN       1024        /* far above any real RSDP */
#define ACPI_SDT_HEADER_LEN     36
#define ACPI_SDT_MAX_LEN        (1u << 20)  /* 1 MiB: refuse absurd lengths */

/* Generic Address Structure address spaces we tell apart. */
#define ACPI_GAS_SYSTEM_MEMORY  0
#define ACPI_GAS_SYSTEM_IO      1
#define ACPI_GAS_PCI_CONFIG     2

#define ACPI_FADT_RESET_REG_SUP (1u << 10)  /* FADT flags bit 10 */
#define ACPI_PM1_SLP_TYP_SHIFT  10
#define ACPI_PM1_SLP_TYP_MASK   (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN         (1u << 13)

/*
 * How the parser reads physical memory. map() returns a pointer through which
 * [pa, pa + len) can be read, or NULL when any of it is not readable; the
 * pointer must stay valid until the outermost acpi_* call returns. report()
 * is optional: it is told about each table refused as damaged (sig points at
 * the 4 signature characters, not NUL-terminated, or is NULL when they could
 * not be read), so the caller can log.
 */
struct acpi_mem {
    const void *(*map)(void *ctx, uint64_t pa, uint64_t len);
    void (*report)(void *ctx, uint64_t pa, const char *sig, int err);
    void *ctx;
};

struct acpi_rsdp_info {
    uint8_t revision;       /* 0 for ACPI 1.0, 2 or more for 2.0+ */
    char oem_id[7];         /* NUL-terminated, unprintables replaced by '?' */
    uint32_t rsdt_pa;
    uint64_t xsdt_pa;       /* 0 unless revision >= 2 */
};

/* A validated table: data points at the whole table (header included). */
struct acpi_table {
    uint64_t pa;
    const uint8_t *data;
    uint32_t len;
};

struct acpi_gas {
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
};

struct acpi_fadt_info {
    uint8_t revision;
    uint32_t flags;         /* 0 when the table is too short to hold them */
    uint16_t pm1a_cnt;      /* I/O port; 0 when absent */
    uint16_t pm1b_cnt;      /* I/O port; 0 when absent */
    uint64_t dsdt_pa;       /* 0 when absent */
    bool has_reset;         /* RESET_REG_SUP set and the table covers it */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
};

struct acpi_s5 {
    uint8_t slp_typa;       /* 0..7 */
    uint8_t slp_typb;       /* 0..7 */
};

/*
 * What to write to enter S5. Each value is the SLP_TYP field with SLP_EN
 * set; write value_a to pm1a_cnt and value_b to pm1b_cnt (when non-zero),
 * keeping the register's other bits (acpi_pm1_cnt_merge).
 */
struct acpi_s5_plan {
    uint16_t pm1a_cnt;
    uint16_t pm1b_cnt;      /* 0 when there is no PM1b block */
    uint16_t value_a;
    uint16_t value_b;
};

/* Everything acpi_discover() learns; each has_* says whether its part is
 * valid, and err_fadt / err_plan say why the FADT / the plan is missing. */
struct acpi_power_info {
    struct acpi_rsdp_info rsdp;
    bool has_fadt;
    struct acpi_fadt_info fadt;
    bool has_s5;
    struct acpi_s5 s5;
    bool has_plan;
    struct acpi_s5_plan plan;
    int err_fadt;           /* 0 when has_fadt */
    int err_plan;           /* 0 when has_plan */
};

/* Check an RSDP held in buf, of which avail bytes are readable. */
int acpi_rsdp_parse(const void *buf, size_t avail, struct acpi_rsdp_info *out);

/* Look for a valid RSDP on the 16-byte boundaries of [base, base + len).
 * Returns 0 and fills *out and *pa_out, or -ENOENT. */
int acpi_rsdp_scan(const struct acpi_mem *mem, uint64_t base, uint64_t len,
                   struct acpi_rsdp_info *out, uint64_t *pa_out);

/* Map and check the table at pa: signature (when sig is not NULL), length
 * bounds, readability, checksum. Returns 0, -EINVAL, -EFAULT or -ENOENT
 * (signature differs). */
int acpi_table_map(const struct acpi_mem *mem, uint64_t pa, const char *sig,
                   struct acpi_table *out);

/* Find the first valid table with this signature through the XSDT (when the
 * RSDP offers one) or the RSDT. Damaged candidates are reported and skipped.
 * Returns 0, -ENOENT, or the error of a damaged root table. */
int acpi_find_table(const struct acpi_mem *mem,
                    const struct acpi_rsdp_info *rsdp, const char *sig,
                    struct acpi_table *out);

/* Extract the fields the power code needs from a validated FADT. */
int acpi_fadt_parse(const struct acpi_table *fadt, struct acpi_fadt_info *out);

/* Find Name(_S5_, Package(){a, b, ...}) in AML and decode a and b.
 * Returns 0, -ENOENT (no _S5_), or -EINVAL (malformed or out of range). */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, struct acpi_s5 *out);

/* Combine FADT ports and _S5_ values; -ENODEV without a PM1a_CNT port. */
int acpi_s5_plan(const struct acpi_fadt_info *fadt, const struct acpi_s5 *s5,
                 struct acpi_s5_plan *out);

/* The PM1_CNT value to write: the current one with SLP_TYP/SLP_EN replaced. */
uint16_t acpi_pm1_cnt_merge(uint16_t current, uint16_t value);

/* From a valid RSDP, find the FADT, the DSDT and _S5_ and build the plan.
 * Always fills *out as far as it got; returns 0 when the FADT was found
 * (the plan may still be missing: see err_plan), else err_fadt. */
int acpi_discover(const struct acpi_mem *mem,
                  const struct acpi_rsdp_info *rsdp,
                  struct acpi_power_info *out);

#endif /* ACPI_TABLES_H */
