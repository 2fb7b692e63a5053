/*
 * Unit tests for hypervisor/boot/elf_loader.c: parsing and loading a PV kernel,
 * an ELF64 image with Xen ELF notes. The image comes from a boot module and
 * is untrusted, and elf_parse is the only thing between it and the domain
 * builder, which trusts every address and size it is handed.
 *
 * Each test builds an image in memory with the helpers below (ELF header,
 * program headers, PT_LOAD segments filled with a known pattern, Xen notes
 * in a PT_NOTE segment or an SHT_NOTE section), may then corrupt fields of
 * the built bytes, and hands elf_parse a heap copy of exactly the image's
 * size, so AddressSanitizer aborts on any read past the image. The reason
 * buffer is also an exact heap block of ELF_WHY_LEN bytes.
 *
 * Every rule of elf_loader.h is checked both ways: a well-formed image (or
 * one just inside the limit) is accepted with the fields it declares, and an
 * image breaking the rule is refused with the right errno (-ENOEXEC for "not
 * ELF at all", -EINVAL otherwise) and a non-empty, NUL-terminated reason
 * that names the rule, checked by a substring so a refusal for some other
 * reason does not pass by accident. The image itself is checked unchanged
 * after every parse. elf_load is driven through a recording writer that
 * simulates guest memory, to check the addresses, lengths and the NULL
 * source of the zeroed (bss) part, and that a writer error stops the load.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "elf_loader.h"
#include "err.h"
#include <public/elfnote.h>
#include <public/features.h>

/* ---- ELF64 structures, as the specification lays them out ----------------- */

