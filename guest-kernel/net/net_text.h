/*
 * Tern guest kernel, network: the text forms the network devices read
 * from xenstore and command lines, parsed strictly and purely: an IPv4
 * address "a.b.c.d" (with a ":port" or not), a MAC address "aa:bb:cc:dd:ee:ff", and the domain
 * and device number a path under netback's backend directory names.
 */
#ifndef GUEST_NET_TEXT_H
#define GUEST_NET_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* "a.b.c.d", each 0..255 in decimal, nothing before or after; false
 * otherwise (*ip untouched). *ip in host order. */
bool net_parse_ipv4(const char *s, uint32_t *ip);

/* "a.b.c.d:port", port 1..65535 in decimal; false otherwise (outputs
 * untouched). */
bool net_parse_ipv4_port(const char *s, uint32_t *ip, uint16_t *port);

/* Six two-digit hex bytes separated by ':'; false otherwise. */
bool net_parse_mac(const char *s, uint8_t mac[6]);

/* A path /local/domain/0/backend/vif/<dom>/<n>[/...]: true with the
 * domain (below 0x7ff0, a real domain) and the device number (below
 * 0x10000); false for any other path (the directory itself included). */
bool net_parse_vif_backend(const char *path, uint16_t *dom, uint32_t *n);

#endif /* GUEST_NET_TEXT_H */
