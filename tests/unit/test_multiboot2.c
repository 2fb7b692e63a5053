/*
 * Unit tests for hypervisor/boot/multiboot2.c: parsing the multiboot2 boot
 * information, which comes from the boot loader and is untrusted.
 *
 * Each test builds an information image with the helpers below (8-byte
 * header with total_size, 8-aligned tags, end tag), then hands the parser a
 * heap copy of exactly `readable` bytes, so AddressSanitizer aborts on any
 * read past what the caller said may be read. Every rule the parser enforces
 * has a test that a well-formed image passes it and one that an image
 * breaking it is refused with -EINVAL and a NUL-terminated, non-empty reason
 * that names the rule (checked by a substring), so a refusal for some other
 * reason does not pass by accident.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "multiboot2.h"
#include "err.h"

#define INFO_PHYS 0x10000ull        /* where the images claim to lie */

/* ---- building information images ------------------------------------------ */

struct mb {
    uint8_t buf[16384];
    uint32_t off;                   /* where the next tag goes */
};

static struct mb mb;
static uint8_t *image;              /* the heap copy given to the parser */
static struct boot_info bi;
static char why[MB2_WHY_LEN];

static void put32(uint32_t off, uint32_t v)
{
    memcpy(mb.buf + off, &v, sizeof(v));
}

static void put64(uint32_t off, uint64_t v)
{
    memcpy(mb.buf + off, &v, sizeof(v));
}

static void mb_begin(void)
{
    memset(&mb, 0, sizeof(mb));
    mb.off = 8;
}

/* Start a tag of the given size; returns its offset. The payload is zero. */
static uint32_t mb_tag(uint32_t type, uint32_t size)
{
    uint32_t at = mb.off;

    assert_true(at + ((size + 7) & ~7u) <= sizeof(mb.buf));
    put32(at, type);
    put32(at + 4, size);
    mb.off += (size + 7) & ~7u;
    return at;
}

static uint32_t mb_data(uint32_t type, const void *data, uint32_t len)
{
    uint32_t at = mb_tag(type, 8 + len);

    memcpy(mb.buf + at + 8, data, len);
    return at;
}

static uint32_t mb_string(uint32_t type, const char *s)
{
    return mb_data(type, s, (uint32_t)strlen(s) + 1);
}

static uint32_t mb_module(uint32_t start, uint32_t end, const char *s)
{
    uint32_t len = (uint32_t)strlen(s) + 1;
    uint32_t at = mb_tag(MB2_TAG_MODULE, 16 + len);

    put32(at + 8, start);
    put32(at + 12, end);
    memcpy(mb.buf + at + 16, s, len);
    return at;
}

/* A memory map tag with entries of entry_size bytes (24 or more). */
static uint32_t mb_mmap(uint32_t entry_size, const struct mem_range *r, unsigned int n)
{
    uint32_t at = mb_tag(MB2_TAG_MMAP, 16 + n * entry_size);

    put32(at + 8, entry_size);
    put32(at + 12, 0);
    for (unsigned int i = 0; i < n; i++) {
        uint32_t e = at + 16 + i * entry_size;
        put64(e, r[i].base);
        put64(e + 8, r[i].len);
        put32(e + 16, r[i].type);
        if (entry_size >= 24)
            put32(e + 20, 0);
    }
    return at;
}

static const struct mem_range small_map[] = {
    { 0, 0x9fc00, MB2_MEM_RAM },
    { 0x100000, 0x7f00000, MB2_MEM_RAM },
};

static uint32_t mb_small_mmap(void)
{
    return mb_mmap(24, small_map, ARRAY_SIZE(small_map));
}

static void mb_set_total(uint32_t total)
{
    put32(0, total);
    put32(4, 0);
}

/* The end tag, and total_size covering everything so far. */
static void mb_end(void)
{
    mb_tag(MB2_TAG_END, 8);
    mb_set_total(mb.off);
}

/* Parse the first `readable` bytes of the image, from an exact heap copy. */
static int parse_readable(uint64_t readable)
{
    assert_true(readable > 0 && readable <= sizeof(mb.buf));
    free(image);
    image = malloc(readable);
    assert_non_null(image);
    memcpy(image, mb.buf, readable);
    memset(why, 'X', sizeof(why));
    return mb2_parse(image, INFO_PHYS, readable, &bi, why);
}

static int parse_image(void)
{
    return parse_readable(mb.off);
}

static void assert_refused(int rc, const char *rule)
{
    assert_int_equal(rc, -EINVAL);
    assert_non_null(memchr(why, '\0', sizeof(why)));
    assert_true(strlen(why) > 0);
    if (!strstr(why, rule))
        fail_msg("refused for \"%s\", expected \"%s\"", why, rule);
}

static void assert_parsed(int rc)
{
    if (rc != 0)
        fail_msg("refused: %s", why);
    assert_string_equal(why, "");
}

