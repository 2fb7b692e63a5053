/*
 * Tern guest kernel: the nic-check role (domain 0). It drives the e1000
 * (drivers/e1000.c) on QEMU's user network: finds the card, prints its
 * MAC and link, asks the gateway 10.0.2.2 for its MAC with ARP from
 * 10.0.2.15, then pings it (QEMU's slirp answers pings to its gateway
 * address itself), and prints both answers. Frames are built and checked
 * by the pure network code (net/): everything received is parsed, and
 * only a reply that matches what was asked counts. An ARP request for
 * our address is answered on the way. It sends only to 10.0.2.2.
 *
 * Each step has a deadline (a lost frame is sent again, 3 times at most);
 * a failure prints "nic-check: FAIL: ..." and stops the card. At the end
 * the card is stopped (its DMA off) before its pages go back.
 */
#include "demo/roles.h"
#include "drivers/e1000.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "net/arp.h"
#include "net/eth.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include <public/errno.h>

#define MY_IP        0x0a00020fu      /* 10.0.2.15: QEMU's user network's guest */
#define GW_IP        0x0a000202u      /* 10.0.2.2: its gateway */
#define TRIES        3
#define TRY_NS       NS_PER_S
#define LINK_NS      (5 * NS_PER_S)
#define PING_ID      0x5445
#define PING_LEN     32

static struct e1000 nic;
static uint8_t frame[ETH_FRAME_MAX];
static uint8_t rx[E1000_RX_BUF_SIZE];
static const uint8_t ping_data[PING_LEN] = "Tern nic-check echo data 0123456";

struct nic_stats {
    unsigned int received, ignored;
};

static void print_mac(const char *what, const uint8_t *m)
{
    printk("nic-check: %s %02x:%02x:%02x:%02x:%02x:%02x\n", what, m[0], m[1], m[2], m[3],
           m[4], m[5]);
}

/* ---- frames out ---- */

static size_t arp_frame(uint16_t op, const uint8_t *tha, uint32_t tpa, const uint8_t *dst)
{
    struct arp_packet p = { .op = op, .spa = MY_IP, .tpa = tpa };
    size_t n = eth_build(frame, sizeof(frame), dst, nic.mac, ETH_TYPE_ARP);

    memcpy(p.sha, nic.mac, ETH_ALEN);
    memcpy(p.tha, tha, ETH_ALEN);
    n += arp_build(frame + n, sizeof(frame) - n, &p);
    return eth_pad(frame, n, sizeof(frame));
}

static size_t ping_frame(const uint8_t *gw_mac, uint16_t seq)
{
    struct icmp_echo e = { .type = ICMP_ECHO_REQUEST, .id = PING_ID, .seq = seq,
                           .data = ping_data, .data_len = PING_LEN };
    struct ipv4_packet ip = { .ttl = IPV4_DEFAULT_TTL, .proto = IPV4_PROTO_ICMP,
                              .id = seq, .src = MY_IP, .dst = GW_IP,
                              .payload_len = ICMP_HLEN + PING_LEN };
    size_t n = eth_build(frame, sizeof(frame), gw_mac, nic.mac, ETH_TYPE_IPV4);

    n += ipv4_build(frame + n, sizeof(frame) - n, &ip);
    n += icmp_echo_build(frame + n, sizeof(frame) - n, &e);
    return n;
}

/* ---- frames in ---- */

/* An ARP request for our address gets its reply (frame[] is free then). */
static void answer_arp(const struct arp_packet *req)
{
    struct arp_packet rep;
    size_t n;

    if (!arp_make_reply(req, nic.mac, MY_IP, &rep))
        return;
    n = eth_build(frame, sizeof(frame), req->sha, nic.mac, ETH_TYPE_ARP);
    n += arp_build(frame + n, sizeof(frame) - n, &rep);
    if (e1000_send(&nic, frame, eth_pad(frame, n, sizeof(frame)), TRY_NS) == 0)
        printk("nic-check: answered an ARP request for 10.0.2.15\n");
}

