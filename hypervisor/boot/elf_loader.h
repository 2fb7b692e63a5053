/*
 * PV kernel images: ELF64 with Xen ELF notes (elf_loader.c, pure).
 *
 * elf_parse() checks a whole image before anything is loaded and fills a
 * plain description of it; elf_load() then copies the segments through a
 * caller-supplied writer. An image is refused (-EINVAL, -ENOEXEC for "not a
 * PV kernel at all", with a one-line reason) when:
 *  - it is not ELF64, little-endian, version 1, ET_EXEC, EM_X86_64;
 *  - the ELF header, program headers, a segment's file bytes or a note run
 *    past the module;
 *  - e_phentsize is not the ELF64 size, or there are no/too many loadable
 *    segments;
 *  - a segment has p_filesz > p_memsz, wraps, or overlaps another segment;
 *  - a loaded address is non-canonical or inside the hypervisor range
 *    (L4 slots 256-271), or below VIRT_BASE;
 *  - there are no Xen notes (PT_NOTE segments or SHT_NOTE sections), or
 *    LOADER is not "generic" and GUEST_OS does not start with "linux", or
 *    XEN_VERSION does not start with "xen-3.0";
 *  - PADDR_OFFSET is given without VIRT_BASE;
 *  - the entry point or the hypercall page (which must be page aligned) is
 *    outside the loaded image;
 *  - a required feature ('!' in FEATURES) is one we do not support.
 */
#ifndef ELF_LOADER_H
#define ELF_LOADER_H

#include "lib.h"

#define ELF_MAX_SEGMENTS 16
#define ELF_WHY_LEN      128
#define ELF_NOTE_STR_LEN 64

struct elf_segment {
    uint64_t vaddr;              /* where it is loaded (guest virtual) */
    uint64_t file_offset;
    uint64_t filesz;
    uint64_t memsz;              /* bytes past filesz are zeroed */
    uint32_t flags;              /* PF_R/PF_W/PF_X */
};

struct elf_pv_image {
    uint64_t entry;              /* XEN_ELFNOTE_ENTRY, else e_entry */
    uint64_t virt_base;          /* XEN_ELFNOTE_VIRT_BASE, default 0 */
    uint64_t paddr_offset;       /* XEN_ELFNOTE_PADDR_OFFSET, default 0 */
    uint64_t hypercall_page;     /* VA, or 0 if the image has none */
    bool has_hypercall_page;
    uint64_t virt_kstart;        /* lowest loaded address, page aligned down */
    uint64_t virt_kend;          /* end of the highest segment, page aligned up */
    uint32_t features_supported; /* XENFEAT bits the image declares (submap 0) */
    uint32_t features_required;  /* ... and those it marks '!' */
    bool mod_start_pfn;          /* XEN_ELFNOTE_MOD_START_PFN non-zero */
    char guest_os[ELF_NOTE_STR_LEN];
    char loader[ELF_NOTE_STR_LEN];
    char xen_version[ELF_NOTE_STR_LEN];
    struct elf_segment segs[ELF_MAX_SEGMENTS];
    unsigned int nr_segs;
};

/*
 * Parse image[0, size). supported_features: the XENFEAT bits we can honour.
 * Returns 0, or a negative errno with a reason in why (ELF_WHY_LEN bytes).
 */
int elf_parse(const void *image, size_t size, uint32_t supported_features,
              struct elf_pv_image *out, char *why);

/*
 * Copy every segment of a parsed image: write(ctx, vaddr, src, len) with
 * src NULL meaning "zero len bytes". Stops at the first non-zero return.
 */
typedef int (*elf_write_fn)(void *ctx, uint64_t vaddr, const void *src, size_t len);
int elf_load(const void *image, size_t size, const struct elf_pv_image *img,
             elf_write_fn write, void *ctx);

#endif /* ELF_LOADER_H */