struct t_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct t_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct t_shdr {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

_Static_assert(sizeof(struct t_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct t_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct t_shdr) == 64, "ELF64 section header");

#define ET_REL        1
#define ET_EXEC       2
#define ET_DYN        3
#define EM_386        3
#define EM_X86_64     62
#define EM_AARCH64    183
#define PT_NULL       0
#define PT_LOAD       1
#define PT_NOTE       4
#define PT_PHDR       6
#define PT_GNU_STACK  0x6474e551u
#define PF_X          1
#define PF_W          2
#define PF_R          4
#define SHT_NULL      0
#define SHT_PROGBITS  1
#define SHT_NOTE      7

#define KBASE         0x400000ull               /* default load address */
#define TOP2G         0xffffffff80000000ull     /* Linux __START_KERNEL_map */
#define HV_START      0xffff800000000000ull
#define HV_END        0xffff880000000000ull

/* ---- building images ------------------------------------------------------- */

#define BLOB_OFF   0x1000u        /* segment data and note areas start here */
#define BLOB_MAX   0x10000u
#define NOTES_MAX  0x1000u
#define MAX_PH     72u
#define MAX_SH     300u
#define RAW_MAX    (BLOB_OFF + BLOB_MAX + MAX_SH * 64u + MAX_PH * 56u + 64u)

static struct {
    struct t_ehdr eh;             /* template; build() fills the table fields */
    struct t_phdr ph[MAX_PH];
    unsigned int nph;
    struct t_shdr sh[MAX_SH];
    unsigned int nsh;
    uint8_t blob[BLOB_MAX];
    size_t blob_len;
    uint8_t notes[NOTES_MAX];     /* notes gathered for the next note area */
    size_t notes_len;
    bool phdrs_at_end;            /* put the program headers after everything */
} b;

static uint8_t raw[RAW_MAX] __attribute__((aligned(8)));   /* the built image */
static size_t raw_size;

static uint8_t *image;            /* exact heap copy given to elf_parse */
static size_t image_size;
static char *why;                 /* exact heap block of ELF_WHY_LEN bytes */
static struct elf_pv_image pv;

static uint8_t pattern(uint64_t off)
{
    return (uint8_t)(off * 7 + (off >> 8) * 13 + 1);
}

static void eb_begin(void)
{
    static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

    memset(&b, 0, sizeof(b));
    memcpy(b.eh.ident, ident, sizeof(ident));
    b.eh.type = ET_EXEC;
    b.eh.machine = EM_X86_64;
    b.eh.version = 1;
    b.eh.ehsize = 64;
    b.eh.phentsize = 56;
    b.eh.shentsize = 64;
}

/* Reserve len bytes of the data area, 8-aligned; returns the file offset. */
static uint64_t blob_reserve(uint64_t len)
{
    size_t at = (b.blob_len + 7) & ~(size_t)7;

    assert_true(len <= BLOB_MAX && at + len <= BLOB_MAX);
    b.blob_len = at + (size_t)len;
    return BLOB_OFF + at;
}

static unsigned int phdr(uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                         uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    assert_true(b.nph < MAX_PH);
    b.ph[b.nph] = (struct t_phdr){ type, flags, offset, vaddr, paddr, filesz, memsz, 0x1000 };
    return b.nph++;
}

/* A PT_LOAD with p_vaddr and p_paddr given, filesz bytes of the pattern. */
static unsigned int load2(uint64_t vaddr, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    uint64_t off = blob_reserve(filesz);

    for (uint64_t i = 0; i < filesz; i++)
        b.blob[off - BLOB_OFF + i] = pattern(off + i);
    return phdr(PT_LOAD, PF_R | PF_X, off, vaddr, paddr, filesz, memsz);
}

static unsigned int load(uint64_t addr, uint64_t filesz, uint64_t memsz)
{
    return load2(addr, addr, filesz, memsz);
}

static unsigned int section(uint32_t type, uint64_t offset, uint64_t size)
{
    if (b.nsh == 0)
        b.sh[b.nsh++] = (struct t_shdr){ .type = SHT_NULL };
    assert_true(b.nsh < MAX_SH);
    b.sh[b.nsh] = (struct t_shdr){ .type = type, .offset = offset, .size = size,
                                   .addralign = 4 };
    return b.nsh++;
}

/* Append a note with the given name bytes (padded to 4) and desc (padded to
 * 4) to the gathered notes; returns its position in the future note area. */
static size_t note_raw(const void *name, uint32_t namesz, uint32_t type,
                       const void *desc, uint32_t descsz)
{
    size_t at = b.notes_len;
    size_t name_pad = ((size_t)namesz + 3) & ~(size_t)3;
    size_t desc_pad = ((size_t)descsz + 3) & ~(size_t)3;
    uint32_t hdr[3] = { namesz, descsz, type };

    assert_true(at + 12 + name_pad + desc_pad <= NOTES_MAX);
    memset(b.notes + at, 0, 12 + name_pad + desc_pad);
    memcpy(b.notes + at, hdr, 12);
    if (namesz)
        memcpy(b.notes + at + 12, name, namesz);
    if (descsz)
        memcpy(b.notes + at + 12 + name_pad, desc, descsz);
    b.notes_len += 12 + name_pad + desc_pad;
    return at;
}

static size_t xen_note(uint32_t type, const void *desc, uint32_t descsz)
{
    return note_raw("Xen", 4, type, desc, descsz);
}

static size_t xen_str(uint32_t type, const char *s)
{
    return xen_note(type, s, (uint32_t)strlen(s) + 1);
}

static size_t xen_num(uint32_t type, uint64_t v, uint32_t size)
{
    uint8_t d[8];

    assert_true(size <= 8);
    for (unsigned int i = 0; i < 8; i++)
        d[i] = (uint8_t)(v >> (8 * i));
    return xen_note(type, d, size);
}

/* LOADER "generic", XEN_VERSION "xen-3.0" and HYPERCALL_PAGE. */
static void std_notes(uint64_t hypercall_page)
{
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    xen_num(XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page, 8);
}

/* Move the gathered notes into the data area; returns the area's offset. */
static uint64_t notes_area(void)
{
    uint64_t off = blob_reserve(b.notes_len);

    memcpy(b.blob + (off - BLOB_OFF), b.notes, b.notes_len);
    return off;
}

static uint64_t notes_phdr(void)
{
    uint64_t len = b.notes_len, off = notes_area();

    phdr(PT_NOTE, PF_R, off, 0, 0, len, len);
    b.notes_len = 0;
    return off;
}

static uint64_t notes_section(void)
{
    uint64_t len = b.notes_len, off = notes_area();

    section(SHT_NOTE, off, len);
    b.notes_len = 0;
    return off;
}

/* Lay out the image in raw[]: header, program headers, data, sections. */
static void build(void)
{
    struct t_ehdr eh = b.eh;
    size_t off = BLOB_OFF + b.blob_len;
    size_t ph_bytes = b.nph * sizeof(struct t_phdr);

    memset(raw, 0, sizeof(raw));
    memcpy(raw + BLOB_OFF, b.blob, b.blob_len);
    eh.phnum = (uint16_t)b.nph;
    eh.phoff = 64;
    if (b.nsh) {
        off = (off + 7) & ~(size_t)7;
        eh.shoff = off;
        eh.shnum = (uint16_t)b.nsh;
        memcpy(raw + off, b.sh, b.nsh * sizeof(struct t_shdr));
        off += b.nsh * sizeof(struct t_shdr);
    }
    if (b.phdrs_at_end || 64 + ph_bytes > BLOB_OFF) {
        off = (off + 7) & ~(size_t)7;
        eh.phoff = off;
        off += ph_bytes;
    }
    assert_true(off <= RAW_MAX);
    memcpy(raw + eh.phoff, b.ph, ph_bytes);
    memcpy(raw, &eh, sizeof(eh));
    raw_size = off;
}

/* Views of the built bytes, to corrupt them after build(). */
static struct t_ehdr *E(void)
{
    return (struct t_ehdr *)(void *)raw;
}

static struct t_phdr *PH(unsigned int i)
{
    return (struct t_phdr *)(void *)(raw + E()->phoff + i * sizeof(struct t_phdr));
}

static struct t_shdr *SH(unsigned int i)
{
    return (struct t_shdr *)(void *)(raw + E()->shoff + i * sizeof(struct t_shdr));
}

static void put32(uint64_t off, uint32_t v)
{
    assert_true(off + 4 <= RAW_MAX);
    memcpy(raw + off, &v, 4);
}

/* Parse the first n bytes of raw[] from an exact heap copy. */
static int parse_n(size_t n, uint32_t supported)
{
    int rc;

    assert_true(n <= raw_size);
    free(image);
    image = malloc(n);
    assert_non_null(image);
    memcpy(image, raw, n);
    image_size = n;
    free(why);
    why = malloc(ELF_WHY_LEN);
    assert_non_null(why);
    memset(why, 'X', ELF_WHY_LEN);
    memset(&pv, 0x5a, sizeof(pv));
    rc = elf_parse(image, n, supported, &pv, why);
    if (n)
        assert_memory_equal(image, raw, n);       /* the image is never written */
    return rc;
}

static int parse_with(uint32_t supported)
{
    return parse_n(raw_size, supported);
}

static int parse(void)
{
    return parse_n(raw_size, 0);
}

static void assert_refused(int rc, int err, const char *rule)
{
    if (rc != err)
        fail_msg("got %d (%s), expected %d for \"%s\"", rc,
                 memchr(why, '\0', ELF_WHY_LEN) ? why : "?", err, rule);
    assert_non_null(memchr(why, '\0', ELF_WHY_LEN));
    assert_true(strlen(why) > 0);
    if (!strstr(why, rule))
        fail_msg("refused for \"%s\", expected \"%s\"", why, rule);
}

static void assert_parsed(int rc)
{
    if (rc != 0)
        fail_msg("refused (%d): %s", rc, memchr(why, '\0', ELF_WHY_LEN) ? why : "?");
    assert_string_equal(why, "");
}

/* The usual image: text+bss at KBASE, the standard notes in a PT_NOTE. */
static void good_image(void)
{
    eb_begin();
    b.eh.entry = KBASE + 0x40;
    load(KBASE, 0x2000, 0x3000);
    std_notes(KBASE + 0x1000);
    notes_phdr();
    build();
}

/* ---- a recording writer that simulates guest memory ------------------------ */

struct wcall {
    uint64_t vaddr;
    const void *src;
    size_t len;
};

#define MAX_CALLS 64

static struct {
    uint64_t base;                /* guest VA of mem[0] */
    uint8_t *mem;
    size_t size;
    struct wcall calls[MAX_CALLS];
    unsigned int n;               /* calls with len > 0 */
    unsigned int all;             /* every call */
    unsigned int fail_at;         /* fail this call (counting from 1), 0: never */
    int fail_rc;
} w;

static void sim_begin(uint64_t base, size_t size)
{
    free(w.mem);
    memset(&w, 0, sizeof(w));
    w.base = base;
    w.size = size;
    w.mem = malloc(size);
    assert_non_null(w.mem);
    memset(w.mem, 0xaa, size);
}

static int sim_write(void *ctx, uint64_t vaddr, const void *src, size_t len)
{
    assert_ptr_equal(ctx, &w);
    w.all++;
    if (w.fail_at && w.all == w.fail_at)
        return w.fail_rc;
    if (len == 0)
        return 0;
    assert_true(w.n < MAX_CALLS);
    w.calls[w.n++] = (struct wcall){ vaddr, src, len };
    assert_true(vaddr >= w.base && len <= w.size && vaddr - w.base <= w.size - len);
    if (src) {
        /* the source is inside the image handed to elf_load */
        assert_true((const uint8_t *)src >= image &&
                    len <= image_size &&
                    (size_t)((const uint8_t *)src - image) <= image_size - len);
        memcpy(w.mem + (vaddr - w.base), src, len);
    } else {
        memset(w.mem + (vaddr - w.base), 0, len);
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    image = NULL;
    why = NULL;
    memset(&w, 0, sizeof(w));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(image);
    image = NULL;
    free(why);
    why = NULL;
    free(w.mem);
    w.mem = NULL;
    return 0;
}

/* ---- well-formed images ----------------------------------------------------- */

static void test_minimal_valid(void **state)
{
    (void)state;
    good_image();
    assert_parsed(parse());
    assert_int_equal(pv.entry, KBASE + 0x40);
    assert_int_equal(pv.virt_base, 0);
    assert_int_equal(pv.paddr_offset, 0);
    assert_true(pv.has_hypercall_page);
    assert_int_equal(pv.hypercall_page, KBASE + 0x1000);
    assert_int_equal(pv.virt_kstart, KBASE);
    assert_int_equal(pv.virt_kend, KBASE + 0x3000);
    assert_int_equal(pv.features_supported, 0);
    assert_int_equal(pv.features_required, 0);
    assert_false(pv.mod_start_pfn);
    assert_string_equal(pv.loader, "generic");
    assert_string_equal(pv.xen_version, "xen-3.0");
    assert_string_equal(pv.guest_os, "");
    assert_int_equal(pv.nr_segs, 1);
    assert_int_equal(pv.segs[0].vaddr, KBASE);
    assert_int_equal(pv.segs[0].file_offset, PH(0)->offset);
    assert_int_equal(pv.segs[0].filesz, 0x2000);
    assert_int_equal(pv.segs[0].memsz, 0x3000);
    assert_int_equal(pv.segs[0].flags, PF_R | PF_X);
}

static void test_no_hypercall_page_accepted(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x100, 0x100);
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_false(pv.has_hypercall_page);
    assert_int_equal(pv.hypercall_page, 0);
}

static void test_virt_base_and_paddr_offset(void **state)
{
    const uint64_t vbase = 0xffff900000000000ull, poff = 0x100000;

    (void)state;
    eb_begin();
    /* p_vaddr is deliberately nonsense: only p_paddr counts */
    load2(0x1234000, 0x300000, 0x1800, 0x2000);
    load2(0x5678000, 0x302000, 0x800, 0x1000);
    b.eh.entry = vbase + 0x200000 + 0x10;
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    xen_num(XEN_ELFNOTE_VIRT_BASE, vbase, 8);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, poff, 8);
    xen_num(XEN_ELFNOTE_HYPERCALL_PAGE, vbase + 0x201000, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_base, vbase);
    assert_int_equal(pv.paddr_offset, poff);
    assert_int_equal(pv.nr_segs, 2);
    assert_int_equal(pv.segs[0].vaddr, 0x300000 - poff + vbase);
    assert_int_equal(pv.segs[1].vaddr, 0x302000 - poff + vbase);
    assert_int_equal(pv.virt_kstart, vbase + 0x200000);
    assert_int_equal(pv.virt_kend, vbase + 0x203000);
    assert_int_equal(pv.entry, vbase + 0x200010);
}

