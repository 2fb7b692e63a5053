/*
 * acpi_madt.c: parse the MADT (signature "APIC"). Pure.
 *
 * Layout (ACPI 6.5, 5.2.12): the 36-byte header, the local APIC address
 * (u32 at 36), flags (u32 at 40; bit 0 PCAT_COMPAT), then entries of
 * { u8 type, u8 length, ... } until the table's length.
 *
 * Invariants:
 *  - no byte outside [0, t->len) is read; an entry is read only after
 *    "2 <= length, length fits in what is left, length >= the minimum for
 *    its type" has been checked, else the whole table is refused;
 *  - multi-byte fields are read byte by byte (entries are unaligned);
 *  - out holds sane values even for a refused table (the defaults), so a
 *    caller that ignores the error still gets the architectural layout.
 */
#include "acpi_madt.h"
#include "err.h"

#define MADT_LAPIC_ADDR     36
#define MADT_FLAGS          40
#define MADT_ENTRIES        44
#define MADT_PCAT_COMPAT    (1u << 0)

#define MADT_LAPIC          0        /* entry types and their minimum lengths */
#define MADT_IOAPIC         1
#define MADT_OVERRIDE       2
#define MADT_LAPIC_ADDR_OVR 5
#define MADT_X2APIC         9
#define LEN_LAPIC           8
#define LEN_IOAPIC          12
#define LEN_OVERRIDE        10
#define LEN_LAPIC_ADDR_OVR  12
#define LEN_X2APIC          16

#define CPU_ENABLED         (1u << 0)
#define CPU_ONLINE_CAPABLE  (1u << 1)
#define MPS_POLARITY(f)     ((f) & 3u)          /* 0 bus default, 1 high, 3 low */
#define MPS_TRIGGER(f)      (((f) >> 2) & 3u)   /* 0 bus default, 1 edge, 3 level */
#define MPS_RESERVED        2

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)get_u16(p) | (uint32_t)get_u16(p + 2) << 16;
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

void acpi_madt_defaults(struct acpi_madt_info *out)
{
    memset(out, 0, sizeof(*out));
    out->lapic_base = APIC_DEFAULT_LAPIC_BASE;
    out->pcat_compat = true;
    out->nr_ioapics = 1;
    out->ioapics[0] = (struct madt_ioapic){ 0, APIC_DEFAULT_IOAPIC_BASE, 0 };
    for (uint32_t i = 0; i < MADT_ISA_IRQS; i++)
        out->isa[i].gsi = i;
}

static int refuse(const char **why, const char *reason)
{
    *why = reason;
    return -EINVAL;
}

static void add_cpu(struct acpi_madt_info *out, uint32_t apic_id, uint32_t acpi_id,
                    uint32_t flags)
{
    if (!(flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE))) {
        out->nr_ignored++;                   /* a processor that cannot run */
        return;
    }
    if (out->nr_cpus < MADT_MAX_CPUS) {
        out->cpu_apic_ids[out->nr_cpus] = apic_id;
        out->cpu_acpi_ids[out->nr_cpus] = acpi_id;
    }
    out->nr_cpus++;
}

static void add_ioapic(struct acpi_madt_info *out, const uint8_t *e)
{
    struct madt_ioapic io = { e[2], get_u32(e + 4), get_u32(e + 8) };

    if (io.address == 0 || out->nr_ioapics == MADT_MAX_IOAPICS) {
        out->nr_ignored++;
        return;
    }
    out->ioapics[out->nr_ioapics++] = io;
}

/* An ISA override: bus 0, source IRQ 0-15, no reserved flag values, and
 * the first for its IRQ (a second one is contradictory: ignored). */
static void add_override(struct acpi_madt_info *out, const uint8_t *e)
{
    uint8_t bus = e[2], source = e[3];
    uint32_t gsi = get_u32(e + 4);
    uint16_t flags = get_u16(e + 8);

    if (bus != 0 || source >= MADT_ISA_IRQS || out->isa[source].overridden ||
        MPS_POLARITY(flags) == MPS_RESERVED || MPS_TRIGGER(flags) == MPS_RESERVED) {
        out->nr_ignored++;
        return;
    }
    out->isa[source] = (struct madt_isa_irq){
        .gsi = gsi, .active_low = MPS_POLARITY(flags) == 3,
        .level = MPS_TRIGGER(flags) == 3, .overridden = true,
    };
    out->nr_overrides++;
}

