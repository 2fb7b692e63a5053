/*
 * acpi_tables.c: find and check ACPI tables, extract what power-off and
 * reset need. Pure: memory is read only through struct acpi_mem.
 *
 * Invariants:
 *  - no byte is read outside a range that acpi_mem.map() accepted, or outside
 *    the caller's buffer; every offset is compared with the length first;
 *  - a table is used only after its signature, length (36 bytes to 1 MiB)
 *    and checksum have been checked; a damaged one is reported and skipped;
 *  - multi-byte fields are read byte by byte, little-endian, so firmware
 *    tables at any alignment are read without undefined behaviour;
 *  - a truncated table, package or AML operand is refused with -EINVAL.
 */
#include "acpi_tables.h"
#include "err.h"

/* RSDP field offsets. */
#define RSDP_SIG            0
#define RSDP_OEM_ID         9
#define RSDP_REVISION       15
#define RSDP_RSDT           16
#define RSDP_LENGTH         20
#define RSDP_XSDT           24

/* System description table header field offsets. */
#define SDT_LENGTH          4
#define SDT_REVISION        8

/* FADT field offsets; an ACPI 1.0 FADT ends right after the flags. */
#define FADT_DSDT           40
#define FADT_PM1A_CNT       64
#define FADT_PM1B_CNT       68
#define FADT_FLAGS          112
#define FADT_MIN_LEN        116
#define FADT_RESET_REG      116
#define FADT_RESET_VALUE    128
#define FADT_X_DSDT         140
#define FADT_X_PM1A_CNT     172
#define FADT_X_PM1B_CNT     184
#define GAS_LEN             12

/* AML encodings used by Name(_S5_, Package(){...}). */
#define AML_ZERO_OP         0x00
#define AML_ONE_OP          0x01
#define AML_NAME_OP         0x08
#define AML_BYTE_PREFIX     0x0a
#define AML_WORD_PREFIX     0x0b
#define AML_DWORD_PREFIX    0x0c
#define AML_QWORD_PREFIX    0x0e
#define AML_PACKAGE_OP      0x12
#define AML_ROOT_CHAR       0x5c
#define AML_ONES_OP         0xff
#define SLP_TYP_MAX         7

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

