/*
 * Unit tests for hypervisor/drivers/acpi_madt.c: the MADT parser, and finding the
 * MADT through the RSDT with acpi_tables.c (checksums, damaged tables).
 *
 * A MADT is built here entry by entry in a buffer; parse() hands the parser
 * an exactly-sized heap copy, so AddressSanitizer catches any read past the
 * table's length. Every rule has an accepted and a refused (or ignored)
 * case; a refused table must also leave the architectural defaults behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "acpi_madt.h"
#include "err.h"

struct madt {
    uint8_t buf[4096];
    uint32_t len;
};

static struct madt m;
static uint8_t *copy;
static struct acpi_madt_info info;
static const char *why;

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

static void fix_checksum(uint8_t *p, size_t len, size_t off)
{
    uint8_t sum = 0;

    p[off] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[off] = (uint8_t)(0x100 - sum);
}

/* Header, LAPIC address and flags; entries follow with the add_* helpers. */
static void madt_begin(uint32_t lapic, uint32_t flags)
{
    memset(&m, 0, sizeof(m));
    memcpy(m.buf, "APIC", 4);
    m.buf[8] = 3;
    memcpy(m.buf + 10, "TERNOE", 6);
    put_u32(m.buf + 36, lapic);
    put_u32(m.buf + 40, flags);
    m.len = 44;
}

static uint8_t *entry(uint8_t type, uint8_t len)
{
    uint8_t *e = m.buf + m.len;

    assert_true(m.len + len <= sizeof(m.buf));
    e[0] = type;
    e[1] = len;
    m.len += len;
    return e;
}

static void add_lapic(uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    uint8_t *e = entry(0, 8);

    e[2] = uid;
    e[3] = apic_id;
    put_u32(e + 4, flags);
}

static void add_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    uint8_t *e = entry(1, 12);

    e[2] = id;
    put_u32(e + 4, addr);
    put_u32(e + 8, gsi_base);
}

static void add_override(uint8_t bus, uint8_t source, uint32_t gsi, uint16_t flags)
{
    uint8_t *e = entry(2, 10);

    e[2] = bus;
    e[3] = source;
    put_u32(e + 4, gsi);
    put_u16(e + 8, flags);
}

static void add_lapic_addr(uint64_t addr)
{
    put_u64(entry(5, 12) + 4, addr);
}

static void add_x2apic(uint32_t id, uint32_t flags)
{
    uint8_t *e = entry(9, 16);

    put_u32(e + 4, id);
    put_u32(e + 8, flags);
    put_u32(e + 12, id + 0x1000);              /* its ACPI processor UID */
}

static void madt_seal(void)
{
    put_u32(m.buf + 4, m.len);
    fix_checksum(m.buf, m.len, 9);
}

/* Parse the first len bytes as a table of that length. */
static int parse_len(uint32_t len)
{
    struct acpi_table t;

    free(copy);
    copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, m.buf, len);
    t = (struct acpi_table){ 0x1000, copy, len };
    why = NULL;
    return acpi_madt_parse(&t, &info, &why);
}

static int parse(void)
{
    madt_seal();
    return parse_len(m.len);
}

static void assert_defaults(void)
{
    assert_int_equal(info.lapic_base, 0xfee00000u);
    assert_int_equal(info.nr_ioapics, 1);
    assert_int_equal(info.ioapics[0].address, 0xfec00000u);
    assert_int_equal(info.ioapics[0].gsi_base, 0);
    assert_int_equal(info.nr_cpus, 0);
    for (unsigned int i = 0; i < MADT_ISA_IRQS; i++) {
        assert_int_equal(info.isa[i].gsi, i);
        assert_false(info.isa[i].overridden);
    }
}

static void assert_refused(int rc, const char *rule)
{
    assert_int_equal(rc, -EINVAL);
    assert_non_null(why);
    if (!strstr(why, rule))
        fail_msg("refused for \"%s\", expected \"%s\"", why, rule);
    assert_defaults();
}

