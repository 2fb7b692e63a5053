/*
 * Tern guest kernel, network: the ARP cache, pure: IPv4 address -> MAC,
 * each entry valid for ARP_CACHE_NS after it was learnt (Linux's
 * reachable time is of that order), the oldest giving way when full.
 * Only individual (non-group) MACs for non-group addresses are kept.
 */
#ifndef GUEST_NET_ARP_CACHE_H
#define GUEST_NET_ARP_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define ARP_CACHE_ENTRIES 16
#define ARP_CACHE_NS      (60ull * 1000000000ull)

struct arp_cache {
    struct { uint32_t ip; uint8_t mac[6]; bool used; uint64_t at_ns; } e[ARP_CACHE_ENTRIES];
};

void arp_cache_init(struct arp_cache *c);
/* Learns (or refreshes) ip at mac; a group MAC, address 0 or a group
 * address is refused (false). */
bool arp_cache_put(struct arp_cache *c, uint32_t ip, const uint8_t *mac, uint64_t now_ns);
/* ip's MAC while its entry is younger than ARP_CACHE_NS; false otherwise. */
bool arp_cache_get(const struct arp_cache *c, uint32_t ip, uint64_t now_ns, uint8_t *mac);

#endif /* GUEST_NET_ARP_CACHE_H */
