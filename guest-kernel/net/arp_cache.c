/*
 * Tern guest kernel, network: the ARP cache (see arp_cache.h).
 * Invariants: one entry per address; an entry older than ARP_CACHE_NS
 * is never answered (it is as good as free).
 */
#include "net/arp_cache.h"
#include "net/net_bytes.h"

void arp_cache_init(struct arp_cache *c)
{
    for (unsigned int i = 0; i < ARP_CACHE_ENTRIES; i++)
        c->e[i].used = false;
}

static int slot_of(const struct arp_cache *c, uint32_t ip)
{
    for (int i = 0; i < ARP_CACHE_ENTRIES; i++)
        if (c->e[i].used && c->e[i].ip == ip)
            return i;
    return -1;
}

/* A free entry, else the oldest. */
static int victim(const struct arp_cache *c)
{
    int old = 0;

    for (int i = 0; i < ARP_CACHE_ENTRIES; i++) {
        if (!c->e[i].used)
            return i;
        if (c->e[i].at_ns < c->e[old].at_ns)
            old = i;
    }
    return old;
}

bool arp_cache_put(struct arp_cache *c, uint32_t ip, const uint8_t *mac, uint64_t now_ns)
{
    int i;

    if (ip == 0 || net_ipv4_is_group(ip) || net_mac_is_group(mac))
        return false;
    i = slot_of(c, ip);
    if (i < 0)
        i = victim(c);
    c->e[i].ip = ip;
    for (unsigned int k = 0; k < 6; k++)
        c->e[i].mac[k] = mac[k];
    c->e[i].used = true;
    c->e[i].at_ns = now_ns;
    return true;
}

bool arp_cache_get(const struct arp_cache *c, uint32_t ip, uint64_t now_ns, uint8_t *mac)
{
    int i = slot_of(c, ip);

    if (i < 0 || now_ns - c->e[i].at_ns >= ARP_CACHE_NS)
        return false;
    for (unsigned int k = 0; k < 6; k++)
        mac[k] = c->e[i].mac[k];
    return true;
}
