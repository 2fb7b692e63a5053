/*
 * domain_build.c: turn a kernel module into a runnable 64-bit PV domain.
 *
 * The steps follow Xen's builder so a guest written for Xen finds what it
 * expects (start_info, p2m list, page tables, stack, registers):
 *   1. parse the ELF image and its notes (elf_loader.c), refusing bad ones;
 *   2. compute the layout (domain_layout.c);
 *   3. allocate and zero the domain's RAM, pfn by pfn (the p2m);
 *   4. copy the kernel segments and the initrd, write the p2m list;
 *   5. write the bootstrap page tables, mapping the whole region, with the
 *      page-table pages themselves read-only, and the hypervisor's slots;
 *   6. fill start_info, the hypercall page, shared_info; for an
 *      unprivileged domain also the xenstore and console ring pages
 *      (zeroed, as Xen 4.17's libxc leaves both), each with a port left
 *      unbound for the backend domain, store's allocated first (libxl's
 *      order, so on a fresh domain store is port 1 and console port 2);
 *      a privileged domain gets the hardware domain's start_info, without
 *      them, as Xen builds domain 0;
 *   7. set the vCPU's registers for its first entry.
 * All writes go through the builder's own pfn lookup, which refuses any
 * address outside the domain's pages, so a hostile image cannot make the
 * builder write anywhere but the new domain's memory.
 */
#include "console.h"
#include "domain_build.h"
#include "grant.h"
#include "domain_layout.h"
#include "elf_loader.h"
#include "evtchn_glue.h"
#include "err.h"
#include "heap.h"
#include "hv_version.h"
#include "memory_setup.h"
#include "directmap.h"
#include <public/features.h>
#include <public/xen.h>
#include <asm/desc.h>
#include <asm/guest_io.h>
#include <asm/page.h>
#include <asm/paging.h>

/* What a 64-bit PV kernel may require of us (FEATURES '!'). */
#define SUPPORTED_FEATURES ((1u << XENFEAT_writable_page_tables) | \
                            (1u << XENFEAT_pae_pgdir_above_4gb) |  \
                            (1u << XENFEAT_dom0) | TERN_PV_FEATURES)

/* Entry bits as Xen's builder writes them and its validation adjusts them:
 * upper levels P|RW|A|D|US; L1 P|RW|A plus US and the guest-kernel marker
 * (bit 52) the guest did not set itself. */
#define UPPER_FLAGS      (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_US)
#define L1_FLAGS         (PTE_P | PTE_RW | PTE_A | PTE_US | PTE_GUEST_KERNEL)
#define L1_PT_FLAGS      (PTE_P | PTE_A | PTE_US | PTE_GUEST_KERNEL)

struct builder {
    struct domain *d;
    struct pv_layout l;
    struct elf_pv_image img;
    uint64_t next_pt;                 /* next free page-table pfn */
};

/* Hypervisor pointer to the byte at guest VA va, or NULL if va is not in
 * the domain's pages. Valid to the end of va's page. */
static uint8_t *gva_ptr(const struct builder *b, uint64_t va)
{
    uint64_t pfn;

    if (va < b->l.virt_base)
        return NULL;
    pfn = pv_pfn(&b->l, va);
    if (pfn >= b->d->nr_pages)
        return NULL;
    return (uint8_t *)phys_to_virt(b->d->p2m[pfn] << PAGE_SHIFT) + (va & (PAGE_SIZE - 1));
}

/* elf_write_fn: copy (or zero) len bytes at guest VA va, page by page.
 * Zeroing only checks the range: allocate_ram cleared every page of the
 * domain already, and clearing a kernel's bss again cost 0.6 M
 * instructions of domain 0's build. */
static int write_gva(void *ctx, uint64_t va, const void *src, size_t len)
{
    const struct builder *b = ctx;
    const uint8_t *s = src;

    while (len) {
        size_t n = (size_t)MIN((uint64_t)len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        uint8_t *d = gva_ptr(b, va);
        if (!d)
            return -EINVAL;
        if (s) {
            memcpy(d, s, n);
            s += n;
        }
        va += n;
        len -= n;
    }
    return 0;
}

/* The domain's RAM, all taken at once (frame by frame, the allocation
 * around each page's clearing was 1 M instructions for 32 MiB), then
 * zeroed: the only clearing, which write_gva relies on. */
static int allocate_ram(struct builder *b)
{
    struct domain *d = b->d;

    d->p2m = heap_alloc(d->nr_pages * sizeof(uint64_t));
    if (!d->p2m || domain_alloc_frames(d, d->p2m, d->nr_pages))
        return -ENOMEM;
    for (uint64_t pfn = 0; pfn < d->nr_pages; pfn++) {
        clear_page(phys_to_virt(d->p2m[pfn] << PAGE_SHIFT));
        m2p_set(d->p2m[pfn], pfn);
    }
    return 0;
}

static uint64_t mfn_of(const struct builder *b, uint64_t va)
{
    return b->d->p2m[pv_pfn(&b->l, va)];
}

static uint64_t *table_at(const struct builder *b, uint64_t pfn)
{
    return phys_to_virt(b->d->p2m[pfn] << PAGE_SHIFT);
}

/* The table below entry idx of table, taking the next page-table pfn. */
static uint64_t *child_table(struct builder *b, uint64_t *table, unsigned int idx)
{
    if (!(table[idx] & PTE_P))
        table[idx] = (b->d->p2m[b->next_pt++] << PAGE_SHIFT) | UPPER_FLAGS;
    return phys_to_virt(table[idx] & PTE_ADDR_MASK);
}

static unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (unsigned int)((va >> (12 + 9 * (level - 1))) & 511);
}

