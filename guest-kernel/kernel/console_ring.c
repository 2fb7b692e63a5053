/*
 * Tern guest kernel: printk into the PV console ring (console=ring), the
 * way a Xen domU without console_io (Linux's hvc0) talks: bytes go into
 * the out ring of start_info's console page (already mapped by the
 * builder), then an event on start_info's console port tells the backend.
 * Nothing before console_ring_init (the banner) goes there.
 *
 * The ring has room for 2048 bytes in flight; when it is full, we notify
 * and yield so the backend can drain it. A backend that drains nothing for
 * RING_STALL_NS (none serves us, or it disconnected us) loses the ring:
 * printk falls back to console_io for good, saying so, so no line is
 * silently lost. Upcalls are masked while writing: a process preempted in
 * the middle of a write would otherwise interleave with the next writer.
 */
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "xen/cons_ring.h"
#include "xen/hypercall.h"

#define RING_STALL_NS  (2 * NS_PER_S)
#define OPTION_LEN     16

static volatile struct xencons_interface *ring;
static evtchn_port_t ring_port;
static volatile uint32_t kicks;      /* the backend's events: a drain, input, or goodbye */

/* The port is unmasked with this handler so that the backend's event
 * wakes a vCPU blocked waiting for its ring (to be drained, for room):
 * a masked port would leave it to whatever else wakes the vCPU. */
static void on_kick(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    kicks++;
}

void console_ring_init(void)
{
    char buf[OPTION_LEN];
    const char *v = cmdline_option("console", buf, sizeof(buf));
    uint64_t mfn = start_info.console.domU.mfn;

    if (!v || strcmp(v, "ring"))
        return;
    if ((start_info.flags & SIF_INITDOMAIN) || !mfn_is_ours(mfn)) {
        printk("console: console=ring: no console ring page of ours; console_io stays\n");
        return;
    }
    ring = pfn_to_virt(mfn_to_pfn(mfn));
    ring_port = start_info.console.domU.evtchn;
    gk_evtchn_attach(ring_port, on_kick, NULL);
    printk("console: now writing to the console ring (page mfn %#lx, port %u)\n", mfn,
           ring_port);
}

bool console_ring_active(void)
{
    return ring != NULL;
}

/* Puts all of s into the ring, waiting for room; false if the backend
 * stalled (what was not written is left to the caller). */
static bool ring_put(const char *s, size_t len, size_t *done)
{
    uint64_t deadline = time_now_ns() + RING_STALL_NS;

    *done = 0;
    while (*done < len) {
        size_t left = len - *done;
        uint32_t n = cons_ring_write(ring, s + *done,
                                     left > CONS_OUT_SIZE ? CONS_OUT_SIZE : (uint32_t)left);
        gk_evtchn_send(ring_port);
        *done += n;
        if (n)
            deadline = time_now_ns() + RING_STALL_NS;
        else if (time_now_ns() >= deadline)
            return false;
        else
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return true;
}

/* Writes s to the ring; returns how many bytes went in. On a stall the
 * ring is given up and the caller writes the rest with console_io. */
size_t console_ring_write(const char *s, size_t len)
{
    unsigned int was = events_disable();
    size_t done;
    bool ok = ring_put(s, len, &done);

    events_restore(was);
    if (!ok) {
        ring = NULL;
        printk("console: the console ring has not been drained for %lu s; back to "
               "console_io\n", RING_STALL_NS / NS_PER_S);
    }
    return done;
}

/* Before the domain ends: its last lines must reach the backend, which
 * may not even have connected yet (the hypervisor destroys a domain as it
 * shuts down, and a page nobody mapped is gone). Waits until the ring is
 * drained or RING_STALL_NS pass without progress. */
void console_ring_flush(void)
{
    uint64_t deadline = time_now_ns() + RING_STALL_NS;

    while (ring && ring->out_cons != ring->out_prod && time_now_ns() < deadline) {
        gk_evtchn_send(ring_port);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

/* For the hostile role: the ring page itself, or NULL without console=ring. */
volatile struct xencons_interface *console_ring_page(void)
{
    return ring;
}

/* For the hostile role: stop using the ring (printk goes to console_io). */
void console_ring_drop(void)
{
    ring = NULL;
}
