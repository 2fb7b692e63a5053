/*
 * cpuid_policy.c: the CPUID a 64-bit PV guest is told when it asks through
 * Xen's forced-emulation prefix (ud2 "xen" cpuid), which is how Linux,
 * Mini-OS and XTF ask. Pure: the CPU's answer comes in, the guest's goes
 * out.
 *
 * Invariants: a guest is never told of a feature it cannot use under a PV
 * hypervisor, so it never builds on one:
 *  - no VT-x, SVM, SMX, MONITOR/MWAIT (privileged, or the hypervisor's);
 *  - no PSE, PSE36, 1 GiB pages (PDPE1GB): validation accepts 4 KiB L1
 *    mappings only, and a guest told otherwise writes superpage entries
 *    that are refused (Linux 6.1 then panics); no PGE: guest PTEs never
 *    keep the global bit; no MTRR: the memory types are the hypervisor's.
 *    Xen's PV policy hides the same five;
 *  - nothing a guest turns on with a CR4 bit, since its CR4 is fixed (the
 *    guest view 0x660, emulate.c): no SMEP, SMAP, UMIP, PKU (OSPKE), PCID,
 *    INVPCID, LA57, CET (shadow stacks, IBT), and no FSGSBASE. Xen's PV
 *    policy hides the same but FSGSBASE, whose CR4 bit it lets a PV guest
 *    set; Tern does not (Linux 6.1 sets it when told, and stops on the
 *    refused CR4 write: on QEMU's "max" CPU and on real hardware);
 *  - no XSAVE family: the hypervisor never sets CR4.OSXSAVE, so xsetbv
 *    and xgetbv fault; XSAVE, OSXSAVE, the AVX roots (AVX, FMA, AVX2,
 *    AVX512F) and leaf 0xd are hidden, and the guest uses FXSAVE state.
 *    (Xen offers XSAVE with xsetbv emulated; Tern does not yet.)
 *  - the "running on a hypervisor" bit, and leaves 0x40000000-2 saying
 *    Xen (signature, version, one hypercall page at MSR 0x40000000).
 * Everything else is the CPU's own answer: old CPUs simply offer less.
 */
#include "cpuid_policy.h"
#include "hv_version.h"

#define BIT(n) (1u << (n))

/* Leaf 1 */
#define L1_ECX_HIDDEN (BIT(3) | BIT(5) | BIT(6) |         /* MONITOR VMX SMX */ \
                       BIT(12) | BIT(26) | BIT(27) | BIT(28) | /* FMA XSAVE OSXSAVE AVX */ \
                       BIT(17))                           /* PCID */
#define L1_ECX_HYPERVISOR BIT(31)
#define L1_EDX_HIDDEN (BIT(3) | BIT(12) | BIT(13) | BIT(17)) /* PSE MTRR PGE PSE36 */
/* Leaf 7.0 */
#define L7_EBX_HIDDEN (BIT(5) | BIT(16) |                   /* AVX2 AVX512F */ \
                       BIT(0) | BIT(7) | BIT(10) | BIT(20)) /* FSGSBASE SMEP INVPCID SMAP */
#define L7_ECX_HIDDEN (BIT(2) | BIT(3) | BIT(4) |           /* UMIP PKU OSPKE */ \
                       BIT(7) | BIT(16))                    /* CET_SS LA57 */
#define L7_EDX_HIDDEN BIT(20)                               /* CET_IBT */
/* Leaf 0x80000001 */
#define EXT1_ECX_HIDDEN BIT(2)                              /* SVM */
#define EXT1_EDX_HIDDEN BIT(26)                             /* PDPE1GB */

#define XEN_LEAF_BASE   0x40000000u
#define XEN_LEAF_END    0x40000100u
#define XEN_MSR_HCALL   0x40000000u

static void xen_leaf(uint32_t leaf, struct cpuid_leaf *c)
{
    *c = (struct cpuid_leaf){ 0, 0, 0, 0 };
    if (leaf == XEN_LEAF_BASE)                  /* "XenVMMXenVMM", up to 5 */
        *c = (struct cpuid_leaf){ XEN_LEAF_BASE + 5, 0x566e6558, 0x65584d4d, 0x4d4d566e };
    else if (leaf == XEN_LEAF_BASE + 1)
        c->eax = (TERN_XEN_MAJOR << 16) | TERN_XEN_MINOR;
    else if (leaf == XEN_LEAF_BASE + 2)         /* 1 hypercall page; PRESERVE_AD */
        *c = (struct cpuid_leaf){ 1, XEN_MSR_HCALL, 1, 0 };
    /* 0x40000003-5 (time, HVM, PV features): none offered, all zero. */
}

void cpuid_policy(uint32_t leaf, uint32_t subleaf, struct cpuid_leaf *c)
{
    if (leaf >= XEN_LEAF_BASE && leaf < XEN_LEAF_END) {
        xen_leaf(leaf, c);
        return;
    }
    switch (leaf) {
    case 1:
        c->ecx = (c->ecx & ~L1_ECX_HIDDEN) | L1_ECX_HYPERVISOR;
        c->edx &= ~L1_EDX_HIDDEN;
        break;
    case 7:
        if (subleaf == 0) {
            c->ebx &= ~L7_EBX_HIDDEN;
            c->ecx &= ~L7_ECX_HIDDEN;
            c->edx &= ~L7_EDX_HIDDEN;
        }
        break;
    case 0xd:
        *c = (struct cpuid_leaf){ 0, 0, 0, 0 };  /* no XSAVE state to enumerate */
        break;
    case 0x80000001:
        c->ecx &= ~EXT1_ECX_HIDDEN;
        c->edx &= ~EXT1_EDX_HIDDEN;
        break;
    default:
        break;
    }
}