static void test_segment_at_virt_base_accepted(void **state)
{
    (void)state;
    /* p_paddr == PADDR_OFFSET puts the segment exactly at VIRT_BASE */
    eb_begin();
    load(0x2000000, 0x1000, 0x1000);
    b.eh.entry = TOP2G;
    std_notes(TOP2G);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, 0x2000000, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.segs[0].vaddr, TOP2G);
    assert_int_equal(pv.virt_kstart, TOP2G);
}

/* Linux: linked at 0xffffffff81000000, p_paddr 16 MiB, VIRT_BASE the start
 * of the top 2 GiB, PADDR_OFFSET 0. */
static void test_top_2gib_kernel(void **state)
{
    const uint64_t text = TOP2G + 0x1000000;

    (void)state;
    eb_begin();
    load2(text, 0x1000000, 0x3000, 0x3000);
    load2(text + 0x4000, 0x1004000, 0x1000, 0x6000);
    b.eh.entry = text + 0x123;
    xen_str(XEN_ELFNOTE_GUEST_OS, "linux");
    xen_str(XEN_ELFNOTE_GUEST_VERSION, "2.6");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    xen_num(XEN_ELFNOTE_ENTRY, text + 0x200, 8);
    xen_num(XEN_ELFNOTE_HYPERCALL_PAGE, text + 0x1000, 8);
    xen_str(XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    xen_num(XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    notes_phdr();
    build();
    assert_parsed(parse_with(1u << XENFEAT_writable_page_tables));
    assert_int_equal(pv.virt_base, TOP2G);
    assert_int_equal(pv.paddr_offset, 0);
    assert_int_equal(pv.segs[0].vaddr, text);
    assert_int_equal(pv.segs[1].vaddr, text + 0x4000);
    assert_int_equal(pv.virt_kstart, text);
    assert_int_equal(pv.virt_kend, text + 0xa000);
    assert_int_equal(pv.entry, text + 0x200);
    assert_int_equal(pv.hypercall_page, text + 0x1000);
    assert_true(pv.mod_start_pfn);
    assert_string_equal(pv.guest_os, "linux");
    assert_int_equal(pv.features_required, 1u << XENFEAT_writable_page_tables);
}

/* Older Linux: p_paddr is the virtual address and PADDR_OFFSET = VIRT_BASE. */
static void test_top_2gib_paddr_equals_vaddr(void **state)
{
    const uint64_t text = TOP2G + 0x200000;

    (void)state;
    eb_begin();
    load(text, 0x2000, 0x2000);
    b.eh.entry = text;
    std_notes(text + 0x1000);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, TOP2G, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.segs[0].vaddr, text);
}

static void test_segment_below_top_page_accepted(void **state)
{
    const uint64_t at = 0xffffffffffffc000ull;

    (void)state;
    eb_begin();
    load(at, 0x1000, 0x2000);                  /* ends at 2^64 - 8 KiB */
    b.eh.entry = at;
    std_notes(at + 0x1000);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_kend, 0xffffffffffffe000ull);
}

static void test_notes_from_section(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    notes_section();
    /* other sections are not read, whatever they claim */
    section(SHT_PROGBITS, 0xffffffff00000000ull, 0x1000);
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
    assert_string_equal(pv.xen_version, "xen-3.0");
    assert_int_equal(pv.hypercall_page, KBASE);
}

static void test_sections_read_when_pt_note_has_no_xen_notes(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    note_raw("GNU", 4, 3, "\x01\x02\x03\x04", 4);
    notes_phdr();
    std_notes(KBASE);
    notes_section();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
}

static void test_sections_ignored_when_pt_note_has_xen_notes(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    notes_phdr();
    xen_str(XEN_ELFNOTE_LOADER, "other");      /* not read */
    notes_section();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
    /* nor is a broken section header table */
    E()->shentsize = 40;
    assert_parsed(parse());
    E()->shentsize = 64;
    E()->shoff = 0xfffffffffffff000ull;
    assert_parsed(parse());
}

static void test_guest_os_linux_without_loader(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    xen_str(XEN_ELFNOTE_GUEST_OS, "linux-6.1");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0-x86_64");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.guest_os, "linux-6.1");
    assert_string_equal(pv.loader, "");
    assert_string_equal(pv.xen_version, "xen-3.0-x86_64");
}

static void test_linux_with_other_loader_accepted(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    xen_str(XEN_ELFNOTE_LOADER, "bsd");
    xen_str(XEN_ELFNOTE_GUEST_OS, "linux");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "bsd");
}

static void test_generic_loader_with_other_guest_os_accepted(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    xen_str(XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.guest_os, "Mini-OS");
}

static void test_entry_note_overrides_e_entry(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE + 0x10;
    load(KBASE, 0x2000, 0x2000);
    std_notes(KBASE);
    xen_num(XEN_ELFNOTE_ENTRY, KBASE + 0x1abc, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.entry, KBASE + 0x1abc);
    /* with the note, e_entry is not used at all, even outside the image */
    E()->entry = 0x1000;
    assert_parsed(parse());
    assert_int_equal(pv.entry, KBASE + 0x1abc);
}

static void test_entry_at_image_edges_accepted(void **state)
{
    (void)state;
    good_image();
    E()->entry = KBASE;
    assert_parsed(parse());
    E()->entry = KBASE + 0x3000 - 1;          /* last byte of virt_kend */
    assert_parsed(parse());
}

/* An image at VA 0, so that 1- and 2-byte entry notes can point into it. */
static void image_at_zero_with_entry(const uint8_t *desc, uint32_t size)
{
    eb_begin();
    b.eh.entry = 0x100;
    load(0, 0x1000, 0x20000);
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    xen_note(XEN_ELFNOTE_ENTRY, desc, size);
    notes_phdr();
    build();
}

static void test_numeric_note_sizes(void **state)
{
    static const uint8_t d1[1] = { 0x12 };
    static const uint8_t d2[2] = { 0x34, 0x12 };
    static const uint8_t d3[3] = { 0x34, 0x12, 0x00 };
    static const uint8_t d4[4] = { 0x45, 0x23, 0x01, 0x00 };
    static const uint8_t d8[8] = { 0x56, 0x34, 0x01, 0, 0, 0, 0, 0 };
    static const uint8_t d16[16] = { 0x56, 0x34 };

    (void)state;
    image_at_zero_with_entry(d1, 1);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0x12);
    image_at_zero_with_entry(d2, 2);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0x1234);
    image_at_zero_with_entry(d4, 4);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0x12345);
    image_at_zero_with_entry(d8, 8);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0x13456);
    /* other sizes read as 0 (not as e_entry, not as 0x1234) */
    image_at_zero_with_entry(d3, 3);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0);
    image_at_zero_with_entry(d16, 16);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0);
    image_at_zero_with_entry(d1, 0);
    assert_parsed(parse());
    assert_int_equal(pv.entry, 0);
}

static void test_numeric_note_all_bytes_little_endian(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = TOP2G + 0x1000000;
    load2(TOP2G + 0x1000000, 0x1000000, 0x1000, 0x1000);
    std_notes(TOP2G + 0x1000000);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    xen_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0x0000000100000010ull, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_base, 0xffffffff80000000ull);
    assert_int_equal(pv.features_supported, 0x10);    /* submap 0 only */
}

static void feature_image(const char *features)
{
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    if (features)
        xen_str(XEN_ELFNOTE_FEATURES, features);
    notes_phdr();
    build();
}

