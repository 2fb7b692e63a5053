/*
 * Tern guest kernel: the minimal IPv4 stack (see netstack.h).
 * Invariants: a frame is answered only when it is addressed to us (our
 * MAC or broadcast at Ethernet, our address at IPv4, an ARP request for
 * our address); answers go back to the sender's MAC and address; nothing
 * is ever sent to an address nobody asked about (a ping goes only to the
 * address the role names).
 */
#include <public/errno.h>
#include "kernel/kernel.h"
#include "kernel/lib.h"
#include "kernel/time.h"
#include "net/arp.h"
#include "net/eth.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include "net/netstack.h"
#include "net/udp.h"

#define ARP_TRY_NS  (500 * NS_PER_MS)

static uint8_t rx[PAGE_SIZE];
static uint8_t tx[ETH_FRAME_MAX];
static const uint8_t ping_data[32] = "Tern netfront echo data 0123456";
static uint8_t udp_out[NETSTACK_UDP_MAX];

struct event_wait {
    const struct netstack *s;
    uint32_t seen;
};

static bool event_since(void *arg)
{
    const struct event_wait *w = arg;

    return w->s->nf.events != w->seen;
}

/* Every tx buffer in flight: the backend's next response comes with an
 * event (netfront asks for it), so wait for one, not for a fixed time;
 * the count is read before the try so an event in between is not
 * missed. Frames that arrive meanwhile stay in the rx ring for the next
 * netstack_poll (answering them here would overwrite tx). */
static bool send(struct netstack *s, size_t len)
{
    len = eth_pad(tx, len, sizeof(tx));
    for (int tries = 0; tries < 100; tries++) {
        struct event_wait w = { s, s->nf.events };

        if (netfront_send(&s->nf, tx, len) != -XEN_EAGAIN)
            return true;
        time_wait_until(event_since, &w, time_now_ns() + NS_PER_MS);
    }
    return false;
}

static void send_arp(struct netstack *s, uint16_t op, const uint8_t *dst, const uint8_t *tha,
                     uint32_t tpa)
{
    struct arp_packet p = { .op = op, .spa = s->ip, .tpa = tpa };
    size_t n = eth_build(tx, sizeof(tx), dst, s->nf.mac, ETH_TYPE_ARP);

    memcpy(p.sha, s->nf.mac, ETH_ALEN);
    memcpy(p.tha, tha, ETH_ALEN);
    send(s, n + arp_build(tx + n, sizeof(tx) - n, &p));
}

/* An IPv4 packet whose payload (plen bytes) is already at tx + 34. */
static bool send_ip(struct netstack *s, const uint8_t *mac, uint32_t dst, uint8_t proto,
                    size_t plen)
{
    struct ipv4_packet ip = { .ttl = IPV4_DEFAULT_TTL, .proto = proto, .src = s->ip,
                              .dst = dst, .payload_len = plen };
    size_t n = eth_build(tx, sizeof(tx), mac, s->nf.mac, ETH_TYPE_IPV4);

    n += ipv4_build(tx + n, sizeof(tx) - n, &ip);
    return send(s, n + plen);
}

static void send_echo(struct netstack *s, const uint8_t *mac, uint32_t dst,
                      const struct icmp_echo *e)
{
    size_t at = ETH_HLEN + IPV4_HLEN;

    send_ip(s, mac, dst, IPV4_PROTO_ICMP, icmp_echo_build(tx + at, sizeof(tx) - at, e));
}

/* ---- frames in ---- */

static void on_arp(struct netstack *s, const struct eth_frame *f)
{
    struct arp_packet p, reply;

    if (arp_parse(f->payload, f->payload_len, &p) != NET_OK) {
        s->ignored++;
        return;
    }
    if (p.tpa == s->ip)
        arp_cache_put(&s->arp, p.spa, p.sha, time_now_ns());
    if (p.op == ARP_OP_REQUEST && arp_make_reply(&p, s->nf.mac, s->ip, &reply))
        send_arp(s, ARP_OP_REPLY, p.sha, reply.tha, reply.tpa);
}

static void on_icmp(struct netstack *s, const struct eth_frame *f, const struct ipv4_packet *ip)
{
    struct icmp_echo e;

    if (icmp_echo_parse(ip->payload, ip->payload_len, &e) != NET_OK) {
        s->ignored++;
        return;
    }
    if (e.type == ICMP_ECHO_REQUEST) {
        e.type = ICMP_ECHO_REPLY;                    /* its data stays in rx */
        send_echo(s, f->src, ip->src, &e);
        s->pings_answered++;
    } else if (e.id == NETSTACK_PING_ID && s->want_seq && e.seq == s->want_seq) {
        s->got_reply = true;
    }
}