static int setup(void **state)
{
    (void)state;
    mb_begin();
    image = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(image);
    image = NULL;
    return 0;
}

/* ---- well-formed information ---------------------------------------------- */

static void test_full_information(void **state)
{
    static const struct mem_range map[] = {
        { 0, 0x9fc00, MB2_MEM_RAM },
        { 0xf0000, 0x10000, MB2_MEM_RESERVED },
        { 0x100000, 0x7ee0000, MB2_MEM_RAM },
        { 0x7fe0000, 0x20000, MB2_MEM_ACPI_RECLAIM },
        { 0xfffc0000, 0x40000, MB2_MEM_RESERVED },
    };
    uint8_t rsdp_old[20] = "RSD PTR old";
    uint8_t rsdp_new[36] = "RSD PTR new";
    uint32_t basic[2] = { 639, 130048 };
    uint32_t cmd_at, name_at, mod0_at, mod1_at, new_at;

    (void)state;
    cmd_at = mb_string(MB2_TAG_CMDLINE, "console=com1 loglvl=debug");
    name_at = mb_string(MB2_TAG_LOADER_NAME, "GRUB 2.06");
    mb_data(MB2_TAG_BASIC_MEM, basic, sizeof(basic));
    mb_mmap(24, map, ARRAY_SIZE(map));
    mod0_at = mb_module(0x200000, 0x300000, "dom0 kernel root=/dev/xvda");
    mod1_at = mb_module(0x300000, 0x310000, "initrd");
    mb_data(MB2_TAG_ACPI_OLD, rsdp_old, sizeof(rsdp_old));
    new_at = mb_data(MB2_TAG_ACPI_NEW, rsdp_new, sizeof(rsdp_new));
    mb_end();

    assert_parsed(parse_image());
    assert_int_equal(bi.info_phys, INFO_PHYS);
    assert_int_equal(bi.info_size, mb.off);
    assert_ptr_equal(bi.cmdline, image + cmd_at + 8);
    assert_string_equal(bi.cmdline, "console=com1 loglvl=debug");
    assert_ptr_equal(bi.loader_name, image + name_at + 8);
    assert_string_equal(bi.loader_name, "GRUB 2.06");

    assert_int_equal(bi.nr_ranges, ARRAY_SIZE(map));
    for (unsigned int i = 0; i < ARRAY_SIZE(map); i++) {
        assert_int_equal(bi.ranges[i].base, map[i].base);
        assert_int_equal(bi.ranges[i].len, map[i].len);
        assert_int_equal(bi.ranges[i].type, map[i].type);
    }

    assert_int_equal(bi.nr_modules, 2);
    assert_int_equal(bi.modules[0].start, 0x200000);
    assert_int_equal(bi.modules[0].end, 0x300000);
    assert_ptr_equal(bi.modules[0].string, image + mod0_at + 16);
    assert_string_equal(bi.modules[0].string, "dom0 kernel root=/dev/xvda");
    assert_int_equal(bi.modules[1].start, 0x300000);
    assert_int_equal(bi.modules[1].end, 0x310000);
    assert_ptr_equal(bi.modules[1].string, image + mod1_at + 16);
    assert_string_equal(bi.modules[1].string, "initrd");

    assert_ptr_equal(bi.rsdp, image + new_at + 8);
    assert_int_equal(bi.rsdp_len, sizeof(rsdp_new));
    assert_memory_equal(bi.rsdp, rsdp_new, sizeof(rsdp_new));
}

static void test_minimal_information(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_image());
    assert_null(bi.cmdline);
    assert_null(bi.loader_name);
    assert_null(bi.rsdp);
    assert_int_equal(bi.rsdp_len, 0);
    assert_int_equal(bi.nr_modules, 0);
    assert_int_equal(bi.nr_ranges, 2);
}

static void test_acpi_new_preferred_when_first(void **state)
{
    uint8_t rsdp_new[36] = "new";
    uint8_t rsdp_old[20] = "old";
    uint32_t new_at;

    (void)state;
    mb_small_mmap();
    new_at = mb_data(MB2_TAG_ACPI_NEW, rsdp_new, sizeof(rsdp_new));
    mb_data(MB2_TAG_ACPI_OLD, rsdp_old, sizeof(rsdp_old));
    mb_end();
    assert_parsed(parse_image());
    assert_ptr_equal(bi.rsdp, image + new_at + 8);
    assert_int_equal(bi.rsdp_len, 36);
}

static void test_acpi_old_used_alone(void **state)
{
    uint8_t rsdp_old[20] = "old";
    uint32_t old_at;

    (void)state;
    old_at = mb_data(MB2_TAG_ACPI_OLD, rsdp_old, sizeof(rsdp_old));
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_image());
    assert_ptr_equal(bi.rsdp, image + old_at + 8);
    assert_int_equal(bi.rsdp_len, 20);
}

static void test_readable_beyond_total_size(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_readable(mb.off + 100));
    assert_int_equal(bi.info_size, mb.off);
}