static void test_features_supported_names(void **state)
{
    (void)state;
    feature_image("writable_page_tables|pae_pgdir_above_4gb");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, (1u << XENFEAT_writable_page_tables) |
                                            (1u << XENFEAT_pae_pgdir_above_4gb));
    assert_int_equal(pv.features_required, 0);
}

static void test_features_every_name(void **state)
{
    (void)state;
    feature_image("writable_page_tables|writable_descriptor_tables|"
                  "auto_translated_physmap|supervisor_mode_kernel|pae_pgdir_above_4gb|"
                  "mmu_pt_update_preserve_ad|highmem_assist|gnttab_map_avail_bits|"
                  "hvm_callback_vector|hvm_safe_pvclock|hvm_pirqs|dom0|grant_map_identity|"
                  "memory_op_vnode_supported|ARM_SMCCC_supported|linux_rsdp_unrestricted|"
                  "not_direct_mapped|direct_mapped");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, (1u << (XENFEAT_direct_mapped + 1)) - 1);
}

static void test_features_required_and_supported(void **state)
{
    (void)state;
    feature_image("!writable_page_tables");
    assert_parsed(parse_with(1u << XENFEAT_writable_page_tables));
    assert_int_equal(pv.features_required, 1u << XENFEAT_writable_page_tables);
    assert_int_equal(pv.features_supported, 1u << XENFEAT_writable_page_tables);
    /* a required feature we support among others we also support */
    feature_image("dom0|!writable_page_tables|!pae_pgdir_above_4gb");
    assert_parsed(parse_with(0xffffffffu));
    assert_int_equal(pv.features_required, (1u << XENFEAT_writable_page_tables) |
                                           (1u << XENFEAT_pae_pgdir_above_4gb));
    assert_int_equal(pv.features_supported, (1u << XENFEAT_writable_page_tables) |
                                            (1u << XENFEAT_pae_pgdir_above_4gb) |
                                            (1u << XENFEAT_dom0));
}

static void test_features_unknown_name_ignored(void **state)
{
    (void)state;
    feature_image("frobnicate|writable_descriptor_tables");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, 1u << XENFEAT_writable_descriptor_tables);
    /* names match whole, not by prefix or suffix */
    feature_image("writable_page_table|writable_page_tables_x|direct_mapped");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, 1u << XENFEAT_direct_mapped);
    /* empty names are nothing */
    feature_image("|writable_page_tables||dom0|");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, (1u << XENFEAT_writable_page_tables) |
                                            (1u << XENFEAT_dom0));
    feature_image("");
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, 0);
}

static void test_supported_features_bitmap_ored(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    xen_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0x30, 4);
    xen_str(XEN_ELFNOTE_FEATURES, "writable_page_tables");
    xen_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0x80, 1);
    xen_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0x8000, 2);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.features_supported, 0x80b1);
    assert_int_equal(pv.features_required, 0);
}

static void test_non_xen_and_unknown_notes_ignored(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    note_raw("GNU", 4, XEN_ELFNOTE_LOADER, "bsd", 4);           /* not Xen's */
    note_raw("Xen!", 4, XEN_ELFNOTE_LOADER, "bsd", 4);
    note_raw("Xenon", 6, XEN_ELFNOTE_LOADER, "bsd", 4);
    note_raw("", 0, XEN_ELFNOTE_LOADER, "", 0);
    std_notes(KBASE);
    xen_str(XEN_ELFNOTE_INFO, "NAME=VALUE");
    xen_str(XEN_ELFNOTE_PAE_MODE, "yes");
    xen_num(XEN_ELFNOTE_HV_START_LOW, 0xf5800000, 4);
    xen_num(99, 1, 8);
    xen_note(1000, "\x01\x02\x03", 3);          /* unknown, odd size */
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
}

static void test_trailing_bytes_in_note_area_ignored(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    load(KBASE, 0x1000, 0x1000);               /* bytes after the note area */
    build();
    assert_int_equal(PH(0)->type, PT_NOTE);
    /* fewer than 12 bytes left after the last note: no note header fits */
    PH(0)->filesz += 11;
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
}

static void test_later_string_note_wins(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    xen_str(XEN_ELFNOTE_GUEST_OS, "first");
    xen_str(XEN_ELFNOTE_GUEST_OS, "linux");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.guest_os, "linux");
}

static void test_string_note_longest_accepted(void **state)
{
    char s[ELF_NOTE_STR_LEN];

    (void)state;
    memset(s, 'a', sizeof(s));
    memcpy(s, "linux", 5);
    s[ELF_NOTE_STR_LEN - 1] = '\0';            /* 63 characters */
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    xen_str(XEN_ELFNOTE_GUEST_OS, s);
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.guest_os, s);
}

static void test_string_note_early_nul_accepted(void **state)
{
    (void)state;
    /* a desc longer than the string: the string ends at the first NUL */
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    xen_note(XEN_ELFNOTE_LOADER, "generic\0junk", 12);
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
}

static void test_kstart_kend_page_aligned(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE + 0x123, 0x100, 0x100);
    load(KBASE + 0x9f00, 0x80, 0x101);        /* ends at KBASE + 0xa001 */
    b.eh.entry = KBASE + 0x123;
    std_notes(KBASE + 0xa000);                /* the page holding the last byte */
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_kstart, KBASE);
    assert_int_equal(pv.virt_kend, KBASE + 0xb000);
    assert_int_equal(pv.segs[0].vaddr, KBASE + 0x123);
    assert_int_equal(pv.segs[1].memsz, 0x101);
}

static void test_segments_touching_accepted(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE + 0x1000, 0x1000, 0x1000);
    load(KBASE, 0x800, 0x1000);                /* ends where the first starts */
    load(KBASE + 0x2000, 0, 0x1000);           /* all bss */
    b.eh.entry = KBASE;
    std_notes(KBASE + 0x2000);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.nr_segs, 3);
    assert_int_equal(pv.virt_kstart, KBASE);
    assert_int_equal(pv.virt_kend, KBASE + 0x3000);
}

static void test_max_segments_accepted(void **state)
{
    (void)state;
    eb_begin();
    for (unsigned int i = 0; i < ELF_MAX_SEGMENTS; i++)
        load(KBASE + i * 0x1000ull, 0x10, 0x800);
    /* empty PT_LOADs are not segments and do not count */
    phdr(PT_LOAD, PF_R, BLOB_OFF, KBASE, KBASE, 0, 0);
    b.eh.entry = KBASE;
    std_notes(KBASE + 0xf000);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.nr_segs, ELF_MAX_SEGMENTS);
    assert_int_equal(pv.virt_kend, KBASE + ELF_MAX_SEGMENTS * 0x1000ull);
}

static void test_other_program_headers_ignored(void **state)
{
    (void)state;
    eb_begin();
    phdr(PT_PHDR, PF_R, 0xffffffffffff0000ull, HV_START, HV_START, 0x1000, 0x1000);
    phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0);
    phdr(PT_NULL, 0, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, 1);
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.nr_segs, 1);
}

static void test_empty_pt_load_ignored(void **state)
{
    (void)state;
    /* memsz 0 and filesz 0: nothing to load, wherever it claims to be */
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    phdr(PT_LOAD, PF_R, UINT64_MAX, HV_START, HV_START, 0, 0);
    phdr(PT_LOAD, PF_R, 0, KBASE, KBASE, 0, 0);
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.nr_segs, 1);
    assert_int_equal(pv.segs[0].vaddr, KBASE);
}

static void test_phdrs_at_end_of_image_accepted(void **state)
{
    (void)state;
    eb_begin();
    b.phdrs_at_end = true;
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_int_equal(E()->phoff + 2 * 56, raw_size);
    assert_parsed(parse());
}

static void test_segment_ending_at_image_end_accepted(void **state)
{
    unsigned int i;

    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    i = load(KBASE, 0x1000, 0x1000);          /* the last bytes of the file */
    build();
    assert_int_equal(PH(i)->offset + PH(i)->filesz, raw_size);
    assert_parsed(parse());
}

