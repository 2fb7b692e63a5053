/*
 * Physical interrupts for domains (pirq_glue.c): pirq.c's state machine
 * acted out on the I/O APIC and the event channels.
 */
#ifndef PIRQ_GLUE_H
#define PIRQ_GLUE_H

#include "evtchn.h"
#include "pirq.h"
#include <public/physdev.h>

struct domain;
struct vcpu;

/* The physdev_op sub-commands on pirqs and GSIs, on copied arguments. */
int pirq_op_map(struct vcpu *v, struct physdev_map_pirq *m);
int pirq_op_unmap(struct vcpu *v, struct physdev_unmap_pirq *u);
int pirq_op_setup_gsi(struct vcpu *v, struct physdev_setup_gsi *s);
int pirq_op_status(struct vcpu *v, struct physdev_irq_status_query *q);
int pirq_op_eoi(struct vcpu *v, struct physdev_eoi *e);

/* EVTCHNOP_bind_pirq for the domain whose ports e are. */
int pirq_bind_evtchn(struct evtchn_domain *e, struct evtchn_bind_pirq *b);

/* A GSI's vector came (interrupt context, before the local APIC's EOI). */
void pirq_interrupt(unsigned int gsi);

/* Domain teardown, after its ports are closed: every line it mapped is
 * masked and freed, its table returned to the heap. */
void pirq_domain_destroy(struct domain *d);

#endif /* PIRQ_GLUE_H */
