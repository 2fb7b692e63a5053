/*
 * Tern guest kernel, network: the learning bridge's table (see bridge.h).
 * Invariants: no group address is ever in the table; one entry per
 * address; an aged entry counts as absent (it is overwritten, never
 * followed); a pinned entry changes only when its port goes.
 */
#include "net/bridge.h"
#include "net/net_bytes.h"

static bool same_mac(const uint8_t *a, const uint8_t *b)
{
    for (unsigned int i = 0; i < 6; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool alive(const struct bridge_entry *e, uint64_t now_ns)
{
    return e->used && (e->pinned || now_ns - e->seen_ns < BRIDGE_AGE_NS);
}

void bridge_init(struct bridge *b)
{
    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++)
        b->e[i].used = false;
}

static struct bridge_entry *find(const struct bridge *b, const uint8_t *mac)
{
    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++)
        if (b->e[i].used && same_mac(b->e[i].mac, mac))
            return (struct bridge_entry *)&b->e[i];
    return NULL;
}

/* A free or aged entry, else the least recently seen unpinned one, else
 * NULL. */
static struct bridge_entry *victim(struct bridge *b, uint64_t now_ns)
{
    struct bridge_entry *old = NULL;

    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++) {
        if (!alive(&b->e[i], now_ns))
            return &b->e[i];
        if (!b->e[i].pinned && (!old || b->e[i].seen_ns < old->seen_ns))
            old = &b->e[i];
    }
    return old;
}

static void fill(struct bridge_entry *e, const uint8_t *mac)
{
    for (unsigned int i = 0; i < 6; i++)
        e->mac[i] = mac[i];
    e->used = true;
    e->pinned = false;
}

void bridge_learn(struct bridge *b, const uint8_t *src, int port, uint64_t now_ns)
{
    struct bridge_entry *e;

    if (net_mac_is_group(src))
        return;                                /* a group is no station */
    e = find(b, src);
    if (e && e->pinned)
        return;                                /* only its own port sends it */
    if (!e) {
        e = victim(b, now_ns);
        if (!e)
            return;
        fill(e, src);
    }
    e->port = port;                            /* a station may move */
    e->seen_ns = now_ns;
}

bool bridge_pin(struct bridge *b, const uint8_t *mac, int port)
{
    struct bridge_entry *e;

    if (net_mac_is_group(mac))
        return false;
    e = find(b, mac);
    if (e && e->pinned && e->port != port)
        return false;
    if (!e && !(e = victim(b, 0)))
        return false;
    fill(e, mac);
    e->pinned = true;
    e->port = port;
    return true;
}

int bridge_lookup(const struct bridge *b, const uint8_t *dst, int in_port, uint64_t now_ns)
{
    const struct bridge_entry *e;

    if (net_mac_is_group(dst))
        return BRIDGE_FLOOD;
    e = find(b, dst);
    if (!e || !alive(e, now_ns))
        return BRIDGE_FLOOD;
    return e->port == in_port ? BRIDGE_DROP : e->port;
}

void bridge_forget_port(struct bridge *b, int port)
{
    for (unsigned int i = 0; i < BRIDGE_ENTRIES; i++)
        if (b->e[i].used && b->e[i].port == port)
            b->e[i].used = false;
}
