/*
 * Unit tests for hypervisor/drivers/acpi_tables.c.
 *
 * The fake physical memory is one heap block covering [MEM_BASE, MEM_END), so
 * AddressSanitizer catches any read past its end: tables that test "never
 * read past the end" are placed flush against MEM_END, and AML snippets are
 * handed over in exactly-sized heap copies. Every table is built here byte by
 * byte with correct checksums unless a test damages it on purpose.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "acpi_tables.h"
#include "err.h"

#define MEM_BASE    0x80000ull
#define MEM_END     0x100000ull
#define MEM_SIZE    (MEM_END - MEM_BASE)
#define EBDA_PA     0x9fc00ull
#define BIOS_PA     0xe0000ull
#define BIOS_LEN    0x20000ull
#define RSDP_PA     0xe0010ull
#define RSDT_PA     0x80000ull
#define XSDT_PA     0x81000ull
#define FADT_PA     0x82000ull
#define FADT2_PA    0x83000ull
#define DSDT_PA     0x84000ull
#define APIC_PA     0x85000ull
#define FAR_PA      0x123456000ull      /* beyond the fake memory */

#define QEMU_FADT_LEN 244

struct report {
    uint64_t pa;
    char sig[5];        /* "" when the parser could not read it */
    int err;
};

struct fake_mem {
    uint8_t *bytes;
    struct report reports[8];
    size_t nreports;
    struct acpi_mem am;
};

/* ---- fake memory --------------------------------------------------------- */

static const void *fake_map(void *ctx, uint64_t pa, uint64_t len)
{
    struct fake_mem *m = ctx;

    if (pa < MEM_BASE || pa > MEM_END || len > MEM_END - pa)
        return NULL;
    return m->bytes + (pa - MEM_BASE);
}

static void fake_report(void *ctx, uint64_t pa, const char *sig, int err)
{
    struct fake_mem *m = ctx;
    struct report *r;

    assert_true(m->nreports < 8);
    r = &m->reports[m->nreports++];
    r->pa = pa;
    memset(r->sig, 0, sizeof(r->sig));
    if (sig)
        memcpy(r->sig, sig, 4);
    r->err = err;
}

static int setup(void **state)
{
    struct fake_mem *m = calloc(1, sizeof(*m));

    assert_non_null(m);
    m->bytes = calloc(1, MEM_SIZE);
    assert_non_null(m->bytes);
    m->am.map = fake_map;
    m->am.report = fake_report;
    m->am.ctx = m;
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    struct fake_mem *m = *state;

    free(m->bytes);
    free(m);
    return 0;
}

static uint8_t *at(struct fake_mem *m, uint64_t pa, size_t len)
{
    assert_true(pa >= MEM_BASE && pa <= MEM_END && len <= MEM_END - pa);
    return m->bytes + (pa - MEM_BASE);
}

/* ---- byte image builders ------------------------------------------------- */

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    put_u16(p, (uint16_t)v);
    put_u16(p + 2, (uint16_t)(v >> 16));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

/* Set p[off] so that the len bytes at p sum to zero. */
static void fix_checksum(uint8_t *p, size_t len, size_t off)
{
    uint8_t sum = 0;

    p[off] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[off] = (uint8_t)(0x100 - sum);
}

static void put_rsdp(uint8_t *p, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    memset(p, 0, rev >= 2 ? 36 : 20);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "TERNOE", 6);
    p[15] = rev;
    put_u32(p + 16, rsdt);
    fix_checksum(p, 20, 8);
    if (rev >= 2) {
        put_u32(p + 20, 36);
        put_u64(p + 24, xsdt);
        fix_checksum(p, 36, 32);
    }
}

static uint8_t *sdt_begin(struct fake_mem *m, uint64_t pa, const char *sig,
                          uint32_t len, uint8_t rev)
{
    uint8_t *t = at(m, pa, len);

    memset(t, 0, len);
    memcpy(t, sig, 4);
    put_u32(t + 4, len);
    t[8] = rev;
    memcpy(t + 10, "TERNOE", 6);
    memcpy(t + 16, "TESTTABL", 8);
    return t;
}

