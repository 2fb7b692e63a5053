/*
 * boot_domains.c: every guest kernel among the boot modules becomes a
 * domain, in module order: the first is domain 0 (privileged, as under
 * Xen), the next ones domains 1, 2, ... A module that is not an ELF image
 * right after a kernel is that kernel's initrd. A domain that cannot be
 * built (bad image, bad options, not enough memory) is reported and
 * skipped; the others start.
 */
#include "boot_domains.h"
#include "console.h"
#include "domain_build.h"
#include "memory_setup.h"
#include "directmap.h"
#include "module_options.h"
#include "sched.h"

#define DOMU_MEM_DEFAULT (16ULL << 20)

static bool module_is_elf(const struct boot_module *m)
{
    return m->end - m->start >= 4 && !memcmp(phys_to_virt(m->start), "\177ELF", 4);
}

static void list_modules(const struct boot_info *bi)
{
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        log_info("module %u: %#lx-%#lx (%lu KiB) '%s'\n", i, m->start, m->end,
                 (m->end - m->start) >> 10, m->string);
        if (m->end <= m->start)
            log_warn("module %u is empty: neither a kernel nor a useful initrd\n", i);
    }
    if (bi->modules_skipped)
        log_err("%u more modules skipped: at most %u are taken (MB2_MAX_MODULES)\n",
                bi->modules_skipped, MB2_MAX_MODULES);
}

static void default_name(char *name, domid_t id)
{
    snprintf(name, MODULE_NAME_LEN, id == 0 ? "dom0" : "d%u", id);
}

/* Build one domain from kernel module k (initrd: may be NULL). */
static bool build_one(domid_t id, const struct boot_module *k, const struct boot_module *initrd,
                      const char *string, const struct hv_options *opt)
{
    struct module_options mo;
    struct build_request req;
    char bad[64];
    struct domain *d;

    if (module_options_parse(string, MAX_GUEST_CMDLINE, &mo, bad)) {
        log_err("d%u: unknown or bad module option '%s'; domain skipped\n", id, bad);
        return false;
    }
    if (!mo.name[0])
        default_name(mo.name, id);
    if (mo.has_backend && (id == 0 || mo.privileged)) {
        log_err("d%u: backend= is for unprivileged domains (a privileged one gets no "
                "console or xenstore page); domain skipped\n", id);
        return false;
    }
    req = (struct build_request){
        .id = id, .name = mo.name, .privileged = id == 0 || mo.privileged,
        .backend = mo.has_backend ? mo.backend : 0,
        .kernel = k, .initrd = initrd, .cmdline = mo.guest_cmdline,
        .mem_bytes = mo.mem ? mo.mem : (id == 0 ? opt->dom0_mem : DOMU_MEM_DEFAULT),
        .max_bytes = mo.max_mem ? mo.max_mem : (id == 0 ? opt->dom0_max_mem : 0),
    };
    d = domain_build(&req);
    if (!d)
        return false;
    sched_add_domain(d);
    log_info("d%u: '%s' ready%s\n", id, d->name, d->privileged ? " (privileged)" : "");
    return true;
}

unsigned int build_boot_domains(const struct boot_info *bi, const struct hv_options *opt,
                                const char *(*strip)(const char *))
{
    unsigned int built = 0;
    domid_t next_id = 0;

    if (bi->nr_modules == 0) {
        log_warn("no domain 0 module: the boot loader gave no guest kernel, "
                 "so there is nothing to run\n");
        return 0;
    }
    list_modules(bi);
    log_info("free frames before domain 0: %lu\n", machine_frames.nr_free);
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *k = &bi->modules[i], *initrd = NULL;
        if (!module_is_elf(k) && i > 0)
            continue;                          /* an initrd, taken with its kernel */
        if (i + 1 < bi->nr_modules && !module_is_elf(&bi->modules[i + 1]))
            initrd = &bi->modules[i + 1];
        built += build_one(next_id, k, initrd, strip(k->string), opt);
        next_id++;
    }
    if (!built)
        log_err("no domain could be built; nothing to run\n");
    return built;
}
