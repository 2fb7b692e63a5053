/*
 * Tern guest kernel, xenstore: message gathering and the output queue
 * (see xs_frame.h for the invariants).
 */
#include "xenstore/xs_frame.h"

#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static void copy_in(struct xs_frame *f, const char *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        f->m.bytes[f->have + i] = (uint8_t)src[i];
    f->have += n;
}

enum xs_frame_state xs_frame_feed(struct xs_frame *f, const char *src, uint32_t n,
                                  uint32_t *used)
{
    uint32_t take = 0;

    if (f->have < HDR_SIZE) {
        take = min_u32(HDR_SIZE - f->have, n);
        copy_in(f, src, take);
    }
    *used = take;
    if (f->have < HDR_SIZE)
        return XS_FRAME_MORE;
    if (f->m.hdr.len > XENSTORE_PAYLOAD_MAX)
        return XS_FRAME_TOO_LONG;
    n -= take;
    take = min_u32(HDR_SIZE + f->m.hdr.len - f->have, n);
    copy_in(f, src + *used, take);
    *used += take;
    return f->have == HDR_SIZE + f->m.hdr.len ? XS_FRAME_DONE : XS_FRAME_MORE;
}

void xs_frame_reset(struct xs_frame *f)
{
    f->have = 0;
}

uint32_t xs_frame_need(const struct xs_frame *f)
{
    if (f->have < HDR_SIZE)
        return HDR_SIZE - f->have;
    if (xs_frame_too_long(f))
        return 0;
    return HDR_SIZE + f->m.hdr.len - f->have;
}

bool xs_frame_too_long(const struct xs_frame *f)
{
    return f->have >= HDR_SIZE && f->m.hdr.len > XENSTORE_PAYLOAD_MAX;
}

static bool same_name(const uint8_t *payload, uint32_t len, const char *name)
{
    uint32_t i = 0;

    for (; i < len && name[i]; i++)
        if (payload[i] != (uint8_t)name[i])
            return false;
    return !name[i] && (i == len || payload[i] == 0);
}

int xs_frame_error(const struct xs_frame *f)
{
    const uint8_t *payload = f->m.bytes + HDR_SIZE;

    if (f->m.hdr.type != XS_ERROR)
        return 0;
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (same_name(payload, f->m.hdr.len, xsd_errors[i].errstring))
            return -xsd_errors[i].errnum;
    return -XEN_EINVAL;
}

uint32_t xs_outq_room(const struct xs_outq *q)
{
    return XS_OUTQ_SIZE - q->len;
}

static void put_bytes(struct xs_outq *q, const void *src, uint32_t n)
{
    const char *s = src;

    for (uint32_t i = 0; i < n; i++)
        q->buf[(q->head + q->len + i) % XS_OUTQ_SIZE] = s[i];
    q->len += n;
}

bool xs_outq_put(struct xs_outq *q, const struct xsd_sockmsg *hdr, const void *payload)
{
    if (hdr->len > XENSTORE_PAYLOAD_MAX || xs_outq_room(q) < HDR_SIZE + hdr->len)
        return false;
    put_bytes(q, hdr, HDR_SIZE);
    put_bytes(q, payload, hdr->len);
    return true;
}

const char *xs_outq_peek(const struct xs_outq *q, uint32_t *n)
{
    *n = min_u32(q->len, XS_OUTQ_SIZE - q->head);
    return q->buf + q->head;
}

void xs_outq_drop(struct xs_outq *q, uint32_t n)
{
    n = min_u32(n, q->len);
    q->head = (q->head + n) % XS_OUTQ_SIZE;
    q->len -= n;
}
