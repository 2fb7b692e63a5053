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
 *  - modules have start <= end and do not overlap each other or the boot
 *    information itself; the first MB2_MAX_MODULES are kept, and any
 *    module tag after them is counted in modules_skipped (the caller
 *    reports it) rather than failing the parse, so a long module list
 *    costs its tail, never the boot;
 *  - a memory map is present.
 * The framebuffer tag (the first one; later ones are ignored) is checked
 * separately and never fails the parse, see fb_check(): a bad one only
 * means no framebuffer console.
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
    if (bi->nr_modules == MB2_MAX_MODULES) {
        bi->modules_skipped++;                 /* no room: dropped, said by the caller */
        return 0;
    }
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

/* ---- the framebuffer tag ------------------------------------------------
 * Layout as GRUB writes it: type, size, u64 address, u32 pitch, width,
 * height, u8 bpp, u8 type, u16 reserved (32 bytes); then, for direct
 * colour, position and size of red, green and blue (6 bytes). */
#define FB_COMMON_LEN 32
#define FB_RGB_LEN    38

static int fb_refuse(struct boot_framebuffer *fb, const char *fmt, ...) __printf(2, 3);

static int fb_refuse(struct boot_framebuffer *fb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fb->why, sizeof(fb->why), fmt, ap);
    va_end(ap);
    fb->kind = BOOT_FB_REFUSED;
    return -EINVAL;
}

/* EGA text: 16-bit cells in the VGA window at 0xb8000, whole lines. */
static int fb_check_text(struct boot_framebuffer *fb)
{
    if (fb->addr != MB2_VGA_TEXT_BASE || fb->bpp != 16)
        return fb_refuse(fb, "text mode at %#lx with %u bpp, not 0xb8000 with 16",
                         (unsigned long)fb->addr, fb->bpp);
    if (fb->width == 0 || fb->width > 255 || fb->height == 0 || fb->height > 255 ||
        fb->pitch != fb->width * 2 || fb->pitch * fb->height > MB2_VGA_TEXT_SIZE)
        return fb_refuse(fb, "text mode %ux%u (pitch %u) does not fit the VGA window",
                         fb->width, fb->height, fb->pitch);
    fb->kind = BOOT_FB_TEXT;
    return 0;
}

/* One colour: 1-8 bits, inside the pixel; returns its mask or 0. */
static uint32_t fb_field(uint8_t pos, uint8_t size, uint32_t pixel_bits)
{
    if (size == 0 || size > 8 || pos >= pixel_bits || size > pixel_bits - pos)
        return 0;
    return ((1u << size) - 1) << pos;
}

static int fb_check_colours(struct boot_framebuffer *fb)
{
    uint32_t bits = fb->bytes_per_pixel * 8u;
    uint32_t r = fb_field(fb->red_pos, fb->red_size, bits);
    uint32_t g = fb_field(fb->green_pos, fb->green_size, bits);
    uint32_t b = fb_field(fb->blue_pos, fb->blue_size, bits);

    if (!r || !g || !b)
        return fb_refuse(fb, "colour field outside the pixel or not 1-8 bits "
                         "(red %u:%u, green %u:%u, blue %u:%u)", fb->red_pos,
                         fb->red_size, fb->green_pos, fb->green_size, fb->blue_pos,
                         fb->blue_size);
    if ((r & g) || (r & b) || (g & b))
        return fb_refuse(fb, "colour fields overlap");
    return 0;
}

static int fb_check_rgb(struct boot_framebuffer *fb, const uint8_t *t, uint32_t size)
{
    uint64_t bytes;

    if (size < FB_RGB_LEN)
        return fb_refuse(fb, "direct-colour framebuffer tag too short (%u bytes)", size);
    if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
        return fb_refuse(fb, "framebuffer depth %u bpp is not 15, 16, 24 or 32", fb->bpp);
    fb->bytes_per_pixel = (uint8_t)((fb->bpp + 7) / 8);
    if (fb->width < MB2_FB_MIN_DIM || fb->width > MB2_FB_MAX_DIM ||
        fb->height < MB2_FB_MIN_DIM || fb->height > MB2_FB_MAX_DIM)
        return fb_refuse(fb, "framebuffer size %ux%u is absurd", fb->width, fb->height);
    if (fb->pitch < fb->width * fb->bytes_per_pixel || fb->pitch > MB2_FB_MAX_PITCH)
        return fb_refuse(fb, "framebuffer pitch %u does not fit width %u at %u bpp",
                         fb->pitch, fb->width, fb->bpp);
    bytes = (uint64_t)fb->pitch * fb->height;
    if (fb->addr == 0 || fb->addr >= MB2_FB_ADDR_LIMIT ||
        bytes > MB2_FB_ADDR_LIMIT - fb->addr)
        return fb_refuse(fb, "framebuffer address %#lx (+%#lx) is not usable",
                         (unsigned long)fb->addr, (unsigned long)bytes);
    fb->red_pos = t[32];
    fb->red_size = t[33];
    fb->green_pos = t[34];
    fb->green_size = t[35];
    fb->blue_pos = t[36];
    fb->blue_size = t[37];
    if (fb_check_colours(fb))
        return -EINVAL;
    fb->kind = BOOT_FB_RGB;
    return 0;
}

static void parse_framebuffer(const uint8_t *t, uint32_t size, struct boot_framebuffer *fb)
{
    uint8_t type;

    if (fb->kind != BOOT_FB_NONE)
        return;                         /* the first tag counts */
    if (size < FB_COMMON_LEN) {
        fb_refuse(fb, "framebuffer tag too short (%u bytes)", size);
        return;
    }
    fb->addr = read_u64(t + 8);
    fb->pitch = read_u32(t + 16);
    fb->width = read_u32(t + 20);
    fb->height = read_u32(t + 24);
    fb->bpp = t[28];
    type = t[29];
    if (type == MB2_FB_EGA_TEXT)
        fb_check_text(fb);
    else if (type == MB2_FB_RGB)
        fb_check_rgb(fb, t, size);
    else if (type == MB2_FB_INDEXED)
        fb_refuse(fb, "indexed-colour framebuffers are not supported");
    else
        fb_refuse(fb, "unknown framebuffer type %u", type);
}

/* Pixels must not land in RAM the allocator will hand out. */
static void fb_check_ram(struct boot_info *bi)
{
    struct boot_framebuffer *fb = &bi->framebuffer;
    uint64_t end = fb->addr + (uint64_t)fb->pitch * fb->height;

    if (fb->kind != BOOT_FB_RGB)
        return;
    for (unsigned int i = 0; i < bi->nr_ranges; i++) {
        const struct mem_range *r = &bi->ranges[i];
        if (r->type == MB2_MEM_RAM && ranges_overlap(fb->addr, end, r->base, r->base + r->len)) {
            fb_refuse(fb, "framebuffer %#lx-%#lx overlaps RAM", (unsigned long)fb->addr,
                      (unsigned long)end);
            return;
        }
    }
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
    case MB2_TAG_FRAMEBUFFER:
        parse_framebuffer(t, size, &bi->framebuffer);
        return 0;
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
    fb_check_ram(bi);
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