static void assert_parsed(int rc)
{
    if (rc != 0)
        fail_msg("refused: %s", why);
}

static int teardown(void **state)
{
    (void)state;
    free(copy);
    copy = NULL;
    return 0;
}

/* ---- a MADT like QEMU's ---------------------------------------------------- */

static void build_qemu_like(void)
{
    madt_begin(0xfee00000, 1);
    add_lapic(0, 0, 1);
    add_ioapic(0, 0xfec00000, 0);
    add_override(0, 0, 2, 0);
    add_override(0, 5, 5, 0x000d);
    add_override(0, 9, 9, 0x000d);
    add_override(0, 10, 10, 0x000d);
    add_override(0, 11, 11, 0x000d);
    entry(4, 6)[2] = 0xff;                     /* LAPIC NMI: skipped */
}

static void test_qemu_like(void **state)
{
    (void)state;
    build_qemu_like();
    assert_parsed(parse());
    assert_int_equal(info.lapic_base, 0xfee00000u);
    assert_false(info.lapic_overridden);
    assert_true(info.pcat_compat);
    assert_int_equal(info.nr_cpus, 1);
    assert_int_equal(info.cpu_apic_ids[0], 0);
    assert_int_equal(info.nr_ioapics, 1);
    assert_int_equal(info.ioapics[0].address, 0xfec00000u);
    assert_int_equal(info.nr_overrides, 5);
    assert_int_equal(info.nr_ignored, 0);
    assert_int_equal(info.isa[0].gsi, 2);
    assert_false(info.isa[0].active_low);
    assert_false(info.isa[0].level);
    assert_int_equal(info.isa[1].gsi, 1);
    assert_false(info.isa[1].overridden);
    assert_int_equal(info.isa[4].gsi, 4);
    assert_true(info.isa[9].level);
    assert_false(info.isa[9].active_low);
}

static void test_no_pcat_compat(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 0);
    assert_parsed(parse());
    assert_false(info.pcat_compat);
    assert_int_equal(info.nr_ioapics, 0);      /* the table lists none */
}

static void test_defaults(void **state)
{
    (void)state;
    acpi_madt_defaults(&info);
    assert_defaults();
    assert_true(info.pcat_compat);
}

/* ---- the header ----------------------------------------------------------- */

static void test_header_only_accepted(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    assert_parsed(parse());
    assert_int_equal(info.nr_cpus, 0);
}

static void test_short_header_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    madt_seal();
    assert_refused(parse_len(43), "44-byte header");
}

static void test_wrong_signature_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    memcpy(m.buf, "APIX", 4);
    assert_refused(parse(), "not an MADT");
}

static void test_lapic_address_zero_refused(void **state)
{
    (void)state;
    madt_begin(0, 1);
    add_lapic(0, 0, 1);
    assert_refused(parse(), "local APIC address");
}

static void test_lapic_address_unaligned_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00400, 1);
    assert_refused(parse(), "local APIC address");
}

static void test_zero_lapic_address_with_override_accepted(void **state)
{
    (void)state;
    madt_begin(0, 1);
    add_lapic_addr(0x1fee00000ull);
    assert_parsed(parse());
    assert_int_equal(info.lapic_base, 0x1fee00000ull);
    assert_true(info.lapic_overridden);
}

/* ---- entry framing -------------------------------------------------------- */

static void test_entry_header_past_end_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_lapic(0, 0, 1);
    m.buf[m.len++] = 0;                        /* one stray byte */
    assert_refused(parse(), "entry header runs past");
}

static void test_entry_length_zero_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    entry(0x7f, 2)[1] = 0;                     /* would loop forever */
    assert_refused(parse(), "length is below 2");
}

static void test_entry_length_one_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    entry(0x7f, 2)[1] = 1;
    assert_refused(parse(), "length is below 2");
}