static void test_unknown_tags_skipped(void **state)
{
    uint8_t junk[13] = { 1, 2, 3 };

    (void)state;
    mb_data(21, junk, sizeof(junk));           /* image load base */
    mb_data(0x7777, junk, 5);
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_ranges, 2);
}

static void test_tags_after_end_ignored(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_tag(MB2_TAG_END, 8);
    mb_string(MB2_TAG_CMDLINE, "after the end");
    mb_set_total(mb.off);
    assert_parsed(parse_image());
    assert_null(bi.cmdline);
}

/* ---- the header --------------------------------------------------------- */

static void test_readable_below_16_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    assert_refused(parse_readable(15), "not readable");
    assert_refused(parse_readable(8), "not readable");
}

static void test_smallest_information_read(void **state)
{
    (void)state;
    /* 16 bytes: header and end tag, readable; refused only for no map */
    mb_end();
    assert_int_equal(mb.off, 16);
    assert_refused(parse_readable(16), "no memory map");
}

static void test_total_size_below_16_refused(void **state)
{
    (void)state;
    mb_end();
    mb_set_total(8);
    assert_refused(parse_readable(16), "total size");
    mb_set_total(0);
    assert_refused(parse_readable(16), "total size");
}

static void test_total_size_not_multiple_of_8_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    mb_set_total(mb.off - 4);
    assert_refused(parse_readable(mb.off), "total size");
}

static void test_total_size_beyond_readable_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    assert_refused(parse_readable(mb.off - 8), "total size");
    assert_refused(parse_readable(mb.off - 1), "total size");
}

/* ---- tags --------------------------------------------------------------- */

static void test_tag_size_below_8_refused(void **state)
{
    uint32_t at;

    (void)state;
    at = mb_string(MB2_TAG_CMDLINE, "x");
    mb_small_mmap();
    mb_end();
    put32(at + 4, 4);
    assert_refused(parse_image(), "past the end");
    put32(at + 4, 0);
    assert_refused(parse_image(), "past the end");
}

static void test_tag_running_past_end_refused(void **state)
{
    uint32_t at;

    (void)state;
    mb_small_mmap();
    at = mb_string(MB2_TAG_CMDLINE, "abc");
    mb_end();
    put32(at + 4, mb.off - at + 1);           /* one byte past total_size */
    assert_refused(parse_image(), "past the end");
    put32(at + 4, 0xfffffff8);
    assert_refused(parse_image(), "past the end");
}

static void test_tag_up_to_end_tag_accepted(void **state)
{
    uint32_t at;

    (void)state;
    mb_small_mmap();
    at = mb_string(MB2_TAG_CMDLINE, "abc");
    mb_end();
    /* grow the cmdline tag (12 bytes, padded to 16) over its padding, so it
     * ends exactly where the end tag starts */
    put32(at + 4, 16);
    assert_parsed(parse_image());
    assert_string_equal(bi.cmdline, "abc");
}

static void test_missing_end_tag_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_string(MB2_TAG_CMDLINE, "no end");
    mb_set_total(mb.off);
    assert_refused(parse_image(), "no end tag");
}

static void test_end_tag_bad_size_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_tag(MB2_TAG_END, 16);
    mb_set_total(mb.off);
    assert_refused(parse_image(), "end tag has size");
}

/* ---- strings ------------------------------------------------------------ */

static void test_cmdline_unterminated_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    /* "abc" without its NUL: the padding after the tag is zero, so a parser
     * that looked past the tag's size would wrongly find a terminator */
    mb_data(MB2_TAG_CMDLINE, "abc", 3);
    mb_end();
    assert_refused(parse_image(), "not NUL-terminated");
}

static void test_cmdline_empty_tag_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_tag(MB2_TAG_CMDLINE, 8);
    mb_end();
    assert_refused(parse_image(), "not NUL-terminated");
}

static void test_cmdline_empty_string_accepted(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_string(MB2_TAG_CMDLINE, "");
    mb_end();
    assert_parsed(parse_image());
    assert_string_equal(bi.cmdline, "");
}

static void test_loader_name_unterminated_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_data(MB2_TAG_LOADER_NAME, "GRUB", 4);
    mb_end();
    assert_refused(parse_image(), "not NUL-terminated");
}

/* ---- modules ------------------------------------------------------------ */

static void test_module_unterminated_refused(void **state)
{
    uint32_t at;

    (void)state;
    mb_small_mmap();
    at = mb_tag(MB2_TAG_MODULE, 16 + 5);
    put32(at + 8, 0x200000);
    put32(at + 12, 0x201000);
    memcpy(mb.buf + at + 16, "abcde", 5);
    mb_end();
    assert_refused(parse_image(), "not NUL-terminated");
}

static void test_module_empty_string_accepted(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x200000, 0x201000, "");        /* tag size 17 */
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_modules, 1);
    assert_string_equal(bi.modules[0].string, "");
}

