/*
 * The multiboot2 boot information, parsed and checked (multiboot2.c, pure).
 *
 * The boot loader's information is untrusted input like any other: the
 * parser checks every length against the total size, the total size against
 * what the caller says is readable, and every string for its terminator
 * before anything in it is used. The result holds copies of the numbers and
 * pointers to the validated strings inside the original information.
 */
#ifndef MULTIBOOT2_H
#define MULTIBOOT2_H

#include "lib.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MODULE       3
#define MB2_TAG_BASIC_MEM    4
#define MB2_TAG_MMAP         6
#define MB2_TAG_FRAMEBUFFER  8
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

#define MB2_MEM_RAM          1    /* memory map entry types */
#define MB2_MEM_RESERVED     2
#define MB2_MEM_ACPI_RECLAIM 3
#define MB2_MEM_NVS          4
#define MB2_MEM_BAD          5

#define MB2_FB_INDEXED       0    /* framebuffer types */
#define MB2_FB_RGB           1
#define MB2_FB_EGA_TEXT      2

#define MB2_FB_MIN_DIM       16   /* pixels: room for a few characters */
#define MB2_FB_MAX_DIM       16384
#define MB2_FB_MAX_PITCH     (MB2_FB_MAX_DIM * 4 * 2)   /* allows padding */
#define MB2_FB_ADDR_LIMIT    (1ULL << 52)               /* MAXPHYADDR's ceiling */
#define MB2_VGA_TEXT_BASE    0xb8000
#define MB2_VGA_TEXT_SIZE    0x8000

#define MB2_MAX_RANGES       128
#define MB2_MAX_MODULES      256  /* a hundred-odd domains, with initrds */
#define MB2_WHY_LEN          128

struct mem_range {
    uint64_t base;
    uint64_t len;
    uint32_t type;
};

struct boot_module {
    uint64_t start;               /* physical, first byte */
    uint64_t end;                 /* physical, one past the last byte */
    const char *string;           /* the module's command line, NUL-terminated */
};

/* What the framebuffer tag says, once checked. */
enum boot_fb_kind {
    BOOT_FB_NONE,                 /* no tag: the firmware's text mode, if any */
    BOOT_FB_TEXT,                 /* EGA text: width x height characters at 0xb8000 */
    BOOT_FB_RGB,                  /* direct colour pixels */
    BOOT_FB_REFUSED,              /* a tag that failed a rule; see why */
};

struct boot_framebuffer {
    enum boot_fb_kind kind;
    uint64_t addr;                /* physical */
    uint32_t pitch;               /* bytes per line */
    uint32_t width, height;       /* pixels, or characters for text */
    uint8_t bpp;                  /* 15, 16, 24 or 32 (16 for text) */
    uint8_t bytes_per_pixel;
    uint8_t red_pos, red_size;    /* bit position and width of each colour */
    uint8_t green_pos, green_size;
    uint8_t blue_pos, blue_size;
    char why[MB2_WHY_LEN];        /* the rule broken, when REFUSED */
};

struct boot_info {
    uint64_t info_phys;           /* where the information itself lies */
    uint32_t info_size;
    const char *cmdline;          /* NULL if the loader gave none */
    const char *loader_name;      /* NULL if the loader gave none */
    struct mem_range ranges[MB2_MAX_RANGES];
    unsigned int nr_ranges;
    struct boot_module modules[MB2_MAX_MODULES];
    unsigned int nr_modules;
    unsigned int modules_skipped; /* module tags after the first MB2_MAX_MODULES */
    const void *rsdp;             /* copy of the ACPI RSDP in the tag, or NULL */
    size_t rsdp_len;
    struct boot_framebuffer framebuffer;
};

/*
 * Parse the information at info (physical address info_phys), of which at
 * most readable bytes may be read. Returns 0, or -EINVAL with a one-line
 * reason in why (MB2_WHY_LEN bytes) and bi in an unspecified state.
 * A memory map is required; everything else is optional. A framebuffer
 * tag that breaks a rule does not fail the parse: it is recorded as
 * BOOT_FB_REFUSED with its reason, and the console does without it.
 */
int mb2_parse(const void *info, uint64_t info_phys, uint64_t readable,
              struct boot_info *bi, char *why);

const char *mb2_mem_type_name(uint32_t type);

#endif /* MULTIBOOT2_H */
