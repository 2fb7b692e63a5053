/*
 * Tern guest kernel, domain 0's backends: the bridge "xenbr0" that joins
 * every vif and the e1000 (when domain 0 has one), by the learning table
 * of net/bridge.c. A frame is never changed on its way, only copied to
 * the ports the table names; a frame is never sent back out of the port
 * it came in by. Each vif's MAC is pinned to its port when it connects
 * and netback lets a vif send only from that MAC, so a frame for a
 * vif's address reaches that vif alone: a frontend is given frames for
 * its own address, group addresses, and unicast for stations the bridge
 * has not learnt (outside, behind the e1000), never another vif's.
 *
 * The e1000's interrupt comes as an event channel (its GSI mapped and
 * bound as a pirq, xen/pirq.h): the handler only counts it and wakes the
 * loop; the next pass acknowledges the card's causes (its line drops),
 * drains the receive ring, then says EOI, so a frame that lands after the
 * drain raises the line again once the hypervisor unmasks it. If the
 * hypervisor refuses the pirq, the card is polled once a pass instead
 * (the loop passes at least every 20 ms), and the console says so. The
 * card is stopped, its interrupt released and its DMA off, before its
 * pages go back (netbridge_nic_stop).
 */
#include "backend/netback_vif.h"
#include "drivers/e1000.h"
#include "kernel/events.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "net/bridge.h"
#include "xen/hypercall.h"
#include "xen/pirq.h"

#define NIC_RX_BUDGET 16
#define NIC_SEND_NS   (10 * NS_PER_MS)

static struct bridge table;
static struct e1000 nic;
static bool nic_up;
/* The card's interrupt as a pirq, or pirq -1 (refused: polled). */
static int32_t nic_pirq = -1;
static evtchn_port_t nic_port;
static void (*nic_wake)(void);
static volatile uint32_t nic_irqs, nic_irqs_seen;
#define NIC_IRQ_CAUSES (E1000_INT_RXT0 | E1000_INT_RXO | E1000_INT_RXDMT0 | E1000_INT_LSC)
static uint8_t nic_rx[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void out(int port, const uint8_t *frame, uint32_t len)
{
    if (port == NETBK_NIC_PORT) {
        if (nic_up && e1000_send(&nic, frame, len, NIC_SEND_NS) != 0)
            printk("netbridge: the e1000 did not take a %u-byte frame\n", len);
        return;
    }
    if (vifs[port].connected)
        netvif_deliver(&vifs[port], frame, len);
}

void netbridge_input(int port, const uint8_t *frame, uint32_t len)
{
    uint64_t now = time_now_ns();
    int to;

    if (len < 14)
        return;
    bridge_learn(&table, frame + 6, port, now);
    to = bridge_lookup(&table, frame, port, now);
    if (to >= 0) {
        out(to, frame, len);
        return;
    }
    if (to == BRIDGE_DROP)
        return;
    for (int p = 0; p <= NETBK_NIC_PORT; p++)
        if (p != port)
            out(p, frame, len);
}

bool netbridge_port_join(int port, const uint8_t *mac)
{
    return bridge_pin(&table, mac, port);
}

void netbridge_port_gone(int port)
{
    bridge_forget_port(&table, port);
}

/* Virtual IOPL back to 0: the PCI scan's port I/O is over. */
static void ports_off(void)
{
    struct physdev_set_iopl io = { .iopl = 0 };

    HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}

/* The pirq's port fired (events masked: count and wake, no printing). */
static void on_nic_irq(evtchn_port_t port, struct regs *r, void *data)
{
    (void)port;
    (void)r;
    (void)data;
    nic_irqs++;
    if (nic_wake)
        nic_wake();
}

/* The card's interrupt line as a pirq bound to a port with a handler;
 * false (and the console told) if the hypervisor refuses it. */
static bool nic_irq_start(void)
{
    unsigned int gsi = e1000_irq_line(&nic);
    long rc = gk_pirq_bind_gsi(gsi, &nic_pirq, &nic_port);

    if (rc) {
        nic_pirq = -1;
        printk("netbridge: the e1000's interrupt (GSI %u) refused (%ld); it is polled\n",
               gsi, rc);
        return false;
    }
    gk_evtchn_attach(nic_port, on_nic_irq, NULL);
    e1000_irq_ack(&nic);
    e1000_irq_enable(&nic, NIC_IRQ_CAUSES);
    printk("netbridge: the e1000's interrupt (GSI %u) comes as pirq %d on port %u\n", gsi,
           nic_pirq, nic_port);
    return true;
}

bool netbridge_nic_start(void (*wake)(void))
{
    struct e1000_link link;

    bridge_init(&table);
    if (e1000_enable_ports() || e1000_find(&nic) || e1000_map(&nic) || e1000_start(&nic)) {
        e1000_stop(&nic);
        ports_off();
        return false;
    }
    e1000_promiscuous(&nic);
    if (e1000_link_wait(&nic, NS_PER_S, &link))
        printk("netbridge: the e1000's link is down; it joins all the same\n");
    nic_wake = wake;
    nic_up = true;
    nic_irq_start();
    return true;
}

static void nic_drain(void)
{
    for (unsigned int i = 0; nic_up && i < NIC_RX_BUDGET; i++) {
        long n = e1000_recv(&nic, nic_rx, sizeof(nic_rx), 0);

        if (n <= 0)
            return;
        netbridge_input(NETBK_NIC_PORT, nic_rx, (uint32_t)n);
    }
}

void netbridge_nic_poll(void)
{
    if (!nic_up)
        return;
    if (nic_pirq < 0) {
        nic_drain();
        return;
    }
    if (nic_irqs == nic_irqs_seen)
        return;
    nic_irqs_seen = nic_irqs;
    e1000_irq_ack(&nic);                     /* the line drops */
    nic_drain();
    gk_pirq_eoi(nic_pirq);                   /* a later frame raises it again */
}

void netbridge_nic_stop(void)
{
    if (!nic_up)
        return;
    if (nic_pirq >= 0) {
        e1000_irq_enable(&nic, 0);
        gk_pirq_release(nic_pirq, nic_port);
        printk("netbridge: the e1000 raised %u interrupts\n", nic_irqs);
        nic_pirq = -1;
    }
    e1000_stop(&nic);
    ports_off();
    nic_up = false;
    printk("netbridge: the e1000 stopped, its pages returned\n");
}