/* The echo of the datagram our client sent last: the same bytes. */
static bool is_our_echo(const struct netstack *s, const struct udp_datagram *d)
{
    return s->want_udp && d->data_len >= 4 && d->data_len <= sizeof(udp_out) &&
           net_get32(d->data) == s->want_udp && !memcmp(d->data, udp_out, d->data_len);
}

/* A datagram to our client's port: an echo or a sink's answer. */
static void on_answer(struct netstack *s, const struct udp_datagram *d)
{
    s->got_udp |= is_our_echo(s, d);
    if (s->want_count && udp_sink_parse_reply(d->data, d->data_len, &s->count))
        s->got_count = true;
}

/* Sends data[0..len) back to d's sender (data is never in tx). */
static void answer_udp(struct netstack *s, const struct eth_frame *f,
                       const struct ipv4_packet *ip, const struct udp_datagram *d,
                       const uint8_t *data, size_t len)
{
    size_t at = ETH_HLEN + IPV4_HLEN;
    struct udp_datagram r = { .sport = d->dport, .dport = d->sport,
                              .data = tx + at + UDP_HLEN, .data_len = len };

    memcpy(tx + at + UDP_HLEN, data, len);
    send_ip(s, f->src, ip->src, IPV4_PROTO_UDP,
            udp_build(tx + at, sizeof(tx) - at, s->ip, ip->src, &r));
}

/* A datagram to our sink: counted, or a query answered. */
static void on_sink(struct netstack *s, const struct eth_frame *f,
                    const struct ipv4_packet *ip, const struct udp_datagram *d)
{
    uint8_t reply[UDP_SINK_REPLY_LEN];

    if (udp_sink_take(&s->sink, d->data, d->data_len))
        answer_udp(s, f, ip, d, reply, udp_sink_reply(&s->sink, reply, sizeof(reply)));
}

static void on_udp(struct netstack *s, const struct eth_frame *f, const struct ipv4_packet *ip)
{
    struct udp_datagram d;

    if (udp_parse(ip->src, ip->dst, ip->payload, ip->payload_len, &d) != NET_OK) {
        s->ignored++;
        return;
    }
    if (d.dport == NETSTACK_UDP_PORT) {
        on_answer(s, &d);
        return;
    }
    if (d.dport == UDP_SINK_PORT) {
        on_sink(s, f, ip, &d);
        return;
    }
    if (d.dport != NETSTACK_ECHO_PORT) {
        s->ignored++;
        return;
    }
    answer_udp(s, f, ip, &d, d.data, d.data_len);
    s->udp_echoed++;
}

static void on_frame(struct netstack *s, size_t len)
{
    struct eth_frame f;
    struct ipv4_packet ip;

    if (eth_parse(rx, len, &f) != NET_OK ||
        (memcmp(f.dst, s->nf.mac, ETH_ALEN) && memcmp(f.dst, eth_broadcast, ETH_ALEN))) {
        s->ignored++;
        return;
    }
    if (f.type == ETH_TYPE_ARP) {
        on_arp(s, &f);
        return;
    }
    if (f.type != ETH_TYPE_IPV4 || ipv4_parse(f.payload, f.payload_len, &ip) != NET_OK ||
        ip.dst != s->ip) {
        s->ignored++;
        return;
    }
    if (ip.proto == IPV4_PROTO_ICMP)
        on_icmp(s, &f, &ip);
    else if (ip.proto == IPV4_PROTO_UDP)
        on_udp(s, &f, &ip);
    else
        s->ignored++;
}

static bool came(void *arg)
{
    return ((struct netstack *)arg)->nf.events != 0;
}

void netstack_poll(struct netstack *s, uint64_t deadline_ns)
{
    size_t n;

    time_wait_until(came, s, deadline_ns);
    s->nf.events = 0;
    while ((n = netfront_recv(&s->nf, rx, sizeof(rx))) != 0)
        on_frame(s, n);
}

/* ---- requests of ours ---- */

/* dst's MAC, asking by ARP until timeout. */
static bool resolve(struct netstack *s, uint32_t dst, uint8_t *mac, uint64_t deadline)
{
    static const uint8_t zero[ETH_ALEN];

    while (!arp_cache_get(&s->arp, dst, time_now_ns(), mac)) {
        uint64_t now = time_now_ns(), next = now + ARP_TRY_NS;

        if (now >= deadline)
            return false;
        send_arp(s, ARP_OP_REQUEST, eth_broadcast, zero, dst);
        while (!arp_cache_get(&s->arp, dst, time_now_ns(), mac) && time_now_ns() < next)
            netstack_poll(s, next < deadline ? next : deadline);
    }
    return true;
}

