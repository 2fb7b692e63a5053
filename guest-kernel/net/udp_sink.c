/*
 * Tern guest kernel, network: the benchmark's UDP byte counter (see
 * udp_sink.h). Invariant: only payloads are counted, queries never are,
 * and a reply is read only when it has exactly the answer's length.
 */
#include "kernel/lib.h"
#include "net/net_bytes.h"
#include "net/udp_sink.h"

bool udp_sink_take(struct udp_sink *s, const uint8_t *data, size_t len)
{
    if (len == UDP_SINK_TAG_LEN && !memcmp(data, UDP_SINK_QUERY, UDP_SINK_TAG_LEN))
        return true;
    s->bytes += len;
    s->datagrams++;
    return false;
}

size_t udp_sink_reply(const struct udp_sink *s, uint8_t *buf, size_t cap)
{
    if (cap < UDP_SINK_REPLY_LEN)
        return 0;
    memcpy(buf, UDP_SINK_ANSWER, UDP_SINK_TAG_LEN);
    net_put32(buf + UDP_SINK_TAG_LEN, (uint32_t)(s->bytes >> 32));
    net_put32(buf + UDP_SINK_TAG_LEN + 4, (uint32_t)s->bytes);
    net_put32(buf + UDP_SINK_TAG_LEN + 8, s->datagrams);
    return UDP_SINK_REPLY_LEN;
}

bool udp_sink_parse_reply(const uint8_t *data, size_t len, struct udp_sink *out)
{
    const uint8_t *n = data + UDP_SINK_TAG_LEN;

    if (len != UDP_SINK_REPLY_LEN || memcmp(data, UDP_SINK_ANSWER, UDP_SINK_TAG_LEN))
        return false;
    out->bytes = (uint64_t)net_get32(n) << 32 | net_get32(n + 4);
    out->datagrams = net_get32(n + 8);
    return true;
}
