/*
 * The environment the pure event-channel model (evtchn.c) acts in
 * (evtchn_glue.c): domains by id, and waking the vCPU an event is for.
 */
#ifndef EVTCHN_GLUE_H
#define EVTCHN_GLUE_H

#include "evtchn.h"

extern const struct evtchn_env evtchn_env;

/* EVTCHNOP_send on port of d (the hypercall's): evtchn_send with this
 * environment, 0 or a negative errno. */
int64_t evtchn_send_fast(struct evtchn_domain *d, evtchn_port_t port);
/* Port of d just became pending (evtchn_send_entry.S set its bit): the
 * rest of the model's delivery; 0, the send's result. */
int64_t evtchn_newly_pending_fast(struct evtchn_domain *d, evtchn_port_t port);
/* EVTCHNOP_unmask on port of d (evtchn_send_entry.S read the port). */
int64_t evtchn_unmask_fast(struct evtchn_domain *d, evtchn_port_t port);

struct vcpu;
struct hypercall_args;
/* do_event_channel_op in C: evtchn_send_entry.S's entry hands it every
 * case it does not take, with its arguments unchanged. */
int64_t event_channel_op_c(struct vcpu *v, const struct hypercall_args *a);

#endif /* EVTCHN_GLUE_H */