static void sdt_seal(uint8_t *t)
{
    uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 |
                   (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;

    fix_checksum(t, len, 9);
}

static void build_rsdt(struct fake_mem *m, uint64_t pa, const uint32_t *e,
                       size_t n, size_t trailing)
{
    uint32_t len = (uint32_t)(36 + 4 * n + trailing);
    uint8_t *t = sdt_begin(m, pa, "RSDT", len, 1);

    for (size_t i = 0; i < n; i++)
        put_u32(t + 36 + 4 * i, e[i]);
    sdt_seal(t);
}

static void build_xsdt(struct fake_mem *m, uint64_t pa, const uint64_t *e,
                       size_t n)
{
    uint8_t *t = sdt_begin(m, pa, "XSDT", (uint32_t)(36 + 8 * n), 1);

    for (size_t i = 0; i < n; i++)
        put_u64(t + 36 + 8 * i, e[i]);
    sdt_seal(t);
}

static void build_plain(struct fake_mem *m, uint64_t pa, const char *sig)
{
    sdt_seal(sdt_begin(m, pa, sig, 44, 1));
}

struct fadt_spec {
    uint32_t len;
    uint32_t dsdt, pm1a, pm1b, flags;
    struct acpi_gas reset;
    uint8_t reset_value;
    uint64_t x_dsdt;
    struct acpi_gas x_pm1a, x_pm1b;
};

static void put_gas_if(uint8_t *t, size_t len, size_t off,
                       const struct acpi_gas *g)
{
    if (off + 12 > len)
        return;
    t[off] = g->space_id;
    t[off + 1] = g->bit_width;
    t[off + 2] = g->bit_offset;
    t[off + 3] = g->access_size;
    put_u64(t + off + 4, g->address);
}

/* Writes only the fields that fit in s->len, as a short FADT would. */
static void build_fadt(struct fake_mem *m, uint64_t pa,
                       const struct fadt_spec *s)
{
    uint8_t *t = sdt_begin(m, pa, "FACP", s->len, 3);

    put_u32(t + 40, s->dsdt);
    put_u32(t + 64, s->pm1a);
    put_u32(t + 68, s->pm1b);
    t[89] = 2;
    if (s->len >= 116)
        put_u32(t + 112, s->flags);
    put_gas_if(t, s->len, 116, &s->reset);
    if (s->len >= 129)
        t[128] = s->reset_value;
    if (s->len >= 148)
        put_u64(t + 140, s->x_dsdt);
    put_gas_if(t, s->len, 172, &s->x_pm1a);
    put_gas_if(t, s->len, 184, &s->x_pm1b);
    sdt_seal(t);
}

/* What QEMU's PIIX4 machine offers, give or take the addresses. */
static struct fadt_spec qemu_fadt(void)
{
    struct fadt_spec s = {
        .len = QEMU_FADT_LEN, .dsdt = (uint32_t)DSDT_PA, .pm1a = 0x604,
        .flags = ACPI_FADT_RESET_REG_SUP,
        .reset = { ACPI_GAS_SYSTEM_IO, 8, 0, 1, 0xcf9 }, .reset_value = 0x0f,
        .x_dsdt = DSDT_PA,
        .x_pm1a = { ACPI_GAS_SYSTEM_IO, 16, 0, 2, 0x604 },
    };
    return s;
}

static void build_dsdt(struct fake_mem *m, uint64_t pa, const uint8_t *aml,
                       size_t n)
{
    uint8_t *t = sdt_begin(m, pa, "DSDT", (uint32_t)(36 + n), 2);

    memcpy(t + 36, aml, n);
    sdt_seal(t);
}

static const uint8_t qemu_s5[] = {
    0x10, 0x05, 0x5c, 0x00,                    /* a Scope(\) before it */
    0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};

/* RSDP (v1, in the BIOS area) -> RSDT -> APIC, FACP -> DSDT with _S5_. */
static void build_qemu_world(struct fake_mem *m)
{
    struct fadt_spec f = qemu_fadt();
    uint32_t e[] = { (uint32_t)APIC_PA, (uint32_t)FADT_PA };

    put_rsdp(at(m, RSDP_PA, 20), 0, (uint32_t)RSDT_PA, 0);
    build_rsdt(m, RSDT_PA, e, 2, 0);
    build_plain(m, APIC_PA, "APIC");
    build_fadt(m, FADT_PA, &f);
    build_dsdt(m, DSDT_PA, qemu_s5, sizeof(qemu_s5));
}

static struct acpi_rsdp_info rsdp_v1(void)
{
    struct acpi_rsdp_info r = { .revision = 0, .rsdt_pa = (uint32_t)RSDT_PA };
    return r;
}

static struct acpi_rsdp_info rsdp_v2(void)
{
    struct acpi_rsdp_info r = { .revision = 2, .rsdt_pa = (uint32_t)RSDT_PA,
                                .xsdt_pa = XSDT_PA };
    return r;
}

/* Runs the AML scan on an exactly-sized heap copy, so over-reads trap. */
static int s5_of(const uint8_t *aml, size_t n, struct acpi_s5 *out)
{
    uint8_t *copy = malloc(n ? n : 1);
    int err;

    assert_non_null(copy);
    memcpy(copy, aml, n);
    err = acpi_aml_find_s5(copy, n, out);
    free(copy);
    return err;
}

static int rsdp_parse_copy(const uint8_t *p, size_t n,
                           struct acpi_rsdp_info *out)
{
    uint8_t *copy = malloc(n);
    int err;

    assert_non_null(copy);
    memcpy(copy, p, n);
    err = acpi_rsdp_parse(copy, n, out);
    free(copy);
    return err;
}

/* ---- RSDP ---------------------------------------------------------------- */

static void test_rsdp_v1_valid(void **state)
{
    uint8_t b[20];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 0, 0x7fe1234, 0);
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), 0);
    assert_int_equal(r.revision, 0);
    assert_int_equal(r.rsdt_pa, 0x7fe1234);
    assert_int_equal(r.xsdt_pa, 0);
    assert_string_equal(r.oem_id, "TERNOE");
}

