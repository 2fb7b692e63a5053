/*
 * Test domctl_self: the control-domain calls domain 0 makes in the
 * multi-domain demo (guest-kernel/xen/control.c), tried on itself.
 *
 * What: sysctl getdomaininfolist from domain 0 for one record: exactly
 * our own, running, with our shared_info frame, one vCPU, tot_pages equal
 * to our nr_pages and some CPU time used; from domain 1 on: no record; a wrong interface version, an
 * unknown sysctl. domctl getdomaininfo of domain 0 and of a domain that
 * does not exist; pausedomain of ourselves; a wrong interface version.
 * Why: domain 0 waits for the others by reading this list; the record's
 * leading fields are the part of Xen's layout public/domctl.h keeps.
 * Expected (real Xen 4.17, the guest being domain 0): getdomaininfolist
 * 0 with one record (domain 0, XEN_DOMINF_running, tot_pages 8192 for 32
 * MiB: the shared_info page is the hypervisor's, not counted); none from
 * domain 1;
 * bad versions -EACCES; unknown sysctl -ENOSYS; getdomaininfo(0) = 0,
 * of domain 9 -ESRCH; pausing ourselves -EINVAL.
 * Fact: Xen 4.17 reports a running domain 0 with flags 0xffff0020 until
 * SCHEDOP_shutdown_code records a reason (0x20 after shutdown_code
 * poweroff, as in test=all): the shutdown-code field (bits 16 and up)
 * holds "none yet" (~0). Only XEN_DOMINF_shutdown tells whether a domain
 * has shut down; the flags are printed, not checked.
 */
#include "xen/control.h"
#include "test.h"

static const char test_title[] =
    "sysctl getdomaininfolist and domctl getdomaininfo/pause on ourselves";

static uint8_t room[512] __attribute__((aligned(8)));

static long list(domid_t first, uint32_t version, uint32_t *num)
{
    struct xen_sysctl sc = { .cmd = XEN_SYSCTL_getdomaininfolist,
                             .interface_version = version };
    long rc;

    sc.u.getdomaininfolist.first_domain = first;
    sc.u.getdomaininfolist.max_domains = 1;
    sc.u.getdomaininfolist.buffer = (uint64_t)(uintptr_t)room;
    rc = HYPERVISOR_sysctl(&sc);
    *num = sc.u.getdomaininfolist.num_domains;
    return rc;
}

static long domctl(uint32_t cmd, domid_t dom, uint32_t version, struct xen_domctl *dc)
{
    memset(dc, 0, sizeof(*dc));
    dc->cmd = cmd;
    dc->interface_version = version;
    dc->domain = dom;
    return HYPERVISOR_domctl(dc);
}

static void check_own_record(const struct xen_domctl_getdomaininfo *i)
{
    check_rc("  record: domain", i->domain, 0);
    check_true("  record: XEN_DOMINF_running", (i->flags & XEN_DOMINF_running) != 0);
    check_true("  record: not shut down or dying",
               !(i->flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)));
    check_rc("  record: tot_pages = nr_pages (shared_info is not counted)", (long)i->tot_pages,
             (long)start_info.nr_pages);
    check_true("  record: cpu_time > 0 (we have been running)", i->cpu_time > 0);
    check_rc("  record: shared_info_frame", (long)i->shared_info_frame,
             (long)(start_info.shared_info >> 12));
    check_rc("  record: nr_online_vcpus", i->nr_online_vcpus, 1);
    test_info("flags %#x, tot_pages %lu, max_pages %lu, cpu_time %lu ms", i->flags,
              i->tot_pages, i->max_pages, i->cpu_time / 1000000);
}

static void sysctls(void)
{
    struct xen_sysctl sc = { .cmd = 1000, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    struct xen_domctl_getdomaininfo info;
    uint32_t num = 99;

    memset(room, 0xa5, sizeof(room));
    if (check_rc("sysctl(getdomaininfolist, from domain 0, 1 record)",
                 list(0, XEN_SYSCTL_INTERFACE_VERSION, &num), 0) &&
        check_rc("  num_domains", num, 1)) {
        memcpy(&info, room, sizeof(info));
        check_own_record(&info);
    }
    check_rc("sysctl(getdomaininfolist, from domain 1)",
             list(1, XEN_SYSCTL_INTERFACE_VERSION, &num), 0);
    check_rc("  num_domains", num, 0);
    check_rc("sysctl(getdomaininfolist, interface version - 1)",
             list(0, XEN_SYSCTL_INTERFACE_VERSION - 1, &num), -XEN_EACCES);
    check_rc("sysctl(cmd 1000)", HYPERVISOR_sysctl(&sc), -XEN_ENOSYS);
    check_rc("control_count_others (the demo's wait)", control_count_others(DOMID_NONE), 0);
}

static void domctls(void)
{
    struct xen_domctl dc;

    if (check_rc("domctl(getdomaininfo, domain 0)",
                 domctl(XEN_DOMCTL_getdomaininfo, 0, XEN_DOMCTL_INTERFACE_VERSION, &dc), 0))
        check_own_record(&dc.u.getdomaininfo);
    check_rc("domctl(getdomaininfo, domain 9, which does not exist)",
             domctl(XEN_DOMCTL_getdomaininfo, 9, XEN_DOMCTL_INTERFACE_VERSION, &dc),
             -XEN_ESRCH);
    check_rc("domctl(pausedomain, ourselves)",
             domctl(XEN_DOMCTL_pausedomain, 0, XEN_DOMCTL_INTERFACE_VERSION, &dc), -XEN_EINVAL);
    check_rc("domctl(getdomaininfo, interface version + 1)",
             domctl(XEN_DOMCTL_getdomaininfo, 0, XEN_DOMCTL_INTERFACE_VERSION + 1, &dc),
             -XEN_EACCES);
}

static void test_main(void)
{
    if (!(start_info.flags & SIF_PRIVILEGED)) {
        test_skip("not a privileged domain");
        return;
    }
    sysctls();
    domctls();
    test_success(NULL);
}

const struct guest_test test_domctl_self = { "domctl_self", test_title, test_main };