static void test_entry_past_end_refused(void **state)
{
    uint8_t *e;

    (void)state;
    madt_begin(0xfee00000, 1);
    e = entry(1, 12);
    e[1] = 13;                                 /* one byte more than there is */
    assert_refused(parse(), "runs past the end");
}

static void test_entry_exactly_to_end_accepted(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_ioapic(2, 0xfec01000, 24);
    assert_parsed(parse());
    assert_int_equal(info.nr_ioapics, 1);
    assert_int_equal(info.ioapics[0].id, 2);
    assert_int_equal(info.ioapics[0].gsi_base, 24);
}

static void test_short_typed_entries_refused(void **state)
{
    static const uint8_t types[] = { 0, 1, 2, 5, 9 };
    static const uint8_t mins[] = { 8, 12, 10, 12, 16 };

    (void)state;
    for (unsigned int i = 0; i < sizeof(types); i++) {
        madt_begin(0xfee00000, 1);
        entry(types[i], (uint8_t)(mins[i] - 1));
        assert_refused(parse(), "shorter than its type");
    }
}

static void test_longer_entries_accepted(void **state)
{
    uint8_t *e;

    (void)state;
    madt_begin(0xfee00000, 1);
    e = entry(0, 12);                          /* a future, longer LAPIC entry */
    e[3] = 7;
    put_u32(e + 4, 1);
    entry(0x42, 2);                            /* unknown type, minimal */
    entry(0x80, 40);                           /* OEM type, skipped */
    assert_parsed(parse());
    assert_int_equal(info.nr_cpus, 1);
    assert_int_equal(info.cpu_apic_ids[0], 7);
}

/* ---- processors ----------------------------------------------------------- */

static void test_cpu_flags(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_lapic(0, 0, 1);                        /* enabled */
    add_lapic(1, 1, 0);                        /* disabled: ignored */
    add_lapic(2, 4, 2);                        /* online capable */
    add_x2apic(0x100, 1);
    add_x2apic(0x101, 0);                      /* disabled */
    assert_parsed(parse());
    assert_int_equal(info.nr_cpus, 3);
    assert_int_equal(info.cpu_apic_ids[0], 0);
    assert_int_equal(info.cpu_apic_ids[1], 4);
    assert_int_equal(info.cpu_apic_ids[2], 0x100);
    assert_int_equal(info.cpu_acpi_ids[0], 0);     /* each CPU's UID kept */
    assert_int_equal(info.cpu_acpi_ids[1], 2);
    assert_int_equal(info.cpu_acpi_ids[2], 0x1100);
    assert_int_equal(info.nr_ignored, 2);
}

static void test_many_cpus_counted(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    for (unsigned int i = 0; i < MADT_MAX_CPUS + 10; i++)
        add_x2apic(i, 1);
    assert_parsed(parse());
    assert_int_equal(info.nr_cpus, MADT_MAX_CPUS + 10);
    assert_int_equal(info.cpu_apic_ids[MADT_MAX_CPUS - 1], MADT_MAX_CPUS - 1);
}

/* ---- I/O APICs ------------------------------------------------------------ */

static void test_ioapic_zero_address_ignored(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_ioapic(0, 0, 0);
    add_ioapic(1, 0xfec00000, 0);
    assert_parsed(parse());
    assert_int_equal(info.nr_ioapics, 1);
    assert_int_equal(info.ioapics[0].id, 1);
    assert_int_equal(info.nr_ignored, 1);
}

static void test_too_many_ioapics_ignored(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    for (uint32_t i = 0; i < MADT_MAX_IOAPICS + 1; i++)
        add_ioapic((uint8_t)i, 0xfec00000 + i * 0x1000, i * 24);
    assert_parsed(parse());
    assert_int_equal(info.nr_ioapics, MADT_MAX_IOAPICS);
    assert_int_equal(info.ioapics[MADT_MAX_IOAPICS - 1].gsi_base,
                     (MADT_MAX_IOAPICS - 1) * 24);
    assert_int_equal(info.nr_ignored, 1);
}