static void test_module_tag_too_short_refused(void **state)
{
    uint32_t at;

    (void)state;
    mb_small_mmap();
    at = mb_tag(MB2_TAG_MODULE, 16);          /* no room for a string */
    put32(at + 8, 0x200000);
    put32(at + 12, 0x201000);
    mb_end();
    assert_refused(parse_image(), "module tag too short");
}

static void test_module_end_before_start_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x201000, 0x200fff, "backwards");
    mb_end();
    assert_refused(parse_image(), "before it starts");
}

static void test_module_empty_range_accepted(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x400000, 0x400000, "empty file");
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.modules[0].start, bi.modules[0].end);
}

static void test_modules_touching_accepted(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x201000, 0x202000, "b");
    mb_module(0x200000, 0x201000, "a");
    mb_module(0x202000, 0x203000, "c");
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_modules, 3);
}

static void test_modules_overlapping_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x200000, 0x201000, "a");
    mb_module(0x300000, 0x301000, "b");
    mb_module(0x200fff, 0x202000, "c");
    mb_end();
    assert_refused(parse_image(), "modules 0 and 2 overlap");
}

static void test_module_inside_another_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x200000, 0x300000, "big");
    mb_module(0x250000, 0x251000, "inside");
    mb_end();
    assert_refused(parse_image(), "overlap");
}

static void test_module_next_to_information_accepted(void **state)
{
    uint32_t above;

    (void)state;
    mb_small_mmap();
    mb_module(0x1000, (uint32_t)INFO_PHYS, "below");  /* ends where it starts */
    above = mb_module(0, 0, "above");
    mb_end();
    /* the second module starts on the first byte after the information */
    put32(above + 8, (uint32_t)INFO_PHYS + mb.off);
    put32(above + 12, (uint32_t)INFO_PHYS + mb.off + 0x1000);
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_modules, 2);
    assert_int_equal(bi.modules[1].start, INFO_PHYS + bi.info_size);
}

static void test_module_overlapping_information_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module(0x1000, (uint32_t)INFO_PHYS + 8, "over the info");
    mb_end();
    assert_refused(parse_image(), "overlaps the boot information");
}

static void test_module_containing_information_refused(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_module((uint32_t)INFO_PHYS - 0x1000, (uint32_t)INFO_PHYS + 0x100000, "around");
    mb_end();
    assert_refused(parse_image(), "overlaps the boot information");
}

static void test_max_modules_accepted(void **state)
{
    (void)state;
    mb_small_mmap();
    for (uint32_t i = 0; i < MB2_MAX_MODULES; i++)
        mb_module(0x200000 + i * 0x1000, 0x200000 + i * 0x1000 + 0x800, "m");
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_modules, MB2_MAX_MODULES);
    assert_int_equal(bi.modules[MB2_MAX_MODULES - 1].start,
                     0x200000 + (MB2_MAX_MODULES - 1) * 0x1000);
}

/* Module tags past MB2_MAX_MODULES are counted and dropped, never a
 * refused boot: the kept ones are the first, in order, and a dropped one
 * is not even checked for overlaps (it is never used). */
static void test_too_many_modules_skipped(void **state)
{
    (void)state;
    mb_small_mmap();
    for (uint32_t i = 0; i < MB2_MAX_MODULES + 3; i++)
        mb_module(0x200000 + i * 0x1000, 0x200000 + i * 0x1000 + 0x800, "m");
    mb_module(0x200000, 0x200800, "overlaps module 0");
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_modules, MB2_MAX_MODULES);
    assert_int_equal(bi.modules_skipped, 4);
    assert_int_equal(bi.modules[MB2_MAX_MODULES - 1].start,
                     0x200000 + (MB2_MAX_MODULES - 1) * 0x1000);
}

/* Up to the limit nothing is skipped. */
static void test_modules_at_limit_none_skipped(void **state)
{
    (void)state;
    mb_small_mmap();
    for (uint32_t i = 0; i < MB2_MAX_MODULES; i++)
        mb_module(0x200000 + i * 0x1000, 0x200000 + i * 0x1000 + 0x800, "m");
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.modules_skipped, 0);
}

/* The limit is at least what 128 domains with an initrd each need. */
static void test_module_limit_fits_128_domains(void **state)
{
    (void)state;
    assert_true(MB2_MAX_MODULES >= 2 * 128);
}

/* ---- the memory map ----------------------------------------------------- */

static void test_mmap_larger_entries_accepted(void **state)
{
    static const struct mem_range map[] = {
        { 0x1000, 0x2000, MB2_MEM_RAM },
        { 0x100000, 0x300000, MB2_MEM_NVS },
        { 0x400000, 0x1000, MB2_MEM_BAD },
    };

    (void)state;
    mb_mmap(40, map, ARRAY_SIZE(map));        /* a newer, longer entry */
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_ranges, 3);
    for (unsigned int i = 0; i < 3; i++) {
        assert_int_equal(bi.ranges[i].base, map[i].base);
        assert_int_equal(bi.ranges[i].len, map[i].len);
        assert_int_equal(bi.ranges[i].type, map[i].type);
    }
}

