/*
 * elf_loader.c: parse and load a PV kernel (ELF64 + Xen notes). Pure.
 * The refusal rules are listed in elf_loader.h; every offset and size read
 * from the image is checked against the image size before use, and every
 * read goes through read_bytes(), which is where that check lives.
 */
#include "guest_address.h"
#include <stdarg.h>
#include "console.h"
#include "elf_loader.h"
#include "err.h"
#include "layout.h"
#include <public/elfnote.h>

#define EI_NIDENT     16
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define ET_EXEC       2
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_NOTE       4
#define SHT_NOTE      7
#define MAX_PHDRS     64
#define MAX_SHDRS     256

struct elf64_ehdr {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF header");
_Static_assert(sizeof(struct elf64_phdr) == 56, "program header");
_Static_assert(sizeof(struct elf64_shdr) == 64, "section header");

struct parser {
    const uint8_t *image;
    size_t size;
    struct elf_pv_image *out;
    char *why;
    bool has_notes, has_virt_base, has_paddr_offset, has_entry;
};

static int refuse(struct parser *p, int err, const char *fmt, ...) __printf(3, 4);

static int refuse(struct parser *p, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->why, ELF_WHY_LEN, fmt, ap);
    va_end(ap);
    return err;
}

/* Copy [off, off+len) of the image to dst, or false if it runs past it. */
static bool read_bytes(const struct parser *p, uint64_t off, void *dst, uint64_t len)
{
    if (off > p->size || len > p->size - off)
        return false;
    memcpy(dst, p->image + off, (size_t)len);
    return true;
}

static bool in_hypervisor_range(uint64_t start, uint64_t end)
{
    return start < HV_VIRT_END && end > HV_VIRT_START;
}

/* ---- notes ------------------------------------------------------------ */

static uint64_t note_number(const uint8_t *desc, uint32_t size)
{
    uint64_t v = 0;

    if (size != 1 && size != 2 && size != 4 && size != 8)
        return 0;                            /* other sizes read as 0, as on Xen */
    for (uint32_t i = 0; i < size; i++)
        v |= (uint64_t)desc[i] << (8 * i);
    return v;
}

static int note_string(struct parser *p, const uint8_t *desc, uint32_t size,
                       char *dst, const char *what)
{
    size_t n = strnlen((const char *)desc, size);

    if (n == size)
        return refuse(p, -EINVAL, "Xen note %s is not NUL-terminated", what);
    if (n >= ELF_NOTE_STR_LEN)
        return refuse(p, -EINVAL, "Xen note %s is longer than %u bytes", what,
                      ELF_NOTE_STR_LEN - 1);
    memcpy(dst, desc, n + 1);
    return 0;
}

static const char *const feature_names[] = {
    "writable_page_tables", "writable_descriptor_tables", "auto_translated_physmap",
    "supervisor_mode_kernel", "pae_pgdir_above_4gb", "mmu_pt_update_preserve_ad",
    "highmem_assist", "gnttab_map_avail_bits", "hvm_callback_vector",
    "hvm_safe_pvclock", "hvm_pirqs", "dom0", "grant_map_identity",
    "memory_op_vnode_supported", "ARM_SMCCC_supported", "linux_rsdp_unrestricted",
    "not_direct_mapped", "direct_mapped",
};

static int feature_bit(const char *name, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
        if (strlen(feature_names[i]) == len && !strncmp(feature_names[i], name, len))
            return (int)i;
    return -1;
}

/* "name|!name|..." into the supported and required bitmaps. The string
 * ends at its first NUL or at the note's declared size: Linux declares it
 * with .ascii, no NUL inside the size (Xen reads on into the padding). */
static int parse_features(struct parser *p, const uint8_t *desc, uint32_t size)
{
    const char *s = (const char *)desc;
    size_t len = strnlen(s, size), i = 0;

    while (i < len) {
        size_t start = i, n;
        bool required = s[i] == '!';
        int bit;
        start += required;
        for (i = start; i < len && s[i] != '|'; i++)
            ;
        n = i - start;
        i++;
        bit = feature_bit(s + start, n);
        if (bit < 0 && required)
            return refuse(p, -EINVAL, "kernel requires unknown feature '%.*s'", (int)n,
                          s + start);
        if (bit < 0)
            continue;
        p->out->features_supported |= 1u << bit;
        if (required)
            p->out->features_required |= 1u << bit;
    }
    return 0;
}