/* ---- interrupt source overrides ------------------------------------------- */

static void test_override_polarity_and_trigger(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_override(0, 1, 1, 0x0000);             /* bus default: high, edge */
    add_override(0, 3, 3, 0x0005);             /* high, edge, said outright */
    add_override(0, 4, 20, 0x000f);            /* low, level */
    add_override(0, 8, 8, 0x0003);             /* low, edge */
    assert_parsed(parse());
    assert_false(info.isa[1].active_low);
    assert_false(info.isa[1].level);
    assert_true(info.isa[1].overridden);
    assert_false(info.isa[3].active_low);
    assert_false(info.isa[3].level);
    assert_int_equal(info.isa[4].gsi, 20);
    assert_true(info.isa[4].active_low);
    assert_true(info.isa[4].level);
    assert_true(info.isa[8].active_low);
    assert_false(info.isa[8].level);
    assert_int_equal(info.nr_overrides, 4);
}

static void test_override_not_isa_ignored(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_override(1, 4, 20, 0);                 /* bus 1 is not ISA */
    add_override(0, 16, 16, 0);                /* no ISA IRQ 16 */
    add_override(0, 6, 6, 0x0002);             /* reserved polarity */
    add_override(0, 7, 7, 0x0008);             /* reserved trigger */
    assert_parsed(parse());
    assert_int_equal(info.nr_overrides, 0);
    assert_int_equal(info.nr_ignored, 4);
    assert_int_equal(info.isa[4].gsi, 4);
    assert_false(info.isa[6].overridden);
    assert_false(info.isa[7].overridden);
}

static void test_override_duplicate_ignored(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_override(0, 0, 2, 0);
    add_override(0, 0, 9, 0x000f);
    assert_parsed(parse());
    assert_int_equal(info.isa[0].gsi, 2);
    assert_false(info.isa[0].level);
    assert_int_equal(info.nr_ignored, 1);
}

/* ---- local APIC address override ------------------------------------------ */

static void test_lapic_override_rules(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    add_lapic_addr(0);                         /* zero: ignored */
    add_lapic_addr(0xfee00800);                /* unaligned: ignored */
    add_lapic_addr(0xfed00000);
    add_lapic_addr(0xfec00000);                /* a second: ignored */
    assert_parsed(parse());
    assert_int_equal(info.lapic_base, 0xfed00000u);
    assert_true(info.lapic_overridden);
    assert_int_equal(info.nr_ignored, 3);
}

/* ---- finding the MADT (checksums) ----------------------------------------- */

#define MEM_BASE 0x80000ull
#define MEM_SIZE 0x10000ull
#define RSDT_PA  0x80000ull
#define MADT_PA  0x81000ull

static uint8_t *mem;
static unsigned int reports;

static const void *fake_map(void *ctx, uint64_t pa, uint64_t len)
{
    (void)ctx;
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (pa - MEM_BASE))
        return NULL;
    return mem + (pa - MEM_BASE);
}

static void fake_report(void *ctx, uint64_t pa, const char *sig, int err)
{
    (void)ctx;
    (void)pa;
    (void)sig;
    (void)err;
    reports++;
}

static const struct acpi_mem fake_mem = { fake_map, fake_report, NULL };
static const struct acpi_rsdp_info rsdp = { 0, "TERNOE", (uint32_t)RSDT_PA, 0 };

/* An RSDT listing one table at MADT_PA, and the MADT built so far there. */
static void place_tables(bool with_madt)
{
    uint8_t *rsdt;

    free(mem);
    mem = calloc(1, MEM_SIZE);
    assert_non_null(mem);
    rsdt = mem + (RSDT_PA - MEM_BASE);
    memcpy(rsdt, "RSDT", 4);
    put_u32(rsdt + 4, 40);
    put_u32(rsdt + 36, (uint32_t)MADT_PA);
    fix_checksum(rsdt, 40, 9);
    madt_seal();
    if (with_madt)
        memcpy(mem + (MADT_PA - MEM_BASE), m.buf, m.len);
    reports = 0;
}

