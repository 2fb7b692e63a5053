/*
 * Test xen_version: hypercall 17, what the hypervisor says about itself.
 *
 * What: XENVER_version, extraversion, capabilities, get_features (submap 0
 * and a submap that does not exist), pagesize, platform_parameters; results
 * written to non-canonical, unmapped and hypervisor-range buffers; an
 * unknown command.
 * Why: guests (Linux, Mini-OS, XTF) read these at boot and decide on
 * features from them; each writes guest memory, so bad buffers must fail.
 * Expected (real Xen 4.17 as dom0): version = (4 << 16) | 17 on Xen (here
 * only checked as "major >= 3"); extraversion a NUL-terminated string;
 * capabilities contain "xen-3.0-x86_64"; submap 0 without
 * auto_translated_physmap, supervisor_mode_kernel, writable_page_tables,
 * with mmu_pt_update_preserve_ad, highmem_assist, gnttab_map_avail_bits;
 * submap 1 -> -EINVAL; pagesize 4096; virt_start = HYPERVISOR_VIRT_START;
 * bad buffers -> -EFAULT; unknown cmd -> -ENOSYS.
 */
#include "test.h"
#include <public/features.h>

static const char test_title[] = "xen_version: version, strings, features, pagesize, bad buffers";

static void check_strings(void)
{
    xen_extraversion_t extra;
    static xen_capabilities_info_t caps;

    memset(extra, 0x55, sizeof(extra));
    if (check_rc("xen_version(extraversion)",
                 HYPERVISOR_xen_version(XENVER_extraversion, extra), 0)) {
        if (check_true("extraversion is NUL-terminated",
                       strnlen(extra, sizeof(extra)) < sizeof(extra)))
            test_info("extraversion \"%s\"", extra);
    }
    memset(caps, 0, sizeof(caps));
    if (check_rc("xen_version(capabilities)",
                 HYPERVISOR_xen_version(XENVER_capabilities, caps), 0)) {
        caps[sizeof(caps) - 1] = '\0';
        test_info("capabilities \"%s\"", caps);
        check_true("capabilities contain \"xen-3.0-x86_64\"",
                   strstr(caps, "xen-3.0-x86_64") != NULL);
    }
}

static void check_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0, .submap = 0xdeadbeef };
    uint32_t never = (1U << XENFEAT_auto_translated_physmap) |
                     (1U << XENFEAT_supervisor_mode_kernel) |
                     (1U << XENFEAT_writable_page_tables);
    uint32_t pv = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                  (1U << XENFEAT_highmem_assist) | (1U << XENFEAT_gnttab_map_avail_bits);

    if (check_rc("xen_version(get_features, submap 0)",
                 HYPERVISOR_xen_version(XENVER_get_features, &fi), 0)) {
        test_info("features submap 0 = %#x", fi.submap);
        check_true("no auto_translated_physmap/supervisor_mode_kernel/"
                   "writable_page_tables for a PV guest", (fi.submap & never) == 0);
        check_rc("mmu_pt_update_preserve_ad, highmem_assist, gnttab_map_avail_bits "
                 "(Linux 6.1 needs the first and last)", fi.submap & pv, pv);
    }
    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    check_rc("xen_version(get_features, submap 1)",
             HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
}

static void check_bad_buffers(void)
{
    check_rc("xen_version(extraversion, non-canonical buffer)",
             HYPERVISOR_xen_version(XENVER_extraversion, bad_ptr(BAD_VA_NONCANONICAL)),
             -XEN_EFAULT);
    check_rc("xen_version(capabilities, unmapped buffer)",
             HYPERVISOR_xen_version(XENVER_capabilities, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
    check_rc("xen_version(platform_parameters, hypervisor-range buffer)",
             HYPERVISOR_xen_version(XENVER_platform_parameters,
                                    bad_ptr(BAD_VA_HYPERVISOR)), -XEN_EFAULT);
    check_rc("xen_version(get_features, unmapped buffer)",
             HYPERVISOR_xen_version(XENVER_get_features, bad_ptr(BAD_VA_UNMAPPED)),
             -XEN_EFAULT);
}

static void test_main(void)
{
    struct xen_platform_parameters pp = { .virt_start = 0 };
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    test_info("xen_version(version) = %#lx (%ld.%ld)", (uint64_t)v, v >> 16, v & 0xffff);
    check_true("version is (major << 16) | minor with major >= 3", v >= (3L << 16));
    check_strings();
    check_features();
    check_rc("xen_version(pagesize)", HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
    if (check_rc("xen_version(platform_parameters)",
                 HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0))
        check_rc("platform_parameters.virt_start", (long)pp.virt_start,
                 (long)HYPERVISOR_VIRT_START);
    check_bad_buffers();
    check_rc("xen_version(cmd 64)", HYPERVISOR_xen_version(64, NULL), -XEN_ENOSYS);
    check_rc("xen_version(cmd -1)", HYPERVISOR_xen_version(-1, NULL), -XEN_ENOSYS);
    test_success(NULL);
}

const struct guest_test test_xen_version = { "xen_version", test_title, test_main };
