/*
 * Tier 3 of the 64-bit PV ABI: event channels (event_channel_op, #32) and
 * virtual IRQs. Values and layouts are Xen's (xen/include/public/
 * event_channel.h, xen.h). Permission is granted, free of charge, to use,
 * copy, modify and distribute this header for any purpose (MIT licence).
 *
 *   long event_channel_op(int cmd, void *arg);
 *
 * Ports are evtchn_port_t (u32); port 0 is never allocated. Errors common
 * to all commands: -XEN_EFAULT arg unreadable; -XEN_ENOSYS unknown cmd;
 * -XEN_EINVAL a port that is out of range or in the wrong state;
 * -XEN_ESRCH no such domain; -XEN_EPERM naming another domain without
 * privilege; -XEN_ENOSPC no free port.
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <stddef.h>
#include <stdint.h>
#include "xen.h"

/* EVTCHNOP_bind_interdomain (0): connect to remote_port of remote_dom,
 * which must be unbound and offered to us. OUT local_port, set pending. */
#define EVTCHNOP_bind_interdomain 0
struct evtchn_bind_interdomain {
    domid_t remote_dom;          /* IN */
    uint16_t pad;
    evtchn_port_t remote_port;   /* IN */
    evtchn_port_t local_port;    /* OUT */
};

/* EVTCHNOP_bind_virq (1): a port for virq on vcpu. A per-vCPU VIRQ may be
 * bound once per vCPU (-EEXIST), a global one on vCPU 0 only. */
#define EVTCHNOP_bind_virq        1
struct evtchn_bind_virq {
    uint32_t virq;               /* IN: VIRQ_* */
    uint32_t vcpu;               /* IN */
    evtchn_port_t port;          /* OUT */
};

/* EVTCHNOP_bind_pirq (2): a port for a physical IRQ the domain has mapped
 * (PHYSDEVOP_map_pirq), notifying vCPU 0. Errors: -EINVAL (pirq out of
 * range), -EPERM (not mapped), -EEXIST (already bound), -EBUSY (the line
 * is bound elsewhere). */
#define EVTCHNOP_bind_pirq        2
#define BIND_PIRQ__WILL_SHARE     1
struct evtchn_bind_pirq {
    uint32_t pirq;               /* IN */
    uint32_t flags;              /* IN: BIND_PIRQ__* */
    evtchn_port_t port;          /* OUT */
};

/* EVTCHNOP_close (3): free port; an interdomain peer becomes unbound. */
#define EVTCHNOP_close            3
struct evtchn_close {
    evtchn_port_t port;          /* IN */
};

/* EVTCHNOP_send (4): signal the far end: the peer's port (interdomain),
 * the bound vCPU (IPI). Sending on an unbound port does nothing. */
#define EVTCHNOP_send             4
struct evtchn_send {
    evtchn_port_t port;          /* IN */
};

/* EVTCHNOP_status (5): what port of dom is bound to. */
#define EVTCHNOP_status           5
#define EVTCHNSTAT_closed         0
#define EVTCHNSTAT_unbound        1
#define EVTCHNSTAT_interdomain    2
#define EVTCHNSTAT_pirq           3
#define EVTCHNSTAT_virq           4
#define EVTCHNSTAT_ipi            5
struct evtchn_status {
    domid_t dom;                 /* IN */
    uint16_t pad;
    evtchn_port_t port;          /* IN */
    uint32_t status;             /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;               /* OUT: vCPU notified */
    union {
        struct { domid_t dom; } unbound;                          /* who may bind */
        struct { domid_t dom; uint16_t pad; evtchn_port_t port; } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;                         /* OUT */
};

/* EVTCHNOP_alloc_unbound (6): a port of dom that remote_dom may bind to. */
#define EVTCHNOP_alloc_unbound    6
struct evtchn_alloc_unbound {
    domid_t dom;                 /* IN: DOMID_SELF unless privileged */
    domid_t remote_dom;          /* IN: may be DOMID_SELF */
    evtchn_port_t port;          /* OUT */
};

/* EVTCHNOP_bind_ipi (7): a port that notifies vcpu of this domain. */
#define EVTCHNOP_bind_ipi         7
struct evtchn_bind_ipi {
    uint32_t vcpu;               /* IN */
    evtchn_port_t port;          /* OUT */
};

/* EVTCHNOP_bind_vcpu (8): notify vcpu instead (not for IPI and per-vCPU
 * VIRQ ports: -EINVAL). */
#define EVTCHNOP_bind_vcpu        8
struct evtchn_bind_vcpu {
    evtchn_port_t port;          /* IN */
    uint32_t vcpu;               /* IN */
};

/* EVTCHNOP_unmask (9): clear the mask bit and re-raise a pending port. */
#define EVTCHNOP_unmask           9
struct evtchn_unmask {
    evtchn_port_t port;          /* IN */
};

/* EVTCHNOP_reset (10): close every port of dom. */
#define EVTCHNOP_reset           10
struct evtchn_reset {
    domid_t dom;                 /* IN */
};

/* Virtual IRQs (xen.h in Xen). V: per vCPU; G: global (one handler
 * domain, domain 0 here). */
#define VIRQ_TIMER       0   /* V: single-shot or periodic timer fired */
#define VIRQ_DEBUG       1   /* V: "dump debug state" */
#define VIRQ_CONSOLE     2   /* G: input on the hypervisor console */
#define VIRQ_DOM_EXC     3   /* G: a domain changed state */
#define VIRQ_TBUF        4   /* G */
#define VIRQ_DEBUGGER    6   /* G */
#define VIRQ_XENOPROF    7   /* V */
#define VIRQ_CON_RING    8   /* G */
#define VIRQ_PCPU_STATE  9   /* G */
#define VIRQ_MEM_EVENT  10   /* G */
#define VIRQ_ARGO       11   /* per domain */
#define VIRQ_ENOMEM     12   /* G */
#define VIRQ_XENPMU     13   /* V */
#define NR_VIRQS        24

#define EVTCHN_2L_NR_CHANNELS 4096

_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain size");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "remote_port");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8, "local_port");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq size");
_Static_assert(sizeof(struct evtchn_status) == 24, "status size");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "status.status");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "status.u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "status.u.interdomain.port");
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound size");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "alloc_unbound.port");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi size");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu size");

#endif /* PUBLIC_EVENT_CHANNEL_H */