/* Answers the frame if it is an ARP request for our address. */
static void maybe_answer_arp(const struct eth_frame *f)
{
    struct arp_packet p;

    if (f->type == ETH_TYPE_ARP && arp_parse(f->payload, f->payload_len, &p) == NET_OK)
        answer_arp(&p);
}

/* Is the received frame the gateway's ARP reply to us? Its MAC into gw. */
static bool is_arp_reply(const struct eth_frame *f, uint16_t seq, uint8_t *gw)
{
    struct arp_packet p;

    (void)seq;
    if (f->type != ETH_TYPE_ARP || arp_parse(f->payload, f->payload_len, &p) != NET_OK)
        return false;
    if (p.op != ARP_OP_REPLY || p.spa != GW_IP || p.tpa != MY_IP)
        return false;
    memcpy(gw, p.sha, ETH_ALEN);
    return true;
}

/* Is it the gateway's echo reply to our ping number seq, data intact? */
static bool is_ping_reply(const struct eth_frame *f, uint16_t seq, uint8_t *unused)
{
    struct ipv4_packet ip;
    struct icmp_echo e;

    (void)unused;
    if (f->type != ETH_TYPE_IPV4 || ipv4_parse(f->payload, f->payload_len, &ip) != NET_OK)
        return false;
    if (ip.proto != IPV4_PROTO_ICMP || ip.src != GW_IP || ip.dst != MY_IP)
        return false;
    if (icmp_echo_parse(ip.payload, ip.payload_len, &e) != NET_OK)
        return false;
    return e.type == ICMP_ECHO_REPLY && e.id == PING_ID && e.seq == seq &&
           e.data_len == PING_LEN && memcmp(e.data, ping_data, PING_LEN) == 0;
}

/* A matcher: is this frame (for us) the answer awaited? */
typedef bool (*match_fn)(const struct eth_frame *f, uint16_t seq, uint8_t *out);

/* Is the frame addressed to us (or broadcast)? */
static bool for_us(const struct eth_frame *f)
{
    return memcmp(f->dst, nic.mac, ETH_ALEN) == 0 ||
           memcmp(f->dst, eth_broadcast, ETH_ALEN) == 0;
}

/* Receives until match() accepts a frame or the deadline passes. */
static bool await(match_fn match, uint16_t seq, uint8_t *out, uint64_t deadline,
                  struct nic_stats *st)
{
    struct eth_frame f;

    while (time_now_ns() < deadline) {
        long n = e1000_recv(&nic, rx, sizeof(rx), deadline - time_now_ns());

        if (n < 0)
            return false;
        st->received++;
        if (eth_parse(rx, (size_t)n, &f) == NET_OK && for_us(&f)) {
            if (match(&f, seq, out))
                return true;
            maybe_answer_arp(&f);
        }
        st->ignored++;
    }
    return false;
}

/* How long an exchange took: from the first send to the answer, and
 * from the last send's return to the answer (receiving and parsing, when
 * the answer was already there). */
struct timing {
    uint64_t total_ns, after_send_ns;
};

/* Sends frame[0..len) and waits for its answer, TRIES times at most. */
static int exchange(size_t len, match_fn match, uint16_t seq, uint8_t *out, struct timing *tm,
                    struct nic_stats *st)
{
    uint8_t copy[ETH_FRAME_MAX];
    uint64_t start = time_now_ns(), sent;

    memcpy(copy, frame, len);
    for (int t = 0; t < TRIES; t++) {
        int rc = e1000_send(&nic, copy, len, TRY_NS);

        if (rc)
            return rc;
        sent = time_now_ns();
        if (await(match, seq, out, sent + TRY_NS, st)) {
            tm->total_ns = time_now_ns() - start;
            tm->after_send_ns = time_now_ns() - sent;
            return 0;
        }
    }
    return -XEN_ETIMEDOUT;
}

/* ---- the steps ---- */

