/*
 * domctl.c: what domain 0 may do to other domains: list them with state,
 * memory and CPU time (domctl getdomaininfo, sysctl getdomaininfolist),
 * learn the console and xenstore pages and ports the builder gave one
 * (Tern's tern_ring_pages) and, as its console backend, take its console
 * input (tern_console_input), pause, unpause and destroy them. Refused with
 * -EPERM for an unprivileged caller, -EACCES for a wrong interface version,
 * -ESRCH for no such domain; a domain may not pause or destroy itself this
 * way (-EINVAL: it has sched_op for that), but may ask about itself.
 */
#include "err.h"
#include "console_io.h"
#include "hypercall.h"
#include "sched.h"
#include "timer.h"
#include "vcpu_copy.h"
#include <public/domctl.h>
#include <public/sched.h>

static uint32_t dominf_flags(const struct domain *d)
{
    uint32_t f = 0;

    if (d->state == DOMAIN_SHUTDOWN)
        f |= XEN_DOMINF_shutdown | (d->shutdown_reason << XEN_DOMINF_shutdownshift);
    if (d->paused)
        f |= XEN_DOMINF_paused;
    if (d->vcpu[0]->run_state == VCPU_BLOCKED)      /* as Xen: every vCPU blocked */
        f |= XEN_DOMINF_blocked;
    if (d == current_domain())
        f |= XEN_DOMINF_running;
    return f;
}

/* CPU time of all d's vCPUs, the running one's slice so far included. */
static uint64_t domain_cpu_time(const struct domain *d)
{
    uint64_t t = 0;
    struct vcpu *v;

    for_each_vcpu(d, v)
        t += v->runtime_ns + (v == current_vcpu ? now_ns() - v->slice_start_ns : 0);
    return t;
}

static void fill_info(const struct domain *d, struct xen_domctl_getdomaininfo *i)
{
    memset(i, 0, sizeof(*i));
    i->domain = d->id;
    i->flags = dominf_flags(d);
    i->tot_pages = d->nr_pages;              /* RAM pages; shared_info not counted */
    i->max_pages = d->max_pages;
    i->shared_info_frame = d->shared_info_mfn;
    i->cpu_time = domain_cpu_time(d);
    i->nr_online_vcpus = d->nr_vcpus;
}

/* The builder's ring pages of d; -ENOENT if it made none (privileged). */
static int64_t ring_pages(const struct domain *d, struct xen_domctl_tern_ring_pages *r)
{
    if (!d->rings.present)
        return -ENOENT;
    memset(r, 0, sizeof(*r));
    r->store_mfn = d->rings.store_mfn;
    r->console_mfn = d->rings.console_mfn;
    r->store_evtchn = d->rings.store_port;
    r->console_evtchn = d->rings.console_port;
    r->backend = d->rings.backend;
    memcpy(r->name, d->name, MIN(sizeof(r->name), sizeof(d->name)));
    r->name[sizeof(r->name) - 1] = '\0';
    return 0;
}

/* The sub-ops that only read, and so may name the caller itself. */
static bool reads_only(uint32_t cmd)
{
    return cmd == XEN_DOMCTL_getdomaininfo || cmd == XEN_DOMCTL_tern_ring_pages ||
           cmd == XEN_DOMCTL_tern_console_input;
}

static int64_t control(struct vcpu *v, struct xen_domctl *dc, bool *copy_back)
{
    struct domain *t = domain_by_id(dc->domain);

    if (!t)
        return -ESRCH;
    if (!reads_only(dc->cmd) && t == v->domain)
        return -EINVAL;
    switch (dc->cmd) {
    case XEN_DOMCTL_pausedomain:   domain_pause(t, true); return 0;
    case XEN_DOMCTL_unpausedomain: domain_pause(t, false); return 0;
    case XEN_DOMCTL_destroydomain: domain_shutdown(t, SHUTDOWN_poweroff); return 0;
    case XEN_DOMCTL_getdomaininfo:
        fill_info(t, &dc->u.getdomaininfo);
        *copy_back = true;
        return 0;
    case XEN_DOMCTL_tern_ring_pages:
        *copy_back = true;
        return ring_pages(t, &dc->u.tern_ring_pages);
    case XEN_DOMCTL_tern_console_input:
        *copy_back = true;
        return console_input_take(v->domain, t, &dc->u.tern_console_input);
    default:
        return unimpl_enosys(v->domain, UNIMPL_DOMCTL, dc->cmd);
    }
}

int64_t do_domctl(struct vcpu *v, const struct hypercall_args *a)
{
    struct xen_domctl dc;
    bool copy_back = false;
    int64_t rc;

    if (!v->domain->privileged)
        return -EPERM;
    if (vcpu_copy_from(v, &dc, a->a1, sizeof(dc)))
        return -EFAULT;
    if (dc.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;
    rc = control(v, &dc, &copy_back);
    if (rc == 0 && copy_back && vcpu_copy_to(v, a->a1, &dc, sizeof(dc)))
        return -EFAULT;
    return rc;
}

static int64_t domain_list(struct vcpu *v, struct xen_sysctl *sc)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;

    /* Slots are ids (domain.c): start at first_domain, not at 0. */
    for (unsigned int i = sc->u.getdomaininfolist.first_domain;
         i < MAX_DOMAINS && n < sc->u.getdomaininfolist.max_domains; i++) {
        const struct domain *d = domains[i];
        if (!d)
            continue;
        fill_info(d, &info);
        if (vcpu_copy_to(v, sc->u.getdomaininfolist.buffer + n * sizeof(info), &info,
                          sizeof(info)))
            return -EFAULT;
        n++;
    }
    sc->u.getdomaininfolist.num_domains = n;
    return 0;
}

int64_t do_sysctl(struct vcpu *v, const struct hypercall_args *a)
{
    struct xen_sysctl sc;
    int64_t rc;

    if (!v->domain->privileged)
        return -EPERM;
    if (vcpu_copy_from(v, &sc, a->a1, sizeof(sc)))
        return -EFAULT;
    if (sc.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    if (sc.cmd != XEN_SYSCTL_getdomaininfolist)
        return unimpl_enosys(v->domain, UNIMPL_SYSCTL, sc.cmd);
    rc = domain_list(v, &sc);
    if (rc == 0 && vcpu_copy_to(v, a->a1, &sc, sizeof(sc)))
        return -EFAULT;
    return rc;
}