static void test_rsdp_v2_valid(void **state)
{
    uint8_t b[36];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 2, 0x7fe1234, 0x17fe15678ull);
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), 0);
    assert_int_equal(r.revision, 2);
    assert_int_equal(r.xsdt_pa, 0x17fe15678ull);
}

static void test_rsdp_bad_signature(void **state)
{
    uint8_t b[20];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 0, 0x1000, 0);
    b[3] = 'X';
    fix_checksum(b, 20, 8);     /* only the signature is wrong */
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), -EINVAL);
}

static void test_rsdp_bad_v1_checksum(void **state)
{
    uint8_t b[20];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 0, 0x1000, 0);
    b[8]++;
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), -EINVAL);
}

static void test_rsdp_bad_ext_checksum(void **state)
{
    uint8_t b[36];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 2, 0x1000, 0x2000);
    b[32]++;                    /* the v1 checksum still holds */
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), -EINVAL);
}

static void test_rsdp_v2_length_field_checked(void **state)
{
    uint8_t b[36];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 2, 0x1000, 0x2000);
    put_u32(b + 20, 20);                       /* below 36 */
    fix_checksum(b, 36, 32);
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), -EINVAL);
    put_u32(b + 20, 0x10000);                  /* absurdly long */
    fix_checksum(b, 36, 32);
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), -EINVAL);
}

static void test_rsdp_v2_longer_than_buffer(void **state)
{
    uint8_t b[36];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 2, 0x1000, 0x2000);
    /* A v2 RSDP handed over with only its 1.0 part (a short copy). */
    assert_int_equal(rsdp_parse_copy(b, 20, &r), -EINVAL);
    assert_int_equal(rsdp_parse_copy(b, 19, &r), -EINVAL);
}

static void test_rsdp_oem_id_sanitized(void **state)
{
    uint8_t b[20];
    struct acpi_rsdp_info r;

    (void)state;
    put_rsdp(b, 0, 0x1000, 0);
    b[10] = 0x07;
    b[14] = 0;
    fix_checksum(b, 20, 8);
    assert_int_equal(rsdp_parse_copy(b, sizeof(b), &r), 0);
    assert_string_equal(r.oem_id, "T?RNO?");
}

static void test_rsdp_scan_aligned(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    uint64_t pa = 0;

    put_rsdp(at(m, RSDP_PA, 20), 0, 0x1234, 0);
    assert_int_equal(acpi_rsdp_scan(&m->am, BIOS_PA, BIOS_LEN, &r, &pa), 0);
    assert_int_equal(pa, RSDP_PA);
    assert_int_equal(r.rsdt_pa, 0x1234);
    /* An unaligned start still visits the 16-byte boundaries. */
    assert_int_equal(acpi_rsdp_scan(&m->am, BIOS_PA + 4, 0x100, &r, &pa), 0);
    assert_int_equal(pa, RSDP_PA);
}

static void test_rsdp_scan_misaligned_ignored(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    uint64_t pa = 0;

    put_rsdp(at(m, BIOS_PA + 8, 20), 0, 0x1234, 0);
    assert_int_equal(acpi_rsdp_scan(&m->am, BIOS_PA, BIOS_LEN, &r, &pa),
                     -ENOENT);
}

static void test_rsdp_scan_skips_bad_candidate(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    uint64_t pa = 0;

    put_rsdp(at(m, BIOS_PA, 20), 0, 0x1111, 0);
    at(m, BIOS_PA, 20)[8]++;
    put_rsdp(at(m, BIOS_PA + 0x40, 36), 2, 0x2222, 0x3333);
    assert_int_equal(acpi_rsdp_scan(&m->am, BIOS_PA, BIOS_LEN, &r, &pa), 0);
    assert_int_equal(pa, BIOS_PA + 0x40);
    assert_int_equal(r.xsdt_pa, 0x3333);
}

static void test_rsdp_scan_ebda_bounds(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    uint64_t pa = 0;

    /* The last boundary where the 20-byte 1.0 part fits in the 1 KiB. */
    put_rsdp(at(m, EBDA_PA + 0x3e0, 20), 0, 0x1234, 0);
    assert_int_equal(acpi_rsdp_scan(&m->am, EBDA_PA, 0x400, &r, &pa), 0);
    assert_int_equal(pa, EBDA_PA + 0x3e0);
    memset(at(m, EBDA_PA + 0x3e0, 20), 0, 20);
    put_rsdp(at(m, EBDA_PA + 0x3f0, 20), 0, 0x1234, 0);
    assert_int_equal(acpi_rsdp_scan(&m->am, EBDA_PA, 0x400, &r, &pa),
                     -ENOENT);
}