static int bring_up(void)
{
    struct e1000_link link;
    int rc = e1000_find(&nic);

    if (rc) {
        printk("nic-check: no e1000 found (error %d)\n", rc);
        return rc;
    }
    printk("nic-check: e1000 %04x:%04x at %02x:%02x.%x, BAR0 %#lx\n", 0x8086, nic.device_id,
           nic.bus, nic.dev, nic.fn, nic.bar0.base);
    if ((rc = e1000_map(&nic)) != 0) {
        printk("nic-check: FAIL: cannot map BAR0 at %#lx: error %d\n", nic.bar0.base, rc);
        return rc;
    }
    if ((rc = e1000_start(&nic)) != 0) {
        printk("nic-check: FAIL: the card did not start: error %d\n", rc);
        return rc;
    }
    print_mac("MAC", nic.mac);
    rc = e1000_link_wait(&nic, LINK_NS, &link);
    printk("nic-check: link %s, %u Mb/s, %s duplex\n", link.up ? "up" : "down", link.mbps,
           link.full_duplex ? "full" : "half");
    if (rc)
        printk("nic-check: FAIL: link still down after 5 s\n");
    return rc;
}

static int arp_step(uint8_t *gw_mac, struct nic_stats *st)
{
    static const uint8_t zero[ETH_ALEN];
    struct timing tm;
    int rc = exchange(arp_frame(ARP_OP_REQUEST, zero, GW_IP, eth_broadcast), is_arp_reply, 0,
                      gw_mac, &tm, st);

    if (rc) {
        printk("nic-check: FAIL: no ARP reply from 10.0.2.2: error %d\n", rc);
        return rc;
    }
    printk("nic-check: ARP reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x (%lu us)\n",
           gw_mac[0], gw_mac[1], gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5],
           (unsigned long)(tm.total_ns / 1000));
    return 0;
}

static int ping_step(const uint8_t *gw_mac, struct nic_stats *st)
{
    struct timing tm;
    int rc = exchange(ping_frame(gw_mac, 1), is_ping_reply, 1, NULL, &tm, st);

    if (rc) {
        printk("nic-check: FAIL: no ICMP echo reply from 10.0.2.2: error %d\n", rc);
        return rc;
    }
    printk("nic-check: ICMP echo reply from 10.0.2.2: id %#x seq 1, %u bytes intact (%lu us)\n",
           PING_ID, PING_LEN, (unsigned long)(tm.total_ns / 1000));
    printk("nic-check: cost: receiving and parsing the echo reply %lu ns after the send returned\n",
           (unsigned long)tm.after_send_ns);
    return 0;
}

/* The cost of one send (copy, descriptor, tail, until the card is done),
 * in ns; under QEMU -icount shift=0, in instructions. */
static void send_cost(const uint8_t *gw_mac)
{
    size_t len = ping_frame(gw_mac, 2);
    uint64_t t0 = time_now_ns();

    if (e1000_send(&nic, frame, len, TRY_NS) == 0)
        printk("nic-check: cost: one %lu-byte send %lu ns\n", (unsigned long)len,
               (unsigned long)(time_now_ns() - t0));
}

bool nic_check_run(void)
{
    char buf[8];
    uint8_t gw_mac[ETH_ALEN];
    struct nic_stats st = { 0, 0 };
    long rc;

    if (!cmdline_option("nic-check", buf, sizeof(buf)))
        return false;
    if ((rc = e1000_enable_ports()) != 0) {
        printk("nic-check: FAIL: physdev_op(set_iopl, 1) = %ld\n", rc);
        return true;
    }
    if (bring_up() == 0 && arp_step(gw_mac, &st) == 0 && ping_step(gw_mac, &st) == 0)
        send_cost(gw_mac);
    printk("nic-check: %u frames received, %u not for us or not awaited, %u dropped by the driver\n",
           st.received, st.ignored, nic.rx_dropped);
    e1000_stop(&nic);
    printk("nic-check: card stopped, its pages returned; done\n");
    return true;
}
