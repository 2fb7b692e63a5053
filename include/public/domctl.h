/*
 * The control-domain subset Tern offers: domctl (#36) pause, unpause,
 * destroy and getdomaininfo, Tern's own tern_ring_pages, and sysctl (#35)
 * getdomaininfolist. Command
 * numbers, the header and XEN_DOMINF_* are Xen's; the getdomaininfo
 * record keeps Xen's leading fields in Xen's order (tot_pages, max_pages,
 * ..., cpu_time, nr_online_vcpus, max_vcpu_id) and ends there. Only a
 * privileged domain may use these (-EPERM otherwise). Permission is
 * granted, free of charge, to use, copy, modify and distribute this
 * header for any purpose (MIT licence).
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <stddef.h>
#include <stdint.h>
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015   /* Xen 4.17 */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_destroydomain   2
#define XEN_DOMCTL_pausedomain     3
#define XEN_DOMCTL_unpausedomain   4
#define XEN_DOMCTL_getdomaininfo   5
#define XEN_SYSCTL_getdomaininfolist 6
/* Tern's own domctls are numbered from 0x7400, far from Xen's (1-89, and
 * 1000-1003 for gdbsx), so no Xen sub-op is ever mistaken for one. */
#define XEN_DOMCTL_tern_ring_pages 0x7400
#define XEN_DOMCTL_tern_console_input 0x7401

#define XEN_DOMINF_dying        (1U << 0)
#define XEN_DOMINF_hvm_guest    (1U << 1)
#define XEN_DOMINF_shutdown     (1U << 2)
#define XEN_DOMINF_paused       (1U << 3)
#define XEN_DOMINF_blocked      (1U << 4)
#define XEN_DOMINF_running      (1U << 5)
#define XEN_DOMINF_shutdownshift 16           /* SHUTDOWN_* in bits 16-23 */

struct xen_domctl_getdomaininfo {
    domid_t domain;              /* OUT */
    uint16_t pad0;
    uint32_t flags;              /* OUT: XEN_DOMINF_* */
    uint64_t tot_pages;          /* OUT: pages the domain holds */
    uint64_t max_pages;
    uint64_t outstanding_pages;  /* 0 */
    uint64_t shr_pages;          /* 0 */
    uint64_t paged_pages;        /* 0 */
    uint64_t shared_info_frame;  /* OUT: MFN */
    uint64_t cpu_time;           /* OUT: ns */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
};

/*
 * XEN_DOMCTL_tern_ring_pages (Tern's own: Xen has none, its toolstack
 * remembers what it built): the xenstore and console ring pages and ports
 * the domain builder gave an unprivileged domain, exactly as its
 * start_info got them (store_mfn, store_evtchn, console.domU.mfn and
 * .evtchn), the domain both ports were left unbound for, and its name.
 *   IN  xen_domctl.domain: the domain asked about (the caller itself too).
 *   OUT u.tern_ring_pages.
 * NOTES: 1. The answer is what the builder made; the domain may since
 *           have bound, closed or given back any of them.
 *        2. Errors: -EPERM for an unprivileged caller, -EACCES for a wrong
 *           interface version, -ESRCH for no such domain, -ENOENT for a
 *           domain without ring pages (a privileged domain, built as Xen
 *           builds the hardware domain).
 */
struct xen_domctl_tern_ring_pages {
    uint64_t store_mfn;          /* OUT: the xenstore ring page */
    uint64_t console_mfn;        /* OUT: the console ring page */
    uint32_t store_evtchn;       /* OUT: a port of that domain, unbound at boot */
    uint32_t console_evtchn;     /* OUT: likewise */
    domid_t backend;             /* OUT: the domain both were left unbound for */
    uint16_t pad[3];
    char name[32];               /* OUT: its name (name=), NUL-ended; a toolstack
                                    needs it to find the domain's configuration */
};

/*
 * XEN_DOMCTL_tern_console_input (Tern's own): console input typed while
 * the domain has the input focus (Ctrl-A three times), taken by the
 * domain's console backend so that it can put it into the domain's console
 * ring (xenconsoled's job; Xen's has a pty instead). The hypervisor also
 * raises VIRQ_CONSOLE on the backend when such input arrives.
 *   IN  xen_domctl.domain: the domain whose input is wanted.
 *   OUT u.tern_console_input: len bytes (at most 64), 0 when the domain
 *       does not have the focus or nothing is waiting.
 * Errors: -EPERM when the caller is not that domain's console backend,
 * -ESRCH for no such domain.
 */
#define TERN_CONSOLE_INPUT_MAX 64
struct xen_domctl_tern_console_input {
    uint32_t len;                /* OUT */
    uint32_t pad;
    char bytes[TERN_CONSOLE_INPUT_MAX];  /* OUT */
};

/* __HYPERVISOR_domctl: long domctl(struct xen_domctl *). */
struct xen_domctl {
    uint32_t cmd;                /* IN: XEN_DOMCTL_* */
    uint32_t interface_version;  /* IN: XEN_DOMCTL_INTERFACE_VERSION (-EACCES else) */
    domid_t domain;              /* IN: the target (-ESRCH if none) */
    uint16_t pad[3];
    union {
        struct xen_domctl_getdomaininfo getdomaininfo;   /* OUT */
        struct xen_domctl_tern_ring_pages tern_ring_pages; /* OUT */
        struct xen_domctl_tern_console_input tern_console_input; /* OUT */
        uint8_t pad[128];
    } u;
};

/* __HYPERVISOR_sysctl: long sysctl(struct xen_sysctl *). getdomaininfolist:
 * up to max_domains records for domains with id >= first_domain, written to
 * buffer; OUT num_domains. */
struct xen_sysctl {
    uint32_t cmd;                /* IN: XEN_SYSCTL_* */
    uint32_t interface_version;  /* IN: XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct {
            domid_t first_domain;    /* IN */
            uint16_t pad;
            uint32_t max_domains;    /* IN */
            uint64_t buffer;         /* IN: guest VA of the records */
            uint32_t num_domains;    /* OUT */
            uint32_t pad2;
        } getdomaininfolist;
        uint8_t pad[128];
    } u;
};

_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 72, "getdomaininfo size");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "tot_pages");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56, "cpu_time");
_Static_assert(sizeof(struct xen_domctl_tern_ring_pages) == 64, "tern_ring_pages size");
_Static_assert(offsetof(struct xen_domctl_tern_ring_pages, store_evtchn) == 16,
               "tern_ring_pages.store_evtchn");
_Static_assert(offsetof(struct xen_domctl_tern_ring_pages, backend) == 24,
               "tern_ring_pages.backend");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl size");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u");

#endif /* PUBLIC_DOMCTL_H */