static void test_rsdp_scan_v2_past_memory_end(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    uint64_t pa = 0;
    uint8_t b[36];

    /* Only 32 of its 36 bytes are readable: it must be skipped unread. */
    put_rsdp(b, 2, 0x1234, 0x5678);
    memcpy(at(m, MEM_END - 32, 32), b, 32);
    assert_int_equal(acpi_rsdp_scan(&m->am, MEM_END - 0x100, 0x100, &r, &pa),
                     -ENOENT);
}

/* ---- System description tables ------------------------------------------ */

static void test_table_valid(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;

    /* Flush against the end of memory: the checksum must stop there. */
    build_plain(m, MEM_END - 44, "APIC");
    assert_int_equal(acpi_table_map(&m->am, MEM_END - 44, "APIC", &t), 0);
    assert_int_equal(t.pa, MEM_END - 44);
    assert_int_equal(t.len, 44);
    assert_memory_equal(t.data, "APIC", 4);
}

static void test_table_length_below_header(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;
    uint8_t *p = sdt_begin(m, APIC_PA, "APIC", 44, 1);

    put_u32(p + 4, 35);
    fix_checksum(p, 35, 9);
    assert_int_equal(acpi_table_map(&m->am, APIC_PA, "APIC", &t), -EINVAL);
}

static void test_table_length_past_memory(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;
    uint8_t *p = sdt_begin(m, MEM_END - 40, "APIC", 40, 1);

    put_u32(p + 4, 100);
    assert_int_equal(acpi_table_map(&m->am, MEM_END - 40, "APIC", &t),
                     -EINVAL);
}

static void test_table_length_over_max(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;
    uint8_t *p = sdt_begin(m, APIC_PA, "APIC", 44, 1);

    put_u32(p + 4, ACPI_SDT_MAX_LEN + 1);
    assert_int_equal(acpi_table_map(&m->am, APIC_PA, "APIC", &t), -EINVAL);
}

static void test_table_bad_checksum(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;

    build_plain(m, APIC_PA, "APIC");
    at(m, APIC_PA, 44)[40] ^= 0x10;
    assert_int_equal(acpi_table_map(&m->am, APIC_PA, "APIC", &t), -EINVAL);
}

static void test_table_header_unreadable(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;

    assert_int_equal(acpi_table_map(&m->am, MEM_END - 20, NULL, &t), -EFAULT);
    assert_int_equal(acpi_table_map(&m->am, FAR_PA, NULL, &t), -EFAULT);
    assert_int_equal(acpi_table_map(&m->am, UINT64_MAX - 8, NULL, &t),
                     -EFAULT);
}

static void test_table_signature_mismatch(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_table t;

    build_plain(m, APIC_PA, "APIC");
    assert_int_equal(acpi_table_map(&m->am, APIC_PA, "HPET", &t), -ENOENT);
    assert_int_equal(acpi_table_map(&m->am, APIC_PA, NULL, &t), 0);
}

/* ---- Root tables --------------------------------------------------------- */

static void test_find_through_rsdt(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct acpi_table t;

    build_qemu_world(m);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT_PA);
    assert_int_equal(acpi_find_table(&m->am, &r, "APIC", &t), 0);
    assert_int_equal(t.pa, APIC_PA);
    assert_int_equal(acpi_find_table(&m->am, &r, "HPET", &t), -ENOENT);
    assert_int_equal(m->nreports, 0);
}

static void test_find_prefers_xsdt(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v2();
    struct fadt_spec f = qemu_fadt();
    uint32_t re[] = { (uint32_t)FADT_PA };
    uint64_t xe[] = { APIC_PA, FADT2_PA };
    struct acpi_table t;

    build_rsdt(m, RSDT_PA, re, 1, 0);
    build_xsdt(m, XSDT_PA, xe, 2);
    build_plain(m, APIC_PA, "APIC");
    build_fadt(m, FADT_PA, &f);
    build_fadt(m, FADT2_PA, &f);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT2_PA);
    /* Without an XSDT address the RSDT is used. */
    r.xsdt_pa = 0;
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT_PA);
}

static void test_find_rsdt_when_revision_1(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v2();
    struct fadt_spec f = qemu_fadt();
    uint32_t re[] = { (uint32_t)FADT_PA };
    uint64_t xe[] = { FADT2_PA };
    struct acpi_table t;

    build_rsdt(m, RSDT_PA, re, 1, 0);
    build_xsdt(m, XSDT_PA, xe, 1);
    build_fadt(m, FADT_PA, &f);
    build_fadt(m, FADT2_PA, &f);
    r.revision = 1;
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT_PA);
}

static void test_find_damaged_xsdt_falls_back(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v2();
    struct fadt_spec f = qemu_fadt();
    uint32_t re[] = { (uint32_t)FADT_PA };
    uint64_t xe[] = { FADT2_PA };
    struct acpi_table t;

    build_rsdt(m, RSDT_PA, re, 1, 0);
    build_xsdt(m, XSDT_PA, xe, 1);
    at(m, XSDT_PA, 44)[9]++;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT_PA);
    assert_int_equal(m->nreports, 1);
    assert_int_equal(m->reports[0].pa, XSDT_PA);
    assert_string_equal(m->reports[0].sig, "XSDT");
    assert_int_equal(m->reports[0].err, -EINVAL);
}

