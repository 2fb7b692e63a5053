/*
 * Tern guest kernel: a console frontend that lies (command line
 * console-lie, with console=ring), the attacker of the console backend
 * (demo/cons_serve.c).
 *
 * It prints one line through its ring, then sets out_prod LIE_BYTES past
 * out_cons (more in flight than the 2048-byte ring holds) and notifies.
 * A backend that trusts the indices copies past the ring or spins; domain
 * 0 must disconnect this domain alone and go on serving the others. Our
 * later lines go to console_io (the ring is given up), then we stay alive
 * until the backend's event says it let go of us (consoled.c notifies on
 * every disconnect), so the lie is seen while we run whatever the host's
 * speed, and power off; after WAIT_NS without it we say so and end (the
 * scenario then misses the backend's line and fails).
 */
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/cons_ring.h"

#define LIE_BYTES   (CONS_OUT_SIZE + 1000)
#define WAIT_NS     (30 * NS_PER_S)
#define OPTION_LEN  16

static void on_event(evtchn_port_t port, struct regs *regs, void *data)
{
    (void)port;
    (void)regs;
    *(volatile bool *)data = true;
}

static bool came(void *data)
{
    return *(volatile bool *)data;
}

bool console_lie_run(void)
{
    char buf[OPTION_LEN];
    volatile struct xencons_interface *r;
    evtchn_port_t port = start_info.console.domU.evtchn;
    static volatile bool gone;
    XENCONS_RING_IDX cons;

    if (!cmdline_option("console-lie", buf, sizeof(buf)))
        return false;
    r = console_ring_page();
    if (!r) {
        printk("console-lie: needs console=ring\n");
        return true;
    }
    printk("console-lie: this line goes through the ring; lying next\n");
    console_ring_drop();
    if (timer_start() != 0)
        printk("console-lie: no timer; waiting without a deadline\n");
    gk_evtchn_attach(port, on_event, (void *)&gone);
    cons = r->out_cons;
    r->out_prod = cons + LIE_BYTES;
    gk_evtchn_send(port);
    printk("console-lie: out_prod set %u bytes past out_cons %u; back to console_io\n",
           LIE_BYTES, cons);
    if (!time_wait_until(came, (void *)&gone, time_now_ns() + WAIT_NS))
        printk("console-lie: the backend never let go of us\n");
    return true;
}