static int find_teardown(void **state)
{
    free(mem);
    mem = NULL;
    return teardown(state);
}

static void test_find_through_rsdt(void **state)
{
    (void)state;
    build_qemu_like();
    place_tables(true);
    assert_int_equal(acpi_madt_find(&fake_mem, &rsdp, &info, &why), 0);
    assert_int_equal(info.nr_cpus, 1);
    assert_int_equal(info.isa[0].gsi, 2);
    assert_int_equal(reports, 0);
}

static void test_find_bad_checksum_refused(void **state)
{
    (void)state;
    build_qemu_like();
    place_tables(true);
    mem[MADT_PA - MEM_BASE + 20]++;            /* the OEM table id */
    assert_int_equal(acpi_madt_find(&fake_mem, &rsdp, &info, &why), -ENOENT);
    assert_int_equal(reports, 1);
    assert_defaults();
}

static void test_find_length_past_memory_refused(void **state)
{
    (void)state;
    build_qemu_like();
    place_tables(true);
    put_u32(mem + (MADT_PA - MEM_BASE) + 4, (uint32_t)MEM_SIZE);
    assert_int_equal(acpi_madt_find(&fake_mem, &rsdp, &info, &why), -ENOENT);
    assert_int_equal(reports, 1);
    assert_defaults();
}

static void test_find_none(void **state)
{
    (void)state;
    build_qemu_like();
    place_tables(false);
    memcpy(mem + (MADT_PA - MEM_BASE), "FACP", 4);   /* some other table */
    assert_int_equal(acpi_madt_find(&fake_mem, &rsdp, &info, &why), -ENOENT);
    assert_non_null(strstr(why, "no MADT"));
    assert_defaults();
}

static void test_find_malformed_entries_refused(void **state)
{
    (void)state;
    madt_begin(0xfee00000, 1);
    entry(1, 11);                              /* an I/O APIC entry too short */
    place_tables(true);
    assert_int_equal(acpi_madt_find(&fake_mem, &rsdp, &info, &why), -EINVAL);
    assert_non_null(strstr(why, "shorter"));
    assert_defaults();
}

#define T(f) cmocka_unit_test_teardown(f, teardown)
#define F(f) cmocka_unit_test_teardown(f, find_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_qemu_like),
        T(test_no_pcat_compat),
        T(test_defaults),
        T(test_header_only_accepted),
        T(test_short_header_refused),
        T(test_wrong_signature_refused),
        T(test_lapic_address_zero_refused),
        T(test_lapic_address_unaligned_refused),
        T(test_zero_lapic_address_with_override_accepted),
        T(test_entry_header_past_end_refused),
        T(test_entry_length_zero_refused),
        T(test_entry_length_one_refused),
        T(test_entry_past_end_refused),
        T(test_entry_exactly_to_end_accepted),
        T(test_short_typed_entries_refused),
        T(test_longer_entries_accepted),
        T(test_cpu_flags),
        T(test_many_cpus_counted),
        T(test_ioapic_zero_address_ignored),
        T(test_too_many_ioapics_ignored),
        T(test_override_polarity_and_trigger),
        T(test_override_not_isa_ignored),
        T(test_override_duplicate_ignored),
        T(test_lapic_override_rules),
        F(test_find_through_rsdt),
        F(test_find_bad_checksum_refused),
        F(test_find_length_past_memory_refused),
        F(test_find_none),
        F(test_find_malformed_entries_refused),
    };

    return cmocka_run_group_tests_name("acpi_madt", tests, NULL, NULL);
}