static bool is_page_table_page(const struct builder *b, uint64_t va)
{
    return va >= b->l.pt_start && va < b->l.pt_start + b->l.nr_pt_frames * PAGE_SIZE;
}

static void build_page_tables(struct builder *b)
{
    uint64_t l4_pfn = pv_pfn(&b->l, b->l.pt_start);
    uint64_t *l4 = table_at(b, l4_pfn);

    b->next_pt = l4_pfn + 1;
    for (uint64_t va = b->l.virt_base; va < b->l.v_end; va += PAGE_SIZE) {
        uint64_t *l3 = child_table(b, l4, pt_index(va, 4));
        uint64_t *l2 = child_table(b, l3, pt_index(va, 3));
        uint64_t *l1 = child_table(b, l2, pt_index(va, 2));
        l1[pt_index(va, 1)] = (mfn_of(b, va) << PAGE_SHIFT) |
                              (is_page_table_page(b, va) ? L1_PT_FLAGS : L1_FLAGS);
    }
    if (b->next_pt > l4_pfn + b->l.nr_pt_frames)
        panic("domain builder: page tables overran their %lu frames\n", b->l.nr_pt_frames);
    paging_fill_hypervisor_slots(l4);
}

/* Validate the bootstrap tables exactly as a guest's own would be: pin the
 * L4 (which types every table under it and checks every entry), then take
 * the CR3 reference. A refusal here is a builder bug, reported as such. */
static int pin_bootstrap_tables(struct builder *b)
{
    uint64_t l4_mfn = mfn_of(b, b->l.pt_start);
    int rc = pin_table(&ftable, l4_mfn, b->d->id, 4);

    if (!rc) {
        rc = get_page_and_type(&ftable, l4_mfn, b->d->id, PGT_l4);
        if (rc)
            unpin_table(&ftable, l4_mfn, b->d->id);
    }
    if (rc)
        log_err("d%u: the bootstrap page tables failed validation (%d)\n", b->d->id, rc);
    else {
        b->d->vcpu[0]->cr3 = l4_mfn << PAGE_SHIFT;
        paging_set_m2p_slot(table_at(b, pv_pfn(&b->l, b->l.pt_start)), true);  /* kernel root */
    }
    return rc;
}

/* The hypervisor's p2m, as it is, into the guest's list: one copy a page
 * (entry by entry it was 0.6 M instructions for 32 MiB). */
static void write_p2m_list(const struct builder *b)
{
    write_gva((void *)b, b->l.p2m_start, b->d->p2m, b->d->nr_pages * sizeof(uint64_t));
}

/*
 * Hook for the grant tables: fill the granter-side entries
 * GNTTAB_RESERVED_CONSOLE (0) and GNTTAB_RESERVED_XENSTORE (1) of d's
 * grant table, permitting backend to map console_mfn and store_mfn, as
 * libxc's xc_dom_gnttab_seed does. 0, or a negative errno that fails the
 * build.
 */
/* The granter's side of the two pages, as Xen's toolstack seeds it: the
 * reserved entries GNTTAB_RESERVED_CONSOLE and _XENSTORE grant them to the
 * backend, which can then map them by reference. */
static int build_reserved_grants(struct domain *d, domid_t backend, uint64_t console_mfn,
                                 uint64_t store_mfn)
{
    int rc = gnttab_grant_access(d, GNTTAB_RESERVED_CONSOLE, backend, console_mfn);

    return rc ? rc : gnttab_grant_access(d, GNTTAB_RESERVED_XENSTORE, backend, store_mfn);
}

/* A port of d left unbound for backend (EVTCHNOP_alloc_unbound as the
 * toolstack issues it). A fresh domain has every port free, so a refusal
 * is a builder bug, and fails the build. */