static void test_find_damaged_root_refused(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct acpi_table t;

    build_qemu_world(m);
    at(m, RSDT_PA, 44)[40]++;
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), -EINVAL);
    assert_int_equal(m->nreports, 1);
    assert_string_equal(m->reports[0].sig, "RSDT");
    r.rsdt_pa = 0;
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), -ENOENT);
}

static void test_find_skips_damaged_reports_it(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct fadt_spec f = qemu_fadt();
    uint32_t e[] = { 0, (uint32_t)APIC_PA, (uint32_t)FADT_PA,
                     (uint32_t)FADT2_PA };
    struct acpi_table t;

    build_rsdt(m, RSDT_PA, e, 4, 0);
    build_plain(m, APIC_PA, "APIC");
    build_fadt(m, FADT_PA, &f);
    at(m, FADT_PA, 44)[50] ^= 1;
    build_fadt(m, FADT2_PA, &f);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT2_PA);
    assert_int_equal(m->nreports, 1);
    assert_int_equal(m->reports[0].pa, FADT_PA);
    assert_string_equal(m->reports[0].sig, "FACP");
    assert_int_equal(m->reports[0].err, -EINVAL);
}

static void test_find_reports_unreadable_entry(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v2();
    struct fadt_spec f = qemu_fadt();
    uint64_t xe[] = { FAR_PA, FADT_PA };
    struct acpi_table t;

    build_xsdt(m, XSDT_PA, xe, 2);
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), 0);
    assert_int_equal(t.pa, FADT_PA);
    assert_int_equal(m->nreports, 1);
    assert_int_equal(m->reports[0].pa, FAR_PA);
    assert_string_equal(m->reports[0].sig, "");
    assert_int_equal(m->reports[0].err, -EFAULT);
}

static void test_rsdt_trailing_bytes_ignored(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct fadt_spec f = qemu_fadt();
    uint32_t e[] = { (uint32_t)APIC_PA };
    struct acpi_table t;
    uint8_t *p;

    build_plain(m, APIC_PA, "APIC");
    build_fadt(m, FADT_PA, &f);
    /* 36 + 4 + 3 bytes: the last three are FADT_PA's low bytes, and the
     * byte after the table is 0, so counting a partial entry would find it. */
    build_rsdt(m, RSDT_PA, e, 1, 3);
    p = at(m, RSDT_PA, 44);
    p[40] = (uint8_t)FADT_PA;
    p[41] = (uint8_t)(FADT_PA >> 8);
    p[42] = (uint8_t)(FADT_PA >> 16);
    assert_int_equal(p[43], 0);
    sdt_seal(p);
    assert_int_equal(acpi_find_table(&m->am, &r, "APIC", &t), 0);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), -ENOENT);
}

static void test_rsdt_trailing_bytes_at_memory_end(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    uint32_t e[] = { (uint32_t)APIC_PA, (uint32_t)FADT_PA };
    struct acpi_table t;

    r.rsdt_pa = (uint32_t)(MEM_END - 47);
    build_plain(m, APIC_PA, "APIC");
    build_rsdt(m, r.rsdt_pa, e, 2, 3);
    assert_int_equal(acpi_find_table(&m->am, &r, "FACP", &t), -ENOENT);
    assert_int_equal(acpi_find_table(&m->am, &r, "APIC", &t), 0);
}

/* ---- FADT ---------------------------------------------------------------- */

static int parse_fadt_at(struct fake_mem *m, uint64_t pa,
                         struct acpi_fadt_info *out)
{
    struct acpi_table t;
    int err = acpi_table_map(&m->am, pa, "FACP", &t);

    return err ? err : acpi_fadt_parse(&t, out);
}

static void test_fadt_qemu(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.revision, 3);
    assert_int_equal(i.pm1a_cnt, 0x604);
    assert_int_equal(i.pm1b_cnt, 0);
    assert_int_equal(i.dsdt_pa, DSDT_PA);
    assert_true(i.has_reset);
    assert_int_equal(i.reset_reg.space_id, ACPI_GAS_SYSTEM_IO);
    assert_int_equal(i.reset_reg.address, 0xcf9);
    assert_int_equal(i.reset_value, 0x0f);
}

static void test_fadt_x_fields_preferred(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.pm1a = 0x1004;
    f.pm1b = 0x1104;
    f.x_pm1a.address = 0x2004;
    f.x_pm1b = f.x_pm1a;
    f.x_pm1b.address = 0x2104;
    f.dsdt = 0x1234;
    f.x_dsdt = 0x123456789ull;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0x2004);
    assert_int_equal(i.pm1b_cnt, 0x2104);
    assert_int_equal(i.dsdt_pa, 0x123456789ull);
}

static void test_fadt_x_fields_zero_fall_back(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.pm1a = 0x1004;
    f.x_pm1a.address = 0;
    f.dsdt = 0x4321;
    f.x_dsdt = 0;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0x1004);
    assert_int_equal(i.dsdt_pa, 0x4321);
}

