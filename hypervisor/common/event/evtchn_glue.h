/*
 * The environment the pure event-channel model (evtchn.c) acts in
 * (evtchn_glue.c): domains by id, and waking the vCPU an event is for.
 */
#ifndef EVTCHN_GLUE_H
#define EVTCHN_GLUE_H

#include "evtchn.h"

extern const struct evtchn_env evtchn_env;

#endif /* EVTCHN_GLUE_H */