static int handle_note(struct parser *p, uint32_t type, const uint8_t *desc, uint32_t size)
{
    struct elf_pv_image *o = p->out;

    p->has_notes = true;
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        o->entry = note_number(desc, size);
        p->has_entry = true;
        return 0;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        o->hypercall_page = note_number(desc, size);
        o->has_hypercall_page = true;
        return 0;
    case XEN_ELFNOTE_VIRT_BASE:
        o->virt_base = note_number(desc, size);
        p->has_virt_base = true;
        return 0;
    case XEN_ELFNOTE_PADDR_OFFSET:
        o->paddr_offset = note_number(desc, size);
        p->has_paddr_offset = true;
        return 0;
    case XEN_ELFNOTE_XEN_VERSION: return note_string(p, desc, size, o->xen_version, "XEN_VERSION");
    case XEN_ELFNOTE_GUEST_OS:    return note_string(p, desc, size, o->guest_os, "GUEST_OS");
    case XEN_ELFNOTE_LOADER:      return note_string(p, desc, size, o->loader, "LOADER");
    case XEN_ELFNOTE_FEATURES:    return parse_features(p, desc, size);
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        o->features_supported |= (uint32_t)note_number(desc, size);
        return 0;
    case XEN_ELFNOTE_MOD_START_PFN:
        o->mod_start_pfn = note_number(desc, size) != 0;
        return 0;
    default:
        return 0;                            /* informational or not for 64-bit PV */
    }
}

/* Walk the notes in [off, off+size) of the image. */
static int parse_note_area(struct parser *p, uint64_t off, uint64_t size)
{
    uint64_t pos = 0;

    if (off > p->size || size > p->size - off)
        return refuse(p, -EINVAL, "note area at %#lx runs past the image", off);
    while (size - pos >= 12) {
        const uint8_t *n = p->image + off + pos;
        uint32_t namesz, descsz, type;
        uint64_t name_pad, desc_pad;
        int rc;
        memcpy(&namesz, n, 4);
        memcpy(&descsz, n + 4, 4);
        memcpy(&type, n + 8, 4);
        name_pad = ALIGN_UP((uint64_t)namesz, 4);
        desc_pad = ALIGN_UP((uint64_t)descsz, 4);
        if (name_pad + desc_pad > size - pos - 12)
            return refuse(p, -EINVAL, "ELF note at %#lx runs past its area", off + pos);
        if (namesz == 4 && !memcmp(n + 12, XEN_ELFNOTE_NAME, 4)) {
            rc = handle_note(p, type, n + 12 + name_pad, descsz);
            if (rc)
                return rc;
        }
        pos += 12 + name_pad + desc_pad;
    }
    return 0;
}

/* ---- headers and segments --------------------------------------------- */

static int check_ehdr(struct parser *p, struct elf64_ehdr *eh)
{
    if (!read_bytes(p, 0, eh, sizeof(*eh)))
        return refuse(p, -ENOEXEC, "image is smaller than an ELF header");
    if (memcmp(eh->ident, "\177ELF", 4))
        return refuse(p, -ENOEXEC, "not an ELF image");
    if (eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB || eh->ident[6] != 1)
        return refuse(p, -EINVAL, "not a little-endian ELF64 (version 1) image");
    if (eh->type != ET_EXEC || eh->machine != EM_X86_64)
        return refuse(p, -EINVAL, "not an x86-64 executable (type %u, machine %u)",
                      eh->type, eh->machine);
    if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
        eh->phnum > MAX_PHDRS)
        return refuse(p, -EINVAL, "bad program header table (%u entries of %u bytes)",
                      eh->phnum, eh->phentsize);
    if (eh->phoff > p->size || (uint64_t)eh->phnum * sizeof(struct elf64_phdr) >
                                   p->size - eh->phoff)
        return refuse(p, -EINVAL, "program headers run past the image");
    return 0;
}