static void test_fadt_x_pm1_not_io_falls_back(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.pm1a = 0x1004;
    f.x_pm1a.space_id = ACPI_GAS_SYSTEM_MEMORY;
    f.x_pm1a.address = 0xfed00000;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0x1004);
}

static void test_fadt_too_short_for_x_fields(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;
    uint8_t *t;

    /* 180 bytes hold X_DSDT but end inside X_PM1a_CNT_BLK. A valid-looking
     * GAS straddles the end (its address's low half inside the table, the
     * zero high half past it): it must not be used. */
    f.pm1a = 0x1004;
    f.x_pm1a.address = 0x2004;
    f.x_dsdt = 0x99000;
    f.len = 180;
    build_fadt(m, FADT_PA, &f);
    t = at(m, FADT_PA, QEMU_FADT_LEN);
    put_gas_if(t, QEMU_FADT_LEN, 172, &f.x_pm1a);
    sdt_seal(t);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0x1004);
    assert_int_equal(i.dsdt_pa, 0x99000);
    assert_true(i.has_reset);
}

static void test_fadt_v1_length(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.len = 116;
    f.dsdt = 0x5000;
    f.pm1b = 0x1204;
    build_fadt(m, MEM_END - 116, &f);
    assert_int_equal(parse_fadt_at(m, MEM_END - 116, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0x604);
    assert_int_equal(i.pm1b_cnt, 0x1204);
    assert_int_equal(i.dsdt_pa, 0x5000);
    assert_false(i.has_reset);      /* flag set, but the table stops short */
}

static void test_fadt_shorter_than_v1_refused(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.len = 115;
    build_fadt(m, MEM_END - 115, &f);
    assert_int_equal(parse_fadt_at(m, MEM_END - 115, &i), -EINVAL);
}

static void test_fadt_reset_absent_when_flag_clear(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.flags = 0;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_false(i.has_reset);
    f.flags = ACPI_FADT_RESET_REG_SUP;
    f.len = 129;                    /* just covers RESET_VALUE */
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_true(i.has_reset);
    assert_int_equal(i.reset_value, 0x0f);
}

static void test_fadt_port_above_16_bits(void **state)
{
    struct fake_mem *m = *state;
    struct fadt_spec f = qemu_fadt();
    struct acpi_fadt_info i;

    f.pm1a = 0x10004;
    f.x_pm1a.address = 0x10004;
    build_fadt(m, FADT_PA, &f);
    assert_int_equal(parse_fadt_at(m, FADT_PA, &i), 0);
    assert_int_equal(i.pm1a_cnt, 0);
}

/* ---- AML _S5_ ------------------------------------------------------------ */

static void test_s5_byte_prefix(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
        0x0a, 0x05, 0x0a, 0x06, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 5);
    assert_int_equal(s5.slp_typb, 6);
}

static void test_s5_zero_one_ops(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x01, 0x00, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 1);
    assert_int_equal(s5.slp_typb, 0);
    assert_int_equal(s5_of(qemu_s5, sizeof(qemu_s5), &s5), 0);
    assert_int_equal(s5.slp_typa, 0);
}

static void test_s5_root_prefix(void **state)
{
    static const uint8_t aml[] = {
        0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x07, 0x01,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 7);
    assert_int_equal(s5.slp_typb, 1);
}

static void test_s5_word_dword_prefix(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02,
        0x0b, 0x03, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 3);
    assert_int_equal(s5.slp_typb, 2);
}

static void test_s5_two_byte_pkglength(void **state)
{
    uint8_t aml[6 + 2 + 1 + 72] = { 0x08, '_', 'S', '5', '_', 0x12 };
    uint32_t pkglen = 2 + 1 + 72;
    struct acpi_s5 s5;

    (void)state;
    aml[6] = (uint8_t)(0x40 | (pkglen & 0x0f));
    aml[7] = (uint8_t)(pkglen >> 4);
    aml[8] = 70;                                /* NumElements */
    aml[9] = 0x0a;
    aml[10] = 0x04;
    aml[11] = 0x0a;
    aml[12] = 0x03;                             /* then 68 ZeroOps */
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 4);
    assert_int_equal(s5.slp_typb, 3);
    /* One byte short, the package no longer fits. */
    assert_int_equal(s5_of(aml, sizeof(aml) - 1, &s5), -EINVAL);
}

static void test_s5_four_byte_pkglength(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0xc8, 0x00, 0x00, 0x00,
        0x02, 0x0a, 0x02, 0x01,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 2);
    assert_int_equal(s5.slp_typb, 1);
}

static void test_s5_truncated_package(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), -EINVAL);
    assert_int_equal(s5_of(aml, 6, &s5), -EINVAL);  /* ends at PackageOp */
}

static void test_s5_element_past_package_end(void **state)
{
    /* PkgLength 4 ends the package right after the BytePrefix; the data
     * byte after it belongs to something else. */
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x0a, 0x03, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), -EINVAL);
}