static void test_mmap_entry_size_below_24_refused(void **state)
{
    (void)state;
    mb_mmap(16, small_map, 2);
    mb_end();
    assert_refused(parse_image(), "entry size 16");
}

static void test_mmap_entry_size_zero_refused(void **state)
{
    uint32_t at;

    (void)state;
    at = mb_small_mmap();
    mb_end();
    put32(at + 8, 0);                         /* would divide by zero */
    assert_refused(parse_image(), "entry size 0");
}

static void test_mmap_entry_size_not_multiple_of_8_refused(void **state)
{
    (void)state;
    mb_mmap(28, small_map, 2);                /* tag holds 2 whole entries */
    mb_end();
    assert_refused(parse_image(), "entry size 28");
}

static void test_mmap_partial_entry_refused(void **state)
{
    uint32_t at;

    (void)state;
    at = mb_mmap(24, small_map, 2);
    mb_end();
    put32(at + 4, 16 + 24 + 8);               /* one and a third entries */
    assert_refused(parse_image(), "whole number of entries");
}

static void test_mmap_tag_too_short_refused(void **state)
{
    uint32_t at;

    (void)state;
    at = mb_tag(MB2_TAG_MMAP, 12);
    put32(at + 8, 24);
    mb_small_mmap();
    mb_end();
    assert_refused(parse_image(), "memory map tag too short");
}

static void test_mmap_without_entries_is_no_map(void **state)
{
    (void)state;
    mb_mmap(24, small_map, 0);                /* a valid, empty tag */
    mb_end();
    assert_refused(parse_image(), "no memory map");
}

static void fill_ranges(struct mem_range *r, unsigned int n, uint64_t first)
{
    for (unsigned int i = 0; i < n; i++)
        r[i] = (struct mem_range){ (first + i) * 0x10000, 0x8000, MB2_MEM_RAM };
}

static void test_max_ranges_accepted(void **state)
{
    static struct mem_range map[MB2_MAX_RANGES];

    (void)state;
    fill_ranges(map, MB2_MAX_RANGES, 0);
    mb_mmap(24, map, MB2_MAX_RANGES);
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_ranges, MB2_MAX_RANGES);
    assert_int_equal(bi.ranges[MB2_MAX_RANGES - 1].base,
                     (uint64_t)(MB2_MAX_RANGES - 1) * 0x10000);
}

static void test_too_many_ranges_refused(void **state)
{
    static struct mem_range map[MB2_MAX_RANGES + 1];

    (void)state;
    fill_ranges(map, MB2_MAX_RANGES + 1, 0);
    mb_mmap(24, map, MB2_MAX_RANGES + 1);
    mb_end();
    assert_refused(parse_image(), "more than 128 entries");
}

static void test_too_many_ranges_over_two_tags_refused(void **state)
{
    static struct mem_range map[MB2_MAX_RANGES + 1];

    (void)state;
    fill_ranges(map, MB2_MAX_RANGES + 1, 0);
    mb_mmap(24, map, 100);
    mb_mmap(24, map + 100, MB2_MAX_RANGES + 1 - 100);
    mb_end();
    assert_refused(parse_image(), "more than 128 entries");
}

static void test_range_ending_at_top_accepted(void **state)
{
    static const struct mem_range map[] = {
        { 0x100000, 0x100000, MB2_MEM_RAM },
        { 0xfffffffffffff000ull, 0x1000, MB2_MEM_RESERVED },
    };

    (void)state;
    mb_mmap(24, map, ARRAY_SIZE(map));
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_ranges, 2);
    assert_int_equal(bi.ranges[1].base, 0xfffffffffffff000ull);
}

static void test_range_wrapping_refused(void **state)
{
    static const struct mem_range map[] = {
        { 0x100000, 0x100000, MB2_MEM_RAM },
        { 0xfffffffffffff000ull, 0x1001, MB2_MEM_RESERVED },
    };

    (void)state;
    mb_mmap(24, map, ARRAY_SIZE(map));
    mb_end();
    assert_refused(parse_image(), "entry 1 wraps");
}

static void test_no_memory_map_refused(void **state)
{
    (void)state;
    mb_string(MB2_TAG_CMDLINE, "console=com1");
    mb_module(0x200000, 0x201000, "m");
    mb_end();
    assert_refused(parse_image(), "no memory map");
}

static void test_zero_length_ranges_skipped(void **state)
{
    static const struct mem_range map[] = {
        { 0, 0x9fc00, MB2_MEM_RAM },
        { 0x9fc00, 0, MB2_MEM_RESERVED },
        { 0x100000, 0x100000, MB2_MEM_RAM },
        { 0xffffffffffffffffull, 0, MB2_MEM_RAM },
    };

    (void)state;
    mb_mmap(24, map, ARRAY_SIZE(map));
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.nr_ranges, 2);
    assert_int_equal(bi.ranges[0].base, 0);
    assert_int_equal(bi.ranges[1].base, 0x100000);
}

