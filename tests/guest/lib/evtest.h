/*
 * Tern guest tests: helpers for the event-channel, timer and time tests.
 *
 * Each test opens what it needs and closes it again, so that the next test
 * starts with no port bound, every port masked, upcalls enabled and the
 * periodic timer back at its 10 ms default (ev_cleanup). Waiting is done
 * by spinning on system time with upcalls enabled: it depends on neither
 * SCHEDOP_block nor a bound VIRQ_TIMER, which some of the tests check.
 */
#ifndef TESTS_GUEST_EVTEST_H
#define TESTS_GUEST_EVTEST_H

#include <stdbool.h>
#include "kernel/events.h"
#include "test.h"
#include "kernel/time.h"

#define EV_MAX_OPEN 16
#define MS          NS_PER_MS
/* Xen runs a timer up to its timer_slop (50 us) early; allow twice that. */
#define TIMER_EARLY_NS 100000UL

/* A loopback channel: `far` was allocated unbound (offered to ourselves),
 * `near` is bound to it; a send on one makes the other pending. */
struct ev_loopback {
    evtchn_port_t near, far;
};

/* What the recording handler saw. */
struct ev_record {
    volatile uint64_t count;             /* handler calls */
    volatile evtchn_port_t port;         /* the last port */
    volatile uint64_t ns;                /* system time of the last call */
    volatile uint64_t rip, cs, rflags;   /* the interrupted context's frame */
    volatile uint8_t mask_at_entry;      /* vcpu_info.evtchn_upcall_mask then */
};

/* Skips the test (and returns false) without shared_info. */
bool ev_require_shared_info(void);

/* event_channel_op(cmd, arg). */
static inline long ev_op(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

/* EVTCHNOP_send and EVTCHNOP_unmask of one port. */
static inline long ev_send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return ev_op(EVTCHNOP_send, &s);
}

static inline long ev_unmask(evtchn_port_t port)
{
    struct evtchn_unmask u = { .port = port };

    return ev_op(EVTCHNOP_unmask, &u);
}

/* Remembers a port for ev_cleanup to close. */
void ev_track(evtchn_port_t port);
/* Opens a loopback channel (both ends tracked, masked, not pending);
 * false with test_error raised when the hypervisor refuses. */
bool ev_loopback_open(struct ev_loopback *l);
/* Binds VIRQ virq on vCPU 0 (tracked); 0 with test_error on failure. */
evtchn_port_t ev_bind_virq(uint32_t virq);

/* Closes every tracked port that is still open (in reverse order), masks
 * every port, clears their pending bits, enables upcalls, stops the
 * single-shot timer and sets the periodic one back to 10 ms. */
void ev_cleanup(void);

/* A handler that fills the struct ev_record passed as its data. */
void ev_record_handler(evtchn_port_t port, struct regs *r, void *data);
/* ev_record_handler on port, port unmasked. */
void ev_record_attach(evtchn_port_t port, struct ev_record *rec);

/* Spins with upcalls enabled until rec->count >= want or ns have passed;
 * true if the count was reached. */
bool ev_wait_count(const struct ev_record *rec, uint64_t want, uint64_t ns);
/* Spins ns nanoseconds (upcalls arrive meanwhile if enabled). */
void ev_spin(uint64_t ns);

/* EVTCHNOP_status of (dom, port) into *st; its result. */
long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
/* Checks that status of our port is `status`, printing what it was. */
int check_status(const char *what, evtchn_port_t port, uint32_t status);
/* Checks an interdomain status: port bound to (dom, remote). */
int check_interdomain(const char *what, evtchn_port_t port, domid_t dom,
                      evtchn_port_t remote);

/* This vCPU's vcpu_info. */
static inline struct vcpu_info *ev_vcpu(void)
{
    return this_vcpu_info();
}

#endif /* TESTS_GUEST_EVTEST_H */