int netstack_ping(struct netstack *s, uint32_t dst, uint16_t seq, uint64_t timeout_ns,
                  uint64_t *rtt_ns)
{
    uint64_t start = time_now_ns(), deadline = start + timeout_ns;
    struct icmp_echo e = { .type = ICMP_ECHO_REQUEST, .id = NETSTACK_PING_ID, .seq = seq,
                           .data = ping_data, .data_len = sizeof(ping_data) };
    uint8_t mac[ETH_ALEN];

    if (!resolve(s, dst, mac, deadline))
        return -XEN_ETIMEDOUT;
    s->want_seq = seq;
    s->got_reply = false;
    start = time_now_ns();
    send_echo(s, mac, dst, &e);
    while (!s->got_reply && time_now_ns() < deadline)
        netstack_poll(s, deadline);
    *rtt_ns = time_now_ns() - start;
    s->want_seq = 0;
    return s->got_reply ? 0 : -XEN_ETIMEDOUT;
}

static bool send_udp(struct netstack *s, const uint8_t *mac, uint32_t dst, uint16_t port,
                     size_t len)
{
    struct udp_datagram d = { .sport = NETSTACK_UDP_PORT, .dport = port, .data = udp_out,
                              .data_len = len };
    size_t at = ETH_HLEN + IPV4_HLEN;

    return send_ip(s, mac, dst, IPV4_PROTO_UDP,
                   udp_build(tx + at, sizeof(tx) - at, s->ip, dst, &d));
}

int netstack_udp_echo(struct netstack *s, uint32_t dst, uint16_t port, uint32_t tag,
                      size_t len, uint64_t timeout_ns, uint64_t *rtt_ns)
{
    uint64_t start = time_now_ns(), deadline = start + timeout_ns;
    uint8_t mac[ETH_ALEN];

    if (len < 4 || len > sizeof(udp_out) || tag == 0)
        return -XEN_EINVAL;
    if (!resolve(s, dst, mac, deadline))
        return -XEN_ETIMEDOUT;
    for (size_t i = 4; i < len; i++)
        udp_out[i] = (uint8_t)(tag + i);
    net_put32(udp_out, tag);
    s->want_udp = tag;
    s->got_udp = false;
    start = time_now_ns();
    send_udp(s, mac, dst, port, len);
    while (!s->got_udp && time_now_ns() < deadline)
        netstack_poll(s, deadline);
    *rtt_ns = time_now_ns() - start;
    s->want_udp = 0;
    return s->got_udp ? 0 : -XEN_ETIMEDOUT;
}

int netstack_udp_send(struct netstack *s, uint32_t dst, uint16_t port, size_t len,
                      uint64_t timeout_ns)
{
    uint8_t mac[ETH_ALEN];

    if (len > sizeof(udp_out))
        return -XEN_EINVAL;
    if (!resolve(s, dst, mac, time_now_ns() + timeout_ns))
        return -XEN_ETIMEDOUT;
    return send_udp(s, mac, dst, port, len) ? 0 : -XEN_ETIMEDOUT;
}

int netstack_tx_drain(struct netstack *s, uint64_t timeout_ns)
{
    uint64_t deadline = time_now_ns() + timeout_ns;

    for (;;) {
        struct event_wait w = { s, s->nf.events };

        if (netfront_tx_idle(&s->nf))
            return 0;
        if (time_now_ns() >= deadline)
            return -XEN_ETIMEDOUT;
        time_wait_until(event_since, &w, deadline);
    }
}

int netstack_sink_count(struct netstack *s, uint32_t dst, uint16_t port, uint64_t timeout_ns,
                        struct udp_sink *out)
{
    uint64_t deadline = time_now_ns() + timeout_ns;
    uint8_t mac[ETH_ALEN];

    if (!resolve(s, dst, mac, deadline))
        return -XEN_ETIMEDOUT;
    memcpy(udp_out, UDP_SINK_QUERY, UDP_SINK_TAG_LEN);
    s->want_count = true;
    s->got_count = false;
    send_udp(s, mac, dst, port, UDP_SINK_TAG_LEN);
    while (!s->got_count && time_now_ns() < deadline)
        netstack_poll(s, deadline);
    s->want_count = false;
    *out = s->count;
    return s->got_count ? 0 : -XEN_ETIMEDOUT;
}

int netstack_up(struct netstack *s, uint32_t ip)
{
    int rc;

    memset(s, 0, sizeof(*s));
    arp_cache_init(&s->arp);
    rc = netfront_up(&s->nf);
    s->ip = ip ? ip : s->nf.ip;
    if (!rc && !s->ip) {
        netfront_down(&s->nf);
        rc = -XEN_EINVAL;                            /* no address given anywhere */
    }
    return rc;
}

void netstack_down(struct netstack *s)
{
    netfront_down(&s->nf);
}
