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
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

#define MB2_MEM_RAM          1    /* memory map entry types */
#define MB2_MEM_RESERVED     2
#define MB2_MEM_ACPI_RECLAIM 3
#define MB2_MEM_NVS          4
#define MB2_MEM_BAD          5

#define MB2_MAX_RANGES       128
#define MB2_MAX_MODULES      16
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

struct boot_info {
    uint64_t info_phys;           /* where the information itself lies */
    uint32_t info_size;
    const char *cmdline;          /* NULL if the loader gave none */
    const char *loader_name;      /* NULL if the loader gave none */
    struct mem_range ranges[MB2_MAX_RANGES];
    unsigned int nr_ranges;
    struct boot_module modules[MB2_MAX_MODULES];
    unsigned int nr_modules;
    const void *rsdp;             /* copy of the ACPI RSDP in the tag, or NULL */
    size_t rsdp_len;
};

/*
 * Parse the information at info (physical address info_phys), of which at
 * most readable bytes may be read. Returns 0, or -EINVAL with a one-line
 * reason in why (MB2_WHY_LEN bytes) and bi in an unspecified state.
 * A memory map is required; everything else is optional.
 */
int mb2_parse(const void *info, uint64_t info_phys, uint64_t readable,
              struct boot_info *bi, char *why);

const char *mb2_mem_type_name(uint32_t type);

#endif /* MULTIBOOT2_H */
