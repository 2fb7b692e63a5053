/*
 * multiboot2.c: parse the multiboot2 boot information. Pure.
 *
 * Rules enforced (each refusal names the rule in why):
 *  - total_size covers at least the 8-byte header and an end tag, is a
 *    multiple of 8 and fits in what the caller can read;
 *  - every tag has size >= 8 and ends inside total_size; tags are 8-aligned;
 *  - the end tag exists and has size 8;
 *  - strings end with a NUL inside their tag;
 *  - memory-map entries are at least 24 bytes, whole, at most MB2_MAX_RANGES,
 *    and no range wraps past 2^64;
 *  - modules have start <= end, at most MB2_MAX_MODULES, and do not overlap
 *    each other or the boot information itself;
 *  - a memory map is present.
 */
#include "multiboot2.h"
#include "console.h"
#include "err.h"

struct tag_header {
    uint32_t type;
    uint32_t size;
};

static int fail(char *why, const char *fmt, ...) __printf(2, 3);

static int fail(char *why, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, MB2_WHY_LEN, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static uint32_t read_u32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t read_u64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* A string occupying [p, p+len): valid only if a NUL ends it inside. */
static const char *tag_string(const uint8_t *p, size_t len)
{
    return (len && memchr(p, '\0', len)) ? (const char *)p : NULL;
}

static int parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi, char *why)
{
    uint32_t entry_size, count;

    if (size < 16)
        return fail(why, "memory map tag too short (%u bytes)", size);
    entry_size = read_u32(t + 8);
    if (entry_size < 24 || entry_size % 8)
        return fail(why, "memory map entry size %u is invalid", entry_size);
    if ((size - 16) % entry_size)
        return fail(why, "memory map tag size %u is not a whole number of entries", size);
    count = (size - 16) / entry_size;
    if (bi->nr_ranges + count > MB2_MAX_RANGES)
        return fail(why, "memory map has more than %u entries", MB2_MAX_RANGES);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = t + 16 + (size_t)i * entry_size;
        struct mem_range r = { read_u64(e), read_u64(e + 8), read_u32(e + 16) };
        if (range_wraps(r.base, r.len))
            return fail(why, "memory map entry %u wraps past the top of memory", i);
        if (r.len)
            bi->ranges[bi->nr_ranges++] = r;
    }
    return 0;
}

static bool ranges_overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
    return a0 < b1 && b0 < a1;
}

static int parse_module(const uint8_t *t, uint32_t size, struct boot_info *bi, char *why)
{
    struct boot_module m;

    if (size < 17)
        return fail(why, "module tag too short (%u bytes)", size);
    if (bi->nr_modules == MB2_MAX_MODULES)
        return fail(why, "more than %u modules", MB2_MAX_MODULES);
    m.start = read_u32(t + 8);
    m.end = read_u32(t + 12);
    m.string = tag_string(t + 16, size - 16);
    if (!m.string)
        return fail(why, "module %u string is not NUL-terminated", bi->nr_modules);
    if (m.end < m.start)
        return fail(why, "module %u ends (%#lx) before it starts (%#lx)",
                    bi->nr_modules, (unsigned long)m.end, (unsigned long)m.start);
    bi->modules[bi->nr_modules++] = m;
    return 0;
}

static int parse_tag(const uint8_t *t, uint32_t type, uint32_t size,
                     struct boot_info *bi, char *why)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
    case MB2_TAG_LOADER_NAME: {
        const char *s = tag_string(t + 8, size - 8);
        if (!s)
            return fail(why, "tag %u string is not NUL-terminated", type);
        *(type == MB2_TAG_CMDLINE ? &bi->cmdline : &bi->loader_name) = s;
        return 0;
    }
    case MB2_TAG_MODULE:
        return parse_module(t, size, bi, why);
    case MB2_TAG_MMAP:
        return parse_mmap(t, size, bi, why);
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        if (type == MB2_TAG_ACPI_NEW || !bi->rsdp) {   /* prefer the new one */
            bi->rsdp = size > 8 ? t + 8 : NULL;
            bi->rsdp_len = size - 8;
        }
        return 0;
    default:
        return 0;                       /* tags we do not use are skipped */
    }
}

static int check_modules(struct boot_info *bi, char *why)
{
    uint64_t i0 = bi->info_phys, i1 = bi->info_phys + bi->info_size;

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *a = &bi->modules[i];
        if (ranges_overlap(a->start, a->end, i0, i1))
            return fail(why, "module %u overlaps the boot information", i);
        for (unsigned int j = i + 1; j < bi->nr_modules; j++) {
            const struct boot_module *b = &bi->modules[j];
            if (ranges_overlap(a->start, a->end, b->start, b->end))
                return fail(why, "modules %u and %u overlap", i, j);
        }
    }
    return 0;
}

static int walk_tags(const uint8_t *base, uint32_t total, struct boot_info *bi, char *why)
{
    uint32_t off = 8;

    while (off <= total - 8) {
        uint32_t type = read_u32(base + off), size = read_u32(base + off + 4);
        int rc;
        if (size < 8 || size > total - off)
            return fail(why, "tag %u at offset %u has size %u past the end (total %u)",
                        type, off, size, total);
        if (type == MB2_TAG_END)
            return size == 8 ? 0 : fail(why, "end tag has size %u, not 8", size);
        rc = parse_tag(base + off, type, size, bi, why);
        if (rc)
            return rc;
        off += (size + 7) & ~7u;
    }
    return fail(why, "no end tag within the %u bytes of boot information", total);
}

int mb2_parse(const void *info, uint64_t info_phys, uint64_t readable,
              struct boot_info *bi, char *why)
{
    const uint8_t *base = info;
    uint32_t total;
    int rc;

    memset(bi, 0, sizeof(*bi));
    why[0] = '\0';
    if (readable < 16)
        return fail(why, "boot information is not readable");
    total = read_u32(base);
    if (total < 16 || total % 8 || total > readable)
        return fail(why, "boot information total size %u is invalid", total);
    bi->info_phys = info_phys;
    bi->info_size = total;
    rc = walk_tags(base, total, bi, why);
    if (rc)
        return rc;
    if (!bi->nr_ranges)
        return fail(why, "the boot loader gave no memory map");
    return check_modules(bi, why);
}

const char *mb2_mem_type_name(uint32_t type)
{
    switch (type) {
    case MB2_MEM_RAM: return "RAM";
    case MB2_MEM_RESERVED: return "reserved";
    case MB2_MEM_ACPI_RECLAIM: return "ACPI data";
    case MB2_MEM_NVS: return "ACPI NVS";
    case MB2_MEM_BAD: return "bad RAM";
    default: return "unknown";
    }
}