static void test_s5_bad_pkglength(void **state)
{
    static const uint8_t cut[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x80, 0x05,
    };
    static const uint8_t reserved[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x56, 0x00, 0x02, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(cut, sizeof(cut), &s5), -EINVAL);
    assert_int_equal(s5_of(reserved, sizeof(reserved), &s5), -EINVAL);
}

static void test_s5_slp_typ_over_7(void **state)
{
    static const uint8_t byte8[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00,
    };
    static const uint8_t word_hi[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x00, 0x0b, 0x00, 0x01,
    };
    static const uint8_t ones[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0xff, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(byte8, sizeof(byte8), &s5), -EINVAL);
    assert_int_equal(s5_of(word_hi, sizeof(word_hi), &s5), -EINVAL);
    assert_int_equal(s5_of(ones, sizeof(ones), &s5), -EINVAL);
}

static void test_s5_too_few_elements(void **state)
{
    /* NumElements 1: the second integer is not part of the package. */
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0a, 0x05, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), -EINVAL);
}

static void test_s5_not_found(void **state)
{
    static const uint8_t s4[] = {
        0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
    };
    static const uint8_t not_pkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
    static const uint8_t no_name_op[] = {
        0x10, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
    };
    /* A root prefix at the very start: nothing before it to be a NameOp. */
    static const uint8_t bare_root[] = {
        0x5c, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(s4, sizeof(s4), &s5), -ENOENT);
    assert_int_equal(s5_of(bare_root, sizeof(bare_root), &s5), -ENOENT);
    assert_int_equal(s5_of(not_pkg, sizeof(not_pkg), &s5), -ENOENT);
    assert_int_equal(s5_of(no_name_op, sizeof(no_name_op), &s5), -ENOENT);
    assert_int_equal(s5_of(s4, 0, &s5), -ENOENT);
    assert_int_equal(acpi_aml_find_s5(NULL, 0, &s5), -ENOENT);
}

static void test_s5_bad_candidate_then_good(void **state)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x01,
        0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x01,
    };
    struct acpi_s5 s5;

    (void)state;
    assert_int_equal(s5_of(aml, sizeof(aml) - 1, &s5), -EINVAL);
    assert_int_equal(s5_of(aml, sizeof(aml), &s5), 0);
    assert_int_equal(s5.slp_typa, 5);
}

/* ---- Plan ---------------------------------------------------------------- */

static void test_plan_values(void **state)
{
    struct acpi_fadt_info f = { .pm1a_cnt = 0x604, .pm1b_cnt = 0x704 };
    struct acpi_s5 s5 = { .slp_typa = 5, .slp_typb = 7 };
    struct acpi_s5_plan p;

    (void)state;
    assert_int_equal(acpi_s5_plan(&f, &s5, &p), 0);
    assert_int_equal(p.pm1a_cnt, 0x604);
    assert_int_equal(p.pm1b_cnt, 0x704);
    assert_int_equal(p.value_a, (5 << 10) | (1 << 13));
    assert_int_equal(p.value_b, (7 << 10) | (1 << 13));
    s5.slp_typa = 8;
    assert_int_equal(acpi_s5_plan(&f, &s5, &p), -EINVAL);
}

static void test_plan_needs_pm1a(void **state)
{
    struct acpi_fadt_info f = { .pm1a_cnt = 0, .pm1b_cnt = 0x704 };
    struct acpi_s5 s5 = { 0, 0 };
    struct acpi_s5_plan p;

    (void)state;
    assert_int_equal(acpi_s5_plan(&f, &s5, &p), -ENODEV);
}

static void test_pm1_cnt_merge(void **state)
{
    (void)state;
    /* SCI_EN (bit 0) and other bits survive; old SLP_TYP is replaced. */
    assert_int_equal(acpi_pm1_cnt_merge(0x1c01, 0x2400), 0x2401);
    assert_int_equal(acpi_pm1_cnt_merge(0xffff, 0x2000), 0xc3ff | 0x2000);
}

/* ---- Discovery ----------------------------------------------------------- */

static void test_discover_qemu(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r;
    struct acpi_power_info pi;
    uint64_t pa;

    build_qemu_world(m);
    assert_int_equal(acpi_rsdp_scan(&m->am, BIOS_PA, BIOS_LEN, &r, &pa), 0);
    assert_int_equal(acpi_discover(&m->am, &r, &pi), 0);
    assert_true(pi.has_fadt && pi.has_s5 && pi.has_plan);
    assert_true(pi.fadt.has_reset);
    assert_int_equal(pi.plan.pm1a_cnt, 0x604);
    assert_int_equal(pi.plan.pm1b_cnt, 0);
    assert_int_equal(pi.plan.value_a, 0x2000);
    assert_int_equal(pi.err_plan, 0);
    assert_string_equal(pi.rsdp.oem_id, "TERNOE");
    assert_int_equal(m->nreports, 0);
}