static struct elf64_phdr get_phdr(const struct parser *p, const struct elf64_ehdr *eh,
                                  unsigned int i)
{
    struct elf64_phdr ph;

    read_bytes(p, eh->phoff + (uint64_t)i * sizeof(ph), &ph, sizeof(ph));  /* checked */
    return ph;
}

static int parse_phdr_notes(struct parser *p, const struct elf64_ehdr *eh)
{
    for (unsigned int i = 0; i < eh->phnum; i++) {
        struct elf64_phdr ph = get_phdr(p, eh, i);
        int rc = ph.type == PT_NOTE ? parse_note_area(p, ph.offset, ph.filesz) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* Only when no PT_NOTE carried Xen notes, as Xen's loader does. */
static int parse_section_notes(struct parser *p, const struct elf64_ehdr *eh)
{
    if (p->has_notes || eh->shnum == 0)
        return 0;
    if (eh->shentsize != sizeof(struct elf64_shdr) || eh->shnum > MAX_SHDRS ||
        eh->shoff > p->size ||
        (uint64_t)eh->shnum * sizeof(struct elf64_shdr) > p->size - eh->shoff)
        return refuse(p, -EINVAL, "bad section header table");
    for (unsigned int i = 0; i < eh->shnum; i++) {
        struct elf64_shdr sh;
        int rc;
        read_bytes(p, eh->shoff + (uint64_t)i * sizeof(sh), &sh, sizeof(sh));
        rc = sh.type == SHT_NOTE ? parse_note_area(p, sh.offset, sh.size) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int check_notes(struct parser *p)
{
    const struct elf_pv_image *o = p->out;

    if (!p->has_notes)
        return refuse(p, -EINVAL, "no Xen ELF notes: not a PV kernel");
    if (strncmp(o->loader, "generic", 7) && strncmp(o->guest_os, "linux", 5))
        return refuse(p, -EINVAL, "LOADER is not 'generic' and GUEST_OS is not linux");
    if (strncmp(o->xen_version, "xen-3.0", 7))
        return refuse(p, -EINVAL, "XEN_VERSION note is not 'xen-3.0'");
    if (p->has_paddr_offset && !p->has_virt_base)
        return refuse(p, -EINVAL, "PADDR_OFFSET given without VIRT_BASE");
    return 0;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
    return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

static int check_segment(struct parser *p, const struct elf64_phdr *ph, struct elf_segment *s)
{
    const struct elf_pv_image *o = p->out;

    if (ph->filesz > ph->memsz)
        return refuse(p, -EINVAL, "segment file size exceeds its memory size");
    if (ph->offset > p->size || ph->filesz > p->size - ph->offset)
        return refuse(p, -EINVAL, "segment at offset %#lx runs past the image", ph->offset);
    s->vaddr = ph->paddr - o->paddr_offset + o->virt_base;
    s->file_offset = ph->offset;
    s->filesz = ph->filesz;
    s->memsz = ph->memsz;
    s->flags = ph->flags;
    if (range_wraps(s->vaddr, s->memsz) || s->vaddr + s->memsz - 1 >= UINT64_MAX - PAGE_SIZE)
        return refuse(p, -EINVAL, "segment at %#lx wraps past the top of memory", s->vaddr);
    if (!is_canonical(s->vaddr) || !is_canonical(s->vaddr + s->memsz - 1))
        return refuse(p, -EINVAL, "segment at %#lx is not canonical", s->vaddr);
    if (in_hypervisor_range(s->vaddr, s->vaddr + s->memsz))
        return refuse(p, -EINVAL, "segment at %#lx overlaps the hypervisor range", s->vaddr);
    if (s->vaddr < o->virt_base)
        return refuse(p, -EINVAL, "segment at %#lx lies below VIRT_BASE", s->vaddr);
    return 0;
}

static int add_segment(struct parser *p, const struct elf64_phdr *ph)
{
    struct elf_pv_image *o = p->out;
    struct elf_segment s;
    int rc;

    if (ph->memsz == 0 && ph->filesz == 0)
        return 0;
    if (o->nr_segs == ELF_MAX_SEGMENTS)
        return refuse(p, -EINVAL, "more than %u loadable segments", ELF_MAX_SEGMENTS);
    rc = check_segment(p, ph, &s);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < o->nr_segs; i++)
        if (overlaps(&s, &o->segs[i]))
            return refuse(p, -EINVAL, "segments at %#lx and %#lx overlap", s.vaddr,
                          o->segs[i].vaddr);
    o->segs[o->nr_segs++] = s;
    return 0;
}

static int collect_segments(struct parser *p, const struct elf64_ehdr *eh)
{
    struct elf_pv_image *o = p->out;

    for (unsigned int i = 0; i < eh->phnum; i++) {
        struct elf64_phdr ph = get_phdr(p, eh, i);
        int rc = ph.type == PT_LOAD ? add_segment(p, &ph) : 0;
        if (rc)
            return rc;
    }
    if (!o->nr_segs)
        return refuse(p, -EINVAL, "no loadable segments");
    o->virt_kstart = UINT64_MAX;
    for (unsigned int i = 0; i < o->nr_segs; i++) {
        o->virt_kstart = MIN(o->virt_kstart, o->segs[i].vaddr);
        o->virt_kend = MAX(o->virt_kend, o->segs[i].vaddr + o->segs[i].memsz);
    }
    o->virt_kstart = ALIGN_DOWN(o->virt_kstart, PAGE_SIZE);
    o->virt_kend = ALIGN_UP(o->virt_kend, PAGE_SIZE);
    return 0;
}

static int check_addresses(struct parser *p, const struct elf64_ehdr *eh, uint32_t supported)
{
    struct elf_pv_image *o = p->out;

    if (!p->has_entry)
        o->entry = eh->entry;
    if (o->entry < o->virt_kstart || o->entry >= o->virt_kend)
        return refuse(p, -EINVAL, "entry point %#lx is outside the image [%#lx, %#lx)",
                      o->entry, o->virt_kstart, o->virt_kend);
    if (o->has_hypercall_page &&
        (o->hypercall_page % PAGE_SIZE || o->hypercall_page < o->virt_kstart ||
         o->hypercall_page >= o->virt_kend))
        return refuse(p, -EINVAL, "hypercall page %#lx is not a page of the image",
                      o->hypercall_page);
    if (o->features_required & ~supported)
        return refuse(p, -EINVAL, "kernel requires features %#x that are not supported",
                      o->features_required & ~supported);
    return 0;
}

int elf_parse(const void *image, size_t size, uint32_t supported_features,
              struct elf_pv_image *out, char *why)
{
    struct parser p = { .image = image, .size = size, .out = out, .why = why };
    struct elf64_ehdr eh;
    int rc;

    memset(out, 0, sizeof(*out));
    why[0] = '\0';
    rc = check_ehdr(&p, &eh);
    if (!rc)
        rc = parse_phdr_notes(&p, &eh);
    if (!rc)
        rc = parse_section_notes(&p, &eh);
    if (!rc)
        rc = check_notes(&p);
    if (!rc)
        rc = collect_segments(&p, &eh);
    if (!rc)
        rc = check_addresses(&p, &eh, supported_features);
    return rc;
}

int elf_load(const void *image, size_t size, const struct elf_pv_image *img,
             elf_write_fn write, void *ctx)
{
    const uint8_t *base = image;

    for (unsigned int i = 0; i < img->nr_segs; i++) {
        const struct elf_segment *s = &img->segs[i];
        int rc;
        if (s->file_offset > size || s->filesz > size - s->file_offset)
            return -EINVAL;                  /* elf_parse guarantees this */
        rc = write(ctx, s->vaddr, base + s->file_offset, (size_t)s->filesz);
        if (!rc && s->memsz > s->filesz)
            rc = write(ctx, s->vaddr + s->filesz, NULL, (size_t)(s->memsz - s->filesz));
        if (rc)
            return rc;
    }
    return 0;
}
