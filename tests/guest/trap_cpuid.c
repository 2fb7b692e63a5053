/*
 * Test trap_cpuid: Xen's forced-emulation prefix, ud2 "xen" cpuid.
 *
 * What: `ud2; .ascii "xen"; cpuid` (0f 0b 78 65 6e 0f a2) is emulated as a
 * CPUID with the guest's policy and RIP moves past all 7 bytes:
 *  - leaf 0x40000000: the hypervisor signature "XenVMMXenVMM" in
 *    ebx:ecx:edx, eax the last hypervisor leaf (at least 0x40000002);
 *  - leaf 0x40000001: eax = (major << 16) | minor, the same as
 *    xen_version(XENVER_version);
 *  - leaf 0x40000002: eax = 1 hypercall page, ebx = its MSR;
 *  - leaf 1: no VMX (ecx bit 5), the "running on a hypervisor" bit
 *    (ecx bit 31) set, none of the page-size features a PV guest cannot
 *    use (PSE, PGE, PSE36; MTRR too, except that Xen shows it to domain 0
 *    and Tern never: unit-tested), no PCID; leaf 7.0: nothing the
 *    guest would turn on with a CR4 bit it cannot set (SMEP, SMAP,
 *    INVPCID, UMIP, PKU, OSPKE, LA57); leaf 0x80000001: no SVM
 *    (ecx bit 2), no 1 GiB pages (edx bit 26).
 * The same prefix followed by anything but cpuid is a plain #UD at the
 * ud2 (XTF probes for the prefix exactly so).
 * Why: XTF's pv64 guests issue every CPUID this way at boot
 * (xen-pv-abi.md 2.5), and a guest must not be told it can run VT-x/SVM.
 * Expected (real Xen 4.17): as above; exact values printed as info.
 */
#include "traptest.h"

static const char test_title[] = "forced-emulation prefix: hypervisor leaves, no VMX/SVM";

struct cpuid_out {
    uint32_t eax, ebx, ecx, edx;
};

#define FORCED_EMULATION ".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n\t"

/* CPUID through the prefix; *traps = exceptions it took (0 when emulated). */
static struct cpuid_out forced_cpuid(uint32_t leaf, uint32_t subleaf, uint64_t *traps)
{
    struct cpuid_out r;
    uint64_t n = traps_seen();

    __asm__ volatile(FORCED_EMULATION "cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf) : "memory");
    *traps = traps_seen() - n;
    return r;
}

static void test_hypervisor_leaves(void)
{
    uint64_t traps;
    struct cpuid_out r = forced_cpuid(0x40000000, 0, &traps);
    char sig[13];

    if (!check_rc("forced cpuid(0x40000000): exceptions", (long)traps, 0))
        return;
    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    sig[12] = '\0';
    test_info("leaf 0x40000000: eax %#x, signature \"%s\"", r.eax, sig);
    check_true("signature XenVMMXenVMM", memcmp(sig, "XenVMMXenVMM", 12) == 0);
    check_true("last hypervisor leaf >= 0x40000002", r.eax >= 0x40000002 && r.eax < 0x40000100);
    r = forced_cpuid(0x40000001, 0, &traps);
    check_rc("leaf 0x40000001 eax = xen_version(XENVER_version)", r.eax,
             HYPERVISOR_xen_version(XENVER_version, NULL));
    r = forced_cpuid(0x40000002, 0, &traps);
    test_info("leaf 0x40000002: eax %#x ebx %#x ecx %#x edx %#x", r.eax, r.ebx, r.ecx, r.edx);
    check_rc("leaf 0x40000002 eax: hypercall pages", r.eax, 1);
    check_rc("leaf 0x40000002 ebx: hypercall-page MSR", r.ebx, 0x40000000);
}

static void test_feature_leaves(void)
{
    uint64_t traps;
    struct cpuid_out r = forced_cpuid(1, 0, &traps);

    test_info("leaf 1: ecx %#x edx %#x", r.ecx, r.edx);
    check_true("leaf 1: no VMX (ecx bit 5)", !(r.ecx & (1U << 5)));
    check_true("leaf 1: hypervisor bit (ecx bit 31)", (r.ecx >> 31) != 0);
    check_rc("leaf 1: no PSE, PGE, PSE36 (edx bits 3, 13, 17)",
             r.edx & ((1U << 3) | (1U << 13) | (1U << 17)), 0);
    check_true("leaf 1: no OSXSAVE (ecx bit 27) unless XSAVE (bit 26)",
               !(r.ecx & (1U << 27)) || (r.ecx & (1U << 26)));
    check_true("leaf 1: no PCID (ecx bit 17)", !(r.ecx & (1U << 17)));
    r = forced_cpuid(7, 0, &traps);
    test_info("leaf 7.0: ebx %#x ecx %#x edx %#x", r.ebx, r.ecx, r.edx);
    check_rc("leaf 7.0: no SMEP, INVPCID, SMAP (ebx bits 7, 10, 20)",
             r.ebx & ((1U << 7) | (1U << 10) | (1U << 20)), 0);
    check_rc("leaf 7.0: no UMIP, PKU, OSPKE, LA57 (ecx bits 2, 3, 4, 16)",
             r.ecx & ((1U << 2) | (1U << 3) | (1U << 4) | (1U << 16)), 0);
    r = forced_cpuid(0x80000001, 0, &traps);
    test_info("leaf 0x80000001: ecx %#x edx %#x", r.ecx, r.edx);
    check_true("leaf 0x80000001: no SVM (ecx bit 2)", !(r.ecx & (1U << 2)));
    check_true("leaf 0x80000001: no 1 GiB pages (edx bit 26)", !(r.edx & (1U << 26)));
}

static void test_prefix_alone(void)
{
    struct trap_site s;
    uint64_t n = traps_seen();

    FAULT_AT(s, "", FORCED_EMULATION "nop");
    check_kernel_trap("ud2 \"xen\" followed by nop", n, X86_UD, 0, s, true);
}

static void test_main(void)
{
    test_hypervisor_leaves();
    test_feature_leaves();
    test_prefix_alone();
    test_success(NULL);
}

const struct guest_test test_trap_cpuid = { "trap_cpuid", test_title, test_main };
