/*
 * Tern guest kernel, domain 0's backends: the domain list as `xl list`
 * prints it (name, id, memory in MiB, vCPUs, state letters r b p s c d,
 * CPU time in seconds), from sysctl getdomaininfolist and, for the names,
 * domctl tern_ring_pages. Typed as the key 'l' on domain 0's console.
 */
#include <public/domctl.h>
#include "backend/toolstack.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "xen/control.h"

#define SHUTDOWN_CRASH 3

static void state_letters(uint32_t f, char out[7])
{
    bool shut = f & XEN_DOMINF_shutdown;
    uint32_t why = (f >> XEN_DOMINF_shutdownshift) & 0xff;

    out[0] = f & XEN_DOMINF_running ? 'r' : '-';
    out[1] = f & XEN_DOMINF_blocked ? 'b' : '-';
    out[2] = f & XEN_DOMINF_paused ? 'p' : '-';
    out[3] = shut && why != SHUTDOWN_CRASH ? 's' : '-';
    out[4] = shut && why == SHUTDOWN_CRASH ? 'c' : '-';
    out[5] = f & XEN_DOMINF_dying ? 'd' : '-';
    out[6] = 0;
}

static void name_of(domid_t dom, char *out, size_t room)
{
    struct xen_domctl_tern_ring_pages r;

    if (dom == 0)
        snprintf(out, room, "Domain-0");
    else if (control_ring_pages(dom, XEN_DOMCTL_INTERFACE_VERSION, &r) == 0 && r.name[0])
        snprintf(out, room, "%s", toolstack_name(&r));
    else
        snprintf(out, room, "(domain %u)", dom);
}

void toolstack_list(void)
{
    struct xen_domctl_getdomaininfo info;
    char name[40], state[7];

    printk("Name                                        ID   Mem VCPUs\tState\tTime(s)\n");
    for (domid_t next = 0; control_next_domain(next, &info) == 1; next = info.domain + 1) {
        name_of(info.domain, name, sizeof(name));
        state_letters(info.flags, state);
        printk("%-40s %5u %5lu %5u     %s %7lu.%lu\n", name, info.domain,
               info.tot_pages / 256, info.nr_online_vcpus, state,
               info.cpu_time / 1000000000ul, info.cpu_time / 100000000ul % 10);
    }
}
