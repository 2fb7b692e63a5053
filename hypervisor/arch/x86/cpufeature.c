/*
 * cpufeature.c: probe the CPU once with CPUID, record what it has in
 * cpu_caps, and turn on what the hypervisor uses.
 *
 * Used when present: NX (EFER.NXE), global pages (CR4.PGE), 1 GiB pages
 * (the direct map, paging.c), SMEP and SMAP (CR4). Everything else is only
 * reported. SMEP and SMAP are safe because the hypervisor never executes
 * guest pages and dereferences a guest virtual address only in
 * guest_copy.S, between stac and clac (guest_copy_smap, set here); all
 * other guest memory is reached through the direct map, whose entries are
 * supervisor-only, and the read-only M2P (user-visible, slot 256) is written
 * through the direct map too. Leaves beyond the CPU's maximum are not read:
 * their contents are undefined.
 */
#include <asm/guest_access.h>
#include "console.h"
#include <asm/cpu.h>
#include <asm/cpufeature.h>

#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define LINE_LEN     384

struct cpu_caps cpu_caps;

/* One reported feature: its name, where its flag lives, and whether the
 * hypervisor uses it whenever it is present. */
struct feature {
    const char *name;
    bool *present;
    bool used;
};

static const struct feature features[] = {
    { "NX", &cpu_caps.nx, true },
    { "1GiB pages", &cpu_caps.gbpages, true },
    { "global pages", &cpu_caps.pge, true },
    { "SMEP", &cpu_caps.smep, true },
    { "SMAP", &cpu_caps.smap, true },
    { "PCID", &cpu_caps.pcid, false },
    { "INVPCID", &cpu_caps.invpcid, false },
    { "x2APIC", &cpu_caps.x2apic, false },
    { "XSAVE", &cpu_caps.xsave, false },
    { "FSGSBASE", &cpu_caps.fsgsbase, false },
    { "TSC-deadline", &cpu_caps.tsc_deadline, false },
    { "invariant TSC", &cpu_caps.invariant_tsc, false },
};

static bool bit(uint32_t reg, unsigned int n)
{
    return (reg >> n) & 1;
}

static void probe_basic(void)
{
    uint32_t max = cpuid(0, 0).eax;
    struct cpuid_regs r = cpuid(1, 0);

    cpu_caps.tsc = bit(r.edx, 4);
    cpu_caps.apic = bit(r.edx, 9);
    cpu_caps.pge = bit(r.edx, 13);
    cpu_caps.pcid = bit(r.ecx, 17);
    cpu_caps.x2apic = bit(r.ecx, 21);
    cpu_caps.tsc_deadline = bit(r.ecx, 24);
    cpu_caps.xsave = bit(r.ecx, 26);
    if (max < 7)
        return;
    r = cpuid(7, 0);
    cpu_caps.fsgsbase = bit(r.ebx, 0);
    cpu_caps.smep = bit(r.ebx, 7);
    cpu_caps.invpcid = bit(r.ebx, 10);
    cpu_caps.smap = bit(r.ebx, 20);
}

static void probe_extended(void)
{
    uint32_t max = cpuid(0x80000000, 0).eax;
    struct cpuid_regs r;

    if (max < 0x80000001 || max > 0x8000ffff)
        return;                                  /* no extended leaves */
    r = cpuid(0x80000001, 0);
    cpu_caps.nx = bit(r.edx, 20);
    cpu_caps.gbpages = bit(r.edx, 26);
    if (max >= 0x80000007)
        cpu_caps.invariant_tsc = bit(cpuid(0x80000007, 0).edx, 8);
}

static void enable_features(void)
{
    uint64_t cr4 = read_cr4();

    if (cpu_caps.nx)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    if (cpu_caps.pge)
        cr4 |= X86_CR4_PGE;
    if (cpu_caps.smep)
        cr4 |= X86_CR4_SMEP;
    if (cpu_caps.smap)
        cr4 |= X86_CR4_SMAP;
    write_cr4(cr4);
    guest_copy_smap = cpu_caps.smap;          /* guest_copy.S: stac/clac */
}

/* Append the names of the features in one state to line, comma-separated;
 * "none" when there are none. */
static size_t list_features(char *line, size_t at, const char *label,
                            bool present, bool used)
{
    bool any = false;

    at += (size_t)snprintf(line + at, LINE_LEN - at, "%s", label);
    for (unsigned int i = 0; i < ARRAY_SIZE(features) && at < LINE_LEN; i++) {
        const struct feature *f = &features[i];
        if (*f->present != present || (present && f->used != used))
            continue;
        at += (size_t)snprintf(line + at, LINE_LEN - at, "%s%s", any ? ", " : " ",
                               f->name);
        any = true;
    }
    if (!any && at < LINE_LEN)
        at += (size_t)snprintf(line + at, LINE_LEN - at, " none");
    return MIN(at, LINE_LEN - 1);
}

void cpu_probe_features(void)
{
    char line[LINE_LEN];
    size_t at = 0;

    probe_basic();
    probe_extended();
    enable_features();
    at = list_features(line, at, "used:", true, true);
    at = list_features(line, at, "; present, unused:", true, false);
    list_features(line, at, "; absent:", false, false);
    log_info("CPU features: %s\n", line);
}