static void test_max_program_headers_accepted(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    while (b.nph < 64)
        phdr(PT_NULL, 0, 0, 0, 0, 0, 0);
    build();
    assert_parsed(parse());
}

static void test_max_sections_accepted(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_section();
    while (b.nsh < 256)
        section(SHT_PROGBITS, 0, 0);
    build();
    assert_parsed(parse());
    assert_string_equal(pv.loader, "generic");
}

/* ---- elf_load --------------------------------------------------------------- */

static void test_load_writes_segments_and_zeroes_bss(void **state)
{
    uint64_t off0, off1;

    (void)state;
    eb_begin();
    load(KBASE, 0x1800, 0x5000);              /* text, then bss */
    load(KBASE + 0x6000, 0x20, 0x20);         /* no bss */
    load(KBASE + 0x8000, 0, 0x1000);          /* bss only */
    b.eh.entry = KBASE;
    std_notes(KBASE + 0x1000);
    notes_phdr();
    build();
    assert_parsed(parse());
    off0 = pv.segs[0].file_offset;
    off1 = pv.segs[1].file_offset;
    sim_begin(KBASE, 0x9000);
    assert_int_equal(elf_load(image, image_size, &pv, sim_write, &w), 0);

    assert_int_equal(w.n, 4);                 /* calls with len > 0 */
    assert_int_equal(w.calls[0].vaddr, KBASE);
    assert_ptr_equal(w.calls[0].src, image + off0);
    assert_int_equal(w.calls[0].len, 0x1800);
    assert_int_equal(w.calls[1].vaddr, KBASE + 0x1800);
    assert_null(w.calls[1].src);
    assert_int_equal(w.calls[1].len, 0x5000 - 0x1800);
    assert_int_equal(w.calls[2].vaddr, KBASE + 0x6000);
    assert_ptr_equal(w.calls[2].src, image + off1);
    assert_int_equal(w.calls[2].len, 0x20);
    assert_int_equal(w.calls[3].vaddr, KBASE + 0x8000);
    assert_null(w.calls[3].src);
    assert_int_equal(w.calls[3].len, 0x1000);

    /* the simulated memory: the file bytes, then zeros, gaps untouched */
    for (uint64_t i = 0; i < 0x1800; i++)
        assert_int_equal(w.mem[i], pattern(off0 + i));
    for (uint64_t i = 0x1800; i < 0x5000; i++)
        assert_int_equal(w.mem[i], 0);
    for (uint64_t i = 0x5000; i < 0x6000; i++)
        assert_int_equal(w.mem[i], 0xaa);
    for (uint64_t i = 0; i < 0x20; i++)
        assert_int_equal(w.mem[0x6000 + i], pattern(off1 + i));
    assert_int_equal(w.mem[0x6020], 0xaa);
    for (uint64_t i = 0x8000; i < 0x9000; i++)
        assert_int_equal(w.mem[i], 0);
}

static void test_load_uses_virt_base_addresses(void **state)
{
    const uint64_t text = TOP2G + 0x1000000;

    (void)state;
    eb_begin();
    load2(text, 0x1000000, 0x100, 0x2000);
    b.eh.entry = text;
    std_notes(text + 0x1000);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
    sim_begin(text, 0x2000);
    assert_int_equal(elf_load(image, image_size, &pv, sim_write, &w), 0);
    assert_int_equal(w.n, 2);
    assert_int_equal(w.calls[0].vaddr, text);
    assert_int_equal(w.calls[1].vaddr, text + 0x100);
    assert_int_equal(w.calls[1].len, 0x1f00);
}

static void test_load_writer_error_propagates(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x100, 0x1000);
    load(KBASE + 0x1000, 0x100, 0x100);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_parsed(parse());

    /* the zeroing call of the first segment fails: nothing after it */
    sim_begin(KBASE, 0x2000);
    w.fail_at = 2;
    w.fail_rc = -EFAULT;
    assert_int_equal(elf_load(image, image_size, &pv, sim_write, &w), -EFAULT);
    assert_int_equal(w.all, 2);
    assert_int_equal(w.n, 1);
    for (uint64_t i = 0x100; i < 0x2000; i++)
        assert_int_equal(w.mem[i], 0xaa);

    /* the very first write fails: nothing written at all */
    sim_begin(KBASE, 0x2000);
    w.fail_at = 1;
    w.fail_rc = -ENOMEM;
    assert_int_equal(elf_load(image, image_size, &pv, sim_write, &w), -ENOMEM);
    assert_int_equal(w.all, 1);
    assert_int_equal(w.n, 0);

    /* a positive error is passed on too */
    sim_begin(KBASE, 0x2000);
    w.fail_at = 3;
    w.fail_rc = 7;
    assert_int_equal(elf_load(image, image_size, &pv, sim_write, &w), 7);
    assert_int_equal(w.all, 3);
}

static void test_load_refuses_smaller_image(void **state)
{
    (void)state;
    good_image();
    assert_parsed(parse());
    sim_begin(KBASE, 0x3000);
    /* handed fewer bytes than were parsed: no write at all */
    assert_int_equal(elf_load(image, (size_t)pv.segs[0].file_offset + 0x1fff, &pv,
                              sim_write, &w), -EINVAL);
    assert_int_equal(w.all, 0);
}

/* ---- refused: the ELF header -------------------------------------------------- */

static void test_truncated_header_refused(void **state)
{
    (void)state;
    good_image();
    assert_refused(parse_n(63, 0), -ENOEXEC, "smaller than an ELF header");
    assert_refused(parse_n(4, 0), -ENOEXEC, "smaller than an ELF header");
    assert_refused(parse_n(0, 0), -ENOEXEC, "smaller than an ELF header");
    /* 64 bytes is a header, but the program headers are then missing */
    assert_refused(parse_n(64, 0), -EINVAL, "program headers run past");
}

static void test_bad_magic_refused(void **state)
{
    (void)state;
    good_image();
    for (unsigned int i = 0; i < 4; i++) {
        uint8_t save = raw[i];
        raw[i] ^= 0x20;
        assert_refused(parse(), -ENOEXEC, "not an ELF image");
        raw[i] = save;
    }
    assert_parsed(parse());
}

static void test_elf32_refused(void **state)
{
    (void)state;
    good_image();
    E()->ident[4] = 1;                          /* ELFCLASS32 */
    assert_refused(parse(), -EINVAL, "little-endian ELF64");
    E()->ident[4] = 0;
    assert_refused(parse(), -EINVAL, "little-endian ELF64");
}

static void test_big_endian_refused(void **state)
{
    (void)state;
    good_image();
    E()->ident[5] = 2;                          /* ELFDATA2MSB */
    assert_refused(parse(), -EINVAL, "little-endian ELF64");
}

static void test_ident_version_refused(void **state)
{
    (void)state;
    good_image();
    E()->ident[6] = 0;
    assert_refused(parse(), -EINVAL, "version 1");
    E()->ident[6] = 2;
    assert_refused(parse(), -EINVAL, "version 1");
}

static void test_wrong_machine_refused(void **state)
{
    (void)state;
    good_image();
    E()->machine = EM_386;
    assert_refused(parse(), -EINVAL, "not an x86-64 executable");
    E()->machine = EM_AARCH64;
    assert_refused(parse(), -EINVAL, "machine 183");
}

static void test_not_executable_refused(void **state)
{
    (void)state;
    good_image();
    E()->type = ET_DYN;
    assert_refused(parse(), -EINVAL, "not an x86-64 executable (type 3");
    E()->type = ET_REL;
    assert_refused(parse(), -EINVAL, "not an x86-64 executable");
}

static void test_phentsize_wrong_refused(void **state)
{
    (void)state;
    good_image();
    E()->phentsize = 32;                        /* the ELF32 size */
    assert_refused(parse(), -EINVAL, "bad program header table");
    E()->phentsize = 64;
    assert_refused(parse(), -EINVAL, "bad program header table");
    E()->phentsize = 0;
    assert_refused(parse(), -EINVAL, "bad program header table");
}