static void test_discover_damaged_dsdt(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct acpi_power_info pi;

    build_qemu_world(m);
    at(m, DSDT_PA, 44)[40] ^= 0x20;
    assert_int_equal(acpi_discover(&m->am, &r, &pi), 0);
    assert_true(pi.has_fadt);
    assert_false(pi.has_s5);
    assert_false(pi.has_plan);
    assert_int_equal(pi.err_plan, -EINVAL);
    assert_int_equal(m->nreports, 1);
    assert_string_equal(m->reports[0].sig, "DSDT");
}

static void test_discover_no_s5(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct acpi_power_info pi;
    static const uint8_t aml[] = { 0x10, 0x05, 0x5c, 0x00 };

    build_qemu_world(m);
    build_dsdt(m, DSDT_PA, aml, sizeof(aml));
    assert_int_equal(acpi_discover(&m->am, &r, &pi), 0);
    assert_true(pi.has_fadt);
    assert_false(pi.has_plan);
    assert_int_equal(pi.err_plan, -ENOENT);
}

static void test_discover_no_fadt(void **state)
{
    struct fake_mem *m = *state;
    struct acpi_rsdp_info r = rsdp_v1();
    struct acpi_power_info pi;
    uint32_t e[] = { (uint32_t)APIC_PA };

    build_qemu_world(m);
    build_rsdt(m, RSDT_PA, e, 1, 0);
    assert_int_equal(acpi_discover(&m->am, &r, &pi), -ENOENT);
    assert_false(pi.has_fadt);
    assert_false(pi.has_plan);
    assert_int_equal(pi.err_fadt, -ENOENT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

static int run_rsdp_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_rsdp_v1_valid),
        T(test_rsdp_v2_valid),
        T(test_rsdp_bad_signature),
        T(test_rsdp_bad_v1_checksum),
        T(test_rsdp_bad_ext_checksum),
        T(test_rsdp_v2_length_field_checked),
        T(test_rsdp_v2_longer_than_buffer),
        T(test_rsdp_oem_id_sanitized),
        T(test_rsdp_scan_aligned),
        T(test_rsdp_scan_misaligned_ignored),
        T(test_rsdp_scan_skips_bad_candidate),
        T(test_rsdp_scan_ebda_bounds),
        T(test_rsdp_scan_v2_past_memory_end),
    };

    return cmocka_run_group_tests_name("rsdp", tests, NULL, NULL);
}

static int run_tables_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_table_valid),
        T(test_table_length_below_header),
        T(test_table_length_past_memory),
        T(test_table_length_over_max),
        T(test_table_bad_checksum),
        T(test_table_header_unreadable),
        T(test_table_signature_mismatch),
    };

    return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}

static int run_root_tables_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_find_through_rsdt),
        T(test_find_prefers_xsdt),
        T(test_find_rsdt_when_revision_1),
        T(test_find_damaged_xsdt_falls_back),
        T(test_find_damaged_root_refused),
        T(test_find_skips_damaged_reports_it),
        T(test_find_reports_unreadable_entry),
        T(test_rsdt_trailing_bytes_ignored),
        T(test_rsdt_trailing_bytes_at_memory_end),
    };

    return cmocka_run_group_tests_name("root_tables", tests, NULL, NULL);
}

static int run_fadt_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_fadt_qemu),
        T(test_fadt_x_fields_preferred),
        T(test_fadt_x_fields_zero_fall_back),
        T(test_fadt_x_pm1_not_io_falls_back),
        T(test_fadt_too_short_for_x_fields),
        T(test_fadt_v1_length),
        T(test_fadt_shorter_than_v1_refused),
        T(test_fadt_reset_absent_when_flag_clear),
        T(test_fadt_port_above_16_bits),
    };

    return cmocka_run_group_tests_name("fadt", tests, NULL, NULL);
}

static int run_s5_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_s5_byte_prefix),
        T(test_s5_zero_one_ops),
        T(test_s5_root_prefix),
        T(test_s5_word_dword_prefix),
        T(test_s5_two_byte_pkglength),
        T(test_s5_four_byte_pkglength),
        T(test_s5_truncated_package),
        T(test_s5_element_past_package_end),
        T(test_s5_bad_pkglength),
        T(test_s5_slp_typ_over_7),
        T(test_s5_too_few_elements),
        T(test_s5_not_found),
        T(test_s5_bad_candidate_then_good),
        T(test_plan_values),
        T(test_plan_needs_pm1a),
        T(test_pm1_cnt_merge),
    };

    return cmocka_run_group_tests_name("s5", tests, NULL, NULL);
}

static int run_discover_tests(void)
{
    const struct CMUnitTest tests[] = {
        T(test_discover_qemu),
        T(test_discover_damaged_dsdt),
        T(test_discover_no_s5),
        T(test_discover_no_fadt),
    };

    return cmocka_run_group_tests_name("discover", tests, NULL, NULL);
}

int main(void)
{
    int failed = 0;

    failed += run_rsdp_tests();
    failed += run_tables_tests();
    failed += run_root_tables_tests();
    failed += run_fadt_tests();
    failed += run_s5_tests();
    failed += run_discover_tests();
    return failed != 0;
}
