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
 * for STAY_NS, so the backend sees the lie while we run, and power off.
 */
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "demo/roles.h"
#include "xen/cons_ring.h"

#define LIE_BYTES   (CONS_OUT_SIZE + 1000)
#define STAY_NS     (1 * NS_PER_S)
#define OPTION_LEN  16

bool console_lie_run(void)
{
    char buf[OPTION_LEN];
    volatile struct xencons_interface *r;
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
    cons = r->out_cons;
    r->out_prod = cons + LIE_BYTES;
    gk_evtchn_send(start_info.console.domU.evtchn);
    printk("console-lie: out_prod set %u bytes past out_cons %u; back to console_io\n",
           LIE_BYTES, cons);
    time_sleep_ns(STAY_NS);
    return true;
}