/* The 64-bit local APIC address; a zero or unaligned one is ignored. */
static void add_lapic_override(struct acpi_madt_info *out, const uint8_t *e)
{
    uint64_t base = get_u64(e + 4);

    if (base == 0 || base % 4096 || out->lapic_overridden) {
        out->nr_ignored++;
        return;
    }
    out->lapic_base = base;
    out->lapic_overridden = true;
}

static unsigned int min_length(uint8_t type)
{
    switch (type) {
    case MADT_LAPIC:          return LEN_LAPIC;
    case MADT_IOAPIC:         return LEN_IOAPIC;
    case MADT_OVERRIDE:       return LEN_OVERRIDE;
    case MADT_LAPIC_ADDR_OVR: return LEN_LAPIC_ADDR_OVR;
    case MADT_X2APIC:         return LEN_X2APIC;
    default:                  return 2;  /* types we skip by their length */
    }
}

static void take_entry(struct acpi_madt_info *out, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LAPIC:          add_cpu(out, e[3], e[2], get_u32(e + 4)); break;
    case MADT_IOAPIC:         add_ioapic(out, e); break;
    case MADT_OVERRIDE:       add_override(out, e); break;
    case MADT_LAPIC_ADDR_OVR: add_lapic_override(out, e); break;
    case MADT_X2APIC:         add_cpu(out, get_u32(e + 4), get_u32(e + 12), get_u32(e + 8)); break;
    default:                  break;
    }
}

static int walk_entries(const struct acpi_table *t, struct acpi_madt_info *out,
                        const char **why)
{
    uint32_t off = MADT_ENTRIES;

    while (off < t->len) {
        const uint8_t *e = t->data + off;
        uint32_t left = t->len - off;
        if (left < 2)
            return refuse(why, "an entry header runs past the end of the table");
        if (e[1] < 2 || e[1] > left)
            return refuse(why, "an entry's length is below 2 or runs past the end");
        if (e[1] < min_length(e[0]))
            return refuse(why, "an entry is shorter than its type requires");
        take_entry(out, e);
        off += e[1];
    }
    return 0;
}

static int parse_table(const struct acpi_table *t, struct acpi_madt_info *out,
                       const char **why)
{
    int err;

    if (!t->data || t->len < MADT_ENTRIES || memcmp(t->data, "APIC", 4) != 0)
        return refuse(why, "not an MADT, or shorter than its 44-byte header");
    out->nr_ioapics = 0;                 /* the table says which there are */
    out->lapic_base = get_u32(t->data + MADT_LAPIC_ADDR);
    out->pcat_compat = get_u32(t->data + MADT_FLAGS) & MADT_PCAT_COMPAT;
    err = walk_entries(t, out, why);
    if (err)
        return err;
    if (out->lapic_base == 0 || out->lapic_base % 4096)
        return refuse(why, "the local APIC address is zero or not page-aligned");
    return 0;
}

int acpi_madt_parse(const struct acpi_table *t, struct acpi_madt_info *out,
                    const char **why)
{
    int err;

    acpi_madt_defaults(out);
    *why = "";
    err = parse_table(t, out, why);
    if (err)
        acpi_madt_defaults(out);
    return err;
}

int acpi_madt_find(const struct acpi_mem *mem, const struct acpi_rsdp_info *rsdp,
                   struct acpi_madt_info *out, const char **why)
{
    struct acpi_table t;
    int err;

    acpi_madt_defaults(out);
    *why = "no MADT in the root table";
    err = acpi_find_table(mem, rsdp, "APIC", &t);
    if (err == -EINVAL || err == -EFAULT)
        *why = "the root table is damaged";
    return err ? err : acpi_madt_parse(&t, out, why);
}
