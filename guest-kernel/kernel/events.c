/*
 * Tern guest kernel: event channels, guest side (events.h).
 *
 * The upcall follows the canonical 2-level loop (Mini-OS
 * do_hypervisor_callback, xen-pv-abi.md 3.4):
 *   1. evtchn_upcall_pending = 0;
 *   2. sel = xchg(evtchn_pending_sel, 0);
 *   3. for each word w in sel: bits = pending[w] & ~mask[w]; for each bit,
 *      clear its pending bit, then call the port's handler;
 *   4. if evtchn_upcall_pending was set again meanwhile, go round again,
 *      so an event that came in during the handlers is not left waiting
 *      for the next upcall.
 * Clearing the pending bit before the handler runs means a new event on
 * the same port during its handler is not lost: it sets the bit again.
 * At the end comes the preemption point (time.c), the only place where a
 * user process can lose the CPU without asking.
 */
#include "kernel/events.h"
#include "xen/hypercall.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"

#define WORD_BITS 64
#define NR_WORDS  (NR_EVTCHN_PORTS / WORD_BITS)

struct port_handler {
    gk_evtchn_handler_t fn;
    void *data;
};

static struct port_handler handlers[NR_EVTCHN_PORTS];
volatile uint64_t upcalls_seen;
volatile uint64_t events_unhandled;
volatile evtchn_port_t last_unhandled_port;

static inline void barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static uint64_t *pending_word(evtchn_port_t port)
{
    return &shared_info->evtchn_pending[port / WORD_BITS];
}

static uint64_t *mask_word(evtchn_port_t port)
{
    return &shared_info->evtchn_mask[port / WORD_BITS];
}

static uint64_t port_bit(evtchn_port_t port)
{
    return 1UL << (port % WORD_BITS);
}

/* ---- the vCPU's event mask ---------------------------------------------- */

bool events_masked(void)
{
    const struct vcpu_info *vi = this_vcpu_info();

    return !vi || __atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST);
}

void events_force_callback(void)
{
    HYPERVISOR_xen_version(XENVER_version, NULL);
}

unsigned int events_disable(void)
{
    struct vcpu_info *vi = this_vcpu_info();
    unsigned int was;

    if (!vi)
        return 1;
    was = vi->evtchn_upcall_mask;
    __atomic_store_n(&vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
    barrier();
    return was;
}

void events_enable(void)
{
    struct vcpu_info *vi = this_vcpu_info();

    if (!vi)
        return;
    barrier();
    __atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    barrier();
    if (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        events_force_callback();
}

void events_restore(unsigned int was_masked)
{
    if (was_masked)
        events_disable();
    else
        events_enable();
}

/* ---- ports -------------------------------------------------------------- */

void gk_evtchn_set_handler(evtchn_port_t port, gk_evtchn_handler_t fn, void *data)
{
    unsigned int was;

    if (port >= NR_EVTCHN_PORTS)
        return;
    was = events_disable();
    handlers[port].fn = fn;
    handlers[port].data = data;
    events_restore(was);
}

void gk_evtchn_mask_port(evtchn_port_t port)
{
    if (shared_info && port < NR_EVTCHN_PORTS)
        __atomic_fetch_or(mask_word(port), port_bit(port), __ATOMIC_SEQ_CST);
}

void gk_evtchn_unmask_port(evtchn_port_t port)
{
    struct vcpu_info *vi = this_vcpu_info();
    unsigned int w = port / WORD_BITS;

    if (!vi || port >= NR_EVTCHN_PORTS)
        return;
    __atomic_fetch_and(mask_word(port), ~port_bit(port), __ATOMIC_SEQ_CST);
    if (!gk_evtchn_port_pending(port))
        return;
    /* Pending while masked: no upcall was raised for it, so raise it here
     * exactly as the hypervisor would have. */
    if (!(__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << w, __ATOMIC_SEQ_CST) &
          (1UL << w))) {
        __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
        if (!events_masked())
            events_force_callback();
    }
}

void gk_evtchn_clear_port(evtchn_port_t port)
{
    if (shared_info && port < NR_EVTCHN_PORTS)
        __atomic_fetch_and(pending_word(port), ~port_bit(port), __ATOMIC_SEQ_CST);
}

bool gk_evtchn_port_pending(evtchn_port_t port)
{
    return shared_info && port < NR_EVTCHN_PORTS &&
           (__atomic_load_n(pending_word(port), __ATOMIC_SEQ_CST) & port_bit(port));
}

bool gk_evtchn_port_masked(evtchn_port_t port)
{
    return !shared_info || port >= NR_EVTCHN_PORTS ||
           (__atomic_load_n(mask_word(port), __ATOMIC_SEQ_CST) & port_bit(port));
}

evtchn_port_t gk_evtchn_attach(evtchn_port_t port, gk_evtchn_handler_t fn, void *data)
{
    gk_evtchn_set_handler(port, fn, data);
    gk_evtchn_unmask_port(port);
    return port;
}

long gk_evtchn_detach(evtchn_port_t port)
{
    gk_evtchn_mask_port(port);
    gk_evtchn_set_handler(port, NULL, NULL);
    return gk_evtchn_close(port);
}

/* ---- the upcall ----------------------------------------------------------- */

static void dispatch(evtchn_port_t port, struct regs *r)
{
    struct port_handler *h = &handlers[port];

    if (h->fn) {
        h->fn(port, r, h->data);
        return;
    }
    events_unhandled++;
    last_unhandled_port = port;
}

/* Step 3 for one selector word. */
static void handle_word(unsigned int w, struct regs *r)
{
    uint64_t bits = __atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                    ~__atomic_load_n(&shared_info->evtchn_mask[w], __ATOMIC_SEQ_CST);

    while (bits) {
        unsigned int b = (unsigned int)__builtin_ctzl(bits);
        evtchn_port_t port = w * WORD_BITS + b;

        bits &= bits - 1;
        __atomic_fetch_and(&shared_info->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
        dispatch(port, r);
    }
}

void gk_evtchn_do_upcall(struct regs *r)
{
    struct vcpu_info *vi = this_vcpu_info();

    upcalls_seen++;
    events_seen++;                   /* traps.h's count of deliveries */
    if (!vi)
        return;
    do {
        uint64_t sel;

        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);

            sel &= sel - 1;
            handle_word(w, r);
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
    preempt_point(r);
}

void events_init(void)
{
    if (!shared_info)
        return;
    events_disable();
    memset(handlers, 0, sizeof(handlers));
    for (unsigned int w = 0; w < NR_WORDS; w++)
        __atomic_store_n(&shared_info->evtchn_mask[w], ~0UL, __ATOMIC_SEQ_CST);
    events_enable();
}

/* ---- event_channel_op ----------------------------------------------------- */

long gk_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    if (rc == 0)
        *port = a.port;
    return rc;
}

long gk_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                                evtchn_port_t *local)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

    if (rc == 0)
        *local = b.local_port;
    return rc;
}

long gk_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = 0 };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (rc == 0)
        *port = b.port;
    return rc;
}

long gk_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

long gk_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

long gk_evtchn_status(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}
