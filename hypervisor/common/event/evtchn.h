/*
 * Event channels (evtchn.c, pure): per-domain ports with an explicit state
 * machine, and the 2-level pending/mask delivery into shared_info.
 *
 * States (one per port), and what the union holds:
 *   FREE         nothing; the port can be allocated
 *   RESERVED     port 0, never used
 *   UNBOUND      u.unbound.remote: the domain allowed to bind to it
 *   INTERDOMAIN  u.interdomain: the peer domain and its port (both ends
 *                point at each other)
 *   VIRQ         u.virq: the virtual IRQ it carries
 *   IPI          nothing more: it notifies notify_vcpu of its own domain
 *   PIRQ         u.pirq: the physical IRQ it carries (pirq.h has the line)
 * All transitions happen in evtchn.c; closing an interdomain port returns
 * its peer to UNBOUND (offered back to us), as on Xen.
 */
#ifndef EVTCHN_H
#define EVTCHN_H

#include "lib.h"
#include <public/event_channel.h>
#include <public/xen.h>

#define EVTCHN_MAX_PORTS 1024     /* per domain (Xen's default for a domU: 1023) */
#define EVTCHN_MAX_VCPUS 1

enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
    ECS_PIRQ,
};

struct evtchn {
    uint8_t state;                       /* enum evtchn_state */
    uint8_t pad;
    uint16_t notify_vcpu;
    union {
        struct { domid_t remote; } unbound;                      /* UNBOUND */
        struct { domid_t dom; evtchn_port_t port; } interdomain; /* INTERDOMAIN */
        uint32_t virq;                                           /* VIRQ */
        uint32_t pirq;                                           /* PIRQ */
    } u;
};

struct evtchn_domain {
    domid_t id;
    bool privileged;
    unsigned int nr_vcpus;
    struct shared_info *shared;          /* where pending/mask bits live */
    /* A vCPU's vcpu_info where the guest registered it (vcpu_op.c), or
     * NULL: its slot in shared. */
    struct vcpu_info *vcpu_info[EVTCHN_MAX_VCPUS];
    struct evtchn ports[EVTCHN_MAX_PORTS];
    evtchn_port_t virq_port[EVTCHN_MAX_VCPUS][NR_VIRQS];   /* 0: not bound */
    /* Told when a PIRQ port closes, so its line is masked (pirq_glue.c
     * sets it at the first bind_pirq); NULL: no PIRQ port was ever bound. */
    void (*pirq_closed)(struct evtchn_domain *d, uint32_t pirq, evtchn_port_t port);
};

/* The world around the pure code: other domains, and waking vCPUs. */
struct evtchn_env {
    struct evtchn_domain *(*lookup)(void *ctx, domid_t id);   /* NULL: none */
    /* An event became deliverable for vcpu of d (upcall_pending set). */
    void (*kick)(void *ctx, struct evtchn_domain *d, unsigned int vcpu);
    /* Port of d became pending: wake a vCPU polling it (may be NULL). */
    void (*pending)(void *ctx, struct evtchn_domain *d, evtchn_port_t port);
    void *ctx;
};

/* Where vCPU vcpu's vcpu_info is now (registered, or in shared_info);
 * inline: every exit to a guest asks. */
static inline struct vcpu_info *evtchn_vcpu_info(struct evtchn_domain *d, unsigned int vcpu)
{
    return d->vcpu_info[vcpu] ? d->vcpu_info[vcpu] : &d->shared->vcpu_info[vcpu];
}

void evtchn_init_domain(struct evtchn_domain *d, domid_t id, bool privileged,
                        unsigned int nr_vcpus, struct shared_info *shared);

int evtchn_alloc_unbound(const struct evtchn_env *e, struct evtchn_domain *d,
                         struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(const struct evtchn_env *e, struct evtchn_domain *d,
                            struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *b);
/* A new PIRQ port for pirq on vCPU 0 (the caller checked the pirq). */
int evtchn_bind_pirq_port(struct evtchn_domain *d, uint32_t pirq, evtchn_port_t *port);
int evtchn_close(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port);
int evtchn_send(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port);
int evtchn_status(const struct evtchn_env *e, struct evtchn_domain *d,
                  struct evtchn_status *s);
int evtchn_unmask(const struct evtchn_env *e, struct evtchn_domain *d, evtchn_port_t port);
int evtchn_bind_vcpu(struct evtchn_domain *d, evtchn_port_t port, uint32_t vcpu);
int evtchn_reset(const struct evtchn_env *e, struct evtchn_domain *d, domid_t dom);

/* Raise virq on vcpu of d if it is bound (timer, console, debug). */
void evtchn_send_virq(const struct evtchn_env *e, struct evtchn_domain *d,
                      unsigned int vcpu, unsigned int virq);
/* Mark port pending with the 2-level rules; kick if deliverable. */
void evtchn_set_pending(const struct evtchn_env *e, struct evtchn_domain *d,
                        evtchn_port_t port);
/* True if port of d is pending (for SCHEDOP_poll). */
bool evtchn_is_pending(const struct evtchn_domain *d, evtchn_port_t port);
/* Close every port (domain teardown): peers become unbound. */
void evtchn_destroy_domain(const struct evtchn_env *e, struct evtchn_domain *d);

/* VIRQ classes. */
bool virq_is_per_vcpu(unsigned int virq);

#endif /* EVTCHN_H */
