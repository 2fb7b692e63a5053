/*
 * Test e1000_ping: domain 0's e1000 driver (guest-kernel/drivers/e1000.c)
 * on QEMU's user network, through configuration ports and BAR0.
 *
 * What: the runner gives both boots QEMU's "-nic user,model=e1000". With
 * virtual IOPL 1: the PCI scan finds the 82540EM (8086:100e) with a
 * memory BAR0; BAR0 maps (writable, no cache attributes); the card
 * resets and reports QEMU's MAC 52:54:00:12:34:56 and its link up; an
 * ARP request for the gateway 10.0.2.2 from 10.0.2.15 is answered with
 * 52:55:0a:00:02:02 (3 tries of 1 s: QEMU's e1000 holds frames for 1 s
 * after the receiver is turned on); frames of 13 and 1515 bytes are
 * refused before the card sees them; after e1000_stop (reset, bus
 * mastering off, BAR0 unmapped, pages freed) a send is refused.
 * Why: issue 16: domain 0 drives the NIC itself; the mediated
 * configuration space, the mapping of device memory by a privileged
 * domain (page_types rule 11) and DMA to machine addresses must work on
 * both hypervisors.
 * Expected (real Xen 4.17): as above.
 */
#include "drivers/e1000.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "net/arp.h"
#include "net/eth.h"
#include "traptest.h"

static const char test_title[] = "e1000 driver: PCI, BAR0, reset, link, ARP as domain 0";

#define MY_IP 0x0a00020fu
#define GW_IP 0x0a000202u

static struct e1000 nic;

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl io = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
}
static uint8_t frame[ETH_FRAME_MAX], rx[E1000_RX_BUF_SIZE];

static size_t arp_request(void)
{
    struct arp_packet p = { .op = ARP_OP_REQUEST, .spa = MY_IP, .tpa = GW_IP };
    size_t n = eth_build(frame, sizeof(frame), eth_broadcast, nic.mac, ETH_TYPE_ARP);

    memcpy(p.sha, nic.mac, ETH_ALEN);
    n += arp_build(frame + n, sizeof(frame) - n, &p);
    return eth_pad(frame, n, sizeof(frame));
}

/* Is rx[0..n) the gateway's ARP reply to us? Its MAC into gw. */
static bool arp_reply(long n, uint8_t *gw)
{
    struct eth_frame f;
    struct arp_packet p;

    if (eth_parse(rx, (size_t)n, &f) != NET_OK || f.type != ETH_TYPE_ARP ||
        arp_parse(f.payload, f.payload_len, &p) != NET_OK)
        return false;
    if (p.op != ARP_OP_REPLY || p.spa != GW_IP || p.tpa != MY_IP)
        return false;
    memcpy(gw, p.sha, ETH_ALEN);
    return true;
}

/* Three tries of one second each. */
static bool ask_gateway(uint8_t *gw)
{
    size_t len = arp_request();

    for (int t = 0; t < 3; t++) {
        uint64_t deadline = time_now_ns() + NS_PER_S;

        if (!check_rc("e1000_send(ARP request)", e1000_send(&nic, frame, len, NS_PER_S), 0))
            return false;
        while (time_now_ns() < deadline) {
            long n = e1000_recv(&nic, rx, sizeof(rx), deadline - time_now_ns());

            if (n > 0 && arp_reply(n, gw))
                return true;
        }
    }
    return false;
}

static bool bring_up(void)
{
    struct e1000_link link;
    static const uint8_t qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

    if (!check_rc("e1000_find", e1000_find(&nic), 0))
        return false;
    test_info("8086:%04x at %02x:%02x.%x, BAR0 %#lx", nic.device_id, nic.bus, nic.dev, nic.fn,
              nic.bar0.base);
    check_hex("its device ID", nic.device_id, 0x100e);
    if (!check_rc("e1000_map (BAR0)", e1000_map(&nic), 0) ||
        !check_rc("e1000_start", e1000_start(&nic), 0))
        return false;
    check_true("its MAC is QEMU's 52:54:00:12:34:56", memcmp(nic.mac, qemu_mac, 6) == 0);
    check_rc("e1000_link_wait", e1000_link_wait(&nic, 5 * NS_PER_S, &link), 0);
    check_true("  ... link up", link.up);
    return true;
}

static void test_main(void)
{
    static const uint8_t slirp_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
    uint8_t gw[ETH_ALEN] = { 0 };

    if (!check_rc("physdev_op(set_iopl, 1)", set_iopl(1), 0))
        return;
    if (bring_up()) {
        check_true("ARP: 10.0.2.2 answered", ask_gateway(gw));
        check_true("  ... with slirp's MAC 52:55:0a:00:02:02", memcmp(gw, slirp_mac, 6) == 0);
        check_rc("e1000_send of 13 bytes", e1000_send(&nic, frame, 13, NS_PER_S), -XEN_EINVAL);
        check_rc("e1000_send of 1515 bytes", e1000_send(&nic, frame, 1515, NS_PER_S),
                 -XEN_EINVAL);
    }
    e1000_stop(&nic);
    check_rc("e1000_send after e1000_stop", e1000_send(&nic, frame, 60, NS_PER_S), -XEN_EINVAL);
    check_rc("physdev_op(set_iopl, 0)", set_iopl(0), 0);    /* the next tests expect IOPL 0 */
    test_success(NULL);
}

const struct guest_test test_e1000_ping = { "e1000_ping", test_title, test_main };