static void test_only_zero_length_ranges_is_no_map(void **state)
{
    static const struct mem_range map[] = {
        { 0, 0, MB2_MEM_RAM },
        { 0x100000, 0, MB2_MEM_RAM },
    };

    (void)state;
    mb_mmap(24, map, ARRAY_SIZE(map));
    mb_end();
    assert_refused(parse_image(), "no memory map");
}

/* ---- the framebuffer tag -------------------------------------------------- */

struct fb_spec {
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type;
    uint8_t colours[6];             /* red pos, size, green pos, size, blue pos, size */
};

/* A framebuffer tag as GRUB writes it: 32 bytes, then 6 colour bytes. */
static uint32_t mb_fb(const struct fb_spec *f, uint32_t size)
{
    uint32_t at = mb_tag(MB2_TAG_FRAMEBUFFER, size);

    put64(at + 8, f->addr);
    put32(at + 16, f->pitch);
    put32(at + 20, f->width);
    put32(at + 24, f->height);
    mb.buf[at + 28] = f->bpp;
    mb.buf[at + 29] = f->type;
    if (size >= 38)
        memcpy(mb.buf + at + 32, f->colours, 6);
    return at;
}

static const struct fb_spec gop = {         /* OVMF's GOP under QEMU */
    0x80000000, 1280 * 4, 1280, 800, 32, MB2_FB_RGB, { 16, 8, 8, 8, 0, 8 },
};

static const struct fb_spec ega = { 0xb8000, 160, 80, 25, 16, MB2_FB_EGA_TEXT, { 0 } };

/* Parse an image with the small map and one framebuffer tag. */
static void parse_fb(const struct fb_spec *f, uint32_t size)
{
    mb_begin();
    mb_small_mmap();
    mb_fb(f, size);
    mb_end();
    assert_parsed(parse_image());
}

static void assert_fb_refused(const char *rule)
{
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_REFUSED);
    if (!strstr(bi.framebuffer.why, rule))
        fail_msg("framebuffer refused for \"%s\", expected \"%s\"",
                 bi.framebuffer.why, rule);
}

static void test_fb_none(void **state)
{
    (void)state;
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_NONE);
}