static void test_no_program_headers_refused(void **state)
{
    (void)state;
    good_image();
    E()->phnum = 0;
    assert_refused(parse(), -EINVAL, "bad program header table (0 entries");
}

static void test_too_many_program_headers_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    while (b.nph < 65)
        phdr(PT_NULL, 0, 0, 0, 0, 0, 0);
    build();
    assert_refused(parse(), -EINVAL, "bad program header table (65 entries");
    E()->phnum = 0xffff;
    assert_refused(parse(), -EINVAL, "bad program header table");
}

static void test_program_headers_past_end_refused(void **state)
{
    (void)state;
    eb_begin();
    b.phdrs_at_end = true;
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_parsed(parse());
    E()->phoff += 1;                            /* the last byte is missing */
    assert_refused(parse(), -EINVAL, "program headers run past");
    E()->phoff = raw_size + 8;
    assert_refused(parse(), -EINVAL, "program headers run past");
    E()->phoff = UINT64_MAX - 55;               /* phoff + size wraps */
    assert_refused(parse(), -EINVAL, "program headers run past");
    E()->phoff = raw_size - 2 * 56;
    E()->phnum = 3;                             /* one more than there is */
    assert_refused(parse(), -EINVAL, "program headers run past");
}

/* ---- refused: segments --------------------------------------------------------- */

static void test_segment_file_bytes_past_end_refused(void **state)
{
    unsigned int i;

    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    i = load(KBASE, 0x1000, 0x1000);
    build();
    assert_parsed(parse());
    PH(i)->offset += 1;
    assert_refused(parse(), -EINVAL, "runs past the image");
    PH(i)->offset = raw_size + 1;
    PH(i)->filesz = 0;
    assert_refused(parse(), -EINVAL, "runs past the image");
    PH(i)->offset = UINT64_MAX - 0xfff;         /* offset + filesz wraps to 0 */
    PH(i)->filesz = 0x1000;
    assert_refused(parse(), -EINVAL, "runs past the image");
    PH(i)->offset = 0;
    PH(i)->filesz = UINT64_MAX;
    PH(i)->memsz = UINT64_MAX;
    assert_refused(parse(), -EINVAL, "runs past the image");
}

static void test_filesz_above_memsz_refused(void **state)
{
    (void)state;
    good_image();
    PH(0)->memsz = 0x2000;
    assert_parsed(parse());                     /* equal is fine */
    PH(0)->memsz = 0x1fff;
    assert_refused(parse(), -EINVAL, "file size exceeds its memory size");
}

static void test_filesz_with_zero_memsz_refused(void **state)
{
    (void)state;
    /* no memory to hold the file bytes: still filesz > memsz */
    good_image();
    PH(0)->memsz = 0;
    PH(0)->filesz = 0x10;
    assert_refused(parse(), -EINVAL, "file size exceeds its memory size");
}

static void test_segment_wrapping_refused(void **state)
{
    (void)state;
    good_image();
    PH(0)->paddr = 0xfffffffffffff000ull;
    PH(0)->memsz = 0x2000;
    assert_refused(parse(), -EINVAL, "wraps past the top");
    PH(0)->memsz = UINT64_MAX;
    assert_refused(parse(), -EINVAL, "wraps past the top");
    PH(0)->paddr = KBASE;
    PH(0)->memsz = UINT64_MAX;
    assert_refused(parse(), -EINVAL, "wraps past the top");
}

static void test_segment_ending_at_2_64_refused(void **state)
{
    (void)state;
    /* [2^64 - 2 MiB, 2^64): its end is not representable */
    good_image();
    PH(0)->paddr = 0xffffffffffe00000ull;
    PH(0)->memsz = 0x200000;
    E()->entry = 0xffffffffffe00000ull;
    assert_refused(parse(), -EINVAL, "wraps past the top");
}

static void test_segment_ending_at_2_64_cannot_hide_overlap(void **state)
{
    (void)state;
    /* a segment inside one that ends exactly at 2^64 still overlaps it */
    eb_begin();
    load(0xffffffffffe00000ull, 0x1000, 0x200000);
    load(0xffffffffffe01000ull, 0x1000, 0x1000);
    b.eh.entry = 0xffffffffffe00000ull;
    std_notes(0xffffffffffe01000ull);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "wraps past the top");
}

static void test_segment_address_arithmetic_wrapping_refused(void **state)
{
    (void)state;
    /* p_paddr - PADDR_OFFSET + VIRT_BASE wraps to a low address */
    eb_begin();
    load(0x80000000, 0x1000, 0x1000);
    b.eh.entry = 0;
    std_notes(0);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "below VIRT_BASE");
}

static void test_non_canonical_segment_refused(void **state)
{
    (void)state;
    good_image();
    PH(0)->paddr = 0x0000800000000000ull;       /* first address of the hole */
    E()->entry = PH(0)->paddr;
    assert_refused(parse(), -EINVAL, "not canonical");
    PH(0)->paddr = 0x8000000000000000ull;
    E()->entry = PH(0)->paddr;
    assert_refused(parse(), -EINVAL, "not canonical");
    /* starts in the lower half, ends in the hole */
    PH(0)->paddr = 0x00007ffffffff000ull;
    E()->entry = PH(0)->paddr;
    assert_refused(parse(), -EINVAL, "not canonical");
    /* ending exactly at the top of the lower half is fine */
    eb_begin();
    load(0x00007ffffffff000ull - 0x2000, 0x2000, 0x3000);
    b.eh.entry = 0x00007ffffffff000ull - 0x2000;
    std_notes(0x00007ffffffff000ull);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_kend, 0x0000800000000000ull);
}

static void test_hypervisor_range_segment_refused(void **state)
{
    (void)state;
    good_image();
    PH(0)->paddr = HV_START;
    E()->entry = HV_START;
    assert_refused(parse(), -EINVAL, "hypervisor range");
    PH(0)->paddr = HV_END - 0x1000;             /* the last page of it */
    PH(0)->filesz = 0x1000;
    PH(0)->memsz = 0x1000;
    E()->entry = PH(0)->paddr;
    assert_refused(parse(), -EINVAL, "hypervisor range");
    PH(0)->paddr = 0xffff82d040000000ull;       /* our own image */
    E()->entry = PH(0)->paddr;
    assert_refused(parse(), -EINVAL, "hypervisor range");
    PH(0)->paddr = HV_END - 0x1000;             /* runs out of it */
    PH(0)->memsz = 0x3000;
    E()->entry = HV_END;
    assert_refused(parse(), -EINVAL, "hypervisor range");
}

static void test_segment_just_above_hypervisor_accepted(void **state)
{
    (void)state;
    eb_begin();
    load(HV_END, 0x1000, 0x3000);
    b.eh.entry = HV_END;
    std_notes(HV_END + 0x1000);
    notes_phdr();
    build();
    assert_parsed(parse());
    assert_int_equal(pv.virt_kstart, HV_END);
}

static void test_segment_below_virt_base_refused(void **state)
{
    (void)state;
    eb_begin();
    load(0x1000000, 0x1000, 0x1000);
    load(0x3000000, 0x1000, 0x1000);
    b.eh.entry = TOP2G + 0x1000000;
    std_notes(TOP2G + 0x1000000);
    xen_num(XEN_ELFNOTE_VIRT_BASE, TOP2G, 8);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, 0x2000000, 8);
    notes_phdr();
    build();
    /* 0x1000000 - 0x2000000 + VIRT_BASE is 16 MiB below VIRT_BASE */
    assert_refused(parse(), -EINVAL, "below VIRT_BASE");
}