static int unbound_port(struct domain *d, domid_t backend, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = backend };
    int rc = evtchn_alloc_unbound(&evtchn_env, &d->evtchn, &a);

    *port = a.port;
    return rc;
}

/* The xenstore and console ring pages of an unprivileged domain: zeroed,
 * a port each for the backend, the grant entries, all noted in d->rings. */
static int make_rings(const struct builder *b, domid_t backend)
{
    struct domain_rings *r = &b->d->rings;
    int rc;

    if (!b->l.rings)
        return 0;
    write_gva((void *)b, b->l.store_ring, NULL, PAGE_SIZE);
    write_gva((void *)b, b->l.console_ring, NULL, PAGE_SIZE);
    r->backend = backend;
    r->store_mfn = mfn_of(b, b->l.store_ring);
    r->console_mfn = mfn_of(b, b->l.console_ring);
    rc = unbound_port(b->d, backend, &r->store_port);
    if (!rc)
        rc = unbound_port(b->d, backend, &r->console_port);
    if (!rc)
        rc = build_reserved_grants(b->d, backend, r->console_mfn, r->store_mfn);
    r->present = rc == 0;
    return rc;
}

static void write_ring_info(const struct domain *d, struct start_info *si)
{
    if (!d->rings.present)
        return;                       /* the hardware domain's layout: none */
    si->store_mfn = d->rings.store_mfn;
    si->store_evtchn = d->rings.store_port;
    si->console.domU.mfn = d->rings.console_mfn;
    si->console.domU.evtchn = d->rings.console_port;
}

static void write_start_info(const struct builder *b, const struct build_request *req)
{
    struct start_info *si = (struct start_info *)gva_ptr(b, b->l.start_info);
    size_t cmd_len = strnlen(req->cmdline, MAX_GUEST_CMDLINE);

    memcpy(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC));
    si->nr_pages = b->d->nr_pages;
    si->shared_info = b->d->shared_info_mfn << PAGE_SHIFT;
    si->flags = req->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    si->pt_base = b->l.pt_start;
    si->nr_pt_frames = b->l.nr_pt_frames;
    si->mfn_list = b->l.p2m_start;
    si->mod_start = req->initrd ? b->l.initrd_start : 0;
    si->mod_len = req->initrd ? req->initrd->end - req->initrd->start : 0;
    write_ring_info(b->d, si);
    if (cmd_len == MAX_GUEST_CMDLINE) {
        cmd_len = MAX_GUEST_CMDLINE - 1;
        log_warn("d%u: command line longer than %u bytes; the guest sees its first %u\n",
                 b->d->id, MAX_GUEST_CMDLINE - 1, MAX_GUEST_CMDLINE - 1);
    }
    memcpy(si->cmd_line, req->cmdline, cmd_len);
    si->cmd_line[cmd_len] = '\0';
}

/* 64-bit stubs: push %rcx; push %r11; mov $n,%eax; syscall; pop %r11;
 * pop %rcx; ret. Stub 23 (iret) does not return: push %rcx; push %r11;
 * push %rax; mov $23,%eax; syscall. The rest of each 32 bytes is int3. */
static void write_hypercall_page(const struct builder *b)
{
    uint8_t *page = gva_ptr(b, b->img.hypercall_page);

    memset(page, 0xcc, PAGE_SIZE);
    for (unsigned int n = 0; n < HYPERCALL_PAGE_STUBS; n++) {
        uint8_t *p = page + n * HYPERCALL_STUB_SIZE;
        *p++ = 0x51;
        *p++ = 0x41; *p++ = 0x53;
        if (n == __HYPERVISOR_iret)
            *p++ = 0x50;
        *p++ = 0xb8;
        memcpy(p, &n, 4);
        p += 4;
        *p++ = 0x0f; *p++ = 0x05;
        if (n == __HYPERVISOR_iret)
            continue;
        *p++ = 0x41; *p++ = 0x5b;
        *p++ = 0x59;
        *p = 0xc3;
    }
}

/* shared_info is the hypervisor's page, shared with the guest (rule 8 of
 * page_types.c): the guest may map it, but never retype, free or hand it on. */
static int make_shared_info(struct domain *d)
{
    int64_t mfn = domain_alloc_frame(d);
    struct shared_info *si;

    if (mfn < 0)
        return -ENOMEM;
    if (share_page(&ftable, (uint64_t)mfn, d->id))
        panic("domain builder: a fresh frame could not be shared\n");
    si = phys_to_virt((uint64_t)mfn << PAGE_SHIFT);
    clear_page(si);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        si->vcpu_info[i].evtchn_upcall_mask = 1;   /* events masked until the guest says */
    d->shared_info_mfn = (uint64_t)mfn;
    d->shared_info = si;
    evtchn_init_domain(&d->evtchn, d->id, d->privileged, 1, si);
    d->vcpu[0]->vcpu_info = evtchn_vcpu_info(&d->evtchn, 0);
    return 0;
}