static void test_fb_rgb32_accepted(void **state)
{
    (void)state;
    parse_fb(&gop, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    assert_int_equal(bi.framebuffer.addr, 0x80000000);
    assert_int_equal(bi.framebuffer.pitch, 5120);
    assert_int_equal(bi.framebuffer.width, 1280);
    assert_int_equal(bi.framebuffer.height, 800);
    assert_int_equal(bi.framebuffer.bpp, 32);
    assert_int_equal(bi.framebuffer.bytes_per_pixel, 4);
    assert_int_equal(bi.framebuffer.red_pos, 16);
    assert_int_equal(bi.framebuffer.green_pos, 8);
    assert_int_equal(bi.framebuffer.blue_pos, 0);
    assert_int_equal(bi.framebuffer.blue_size, 8);
}

static void test_fb_rgb24_16_15_accepted(void **state)
{
    struct fb_spec f24 = { 0xe0000000, 3 * 1024, 1024, 768, 24, MB2_FB_RGB, { 16, 8, 8, 8, 0, 8 } };
    struct fb_spec f16 = { 0xe0000000, 2 * 800, 800, 600, 16, MB2_FB_RGB, { 11, 5, 5, 6, 0, 5 } };
    struct fb_spec f15 = { 0xe0000000, 2 * 640, 640, 480, 15, MB2_FB_RGB, { 10, 5, 5, 5, 0, 5 } };

    (void)state;
    parse_fb(&f24, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    assert_int_equal(bi.framebuffer.bytes_per_pixel, 3);
    parse_fb(&f16, 40);                      /* padded tag: longer is fine */
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    assert_int_equal(bi.framebuffer.bytes_per_pixel, 2);
    parse_fb(&f15, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    assert_int_equal(bi.framebuffer.bytes_per_pixel, 2);
}

static void test_fb_ega_text_accepted(void **state)
{
    (void)state;
    parse_fb(&ega, 32);                      /* text: no colour info */
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_TEXT);
    assert_int_equal(bi.framebuffer.width, 80);
    assert_int_equal(bi.framebuffer.height, 25);
}

static void test_fb_ega_text_refused(void **state)
{
    struct fb_spec f = ega;

    (void)state;
    f.addr = 0xa0000;
    parse_fb(&f, 32);
    assert_fb_refused("not 0xb8000");
    f = ega;
    f.bpp = 8;
    parse_fb(&f, 32);
    assert_fb_refused("not 0xb8000");
    f = ega;
    f.pitch = 80;
    parse_fb(&f, 32);
    assert_fb_refused("does not fit");
    f = ega;
    f.height = 250;                          /* 40 KB: past the window */
    parse_fb(&f, 32);
    assert_fb_refused("does not fit");
    f = ega;
    f.width = 0x80000000u;                   /* width * 2 would wrap to 0 */
    f.pitch = 0;
    parse_fb(&f, 32);
    assert_fb_refused("does not fit");
}

static void test_fb_tag_too_short_refused(void **state)
{
    (void)state;
    parse_fb(&gop, 31);
    assert_fb_refused("framebuffer tag too short");
    parse_fb(&gop, 37);                      /* RGB without all colour bytes */
    assert_fb_refused("direct-colour framebuffer tag too short");
}

static void test_fb_types_refused(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    f.type = MB2_FB_INDEXED;
    parse_fb(&f, 38);
    assert_fb_refused("indexed-colour");
    f.type = 3;
    parse_fb(&f, 38);
    assert_fb_refused("unknown framebuffer type 3");
}

static void test_fb_depth_refused(void **state)
{
    static const uint8_t bad[] = { 0, 1, 4, 8, 12, 31, 33, 64, 255 };
    struct fb_spec f = gop;

    (void)state;
    for (unsigned int i = 0; i < sizeof(bad); i++) {
        f.bpp = bad[i];
        parse_fb(&f, 38);
        assert_fb_refused("bpp is not 15, 16, 24 or 32");
    }
}

static void test_fb_dimensions(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    f.width = MB2_FB_MIN_DIM;
    f.height = MB2_FB_MIN_DIM;
    parse_fb(&f, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    f.width = MB2_FB_MAX_DIM;
    f.height = MB2_FB_MAX_DIM;
    f.pitch = MB2_FB_MAX_DIM * 4;
    parse_fb(&f, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    f.width = MB2_FB_MIN_DIM - 1;
    parse_fb(&f, 38);
    assert_fb_refused("absurd");
    f = gop;
    f.height = MB2_FB_MAX_DIM + 1;
    parse_fb(&f, 38);
    assert_fb_refused("absurd");
    f = gop;
    f.width = 0;
    parse_fb(&f, 38);
    assert_fb_refused("absurd");
}

static void test_fb_pitch(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    f.pitch = 1280 * 4 + 256;                /* padded lines: fine */
    parse_fb(&f, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    f.pitch = 1280 * 4 - 1;
    parse_fb(&f, 38);
    assert_fb_refused("pitch");
    f.pitch = MB2_FB_MAX_PITCH + 4;
    parse_fb(&f, 38);
    assert_fb_refused("pitch");
}

static void test_fb_address(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    f.addr = 0x4000000000ull;                /* above 4 GiB: fine, mapped later */
    parse_fb(&f, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
    f.addr = 0;
    parse_fb(&f, 38);
    assert_fb_refused("not usable");
    f.addr = MB2_FB_ADDR_LIMIT;
    parse_fb(&f, 38);
    assert_fb_refused("not usable");
    f.addr = MB2_FB_ADDR_LIMIT - 4096;       /* the end runs past the limit */
    parse_fb(&f, 38);
    assert_fb_refused("not usable");
    f.addr = UINT64_MAX - 4095;              /* would wrap */
    parse_fb(&f, 38);
    assert_fb_refused("not usable");
}

static void test_fb_over_ram_refused(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    f.addr = 0x1000000;                      /* inside small_map's RAM */
    parse_fb(&f, 38);
    assert_fb_refused("overlaps RAM");
    f.addr = 0x100000 + 0x7f00000;           /* just after it */
    parse_fb(&f, 38);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_RGB);
}

static void test_fb_colours_refused(void **state)
{
    static const uint8_t bad[][6] = {
        { 16, 0, 8, 8, 0, 8 },               /* red has no bits */
        { 16, 9, 8, 8, 0, 8 },               /* 9 bits: more than we draw */
        { 30, 8, 8, 8, 0, 8 },               /* red runs past 32 bits */
        { 32, 8, 8, 8, 0, 8 },               /* red starts past the pixel */
        { 12, 8, 8, 8, 0, 8 },               /* red and green overlap */
        { 16, 8, 8, 8, 8, 8 },               /* green and blue coincide */
    };
    struct fb_spec f = gop;

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        memcpy(f.colours, bad[i], 6);
        parse_fb(&f, 38);
        assert_int_equal(bi.framebuffer.kind, BOOT_FB_REFUSED);
    }
    f = gop;
    f.bpp = 16;
    f.pitch = 2560;
    memcpy(f.colours, (uint8_t[6]){ 11, 5, 5, 6, 0, 6 }, 6);  /* blue into green */
    parse_fb(&f, 38);
    assert_fb_refused("overlap");
    f.bpp = 24;
    f.pitch = 3840;
    memcpy(f.colours, (uint8_t[6]){ 24, 8, 8, 8, 0, 8 }, 6);  /* red past 24 bits */
    parse_fb(&f, 38);
    assert_fb_refused("outside the pixel");
}

static void test_fb_first_tag_counts(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    mb_small_mmap();
    mb_fb(&ega, 32);
    f.type = 9;                              /* would be refused if looked at */
    mb_fb(&f, 38);
    mb_end();
    assert_parsed(parse_image());
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_TEXT);
}

static void test_fb_refusal_keeps_boot_info(void **state)
{
    struct fb_spec f = gop;

    (void)state;
    mb_string(MB2_TAG_CMDLINE, "console=vga");
    f.bpp = 7;
    mb_fb(&f, 38);
    mb_small_mmap();
    mb_end();
    assert_parsed(parse_image());            /* a bad framebuffer is not fatal */
    assert_string_equal(bi.cmdline, "console=vga");
    assert_int_equal(bi.nr_ranges, 2);
    assert_int_equal(bi.framebuffer.kind, BOOT_FB_REFUSED);
}

static void test_fb_tag_past_end_is_fatal(void **state)
{
    uint32_t at;

    (void)state;
    mb_small_mmap();
    at = mb_fb(&gop, 38);
    mb_end();
    put32(at + 4, mb.off - at + 8);          /* the tag framing itself is broken */
    assert_refused(parse_image(), "past the end");
}

/* ---- memory types ------------------------------------------------------- */

static void test_mem_type_names(void **state)
{
    (void)state;
    assert_string_equal(mb2_mem_type_name(MB2_MEM_RAM), "RAM");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_RESERVED), "reserved");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_ACPI_RECLAIM), "ACPI data");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_NVS), "ACPI NVS");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_BAD), "bad RAM");
}