static void test_overlapping_segments_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x2000, 0x2000);
    load(KBASE + 0x1fff, 0x10, 0x10);           /* one byte in common */
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "overlap");
    /* entirely inside */
    PH(1)->paddr = KBASE + 0x100;
    assert_refused(parse(), -EINVAL, "overlap");
    /* the same place */
    PH(1)->paddr = KBASE;
    assert_refused(parse(), -EINVAL, "overlap");
    /* around the first, through the bss of the first */
    PH(0)->memsz = 0x3000;
    PH(1)->paddr = KBASE - 0x1000;
    PH(1)->memsz = 0x10000;
    assert_refused(parse(), -EINVAL, "overlap");
    /* only the bss overlaps */
    PH(1)->paddr = KBASE + 0x2800;
    PH(1)->memsz = 0x10;
    assert_refused(parse(), -EINVAL, "overlap");
    PH(1)->paddr = KBASE + 0x3000;
    assert_parsed(parse());
}

static void test_too_many_segments_refused(void **state)
{
    (void)state;
    eb_begin();
    for (unsigned int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        load(KBASE + i * 0x1000ull, 0x10, 0x800);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "more than 16 loadable segments");
}

static void test_no_loadable_segments_refused(void **state)
{
    (void)state;
    good_image();
    PH(0)->type = PT_NULL;
    assert_refused(parse(), -EINVAL, "no loadable segments");
    PH(0)->type = PT_LOAD;
    PH(0)->filesz = 0;
    PH(0)->memsz = 0;
    assert_refused(parse(), -EINVAL, "no loadable segments");
}

/* ---- refused: notes ------------------------------------------------------------ */

static void test_no_xen_notes_refused(void **state)
{
    (void)state;
    /* no notes at all */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    build();
    assert_refused(parse(), -EINVAL, "no Xen ELF notes");
    /* notes, but none of them Xen's */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    note_raw("GNU", 4, XEN_ELFNOTE_LOADER, "generic", 8);
    note_raw("Xen", 3, XEN_ELFNOTE_LOADER, "generic", 8);  /* no NUL in the name */
    notes_phdr();
    note_raw("Linux", 6, 1, "x", 2);
    notes_section();
    build();
    assert_refused(parse(), -EINVAL, "no Xen ELF notes");
}

static void test_note_running_past_area_refused(void **state)
{
    uint64_t area;
    size_t at;

    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    at = xen_str(XEN_ELFNOTE_GUEST_OS, "linux");   /* the last note */
    area = notes_phdr();
    load(KBASE + 0x1000, 0x100, 0x100);            /* data after the area */
    build();
    assert_parsed(parse());
    put32(area + at + 4, 8 + 1);                   /* descsz one past the area */
    assert_refused(parse(), -EINVAL, "runs past its area");
    put32(area + at + 4, 0xfffffffd);              /* padding would wrap 32 bits */
    assert_refused(parse(), -EINVAL, "runs past its area");
    put32(area + at + 4, 6);
    put32(area + at, 0x100);                       /* namesz */
    assert_refused(parse(), -EINVAL, "runs past its area");
    put32(area + at, 0xffffffff);
    assert_refused(parse(), -EINVAL, "runs past its area");
    put32(area + at, 4);
    assert_parsed(parse());
    /* the area itself cut short in the middle of the last note */
    PH(1)->filesz -= 4;
    assert_refused(parse(), -EINVAL, "runs past its area");
}

static void test_note_area_past_image_refused(void **state)
{
    (void)state;
    good_image();
    PH(1)->filesz = raw_size - PH(1)->offset + 1;
    assert_refused(parse(), -EINVAL, "note area");
    PH(1)->offset = raw_size + 4;
    PH(1)->filesz = 0;
    assert_refused(parse(), -EINVAL, "note area");
    PH(1)->offset = UINT64_MAX;
    PH(1)->filesz = 16;
    assert_refused(parse(), -EINVAL, "note area");
}

static void test_note_section_past_image_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_section();
    build();
    assert_parsed(parse());
    SH(1)->size = raw_size;
    assert_refused(parse(), -EINVAL, "note area");
    SH(1)->offset = UINT64_MAX - 8;
    SH(1)->size = 0x20;
    assert_refused(parse(), -EINVAL, "note area");
}

static void test_string_note_unterminated_refused(void **state)
{
    static const uint32_t types[] = { XEN_ELFNOTE_LOADER, XEN_ELFNOTE_XEN_VERSION,
                                      XEN_ELFNOTE_GUEST_OS };
    static const char *const names[] = { "LOADER", "XEN_VERSION", "GUEST_OS" };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
        eb_begin();
        load(KBASE, 0x1000, 0x1000);
        b.eh.entry = KBASE;
        std_notes(KBASE);
        /* 7 bytes and no NUL: the zero padding after it must not count */
        xen_note(types[i], "xen-3.0", 7);
        notes_phdr();
        build();
        assert_refused(parse(), -EINVAL, names[i]);
        assert_refused(parse(), -EINVAL, "not NUL-terminated");
        /* an empty desc holds no string either */
        eb_begin();
        load(KBASE, 0x1000, 0x1000);
        b.eh.entry = KBASE;
        std_notes(KBASE);
        xen_note(types[i], "", 0);
        notes_phdr();
        build();
        assert_refused(parse(), -EINVAL, "not NUL-terminated");
    }
}

/* FEATURES as Linux 6.1 declares it: .ascii, no NUL inside the size. */
static void features_note(const char *desc, uint32_t size)
{
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    xen_note(XEN_ELFNOTE_FEATURES, desc, size);
    notes_phdr();
    build();
}

static void test_features_unterminated_accepted(void **state)
{
    (void)state;
    features_note("!writable_page_tables|pae_pgdir_above_4gb", 41);
    assert_parsed(parse_with(1u << XENFEAT_writable_page_tables));
    assert_int_equal(pv.features_required, 1u << XENFEAT_writable_page_tables);
    assert_true(pv.features_supported & (1u << XENFEAT_pae_pgdir_above_4gb));
}

static void test_features_end_at_declared_size(void **state)
{
    (void)state;
    /* the size cuts the name: the bytes after it never count */
    features_note("!writable_page_tables", 9);
    assert_refused(parse(), -EINVAL, "requires unknown feature 'writable'");
}

static void test_string_note_too_long_refused(void **state)
{
    char s[ELF_NOTE_STR_LEN + 1];

    (void)state;
    memset(s, 'a', sizeof(s));
    memcpy(s, "linux", 5);
    s[ELF_NOTE_STR_LEN] = '\0';                 /* 64 characters */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    xen_str(XEN_ELFNOTE_GUEST_OS, s);
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "GUEST_OS is longer than 63 bytes");
}

static void test_loader_not_generic_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    xen_str(XEN_ELFNOTE_LOADER, "elf");
    xen_str(XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "LOADER is not 'generic'");
    /* neither note at all */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "LOADER is not 'generic'");
    /* case matters: "Linux" and "GENERIC" are not the names */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    xen_str(XEN_ELFNOTE_LOADER, "GENERIC");
    xen_str(XEN_ELFNOTE_GUEST_OS, "Linux");
    xen_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "LOADER is not 'generic'");
}

static void test_xen_version_refused(void **state)
{
    static const char *const bad[] = { "xen-2.0", "xen-3", "xen-3.1", "XEN-3.0", "" };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        eb_begin();
        load(KBASE, 0x1000, 0x1000);
        b.eh.entry = KBASE;
        xen_str(XEN_ELFNOTE_LOADER, "generic");
        xen_str(XEN_ELFNOTE_XEN_VERSION, bad[i]);
        notes_phdr();
        build();
        assert_refused(parse(), -EINVAL, "XEN_VERSION");
    }
    /* no XEN_VERSION note at all */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    xen_str(XEN_ELFNOTE_LOADER, "generic");
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "XEN_VERSION");
}

static void test_paddr_offset_without_virt_base_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, 0, 8);    /* even a zero one */
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "PADDR_OFFSET given without VIRT_BASE");
    /* with a (zero) VIRT_BASE it is accepted */
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    xen_num(XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    xen_num(XEN_ELFNOTE_VIRT_BASE, 0, 8);
    notes_phdr();
    build();
    assert_parsed(parse());
}

/* ---- refused: entry, hypercall page, features ------------------------------------ */

