/*
 * Tern guest kernel: what a privileged domain does to the others through
 * sysctl getdomaininfolist and domctl (public/domctl.h): list them, wait
 * for them to end, destroy one, learn one's console and xenstore pages.
 */
#ifndef GUEST_CONTROL_H
#define GUEST_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/domctl.h>

#define DOMID_NONE 0xffffU           /* "no domain" for control_wait_others */

/* The record of the first domain with id >= first into *info: 1 if there
 * is one, 0 if not, or a negative Xen errno. One record per call, into a
 * buffer big enough for Xen's longer record as well as Tern's. */
long control_next_domain(domid_t first, struct xen_domctl_getdomaininfo *info);

/* True when the record describes a domain that has not shut down. */
bool control_domain_running(const struct xen_domctl_getdomaininfo *info);

/* How many domains other than domain 0 and `except` still run (negative
 * Xen errno if the list cannot be read). */
long control_count_others(domid_t except);

/* Blocks (SCHEDOP_block, woken every 10 ms by the timer) until no domain
 * other than domain 0 and `except` runs, saying so when the number
 * changes. Returns 0 or the list's error. */
long control_wait_others(domid_t except);

/* domctl destroydomain. */
long control_destroy(domid_t id);

/* domctl tern_ring_pages (Tern's own): the xenstore and console pages and
 * ports the builder gave domain id, into *r. 0 or a negative Xen errno. */
long control_ring_pages(domid_t id, uint32_t version, struct xen_domctl_tern_ring_pages *r);
/* domctl tern_console_input (Tern's own): console input typed for domain
 * id, which we serve as its console backend. */
long control_console_input(domid_t id, struct xen_domctl_tern_console_input *in);

#endif /* GUEST_CONTROL_H */