static void set_entry_registers(const struct builder *b)
{
    struct cpu_regs *r = &b->d->vcpu[0]->regs;

    memset(r, 0, sizeof(*r));
    r->rip = b->img.entry;
    r->rsp = b->l.stack + PAGE_SIZE;
    r->rsi = b->l.start_info;
    r->rflags = 0x202;                               /* IF and the reserved bit 1 */
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    b->d->vcpu[0]->kernel_mode = true;
}

static int load_images(struct builder *b, const struct build_request *req)
{
    const struct boot_module *k = req->kernel;
    int rc = elf_load(phys_to_virt(k->start), (size_t)(k->end - k->start), &b->img,
                      write_gva, b);

    if (!rc && req->initrd)
        rc = write_gva(b, b->l.initrd_start, phys_to_virt(req->initrd->start),
                       (size_t)(req->initrd->end - req->initrd->start));
    return rc;
}

static int parse_and_lay_out(struct builder *b, const struct build_request *req)
{
    const struct boot_module *k = req->kernel;
    uint64_t initrd_len = req->initrd ? req->initrd->end - req->initrd->start : 0;
    char why[ELF_WHY_LEN];
    int rc;

    if (!phys_is_mapped(k->start, k->end - k->start))
        return log_err("d%u: kernel module is not in mapped memory\n", req->id), -EINVAL;
    rc = elf_parse(phys_to_virt(k->start), (size_t)(k->end - k->start),
                   SUPPORTED_FEATURES, &b->img, why);
    if (rc)
        return log_err("d%u: kernel refused: %s\n", req->id, why), rc;
    rc = pv_layout_compute(b->img.virt_base, b->img.virt_kstart, b->img.virt_kend,
                           initrd_len, req->mem_bytes >> PAGE_SHIFT, !req->privileged,
                           &b->l);
    if (rc == -ENOMEM)
        log_err("d%u: %lu KiB of memory is too little for this kernel and initrd\n",
                req->id, req->mem_bytes >> 10);
    else if (rc)
        log_err("d%u: the kernel's layout leaves the guest address space\n", req->id);
    return rc;
}

static void describe(const struct builder *b, const struct build_request *req)
{
    const struct domain_rings *r = &b->d->rings;

    log_info("d%u: '%s' kernel %#lx-%#lx entry %#lx, %lu pages, %lu page-table frames, "
             "start_info %#lx\n", req->id, b->img.guest_os[0] ? b->img.guest_os : "?",
             b->img.virt_kstart, b->img.virt_kend, b->img.entry, b->d->nr_pages,
             b->l.nr_pt_frames, b->l.start_info);
    if (r->present)
        log_info("d%u: xenstore page mfn %#lx port %u, console page mfn %#lx port %u; "
                 "backend domain %u\n", req->id, r->store_mfn, r->store_port,
                 r->console_mfn, r->console_port, r->backend);
}

struct domain *domain_build(const struct build_request *req)
{
    struct builder b;
    int rc;

    memset(&b, 0, sizeof(b));
    if (parse_and_lay_out(&b, req))
        return NULL;
    b.d = domain_create(req->id, req->name, req->privileged);
    if (!b.d)
        return log_err("d%u: out of memory for the domain structure\n", req->id), NULL;
    if (req->privileged)
        guest_io_grant_hardware_domain(b.d);   /* the ports the hypervisor leaves */
    b.d->nr_pages = b.l.nr_pages;
    b.d->max_pages = MAX(b.l.nr_pages, req->max_bytes >> PAGE_SHIFT);
    rc = allocate_ram(&b);
    if (!rc)
        rc = load_images(&b, req);
    if (!rc)
        rc = make_shared_info(b.d);
    if (!rc)
        rc = make_rings(&b, req->backend);
    if (rc) {
        log_err("d%u: building failed (%s); all its frames are returned\n", req->id,
                rc == -ENOMEM ? "out of memory" : "image does not fit its layout");
        domain_destroy(b.d);
        return NULL;
    }
    write_p2m_list(&b);
    build_page_tables(&b);
    if (pin_bootstrap_tables(&b)) {
        domain_destroy(b.d);
        return NULL;
    }
    write_start_info(&b, req);
    if (b.img.has_hypercall_page)
        write_hypercall_page(&b);
    set_entry_registers(&b);
    describe(&b, req);
    b.d->state = DOMAIN_RUNNING;
    return b.d;
}