/* ACPI checksums make all bytes of the structure sum to zero mod 256. */
static bool checksum_ok(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

static const uint8_t *mem_map(const struct acpi_mem *mem, uint64_t pa,
                              uint64_t len)
{
    if (len == 0 || range_wraps(pa, len))
        return NULL;
    return mem->map(mem->ctx, pa, len);
}

static void mem_report(const struct acpi_mem *mem, uint64_t pa,
                       const char *sig, int err)
{
    if (mem->report)
        mem->report(mem->ctx, pa, sig, err);
}

/* The OEM id ends up in log lines: keep it printable and terminated. */
static void copy_oem_id(char *dst, const uint8_t *src)
{
    for (size_t i = 0; i < 6; i++)
        dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
    dst[6] = '\0';
}

/* ---- RSDP ---------------------------------------------------------------- */

/* The 2.0+ part: a length we can trust and the extended checksum. */
static int rsdp_check_v2(const uint8_t *p, size_t avail)
{
    uint32_t len;

    if (avail < ACPI_RSDP_V2_LEN)
        return -EINVAL;
    len = get_u32(p + RSDP_LENGTH);
    if (len < ACPI_RSDP_V2_LEN || len > ACPI_RSDP_MAX_LEN || len > avail)
        return -EINVAL;
    return checksum_ok(p, len) ? 0 : -EINVAL;
}

int acpi_rsdp_parse(const void *buf, size_t avail, struct acpi_rsdp_info *out)
{
    const uint8_t *p = buf;
    uint8_t revision;
    int err;

    if (!p || avail < ACPI_RSDP_V1_LEN)
        return -EINVAL;
    if (memcmp(p + RSDP_SIG, "RSD PTR ", 8) != 0 ||
        !checksum_ok(p, ACPI_RSDP_V1_LEN))
        return -EINVAL;
    revision = p[RSDP_REVISION];
    if (revision >= 2 && (err = rsdp_check_v2(p, avail)) != 0)
        return err;

    out->revision = revision;
    copy_oem_id(out->oem_id, p + RSDP_OEM_ID);
    out->rsdt_pa = get_u32(p + RSDP_RSDT);
    out->xsdt_pa = revision >= 2 ? get_u64(p + RSDP_XSDT) : 0;
    return 0;
}

/*
 * Map a scan candidate as far as it claims to extend, so that
 * acpi_rsdp_parse() sees every byte it will check. Returns the readable
 * length, or 0 when the candidate is not an RSDP worth parsing.
 */
static size_t rsdp_map_candidate(const struct acpi_mem *mem, uint64_t pa,
                                 const uint8_t **p)
{
    uint32_t len;

    *p = mem_map(mem, pa, ACPI_RSDP_V1_LEN);
    if (!*p || memcmp(*p, "RSD PTR ", 8) != 0)
        return 0;
    if ((*p)[RSDP_REVISION] < 2)
        return ACPI_RSDP_V1_LEN;
    *p = mem_map(mem, pa, ACPI_RSDP_V2_LEN);
    if (!*p)
        return 0;
    len = get_u32(*p + RSDP_LENGTH);
    if (len < ACPI_RSDP_V2_LEN || len > ACPI_RSDP_MAX_LEN)
        return 0;
    *p = mem_map(mem, pa, len);
    return *p ? len : 0;
}

int acpi_rsdp_scan(const struct acpi_mem *mem, uint64_t base, uint64_t len,
                   struct acpi_rsdp_info *out, uint64_t *pa_out)
{
    uint64_t end = base + len;
    const uint8_t *p;
    size_t avail;

    if (range_wraps(base, len) || base > UINT64_MAX - 15)
        return -ENOENT;
    /* The specification puts the RSDP on a 16-byte boundary, wholly
     * (its 1.0 part at least) inside the area searched. */
    for (uint64_t pa = ALIGN_UP(base, 16);
         pa < end && end - pa >= ACPI_RSDP_V1_LEN; pa += 16) {
        avail = rsdp_map_candidate(mem, pa, &p);
        if (avail && acpi_rsdp_parse(p, avail, out) == 0) {
            *pa_out = pa;
            return 0;
        }
    }
    return -ENOENT;
}

/* ---- System description tables ------------------------------------------ */

int acpi_table_map(const struct acpi_mem *mem, uint64_t pa, const char *sig,
                   struct acpi_table *out)
{
    const uint8_t *p;
    uint32_t len;

    p = mem_map(mem, pa, ACPI_SDT_HEADER_LEN);
    if (!p)
        return -EFAULT;
    if (sig && memcmp(p, sig, 4) != 0)
        return -ENOENT;
    len = get_u32(p + SDT_LENGTH);
    if (len < ACPI_SDT_HEADER_LEN || len > ACPI_SDT_MAX_LEN)
        return -EINVAL;
    /* A length running past readable memory means a truncated table. */
    p = mem_map(mem, pa, len);
    if (!p || !checksum_ok(p, len))
        return -EINVAL;

    out->pa = pa;
    out->data = p;
    out->len = len;
    return 0;
}

/* The XSDT when the RSDP offers one and it is sound, else the RSDT. */
static int root_table(const struct acpi_mem *mem,
                      const struct acpi_rsdp_info *rsdp,
                      struct acpi_table *root, size_t *entry_size)
{
    int err;

    if (rsdp->revision >= 2 && rsdp->xsdt_pa != 0) {
        err = acpi_table_map(mem, rsdp->xsdt_pa, "XSDT", root);
        if (err == 0) {
            *entry_size = 8;
            return 0;
        }
        mem_report(mem, rsdp->xsdt_pa, "XSDT", err);
    }
    if (rsdp->rsdt_pa == 0)
        return -ENOENT;
    err = acpi_table_map(mem, rsdp->rsdt_pa, "RSDT", root);
    if (err != 0) {
        mem_report(mem, rsdp->rsdt_pa, "RSDT", err);
        return err;
    }
    *entry_size = 4;
    return 0;
}

/* One root-table entry: 0 if it is the wanted table and sound, -ENOENT if
 * it is some other table (not our business to check), else its damage. */
static int try_entry(const struct acpi_mem *mem, uint64_t pa, const char *sig,
                     struct acpi_table *out)
{
    const uint8_t *p;
    int err;

    if (pa == 0)
        return -ENOENT;
    p = mem_map(mem, pa, 4);
    if (!p) {
        mem_report(mem, pa, NULL, -EFAULT);
        return -EFAULT;
    }
    if (memcmp(p, sig, 4) != 0)
        return -ENOENT;
    err = acpi_table_map(mem, pa, sig, out);
    if (err != 0)
        mem_report(mem, pa, sig, err);
    return err;
}

int acpi_find_table(const struct acpi_mem *mem,
                    const struct acpi_rsdp_info *rsdp, const char *sig,
                    struct acpi_table *out)
{
    struct acpi_table root;
    size_t entry_size, count;
    const uint8_t *e;
    uint64_t pa;
    int err;

    err = root_table(mem, rsdp, &root, &entry_size);
    if (err != 0)
        return err;
    /* Trailing bytes that do not make a whole entry are ignored. */
    count = (root.len - ACPI_SDT_HEADER_LEN) / entry_size;
    for (size_t i = 0; i < count; i++) {
        e = root.data + ACPI_SDT_HEADER_LEN + i * entry_size;
        pa = entry_size == 8 ? get_u64(e) : get_u32(e);
        if (try_entry(mem, pa, sig, out) == 0)
            return 0;
    }
    return -ENOENT;
}

/* ---- FADT ---------------------------------------------------------------- */

static bool table_covers(const struct acpi_table *t, size_t off, size_t n)
{
    return off <= t->len && n <= t->len - off;
}

static void read_gas(const uint8_t *p, struct acpi_gas *g)
{
    g->space_id = p[0];
    g->bit_width = p[1];
    g->bit_offset = p[2];
    g->access_size = p[3];
    g->address = get_u64(p + 4);
}

/* A PM1 control port: the 2.0+ X_ field when present, usable (system I/O,
 * a 16-bit port) and covered by the table, else the 1.0 field. */
static uint16_t pm1_cnt_port(const struct acpi_table *t, size_t off32,
                             size_t off_x)
{
    struct acpi_gas g;
    uint32_t port;

    if (table_covers(t, off_x, GAS_LEN)) {
        read_gas(t->data + off_x, &g);
        if (g.address != 0 && g.address <= UINT16_MAX &&
            g.space_id == ACPI_GAS_SYSTEM_IO)
            return (uint16_t)g.address;
    }
    port = get_u32(t->data + off32);
    return port <= UINT16_MAX ? (uint16_t)port : 0;
}

static uint64_t fadt_dsdt(const struct acpi_table *t)
{
    uint64_t x_dsdt = 0;

    if (table_covers(t, FADT_X_DSDT, 8))
        x_dsdt = get_u64(t->data + FADT_X_DSDT);
    return x_dsdt != 0 ? x_dsdt : get_u32(t->data + FADT_DSDT);
}

/* The reset register counts only if the table holds it and says so. */
static void fadt_reset(const struct acpi_table *t, struct acpi_fadt_info *out)
{
    out->has_reset = false;
    if (!table_covers(t, FADT_RESET_REG, GAS_LEN + 1) ||
        !(out->flags & ACPI_FADT_RESET_REG_SUP))
        return;
    read_gas(t->data + FADT_RESET_REG, &out->reset_reg);
    out->reset_value = t->data[FADT_RESET_VALUE];
    out->has_reset = out->reset_reg.address != 0;
}

int acpi_fadt_parse(const struct acpi_table *fadt, struct acpi_fadt_info *out)
{
    if (!fadt->data || fadt->len < FADT_MIN_LEN ||
        memcmp(fadt->data, "FACP", 4) != 0)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    out->revision = fadt->data[SDT_REVISION];
    out->flags = get_u32(fadt->data + FADT_FLAGS);
    out->pm1a_cnt = pm1_cnt_port(fadt, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
    out->pm1b_cnt = pm1_cnt_port(fadt, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
    out->dsdt_pa = fadt_dsdt(fadt);
    fadt_reset(fadt, out);
    return 0;
}

/* ---- AML: Name(_S5_, Package(){SLP_TYPa, SLP_TYPb, ...}) ------------------ */

/* True if a NameOp (optionally with a root prefix) names _S5_ at aml[i]
 * and a PackageOp follows. The first byte is tested before the call: this
 * runs at every byte of the DSDT, and memcmp at each was 0.07 M of the boot. */
static bool is_s5_name(const uint8_t *aml, size_t len, size_t i)
{
    if (i < 1 || i > len || len - i < 5 || aml[i] != '_')
        return false;
    if (memcmp(aml + i, "_S5_", 4) != 0 || aml[i + 4] != AML_PACKAGE_OP)
        return false;
    if (aml[i - 1] == AML_NAME_OP)
        return true;
    return i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP;
}

/*
 * PkgLength: bits 7-6 of the lead byte count the bytes that follow (0-3).
 * With none, bits 5-0 are the length; otherwise bits 3-0 are its low nibble,
 * bits 5-4 must be zero, and each following byte adds 8 higher bits.
 */
static int aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *value,
                          size_t *used)
{
    size_t extra;
    uint32_t v;

    if (avail < 1)
        return -EINVAL;
    extra = (size_t)(p[0] >> 6);
    if (extra == 0) {
        *value = p[0] & 0x3fu;
        *used = 1;
        return 0;
    }
    if ((p[0] & 0x30) != 0 || avail - 1 < extra)
        return -EINVAL;
    v = p[0] & 0x0fu;
    for (size_t k = 0; k < extra; k++)
        v |= (uint32_t)p[1 + k] << (4 + 8 * k);
    *value = v;
    *used = 1 + extra;
    return 0;
}

/* Bytes of immediate data after an integer opcode, or -1 if not one. */
static int aml_integer_size(uint8_t op)
{
    switch (op) {
    case AML_ZERO_OP:
    case AML_ONE_OP:
    case AML_ONES_OP:       return 0;
    case AML_BYTE_PREFIX:   return 1;
    case AML_WORD_PREFIX:   return 2;
    case AML_DWORD_PREFIX:  return 4;
    case AML_QWORD_PREFIX:  return 8;
    default:                return -1;
    }
}

/* Decode one integer element in aml[*pos, end) and step past it. */
static int aml_integer(const uint8_t *aml, size_t end, size_t *pos,
                       uint64_t *value)
{
    uint8_t op;
    int size;
    uint64_t v = 0;

    if (*pos >= end)
        return -EINVAL;
    op = aml[*pos];
    size = aml_integer_size(op);
    if (size < 0 || end - *pos - 1 < (size_t)size)
        return -EINVAL;
    if (size == 0)
        v = op == AML_ONES_OP ? UINT64_MAX : op;
    for (int k = size - 1; k >= 0; k--)
        v = v << 8 | aml[*pos + 1 + (size_t)k];
    *pos += 1 + (size_t)size;
    *value = v;
    return 0;
}

static int aml_slp_typ(const uint8_t *aml, size_t end, size_t *pos,
                       uint8_t *typ)
{
    uint64_t v;
    int err = aml_integer(aml, end, pos, &v);

    if (err != 0)
        return err;
    if (v > SLP_TYP_MAX)
        return -EINVAL;
    *typ = (uint8_t)v;
    return 0;
}

/* Decode the package whose PkgLength starts at aml[start]. */
static int s5_package(const uint8_t *aml, size_t len, size_t start,
                      struct acpi_s5 *out)
{
    uint32_t pkglen;
    size_t used, end, pos;
    struct acpi_s5 s5;
    int err;

    err = aml_pkg_length(aml + start, len - start, &pkglen, &used);
    if (err != 0)
        return err;
    /* PkgLength counts its own bytes, then NumElements and the elements. */
    if (pkglen < used + 1 || pkglen > len - start)
        return -EINVAL;
    end = start + pkglen;
    pos = start + used;
    if (aml[pos++] < 2)
        return -EINVAL;
    if ((err = aml_slp_typ(aml, end, &pos, &s5.slp_typa)) != 0 ||
        (err = aml_slp_typ(aml, end, &pos, &s5.slp_typb)) != 0)
        return err;
    *out = s5;
    return 0;
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, struct acpi_s5 *out)
{
    int first_err = -ENOENT;
    int err;

    if (!aml)
        return -ENOENT;
    /* The byte pattern could also occur inside data; keep looking after a
     * candidate that does not decode, but report it if nothing else does. */
    for (size_t i = 1; i < len && len - i >= 5; i++) {
        if (!is_s5_name(aml, len, i))
            continue;
        err = s5_package(aml, len, i + 5, out);
        if (err == 0)
            return 0;
        if (first_err == -ENOENT)
            first_err = err;
    }
    return first_err;
}

/* ---- The power-off plan -------------------------------------------------- */

int acpi_s5_plan(const struct acpi_fadt_info *fadt, const struct acpi_s5 *s5,
                 struct acpi_s5_plan *out)
{
    if (fadt->pm1a_cnt == 0)
        return -ENODEV;
    if (s5->slp_typa > SLP_TYP_MAX || s5->slp_typb > SLP_TYP_MAX)
        return -EINVAL;
    out->pm1a_cnt = fadt->pm1a_cnt;
    out->pm1b_cnt = fadt->pm1b_cnt;
    out->value_a = (uint16_t)(s5->slp_typa << ACPI_PM1_SLP_TYP_SHIFT |
                              ACPI_PM1_SLP_EN);
    out->value_b = (uint16_t)(s5->slp_typb << ACPI_PM1_SLP_TYP_SHIFT |
                              ACPI_PM1_SLP_EN);
    return 0;
}

uint16_t acpi_pm1_cnt_merge(uint16_t current, uint16_t value)
{
    uint16_t mask = (uint16_t)(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);

    return (uint16_t)((current & ~mask) | (value & mask));
}

/* ---- Discovery ----------------------------------------------------------- */

static int discover_s5(const struct acpi_mem *mem,
                       const struct acpi_fadt_info *fadt, struct acpi_s5 *s5)
{
    struct acpi_table dsdt;
    int err;

    if (fadt->dsdt_pa == 0)
        return -ENOENT;
    err = acpi_table_map(mem, fadt->dsdt_pa, "DSDT", &dsdt);
    if (err != 0) {
        mem_report(mem, fadt->dsdt_pa, "DSDT", err);
        return err;
    }
    return acpi_aml_find_s5(dsdt.data + ACPI_SDT_HEADER_LEN,
                            dsdt.len - ACPI_SDT_HEADER_LEN, s5);
}

int acpi_discover(const struct acpi_mem *mem,
                  const struct acpi_rsdp_info *rsdp,
                  struct acpi_power_info *out)
{
    struct acpi_table fadt;
    int err;

    memset(out, 0, sizeof(*out));
    out->rsdp = *rsdp;
    err = acpi_find_table(mem, rsdp, "FACP", &fadt);
    if (err == 0 && (err = acpi_fadt_parse(&fadt, &out->fadt)) != 0)
        mem_report(mem, fadt.pa, "FACP", err);
    out->err_fadt = err;
    out->err_plan = err;
    if (err != 0)
        return err;
    out->has_fadt = true;

    out->err_plan = discover_s5(mem, &out->fadt, &out->s5);
    if (out->err_plan != 0)
        return 0;
    out->has_s5 = true;
    out->err_plan = acpi_s5_plan(&out->fadt, &out->s5, &out->plan);
    out->has_plan = out->err_plan == 0;
    return 0;
}
