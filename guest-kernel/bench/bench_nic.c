/*
 * Tern guest kernel: the bench-nic=<a.b.c.d>:<port> role (domain 0 alone,
 * tools/bench.py, Tern only): the baseline of the PV network's UDP rows,
 * domain 0 sending the same stream straight through its own e1000 driver
 * (drivers/e1000.c), without netfront, netback or the bridge:
 *
 *   net_udp_nic_direct_per_kib  full-size UDP datagrams to the byte
 *                               counter at <ip>:<port> (tools/bench.py's,
 *                               on the host's 127.0.0.1, which QEMU's user
 *                               network shows as 10.0.2.2), per KiB the
 *                               card took.
 *
 * Our address is 10.0.2.15 (QEMU's user network hands that one out). The
 * counter is asked before and after the stream (net/udp_sink.h) to prove
 * the stream arrived. The card is stopped
 * (its DMA off) before the role ends. Ends with "bench: done".
 */
#include <public/errno.h>
#include "bench/bench.h"
#include "demo/roles.h"
#include "drivers/e1000.h"
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "net/arp.h"
#include "net/eth.h"
#include "net/ipv4.h"
#include "net/net_text.h"
#include "net/udp.h"
#include "net/udp_sink.h"

#define ROW        "net_udp_nic_direct_per_kib"
#define MY_IP      0x0a00020fu
#define MY_PORT    40007
#define PAYLOAD    1472                    /* a full Ethernet frame */
#define STREAM     (2u << 20)              /* as bench_net.c's */
#define TRIES      3
#define OPTION_LEN 24

static struct e1000 nic;
static uint8_t frame[ETH_FRAME_MAX], rx[E1000_RX_BUF_SIZE], payload[PAYLOAD];
static uint8_t peer_mac[ETH_ALEN];
static uint32_t peer_ip;
static uint16_t peer_port;

static int up(void)
{
    struct e1000_link link;

    return (int)e1000_enable_ports() ?: e1000_find(&nic) ?: e1000_map(&nic) ?:
           e1000_start(&nic) ?: e1000_link_wait(&nic, NS_PER_S, &link);
}

/* ---- ARP for the peer ---- */

static size_t arp_request(void)
{
    struct arp_packet p = { .op = ARP_OP_REQUEST, .spa = MY_IP, .tpa = peer_ip };
    size_t n = eth_build(frame, sizeof(frame), eth_broadcast, nic.mac, ETH_TYPE_ARP);

    memcpy(p.sha, nic.mac, ETH_ALEN);
    n += arp_build(frame + n, sizeof(frame) - n, &p);
    return eth_pad(frame, n, sizeof(frame));
}

static bool is_arp_reply(long n)
{
    struct eth_frame f;
    struct arp_packet p;

    if (eth_parse(rx, (size_t)n, &f) != NET_OK || f.type != ETH_TYPE_ARP ||
        arp_parse(f.payload, f.payload_len, &p) != NET_OK || p.op != ARP_OP_REPLY ||
        p.spa != peer_ip || p.tpa != MY_IP)
        return false;
    memcpy(peer_mac, p.sha, ETH_ALEN);
    return true;
}

/* What arrives until deadline, until accept() takes a frame. */
static bool wait_for(bool (*accept)(long), uint64_t deadline)
{
    while (time_now_ns() < deadline) {
        long n = e1000_recv(&nic, rx, sizeof(rx), deadline - time_now_ns());

        if (n > 0 && accept(n))
            return true;
    }
    return false;
}

/* Tries of a second each: QEMU's e1000 holds frames for a second after
 * its receiver is turned on. */
static int resolve(void)
{
    for (int t = 0; t < TRIES; t++) {
        int rc = e1000_send(&nic, frame, arp_request(), NS_PER_S);

        if (rc)
            return rc;
        if (wait_for(is_arp_reply, time_now_ns() + NS_PER_S))
            return 0;
    }
    return -XEN_ETIMEDOUT;
}

/* ---- the stream and the counter ---- */

static int send_udp(const uint8_t *data, size_t len)
{
    size_t at = ETH_HLEN + IPV4_HLEN;
    struct udp_datagram d = { .sport = MY_PORT, .dport = peer_port, .data = data,
                              .data_len = len };
    struct ipv4_packet ip = { .ttl = IPV4_DEFAULT_TTL, .proto = IPV4_PROTO_UDP, .src = MY_IP,
                              .dst = peer_ip };
    size_t n = eth_build(frame, sizeof(frame), peer_mac, nic.mac, ETH_TYPE_IPV4);

    ip.payload_len = udp_build(frame + at, sizeof(frame) - at, MY_IP, peer_ip, &d);
    n += ipv4_build(frame + n, sizeof(frame) - n, &ip);
    return e1000_send(&nic, frame, eth_pad(frame, n + ip.payload_len, sizeof(frame)), NS_PER_S);
}

static struct udp_sink answer;

static bool is_answer(long n)
{
    struct eth_frame f;
    struct ipv4_packet ip;
    struct udp_datagram d;

    return eth_parse(rx, (size_t)n, &f) == NET_OK && f.type == ETH_TYPE_IPV4 &&
           ipv4_parse(f.payload, f.payload_len, &ip) == NET_OK && ip.dst == MY_IP &&
           ip.proto == IPV4_PROTO_UDP &&
           udp_parse(ip.src, ip.dst, ip.payload, ip.payload_len, &d) == NET_OK &&
           d.dport == MY_PORT && udp_sink_parse_reply(d.data, d.data_len, &answer);
}

static int count(struct udp_sink *out)
{
    for (int t = 0; t < TRIES; t++) {
        int rc = send_udp((const uint8_t *)UDP_SINK_QUERY, UDP_SINK_TAG_LEN);

        if (rc)
            return rc;
        if (wait_for(is_answer, time_now_ns() + NS_PER_S)) {
            *out = answer;
            return 0;
        }
    }
    return -XEN_ETIMEDOUT;
}

/* The clock stops when the card has taken the last frame (e1000_send
 * waits for that), as bench_net.c's stream beyond the NIC: per KiB sent;
 * the counter's answer only proves the stream left the machine. */
static void stream(void)
{
    struct udp_sink before = { 0 }, after = { 0 };
    uint32_t sent = 0;
    uint64_t t0, total;
    int rc = count(&before);

    t0 = tsc_read();
    for (; rc == 0 && sent < STREAM; sent += PAYLOAD)
        rc = send_udp(payload, PAYLOAD);
    total = tsc_read() - t0;
    rc = rc ?: count(&after);
    bench_report_stream(ROW, after.bytes - before.bytes, sent, total, rc, true);
}

bool nic_bench_run(void)
{
    char buf[OPTION_LEN];
    int rc;

    if (!cmdline_option("bench-nic", buf, sizeof(buf)))
        return false;
    rc = net_parse_ipv4_port(buf, &peer_ip, &peer_port) ? 0 : -XEN_EINVAL;
    rc = rc ?: (int)timer_start() ?: up() ?: resolve();
    if (!bench_failed(ROW, rc))
        stream();
    e1000_stop(&nic);
    printk("bench: done\n");
    return true;
}
