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

#endif /* EVTCHN_GLUE_H */
