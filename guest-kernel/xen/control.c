/*
 * Tern guest kernel: the control domain's view of the others (control.h).
 *
 * getdomaininfolist is asked for one record at a time: Xen's record is
 * longer than the prefix Tern keeps (and public/domctl.h describes), so
 * the buffer is sized for either and only the common prefix is read.
 * Waiting polls the list and sleeps a timer tick in between with
 * SCHEDOP_block: the CPU goes to the domains being waited for.
 */
#include <public/errno.h>
#include "xen/control.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"

#define RECORD_ROOM 512              /* bytes: Xen 4.17's record is < 200 */
#define WAIT_POLL_NS (10 * NS_PER_MS)

long control_next_domain(domid_t first, struct xen_domctl_getdomaininfo *info)
{
    static uint8_t room[RECORD_ROOM] __attribute__((aligned(8)));
    struct xen_sysctl sc = {
        .cmd = XEN_SYSCTL_getdomaininfolist,
        .interface_version = XEN_SYSCTL_INTERFACE_VERSION,
    };
    long rc;

    sc.u.getdomaininfolist.first_domain = first;
    sc.u.getdomaininfolist.max_domains = 1;
    sc.u.getdomaininfolist.buffer = (uint64_t)(uintptr_t)room;
    rc = HYPERVISOR_sysctl(&sc);
    if (rc < 0)
        return rc;
    if (sc.u.getdomaininfolist.num_domains == 0)
        return 0;
    memcpy(info, room, sizeof(*info));
    return 1;
}

bool control_domain_running(const struct xen_domctl_getdomaininfo *info)
{
    return !(info->flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying));
}

long control_count_others(domid_t except)
{
    struct xen_domctl_getdomaininfo info;
    long count = 0, rc;
    domid_t next = 1;

    while ((rc = control_next_domain(next, &info)) == 1) {
        if (info.domain != except && control_domain_running(&info))
            count++;
        if (info.domain >= DOMID_FIRST_RESERVED - 1)
            break;
        next = (domid_t)(info.domain + 1);
    }
    return rc < 0 ? rc : count;
}

long control_wait_others(domid_t except)
{
    long last = -1, n;

    while ((n = control_count_others(except)) > 0) {
        if (n != last)
            printk("waiting for %ld other domain%s to end\n", n, n == 1 ? "" : "s");
        last = n;
        time_sleep_ns(WAIT_POLL_NS);
    }
    if (n == 0 && last > 0)
        printk("the other domains have ended\n");
    return n < 0 ? n : 0;
}

long control_destroy(domid_t id)
{
    struct xen_domctl dc = {
        .cmd = XEN_DOMCTL_destroydomain,
        .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
        .domain = id,
    };

    return HYPERVISOR_domctl(&dc);
}

long control_ring_pages(domid_t id, uint32_t version, struct xen_domctl_tern_ring_pages *r)
{
    struct xen_domctl dc = {
        .cmd = XEN_DOMCTL_tern_ring_pages,
        .interface_version = version,
        .domain = id,
    };
    long rc = HYPERVISOR_domctl(&dc);

    *r = dc.u.tern_ring_pages;
    return rc;
}

long control_console_input(domid_t id, struct xen_domctl_tern_console_input *in)
{
    struct xen_domctl dc = {
        .cmd = XEN_DOMCTL_tern_console_input,
        .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
        .domain = id,
    };
    long rc = HYPERVISOR_domctl(&dc);

    *in = dc.u.tern_console_input;
    if (in->len > sizeof(in->bytes))
        in->len = 0;                     /* never trust a length blindly */
    return rc;
}