static void test_entry_outside_image_refused(void **state)
{
    (void)state;
    good_image();
    E()->entry = KBASE + 0x3000;                /* virt_kend itself */
    assert_refused(parse(), -EINVAL, "entry point");
    E()->entry = KBASE - 1;
    assert_refused(parse(), -EINVAL, "entry point");
    E()->entry = 0;
    assert_refused(parse(), -EINVAL, "entry point");
    /* the ENTRY note is checked as e_entry would be */
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x1000, 0x1000);
    std_notes(KBASE);
    xen_num(XEN_ELFNOTE_ENTRY, 0xffff82d040000000ull, 8);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "entry point 0xffff82d040000000");
}

static void test_hypercall_page_unaligned_refused(void **state)
{
    (void)state;
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x2000, 0x2000);
    std_notes(KBASE + 0x1008);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "hypercall page");
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x2000, 0x2000);
    std_notes(KBASE + 0x1fff);
    notes_phdr();
    build();
    assert_refused(parse(), -EINVAL, "hypercall page");
}

static void test_hypercall_page_outside_image_refused(void **state)
{
    static const uint64_t bad[] = { KBASE + 0x3000, KBASE - 0x1000, 0, HV_START };

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        eb_begin();
        b.eh.entry = KBASE;
        load(KBASE, 0x2000, 0x3000);
        std_notes(bad[i]);
        notes_phdr();
        build();
        assert_refused(parse(), -EINVAL, "hypercall page");
    }
    /* the last page of the image is fine */
    eb_begin();
    b.eh.entry = KBASE;
    load(KBASE, 0x2000, 0x3000);
    std_notes(KBASE + 0x2000);
    notes_phdr();
    build();
    assert_parsed(parse());
}

static void test_required_feature_unsupported_refused(void **state)
{
    (void)state;
    feature_image("!writable_page_tables|!dom0");
    assert_refused(parse_with(1u << XENFEAT_writable_page_tables), -EINVAL,
                   "requires features 0x800");
    assert_refused(parse_with(0), -EINVAL, "requires features 0x801");
    assert_parsed(parse_with((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_dom0)));
    /* declared but not required: no need for us to support it */
    feature_image("writable_page_tables|dom0");
    assert_parsed(parse_with(0));
}

static void test_required_unknown_feature_refused(void **state)
{
    char long_name[300];

    (void)state;
    feature_image("writable_page_tables|!frobnicate");
    assert_refused(parse_with(0xffffffffu), -EINVAL, "unknown feature 'frobnicate'");
    feature_image("!");
    assert_refused(parse_with(0xffffffffu), -EINVAL, "unknown feature ''");
    feature_image("!writable_page_tables_x");
    assert_refused(parse_with(0xffffffffu), -EINVAL, "unknown feature");
    /* a name longer than the reason buffer: the reason is cut, not overrun */
    memset(long_name, 'z', sizeof(long_name));
    long_name[0] = '!';
    long_name[sizeof(long_name) - 1] = '\0';
    feature_image(long_name);
    assert_refused(parse_with(0xffffffffu), -EINVAL, "unknown feature 'zzz");
    assert_int_equal(strlen(why), ELF_WHY_LEN - 1);
}

static void test_bad_section_header_table_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_section();
    build();
    assert_parsed(parse());
    E()->shentsize = 40;
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shentsize = 0;
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shentsize = 64;
    E()->shoff += 1;                            /* the table's last byte missing */
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shoff = raw_size + 64;
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shoff = UINT64_MAX - 63;
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shoff = raw_size - 2 * 64;
    E()->shnum = 3;
    assert_refused(parse(), -EINVAL, "bad section header table");
    E()->shnum = 2;
    assert_parsed(parse());
}

static void test_too_many_sections_refused(void **state)
{
    (void)state;
    eb_begin();
    load(KBASE, 0x1000, 0x1000);
    b.eh.entry = KBASE;
    std_notes(KBASE);
    notes_section();
    while (b.nsh < 257)
        section(SHT_PROGBITS, 0, 0);
    build();
    assert_refused(parse(), -EINVAL, "bad section header table");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_minimal_valid),
        T(test_no_hypercall_page_accepted),
        T(test_virt_base_and_paddr_offset),
        T(test_segment_at_virt_base_accepted),
        T(test_top_2gib_kernel),
        T(test_top_2gib_paddr_equals_vaddr),
        T(test_segment_below_top_page_accepted),
        T(test_notes_from_section),
        T(test_sections_read_when_pt_note_has_no_xen_notes),
        T(test_sections_ignored_when_pt_note_has_xen_notes),
        T(test_guest_os_linux_without_loader),
        T(test_linux_with_other_loader_accepted),
        T(test_generic_loader_with_other_guest_os_accepted),
        T(test_entry_note_overrides_e_entry),
        T(test_entry_at_image_edges_accepted),
        T(test_numeric_note_sizes),
        T(test_numeric_note_all_bytes_little_endian),
        T(test_features_supported_names),
        T(test_features_every_name),
        T(test_features_required_and_supported),
        T(test_features_unknown_name_ignored),
        T(test_supported_features_bitmap_ored),
        T(test_non_xen_and_unknown_notes_ignored),
        T(test_trailing_bytes_in_note_area_ignored),
        T(test_later_string_note_wins),
        T(test_string_note_longest_accepted),
        T(test_string_note_early_nul_accepted),
        T(test_kstart_kend_page_aligned),
        T(test_segments_touching_accepted),
        T(test_max_segments_accepted),
        T(test_other_program_headers_ignored),
        T(test_empty_pt_load_ignored),
        T(test_phdrs_at_end_of_image_accepted),
        T(test_segment_ending_at_image_end_accepted),
        T(test_max_program_headers_accepted),
        T(test_max_sections_accepted),
        T(test_load_writes_segments_and_zeroes_bss),
        T(test_load_uses_virt_base_addresses),
        T(test_load_writer_error_propagates),
        T(test_load_refuses_smaller_image),
        T(test_truncated_header_refused),
        T(test_bad_magic_refused),
        T(test_elf32_refused),
        T(test_big_endian_refused),
        T(test_ident_version_refused),
        T(test_wrong_machine_refused),
        T(test_not_executable_refused),
        T(test_phentsize_wrong_refused),
        T(test_no_program_headers_refused),
        T(test_too_many_program_headers_refused),
        T(test_program_headers_past_end_refused),
        T(test_segment_file_bytes_past_end_refused),
        T(test_filesz_above_memsz_refused),
        T(test_filesz_with_zero_memsz_refused),
        T(test_segment_wrapping_refused),
        T(test_segment_ending_at_2_64_refused),
        T(test_segment_ending_at_2_64_cannot_hide_overlap),
        T(test_segment_address_arithmetic_wrapping_refused),
        T(test_non_canonical_segment_refused),
        T(test_hypervisor_range_segment_refused),
        T(test_segment_just_above_hypervisor_accepted),
        T(test_segment_below_virt_base_refused),
        T(test_overlapping_segments_refused),
        T(test_too_many_segments_refused),
        T(test_no_loadable_segments_refused),
        T(test_no_xen_notes_refused),
        T(test_note_running_past_area_refused),
        T(test_note_area_past_image_refused),
        T(test_note_section_past_image_refused),
        T(test_string_note_unterminated_refused),
        T(test_features_unterminated_accepted),
        T(test_features_end_at_declared_size),
        T(test_string_note_too_long_refused),
        T(test_loader_not_generic_refused),
        T(test_xen_version_refused),
        T(test_paddr_offset_without_virt_base_refused),
        T(test_entry_outside_image_refused),
        T(test_hypercall_page_unaligned_refused),
        T(test_hypercall_page_outside_image_refused),
        T(test_required_feature_unsupported_refused),
        T(test_required_unknown_feature_refused),
        T(test_bad_section_header_table_refused),
        T(test_too_many_sections_refused),
    };

    return cmocka_run_group_tests_name("elf_loader", tests, NULL, NULL);
}