static void test_mem_type_name_unknown(void **state)
{
    (void)state;
    assert_string_equal(mb2_mem_type_name(0), "unknown");
    assert_string_equal(mb2_mem_type_name(6), "unknown");
    assert_string_equal(mb2_mem_type_name(UINT32_MAX), "unknown");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_full_information),
        T(test_minimal_information),
        T(test_acpi_new_preferred_when_first),
        T(test_acpi_old_used_alone),
        T(test_readable_beyond_total_size),
        T(test_unknown_tags_skipped),
        T(test_tags_after_end_ignored),
        T(test_readable_below_16_refused),
        T(test_smallest_information_read),
        T(test_total_size_below_16_refused),
        T(test_total_size_not_multiple_of_8_refused),
        T(test_total_size_beyond_readable_refused),
        T(test_tag_size_below_8_refused),
        T(test_tag_running_past_end_refused),
        T(test_tag_up_to_end_tag_accepted),
        T(test_missing_end_tag_refused),
        T(test_end_tag_bad_size_refused),
        T(test_cmdline_unterminated_refused),
        T(test_cmdline_empty_tag_refused),
        T(test_cmdline_empty_string_accepted),
        T(test_loader_name_unterminated_refused),
        T(test_module_unterminated_refused),
        T(test_module_empty_string_accepted),
        T(test_module_tag_too_short_refused),
        T(test_module_end_before_start_refused),
        T(test_module_empty_range_accepted),
        T(test_modules_touching_accepted),
        T(test_modules_overlapping_refused),
        T(test_module_inside_another_refused),
        T(test_module_next_to_information_accepted),
        T(test_module_overlapping_information_refused),
        T(test_module_containing_information_refused),
        T(test_max_modules_accepted),
        T(test_too_many_modules_skipped),
        T(test_modules_at_limit_none_skipped),
        T(test_module_limit_fits_128_domains),
        T(test_mmap_larger_entries_accepted),
        T(test_mmap_entry_size_below_24_refused),
        T(test_mmap_entry_size_zero_refused),
        T(test_mmap_entry_size_not_multiple_of_8_refused),
        T(test_mmap_partial_entry_refused),
        T(test_mmap_tag_too_short_refused),
        T(test_mmap_without_entries_is_no_map),
        T(test_max_ranges_accepted),
        T(test_too_many_ranges_refused),
        T(test_too_many_ranges_over_two_tags_refused),
        T(test_range_ending_at_top_accepted),
        T(test_range_wrapping_refused),
        T(test_no_memory_map_refused),
        T(test_zero_length_ranges_skipped),
        T(test_only_zero_length_ranges_is_no_map),
        T(test_fb_none),
        T(test_fb_rgb32_accepted),
        T(test_fb_rgb24_16_15_accepted),
        T(test_fb_ega_text_accepted),
        T(test_fb_ega_text_refused),
        T(test_fb_tag_too_short_refused),
        T(test_fb_types_refused),
        T(test_fb_depth_refused),
        T(test_fb_dimensions),
        T(test_fb_pitch),
        T(test_fb_address),
        T(test_fb_over_ram_refused),
        T(test_fb_colours_refused),
        T(test_fb_first_tag_counts),
        T(test_fb_refusal_keeps_boot_info),
        T(test_fb_tag_past_end_is_fatal),
        T(test_mem_type_names),
        T(test_mem_type_name_unknown),
    };

    return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
